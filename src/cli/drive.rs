//! `vicixfer drive`: a session driven by hand, line by line.

use super::output::{self, Mode, Origin};
use crate::cli::files::{self, FileError};
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use vicixfer::{step, Config, Input, Session};

/// The longest script line read (a stored transfer string is well under 1 KiB).
pub const MAX_LINE_BYTES: usize = 64 << 10;

/// Reads one line of at most [`MAX_LINE_BYTES`] (without its `\n` or `\r\n`); `None` at
/// the end. A longer line or one that is not UTF-8 is an error naming its number.
fn next_line(reader: &mut dyn BufRead, path: &Path, number: usize) -> Result<Option<String>, FileError> {
    let mut bytes = Vec::new();
    let limit = MAX_LINE_BYTES as u64 + 1;
    reader
        .take(limit)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| FileError::new(path, format!("line {number}: {e}")))?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.len() as u64 == limit && bytes.last() != Some(&b'\n') {
        return Err(FileError::new(path, format!("line {number}: longer than {MAX_LINE_BYTES} bytes")));
    }
    let text = String::from_utf8(bytes).map_err(|_| FileError::new(path, format!("line {number}: not UTF-8 text")))?;
    Ok(Some(text))
}

pub fn run(script: Option<&Path>, config: Option<&Path>, mode: Mode) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut config: Option<Config> = config.map(files::read_json).transpose()?;
    let path = script.unwrap_or(Path::new("-"));
    let mut reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(|e| FileError::new(path, e))?))
    };
    let mut out = std::io::stdout().lock();
    let mut session: Option<Session> = None;
    let mut failed = false;
    let mut number = 0;
    while let Some(line) = next_line(reader.as_mut(), path, number + 1)? {
        number += 1;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        // `config N` (the first input line of the explorer's seed scripts): start from
        // the explorer's N-th initial session.
        if let (None, Some(n)) = (&session, line.strip_prefix("config ")) {
            let initial = vicixfer::explore::initial_sessions();
            let chosen = n.trim().parse::<usize>().ok().and_then(|n| initial.get(n).cloned());
            let Some(chosen) = chosen else {
                return Err(
                    FileError::new(path, format!("line {number}: config {n}: 0 to {}", initial.len() - 1)).into()
                );
            };
            config = Some(chosen.config.clone());
        }
        let session = match &mut session {
            Some(s) => s,
            None => {
                let s = Session::new(config.clone().unwrap_or_default());
                if mode == Mode::Text {
                    writeln!(out, "  {s}")?;
                }
                session.insert(s)
            }
        };
        if line.starts_with("config ") {
            continue;
        }
        let input: Input = match line.parse() {
            Ok(input) => input,
            Err(err) => {
                // The JSON record has the line number in its own field.
                let message = if mode == Mode::Json { err.to_string() } else { format!("line {number}: {err}") };
                output::input(&mut out, mode, Origin::Line(number), line, session, Err(message))?;
                failed = true;
                continue;
            }
        };
        let result = step(session, input);
        output::input(&mut out, mode, Origin::Line(number), line, session, Ok(result.as_ref()))?;
        match result {
            Ok(next) => *session = next.session,
            Err(_) => failed = true,
        }
    }
    if session.is_none() && mode == Mode::Text {
        writeln!(out, "  {}", Session::new(config.unwrap_or_default()))?;
    }
    out.flush()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
