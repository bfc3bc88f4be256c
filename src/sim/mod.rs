//! The simulator: a seeded, deterministic call-center world driving many sessions.
//!
//! A [`Scenario`] describes the world (agents, campaigns, in-groups, timings), optional
//! random [`Traffic`](scenario::Traffic) and scripted [`Stimulus`]es. [`run`] plays it on a
//! virtual clock: each agent's screen ticks every `poll_ms`, a CRM sends api.php query
//! strings through [`api::answer`](crate::api::answer) (racing the polls), customers and
//! third parties answer, hang up and time out, and the world performs every [`Effect`](crate::Effect)
//! the sessions emit. Every step is checked against the crate's invariants and against
//! the conservation [`ledger`]; the first violation stops the run, and [`shrink`] turns
//! the recorded run into a minimal scenario file that reproduces it.
//!
//! ```
//! use vicixfer::sim::{run, Options, Scenario};
//!
//! let scenario = Scenario::default_scenario();
//! let a = run(&scenario, Options::default());
//! let b = run(&scenario, Options::default());
//! assert!(a.violation.is_none());
//! assert_eq!(a.trace_hash, b.trace_hash); // same seed, same run
//! assert_eq!(a.ledger_entered, a.ledger_ended());
//! ```

mod agenda;
pub mod jobs;
pub mod json;
pub mod ledger;
pub mod metrics;
mod observe;
pub mod scenario;
mod server;
mod shrink;
pub mod timeline;
pub(crate) mod trace;
mod traffic;
pub(crate) mod world;

/// The one redaction of queries and answers ([`crate::api::redact`]), under its older names.
pub use crate::api::redact::{answer as redact_answer, query as redact};
pub use crate::hub::invariant_check;
/// A per-step check: `Err(reason)` stops the run. The default is the crate's invariants.
pub use crate::hub::Check;
pub use jobs::{run_sharded, ShardError, Shards};
pub use ledger::{CustomerEnd, Milestone, Place};
pub use metrics::Metrics;
pub use observe::{Observed, Observer};
pub use scenario::{Scenario, Stim, Stimulus};
pub use shrink::shrink;
pub use timeline::Timeline;

use crate::sim::agenda::Item;
use crate::sim::scenario::PartyAction;
use crate::sim::trace::Trace;
use crate::sim::traffic::Generator;
use crate::sim::world::{Notice, Origin, World};
use crate::{Input, NetEvent};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;

/// The default scenario `vicixfer simulate` runs: fronters and closers, every plan.
pub const DEFAULT_SCENARIO: &str = include_str!("default_scenario.json");

impl Scenario {
    /// The built-in default scenario ([`DEFAULT_SCENARIO`]).
    pub fn default_scenario() -> Scenario {
        // The embedded file is parsed by a test; failing here would be a build defect.
        serde_json::from_str(DEFAULT_SCENARIO).unwrap_or_else(|_| Scenario {
            schema: None,
            name: "invalid default scenario".into(),
            description: String::new(),
            seed: 0,
            world: Default::default(),
            traffic: None,
            steps: Vec::new(),
            expect: Default::default(),
        })
    }

    /// Parses a scenario file (JSON, at most [`json::MAX_JSON_BYTES`]) and
    /// [validates](Scenario::validate) it: nothing runs from a scenario that cannot.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario = json::parse::<scenario::Unchecked>(text)?.0;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Why a scenario file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not JSON of the scenario's shape (unknown fields included), or too large.
    #[error(transparent)]
    Json(#[from] json::JsonError),
    /// JSON of the right shape that cannot run as written.
    #[error(transparent)]
    Invalid(#[from] scenario::InvalidScenario),
}

/// How to run a scenario.
pub struct Options {
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    /// Overrides the number of random calls.
    pub calls: Option<u64>,
    /// Write the JSON-lines trace here.
    pub trace: Option<Box<dyn Write>>,
    /// Compute the trace hash (serialises every record; off for the fastest runs).
    pub hash: bool,
    /// Keep the timelines of the run: per customer (for [`Timeline::mermaid`]) and per
    /// leg (for [`Timeline::svg`]).
    pub timeline: bool,
    /// Allow a violation to be shrunk: [`run`] then replays the failing run from its
    /// seed, recording its stimuli (the first run records nothing, so its memory does
    /// not grow with the number of calls).
    pub record: bool,
    /// Shrink a violation to a minimal scenario (needs `record`).
    pub shrink: bool,
    /// The per-step check.
    pub check: Check,
    /// Called now and then with (calls entered, calls planned).
    pub progress: Option<Box<dyn FnMut(u64, u64)>>,
    /// Print each API answer and the legs after each scripted step (`vicixfer run`).
    pub narrate: Option<Box<dyn Write>>,
    /// Called with every input fed to a session (scripted, reactions, ticks) and its
    /// result, in order (`vicixfer run --verbose`, `run --json`).
    pub observe: Option<Observer>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: None,
            calls: None,
            trace: None,
            hash: true,
            timeline: false,
            record: true,
            shrink: true,
            check: invariant_check,
            progress: None,
            narrate: None,
            observe: None,
        }
    }
}

/// A violation that stopped a run.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Failure {
    /// What broke.
    pub detail: String,
    /// The seed of the run.
    pub seed: u64,
    /// Virtual time of the violation (ms).
    pub at: u64,
    /// A minimal scripted scenario that reproduces it (if shrinking ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shrunk: Option<Scenario>,
}

/// What a run produced.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Scenario name.
    pub name: String,
    /// Seed used.
    pub seed: u64,
    /// Virtual time at the end (ms).
    pub virtual_ms: u64,
    /// Customers who entered.
    pub ledger_entered: u64,
    /// Customers still up at the end (0 after a complete random run).
    pub ledger_live: u64,
    /// Final outcomes by name.
    pub outcomes: BTreeMap<String, u64>,
    /// Milestones by name.
    pub milestones: BTreeMap<String, u64>,
    /// Counters.
    pub metrics: Metrics,
    /// FNV-1a hash of the trace (0 when hashing was off).
    pub trace_hash: u64,
    /// Trace records.
    pub trace_lines: u64,
    /// The first failed write of the trace or the narration (a full disk, a closed
    /// pipe): the run went on, but its output is incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_error: Option<String>,
    /// The violation that stopped the run.
    pub violation: Option<Failure>,
    /// Expectations of the scenario that did not hold.
    pub unmet: Vec<String>,
    /// What was still up when the run stopped.
    pub leftovers: Vec<String>,
    /// The timelines of the run (when asked for).
    #[serde(skip)]
    pub timeline: Option<Timeline>,
}

impl Report {
    /// Customers whose call ended.
    pub fn ledger_ended(&self) -> u64 {
        self.outcomes.values().sum()
    }

    /// No violation and every expectation met.
    pub fn passed(&self) -> bool {
        self.violation.is_none() && self.unmet.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.virtual_ms / 1000;
        writeln!(f, "scenario  {} (seed {})", self.name, self.seed)?;
        writeln!(f, "virtual   {}h{:02}m{:02}s", secs / 3600, secs / 60 % 60, secs % 60)?;
        writeln!(
            f,
            "customers {} entered, {} ended, {} still up{}",
            self.ledger_entered,
            self.ledger_ended(),
            self.ledger_live,
            if self.ledger_entered == self.ledger_ended() + self.ledger_live {
                " (ledger balanced)"
            } else {
                " (LEDGER UNBALANCED)"
            }
        )?;
        writeln!(f, "outcomes")?;
        for (name, n) in &self.outcomes {
            writeln!(f, "  {name:<34} {n}")?;
        }
        if !self.milestones.is_empty() {
            writeln!(f, "milestones")?;
            for (name, n) in &self.milestones {
                writeln!(f, "  {name:<34} {n}")?;
            }
        }
        writeln!(f, "counters")?;
        write!(f, "{}", self.metrics)?;
        writeln!(f, "trace     {} records, hash {:016x}", self.trace_lines, self.trace_hash)?;
        for line in &self.leftovers {
            writeln!(f, "left up   {line}")?;
        }
        for line in &self.unmet {
            writeln!(f, "UNMET     {line}")?;
        }
        match &self.violation {
            None => writeln!(f, "result    no invariant violation, no lost leg"),
            Some(v) => writeln!(f, "VIOLATION at {} ms (seed {}): {}", v.at, v.seed, v.detail),
        }
    }
}

/// Runs a scenario; on a violation (and with `options.shrink`) also shrinks it.
pub fn run(scenario: &Scenario, mut options: Options) -> Report {
    let (shrink_it, check) = (options.shrink && options.record, options.check);
    let (seed, calls) = (options.seed, options.calls);
    options.record = false;
    let (mut report, _) = play(scenario, options);
    if let (true, Some(failure)) = (shrink_it, report.violation.as_mut()) {
        // The same seed replays the same run up to the same violation, this time recorded.
        let again = Options { seed, calls, hash: false, record: true, shrink: false, check, ..Options::default() };
        let (_, recorded) = play(scenario, again);
        let mut replay = scenario.clone();
        replay.seed = failure.seed;
        replay.traffic = None;
        replay.steps = recorded;
        replay.expect = scenario::Expect { all_ended: true, ..Default::default() };
        replay.description = format!("shrunk from seed {}: {}", failure.seed, failure.detail);
        failure.shrunk = Some(shrink(&replay, &failure.detail, check, 400).redacted());
    }
    report
}

/// Plays a scenario once; returns the report and the stimuli as executed.
pub(crate) fn play(scenario: &Scenario, mut options: Options) -> (Report, Vec<Stimulus>) {
    let seed = options.seed.unwrap_or(scenario.seed);
    let trace = Trace::new(options.hash, options.trace.take());
    let keep = !scenario.expect.outcomes.is_empty() || options.narrate.is_some();
    let mut live = Live::new(scenario, seed, options.calls, trace, keep, options.timeline);
    live.world.hub.set_check(options.check);
    live.world.observer = options.observe.take();
    let planned = live.planned;
    let last_step = scenario.steps.iter().map(|s| s.at).max().unwrap_or(0);
    let mut recorded = Vec::new();
    let settle = scenario.world.timing.settle_ms;
    let grace = {
        let t = &scenario.world.timing;
        (t.cleanup_ms.max(1).saturating_mul(8))
            .max(t.poll_ms.max(1).saturating_mul(8))
            .max(t.dial_timeout_ms.saturating_add(t.poll_ms))
    };
    let mut idle_since: Option<u64> = None;
    let mut next_idle_check = 0;
    let mut last_progress = 0;
    while live.world.violation.is_none() {
        let world = &live.world;
        let Some(next_at) = world.agenda.peek_at() else { break };
        if next_at > scenario.world.timing.max_ms {
            break;
        }
        if world.agenda.pending() == 0 && live.gen.as_ref().is_none_or(|g| g.done()) {
            if world.quiet() {
                break;
            }
            let since = *idle_since.get_or_insert(world.now());
            let limit = if live.gen.is_some() { grace } else { settle.max(grace) };
            if world.now() >= since.saturating_add(limit)
                || (live.gen.is_none() && world.now() > last_step.saturating_add(settle))
            {
                break;
            }
        } else {
            idle_since = None;
            if world.now() >= next_idle_check {
                // At most once per poll: the check scans the agents and the agenda.
                next_idle_check = world.now().saturating_add(scenario.world.timing.poll_ms.max(1));
                skip_idle_time(&mut live.world);
            }
        }
        let Some(item) = live.world.agenda.pop() else { break };
        live.run_item(item, options.record.then_some(&mut recorded), options.narrate.as_mut());
        if live.narrate_error.is_some() {
            options.narrate = None;
        }
        if let Some(progress) = options.progress.as_mut() {
            let entered = live.world.ledger.entered();
            if entered >= last_progress + 1000 || (entered == planned && entered != last_progress) {
                last_progress = entered;
                progress(entered, planned);
            }
        }
    }
    let Live { mut world, gen, mut unmet, narrate_error, .. } = live;
    let must_end = gen.is_some() || scenario.expect.all_ended;
    let lost = must_end && world.violation.is_none() && !world.quiet();
    let leftovers = world.leftovers();
    if lost {
        world.violate(format!("ledger: lost legs at the end of the run: {}", leftovers.join("; ")));
    }
    check_expectations(scenario, &world, &mut unmet);
    let end = world.now();
    if let Some(tl) = world.timeline_mut() {
        tl.finish(end);
    }
    let output_error = world.trace.flush().or(narrate_error);
    let report = Report {
        name: scenario.name.clone(),
        seed,
        virtual_ms: world.now(),
        ledger_entered: world.ledger.entered(),
        ledger_live: world.ledger.live(),
        outcomes: world.ledger.ends().iter().map(|(e, n)| (e.name(), *n)).collect(),
        milestones: world.ledger.milestones().iter().map(|(m, n)| (milestone_name(*m).to_string(), *n)).collect(),
        metrics: world.metrics.clone(),
        trace_hash: if options.hash { world.trace.hash() } else { 0 },
        trace_lines: world.trace.lines(),
        violation: world.violation.clone().map(|detail| Failure { detail, seed, at: world.now(), shrunk: None }),
        unmet,
        leftovers,
        timeline: world.timeline().cloned(),
        output_error,
    };
    (report, recorded)
}

/// A world being played: the world, its random traffic, and what the stimuli left to
/// check. `play` runs it to the end; `vicixfer serve` runs it against a clock.
pub(crate) struct Live {
    /// The world.
    pub(crate) world: World,
    /// The random traffic, if the scenario has any.
    pub(crate) gen: Option<Generator>,
    /// Expectations of scripted API steps that did not hold.
    pub(crate) unmet: Vec<String>,
    /// Random calls planned.
    pub(crate) planned: u64,
    /// The first failed narration write (the run goes on without narration).
    pub(crate) narrate_error: Option<String>,
    out: Vec<Stimulus>,
}

impl Live {
    /// The world of `scenario` with its scripted steps and first random call scheduled.
    pub(crate) fn new(
        scenario: &Scenario,
        seed: u64,
        calls: Option<u64>,
        trace: Trace,
        keep_outcomes: bool,
        timeline: bool,
    ) -> Live {
        let mut world = World::new(scenario.world.clone(), trace, keep_outcomes, timeline);
        let mut traffic = scenario.traffic.clone();
        if let (Some(t), Some(calls)) = (traffic.as_mut(), calls) {
            t.calls = calls;
        }
        let planned = traffic.as_ref().map_or(0, |t| t.calls);
        let mut gen = traffic.map(|t| Generator::new(seed, t, &world));
        let mut steps = scenario.steps.clone();
        steps.sort_by_key(|s| s.at);
        for s in steps {
            world.agenda.push(s.at.max(1), Item::Stim(s));
        }
        if let Some(first) = gen.as_mut().and_then(|g| g.next_call(0)) {
            world.agenda.push(first.at, Item::Stim(first));
        }
        Live { world, gen, unmet: Vec::new(), planned, narrate_error: None, out: Vec::new() }
    }

    /// Runs one item of the agenda (already popped), then routes calls and lets the
    /// traffic react.
    pub(crate) fn run_item(
        &mut self,
        item: Item,
        recorded: Option<&mut Vec<Stimulus>>,
        narrate: Option<&mut Box<dyn Write>>,
    ) {
        match item {
            Item::Stim(s) => {
                self.stimulus(&s, narrate);
                if let Some(recorded) = recorded {
                    recorded.push(Stimulus { at: self.world.now(), what: s.what, expect: s.expect });
                }
            }
            Item::React(a, input, guard) => self.world.react(a, input, guard),
            Item::ClearsLand(a) => self.world.clears_land(a),
            Item::Tick(a) => self.world.tick(a),
            Item::Cleanup => self.world.cleanup(),
        }
        self.settle();
    }

    /// Executes one stimulus now; returns the API answer for an `api` stimulus.
    pub(crate) fn stimulus(&mut self, s: &Stimulus, narrate: Option<&mut Box<dyn Write>>) -> Option<String> {
        match stimulus(&mut self.world, self.gen.as_mut(), s, &mut self.unmet, &mut self.out, narrate) {
            Ok(said) => said,
            Err(e) => {
                self.narrate_error.get_or_insert_with(|| format!("narration: {e}"));
                None
            }
        }
    }

    /// Routes queued calls to waiting agents, lets the traffic react to what happened and
    /// schedules what it generated.
    pub(crate) fn settle(&mut self) {
        let world = &mut self.world;
        world.route();
        let notices = std::mem::take(&mut world.notices);
        if let Some(g) = self.gen.as_mut() {
            let now = world.now();
            for n in &notices {
                g.on_notice(now, n, world, &mut self.out);
            }
        }
        for s in self.out.drain(..) {
            world.agenda.push(s.at, Item::Stim(s));
        }
    }
}

/// Polls in a row a quiet world may skip at once: far fewer than any idle gap of a real
/// scenario's traffic, far more than a scripted step's settling needs.
const IDLE_POLLS: u64 = 1000;

/// When nothing is live and the next thing to happen is more than [`IDLE_POLLS`] polls
/// (and cleanup runs) away, the ticks and cleanup runs between are no-ops (every session
/// is a fixed point of its tick); they are skipped, so a step far in the future costs
/// nothing. Deterministic: a replay skips the same stretch.
fn skip_idle_time(world: &mut World) {
    let t = &world.spec.timing;
    let (poll, cleanup) = (t.poll_ms.max(1), t.cleanup_ms.max(1));
    let horizon = poll.max(cleanup).saturating_mul(IDLE_POLLS);
    let now = world.now();
    if !world.quiet() {
        return;
    }
    let Some(until) = world.agenda.next_pending_at() else { return };
    if until.saturating_sub(now) <= horizon {
        return;
    }
    let tick = Input::Screen(if t.clear_latency_ms > 0 {
        crate::ScreenInput::TickClearsInFlight
    } else {
        crate::ScreenInput::Tick
    });
    let idle = world.hub.desks().iter().all(|a| {
        a.session.left.is_empty()
            && crate::step(&a.session, tick.clone())
                .is_ok_and(|s| s.session == a.session && s.effects.is_empty() && s.events.is_empty())
    });
    if idle {
        world.agenda.skip_periodic(until, |item| if matches!(item, Item::Cleanup) { cleanup } else { poll });
    }
}

/// Executes one stimulus.
fn stimulus(
    world: &mut World,
    gen: Option<&mut Generator>,
    s: &Stimulus,
    unmet: &mut Vec<String>,
    out: &mut Vec<Stimulus>,
    narrate: Option<&mut Box<dyn Write>>,
) -> std::io::Result<Option<String>> {
    let now = world.now();
    let mut said = None;
    match &s.what {
        Stim::Call(call) => {
            let c = world.call_enters(&call.entry);
            if let Some(g) = gen {
                out.push(g.patience(now, c));
                out.extend(g.next_call(now));
            }
        }
        Stim::Api(query) => {
            let (_, body) = world.api(query);
            if let Some(prefix) = &s.expect {
                if !body.starts_with(prefix.as_str()) {
                    unmet.push(format!(
                        "at {now} ms `{}` answered `{}`, expected `{prefix}...`",
                        redact(query),
                        redact_answer(&body).trim_end()
                    ));
                }
            }
            if let Some(retry) = gen.and_then(|g| g.after_api(now, query)) {
                world.metrics.bump("api", "lost_answers");
                out.push(retry);
            }
            said = Some(body);
        }
        Stim::CustomerHangsUp(c) => {
            if !world.customer_hangs_up(*c) {
                world.metrics.bump("sim", "moot_stimuli");
            }
        }
        Stim::ThirdParty(p) => third_party(world, p),
        Stim::Agent(step) => agent_step(world, step),
    }
    if let Some(w) = narrate {
        narrate_step(world, s, said.as_deref(), w)?;
    }
    Ok(said)
}

fn third_party(world: &mut World, p: &scenario::PartyStep) {
    let Some(a) = world.agent_ix(&p.agent) else {
        world.metrics.bump("sim", "moot_stimuli");
        return;
    };
    let leg = match p.leg {
        0 => world.outside_legs(a).last().copied(),
        n => Some(crate::LegId(n)).filter(|l| world.outside_legs(a).contains(l)),
    };
    let Some(leg) = leg else {
        world.metrics.bump("sim", "moot_stimuli");
        return;
    };
    let event = match p.does {
        PartyAction::Answer => NetEvent::Answered(leg),
        PartyAction::Reject => NetEvent::Rejected(leg),
        PartyAction::HangUp => NetEvent::HungUp(leg),
    };
    let input = Input::Net(event);
    if world.session(a).accepts(&input).is_err() {
        world.metrics.bump("sim", "moot_stimuli");
        return;
    }
    world.feed(a, input, Origin::Stimulus);
    if p.does == PartyAction::Answer {
        world.notices.push(Notice::OutsideAnswered { agent: a, leg });
    }
}

fn agent_step(world: &mut World, step: &scenario::AgentStep) {
    let Some(a) = world.agent_ix(&step.user) else {
        world.metrics.bump("sim", "moot_stimuli");
        return;
    };
    if step.lead.is_some_and(|lead| world.session(a).lead() != Some(crate::LeadId(lead))) {
        world.metrics.bump("sim", "moot_stimuli");
        return;
    }
    match step.input.parse::<Input>() {
        Ok(input) if world.session(a).accepts(&input).is_ok() => world.feed(a, input, Origin::Stimulus),
        Ok(_) => world.metrics.bump("sim", "moot_stimuli"),
        Err(_) => world.metrics.bump("sim", "bad_stimuli"),
    }
}

fn narrate_step(world: &World, s: &Stimulus, answer: Option<&str>, w: &mut Box<dyn Write>) -> std::io::Result<()> {
    let what = match &s.what {
        Stim::Call(c) => format!("call enters {:?}", c.entry),
        Stim::Api(q) => format!("api {}", redact(q)),
        Stim::CustomerHangsUp(c) => format!("customer {c} hangs up"),
        Stim::ThirdParty(p) => format!("third party of {} (leg {}): {:?}", p.agent, p.leg, p.does),
        Stim::Agent(a) => format!("agent {}: {}", a.user, a.input),
    };
    writeln!(w, "[{:>7} ms] {what}", world.now())?;
    if let Some(answer) = answer {
        writeln!(w, "    answer: {}", redact_answer(answer).trim_end().replace('\n', "\n            "))?;
    }
    for d in world.hub.desks() {
        writeln!(w, "    {:<6} {}", d.user, d.session)?;
    }
    Ok(())
}

fn check_expectations(scenario: &Scenario, world: &World, unmet: &mut Vec<String>) {
    for (c, want) in &scenario.expect.outcomes {
        let got = world.ledger.outcome(*c).map_or_else(
            || if world.ledger.live_customers().contains(c) { "live".to_string() } else { "never entered".to_string() },
            |e| e.name(),
        );
        if &got != want {
            unmet.push(format!("customer {c}: expected {want}, got {got}"));
        }
    }
    for (key, want) in &scenario.expect.metrics {
        let got = world.metrics.get_dotted(key);
        if got != *want {
            unmet.push(format!("metric {key}: expected {want}, got {got}"));
        }
    }
}

fn milestone_name(m: Milestone) -> &'static str {
    match m {
        Milestone::Queued => "queued_in_ingroup",
        Milestone::AnsweredByCloser => "answered_by_closer",
        Milestone::ConsultedCloser => "consulted_closer",
        Milestone::LeftInThreeWay => "left_in_3way",
        Milestone::Parked => "parked",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hub's command ledger balances over a whole random run of the default scenario,
    /// and the run exercises each way a command leaves its slot.
    #[test]
    fn every_stored_command_is_executed_dropped_or_pending() {
        let scenario = Scenario::default_scenario();
        let mut live = Live::new(&scenario, scenario.seed, Some(2000), Trace::new(false, None), false, false);
        while live.world.violation.is_none() && !(live.gen.as_ref().is_some_and(|g| g.done()) && live.world.quiet()) {
            let Some(item) = live.world.agenda.pop() else { break };
            live.run_item(item, None, None);
            assert!(
                live.world.hub.ledger_balanced(),
                "{:?} + {} pending",
                live.world.hub.ledger(),
                live.world.hub.pending_commands()
            );
        }
        assert_eq!(live.world.violation, None);
        let l = live.world.hub.ledger();
        assert!(l.stored > 300, "{l:?}");
        for (why, n) in [
            ("executed", l.executed),
            ("duplicate", l.duplicate),
            ("cooldown", l.dropped_by_cooldown),
            ("overwritten", l.overwritten),
            ("erased", l.erased),
        ] {
            assert!(n > 0, "no command {why}: {l:?}");
        }
    }
}
