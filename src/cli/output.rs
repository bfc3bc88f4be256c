//! What `drive` and `run` print for each input: the text narration in the words one
//! types, or one JSON record per input for tools (`--json`, schema in
//! `docs/schema/input-record.schema.json`).

use serde::Serialize;
use std::io::{self, Write};
use vicixfer::{CustomerAt, Effect, Event, LegAt, Rejection, Session, Step, XferAt};

/// Writes one diagnostic line (progress, a note, a warning, the final error) to standard
/// error. Standard error is where failures are reported, so a failure to write there has
/// nowhere left to go: it is dropped, never a panic (`eprintln!` panics on a closed
/// standard error). Standard output is different: every command writes it through a
/// checked `writeln!(out, ...)?`, so a closed pipe ends the command quietly with status 0
/// (`main`) and any other write error names standard output and exits 2.
pub fn diag(line: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// How much to print per input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every input with its effects, events and the session after it.
    Text,
    /// Only what went wrong (rejections, lines that do not parse).
    Quiet,
    /// One JSON record per input.
    Json,
}

/// An effect or event: its text form and its serde form.
#[derive(Serialize)]
struct Said<'a, T> {
    text: String,
    value: &'a T,
}

fn said<T: std::fmt::Display>(items: &[T]) -> Vec<Said<'_, T>> {
    items.iter().map(|value| Said { text: value.to_string(), value }).collect()
}

/// A rejected input: why, and the verbs the session would take now.
#[derive(Serialize)]
struct Refusal<'a> {
    reason: &'a vicixfer::Reason,
    message: String,
    acceptable: Vec<&'static str>,
}

/// One live leg after the input.
#[derive(Serialize)]
struct LegRecord {
    leg: u64,
    role: &'static str,
    at: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<u64>,
}

fn legs(session: &Session) -> Vec<LegRecord> {
    session
        .legs
        .all()
        .map(|(id, at)| {
            let (role, place, room) = match at {
                LegAt::Customer(CustomerAt::Room(r)) => ("customer", "room", Some(r.0)),
                LegAt::Customer(CustomerAt::Parked) => ("customer", "parked", None),
                LegAt::Customer(CustomerAt::ParkedIvr) => ("customer", "park-ivr", None),
                LegAt::Xfer(XferAt::Room(r)) => ("third-party", "room", Some(r.0)),
                LegAt::Xfer(XferAt::Ringing(r)) => ("third-party", "ringing", Some(r.0)),
                LegAt::Xfer(XferAt::Parked) => ("third-party", "parked", None),
            };
            LegRecord { leg: id.0, role, at: place, room }
        })
        .collect()
}

/// One input and what came of it: a line of `drive --json` or `run --json`.
#[derive(Serialize)]
struct Record<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<&'a str>,
    input: &'a str,
    accepted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejection: Option<Refusal<'a>>,
    effects: Vec<Said<'a, Effect>>,
    events: Vec<Said<'a, Event>>,
    legs: Vec<LegRecord>,
    session: String,
}

/// Where an input came from: a script line (`drive`) or a moment and an agent (`run`).
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// Line `n` (1-based) of the `drive` script.
    Line(usize),
    /// Virtual time (ms) and agent of a `run`.
    Run(u64, &'a str),
}

/// Writes what `mode` asks for about one input. `result` is `Err(message)` for a line
/// that did not parse.
pub fn input(
    out: &mut dyn Write,
    mode: Mode,
    origin: Origin<'_>,
    text: &str,
    before: &Session,
    result: Result<Result<&Step, &Rejection>, String>,
) -> io::Result<()> {
    let after = match &result {
        Ok(Ok(step)) => &step.session,
        _ => before,
    };
    match mode {
        Mode::Json => {
            let (line, t, agent) = match origin {
                Origin::Line(n) => (Some(n), None, None),
                Origin::Run(t, agent) => (None, Some(t), Some(agent)),
            };
            let (accepted, error, rejection, effects, events) = match &result {
                Err(message) => (false, Some(message.clone()), None, Vec::new(), Vec::new()),
                Ok(Err(r)) => (false, None, Some(refusal(r)), Vec::new(), Vec::new()),
                Ok(Ok(step)) => (true, None, None, said(&step.effects), said(&step.events)),
            };
            let record = Record {
                line,
                t,
                agent,
                input: text,
                accepted,
                error,
                rejection,
                effects,
                events,
                legs: legs(after),
                session: after.to_string(),
            };
            serde_json::to_writer(&mut *out, &record)?;
            writeln!(out)
        }
        Mode::Text | Mode::Quiet => {
            let heading = match origin {
                Origin::Line(n) if mode == Mode::Quiet => format!("line {n}: {text}"),
                Origin::Line(_) => format!("> {text}"),
                Origin::Run(t, agent) => format!("  [{t:>7} ms] {agent} < {text}"),
            };
            let indent = if matches!(origin, Origin::Run(..)) { "      " } else { "  " };
            match &result {
                Err(message) => writeln!(out, "{heading}\n{indent}! {message}"),
                Ok(Err(rejection)) => writeln!(out, "{heading}\n{indent}rejected: {rejection}"),
                Ok(Ok(_)) if mode == Mode::Quiet => Ok(()),
                Ok(Ok(step)) => {
                    writeln!(out, "{heading}")?;
                    for effect in &step.effects {
                        writeln!(out, "{indent}effect {effect}")?;
                    }
                    for event in &step.events {
                        writeln!(out, "{indent}event  {event}")?;
                    }
                    match origin {
                        Origin::Line(_) => writeln!(out, "{indent}{after}"),
                        Origin::Run(..) => Ok(()),
                    }
                }
            }
        }
    }
}

fn refusal(rejection: &Rejection) -> Refusal<'_> {
    Refusal {
        reason: &rejection.reason,
        message: rejection.reason.to_string(),
        acceptable: rejection.expected.iter().map(|k| k.verb()).collect(),
    }
}

/// Is this step worth a line in `run --verbose`? Silent ticks (nothing happened) are not.
pub fn eventful(result: Result<&Step, &Rejection>) -> bool {
    result.map_or(true, |step| !(step.effects.is_empty() && step.events.is_empty()))
}
