//! The exhaustive exploration, pinned: every invariant holds on every reachable state and
//! edge, every state can return to an idle agent, and the state and edge counts are
//! fixed so that a model change cannot slip through unnoticed. Then each invariant is
//! shown to catch a model broken on purpose (`tests/mutants`).

mod mutants;

use std::sync::Arc;
use vicixfer::explore::{
    explore, initial_sessions, Alphabet, Bounds, Level, Monitor, Options, Progress, Report, StepFn, Stop, MAX_INPUTS,
};
use vicixfer::invariants::{Invariant, Kind, Target};
use vicixfer::{step, Input, LeadId, NetEvent, ScreenInput, Session};

fn serde_round_trip(s: &Session) -> Result<(), String> {
    let text = serde_json::to_string(s).map_err(|e| e.to_string())?;
    let back: Session = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    (back == *s).then_some(()).ok_or(text)
}

fn run_with(f: StepFn, initial: &[Session], alphabet: &Alphabet, max_legs: u32) -> Report {
    let bounds = Bounds { max_legs, ..Bounds::default() };
    let opts = Options { bounds, state_check: Some(serde_round_trip), ..Options::new(f) };
    explore(initial, alphabet, &opts)
}

fn assert_clean(r: &Report) {
    if let Some(c) = &r.violation {
        panic!("{}\n{}", c.violation, c.script());
    }
    assert!(!r.truncated, "the space must be exhausted");
    assert_eq!(r.stuck, 0, "a state cannot return to idle: {:?}", r.stuck_example);
}

/// The workhorse: the default campaign, two legs (customer and one third party, or two
/// customers), every command in every reachable leg situation.
#[test]
fn default_campaign_two_legs_every_command() {
    let r = run_with(step, &[Session::default()], &Alphabet::standard().sequential(), 2);
    assert_clean(&r);
    assert_eq!((r.states, r.edges, r.rejected, r.depth), (628347, 4796252, 4717438, 29), "pinned counts changed");
    assert_eq!(r.coverage.missing(), vec![Target::HangupBlocked, Target::UnknownFunction]);
}

/// Every campaign setting the explorer starts from, the full alphabet (duplicate ids,
/// unknown values, every target variant), one leg.
#[test]
fn every_campaign_setting_one_leg_full_alphabet() {
    let r = run_with(step, &initial_sessions(), &Alphabet::full().sequential(), 1);
    assert_clean(&r);
    assert_eq!((r.states, r.edges, r.rejected, r.depth), (2260838, 18261822, 17583458, 25), "pinned counts changed");
}

/// Racing writes: api.php overwrites slots in any state, racing the screen's clears.
#[test]
fn racing_writes_one_leg() {
    let r = run_with(step, &[Session::default()], &Alphabet::standard(), 1);
    assert_clean(&r);
    assert_eq!((r.states, r.edges, r.rejected, r.depth), (281429, 6426155, 3187615, 19), "pinned counts changed");
    for t in [Target::Erased, Target::DroppedByCooldown, Target::Executed(vicixfer::TransferFunction::LeaveVm)] {
        assert!(r.coverage.hits.contains_key(&t), "{t:?} not reached");
    }
}

/// Each invariant fails on its mutant, and the explorer says which one, with a trace.
#[test]
fn every_invariant_catches_its_mutant() {
    let initial = [Session::default()];
    let alphabet = Alphabet::standard().sequential();
    let mut caught = Vec::new();
    for &(invariant, mutant) in mutants::MUTANTS {
        let bounds = Bounds { max_legs: 2, max_depth: Some(12), ..Bounds::default() };
        let opts = Options { bounds, ..Options::new(mutant) };
        let r = explore(&initial, &alphabet, &opts);
        let c = r.violation.unwrap_or_else(|| panic!("{invariant} missed its mutant"));
        assert_eq!(c.violation.invariant, invariant, "{}", c.script());
        assert!(!c.inputs.is_empty());
        caught.push(invariant);
    }
    // Serde is checked through the state hook: a hook that refuses a state is reported.
    let opts = Options {
        state_check: Some(|s: &Session| if s.screen.cooldown == 3 { Err("refused".into()) } else { Ok(()) }),
        ..Options::new(step)
    };
    let r = explore(&initial, &alphabet, &opts);
    assert_eq!(r.violation.map(|c| c.violation.invariant), Some(Invariant::SerdeRoundTrip));
    caught.push(Invariant::SerdeRoundTrip);
    caught.sort();
    let mut all = Invariant::ALL.to_vec();
    all.sort();
    assert_eq!(caught, all, "every invariant has a mutant");
}

/// The shortest counterexample replays as a `drive` script.
#[test]
fn counterexamples_replay_as_scripts() {
    let opts = Options { bounds: Bounds { max_legs: 2, ..Bounds::default() }, ..Options::new(mutants::MUTANTS[8].1) };
    let r = explore(&[Session::default()], &Alphabet::standard().sequential(), &opts);
    let c = r.violation.expect("mutant caught");
    let mut s = c.initial.clone();
    let script = c.script();
    let mut lines: Vec<&str> = script.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.remove(0), "config 0", "drive starts from the same initial session");
    assert_eq!(lines.len(), c.inputs.len());
    for (line, input) in lines.iter().zip(&c.inputs) {
        let parsed: vicixfer::Input = line.parse().expect("script line parses");
        assert_eq!(&parsed, input);
        let before = s.clone();
        let result = mutants::MUTANTS[8].1(&before, parsed.clone());
        if let Ok(next) = &result {
            s = next.session.clone();
        }
        if Some(line) == lines.last() {
            let v = vicixfer::invariants::check_step(&before, &parsed, &result).expect_err("fails at the end");
            assert_eq!(v.invariant, Invariant::HangupXferKeepsCustomer);
        }
    }
    assert!(Invariant::ALL.iter().any(|i| i.kind() == Kind::Harness));
}

/// The thread count changes neither the counts nor the counterexample: levels are
/// expanded in chunks and merged in chunk order.
#[test]
fn thread_count_changes_nothing() {
    let alphabet = Alphabet::standard().sequential();
    let run = |f: StepFn, threads: usize| {
        let opts = Options { bounds: Bounds { max_legs: 2, ..Bounds::default() }, threads, ..Options::new(f) };
        explore(&[Session::default()], &alphabet, &opts)
    };
    let one = run(step, 1);
    for threads in [2, 3] {
        let r = run(step, threads);
        assert_eq!(
            (r.states, r.edges, r.rejected, r.pruned, r.depth),
            (one.states, one.edges, one.rejected, one.pruned, one.depth)
        );
        assert_eq!(r.coverage.hits, one.coverage.hits);
    }
    let (mutant_one, mutant_two) = (run(mutants::MUTANTS[8].1, 1), run(mutants::MUTANTS[8].1, 2));
    let (a, b) = (mutant_one.violation.expect("caught"), mutant_two.violation.expect("caught"));
    assert_eq!((a.initial, a.inputs), (b.initial, b.inputs));
}

/// The standard level catches every model invariant's mutant; only the harness checks
/// it leaves out (determinism, the state hook) pass there.
#[test]
fn standard_level_catches_every_model_mutant() {
    let alphabet = Alphabet::standard().sequential();
    for &(invariant, mutant) in mutants::MUTANTS {
        let bounds = Bounds { max_legs: 2, max_depth: Some(12), ..Bounds::default() };
        let opts = Options { bounds, level: Level::Standard, ..Options::new(mutant) };
        let r = explore(&[Session::default()], &alphabet, &opts);
        if invariant == Invariant::Deterministic {
            assert!(r.violation.is_none(), "the standard level runs each step once");
            continue;
        }
        let c = r.violation.unwrap_or_else(|| panic!("{invariant} missed its mutant at the standard level"));
        assert_eq!(c.violation.invariant, invariant, "{}", c.script());
        // As short as the full level's, which checks every state invariant on every
        // edge where the standard level checks each state once, when first reached.
        if invariant.kind() == Kind::Always {
            let full = explore(&[Session::default()], &alphabet, &Options { level: Level::Full, ..opts });
            let f = full.violation.expect("the full level catches what the standard level does");
            assert_eq!((f.violation.invariant, f.inputs.len()), (invariant, c.inputs.len()), "{}", c.script());
        }
    }
}

/// The visited set stores fingerprints, not states: under 100 bytes a state.
#[test]
fn the_store_holds_under_100_bytes_a_state() {
    let opts =
        Options { bounds: Bounds { max_legs: 2, ..Bounds::default() }, level: Level::Standard, ..Options::new(step) };
    let r = explore(&[Session::default()], &Alphabet::standard().sequential(), &opts);
    assert_eq!(r.states, 628347);
    let per_state = r.store_bytes as f64 / r.states as f64;
    assert!(per_state < 100.0, "{per_state:.1} bytes a state");
}

/// A monitor that refuses stops the search, and the report says why.
#[test]
fn a_monitor_stops_the_search_with_its_reason() {
    let monitor = Monitor(Arc::new(|p: &Progress| if p.states > 1000 { Err("enough".into()) } else { Ok(()) }));
    let opts =
        Options { bounds: Bounds { max_legs: 2, ..Bounds::default() }, monitor: Some(monitor), ..Options::new(step) };
    let r = explore(&[Session::default()], &Alphabet::standard().sequential(), &opts);
    assert!(r.truncated && r.violation.is_none());
    assert_eq!(r.stop, Some(Stop::Monitor("enough".into())));
    assert!(r.states < 628347);
    let opts = Options { bounds: Bounds { max_legs: 2, max_states: 5000, ..Bounds::default() }, ..Options::new(step) };
    let r = explore(&[Session::default()], &Alphabet::standard().sequential(), &opts);
    assert_eq!((r.states, r.stop), (5000, Some(Stop::States(5000))));
}

/// The explorer numbers a state's inputs and the initial sessions with 16 bits: one more
/// than it can number stops the search with its own reason instead of wrapping, and a
/// search at the limit runs.
#[test]
fn numbering_limits_stop_the_search_instead_of_wrapping() {
    let login = Session::default();
    // A fresh login's only event is the free-conferences flip.
    let events = Alphabet { fixed: Vec::new(), sequential: false }.inputs(&login).len();
    let ticks = |n: usize| Alphabet { fixed: vec![Input::Screen(ScreenInput::Tick); n], sequential: false };
    let opts = Options::new(step);
    let at_limit = explore(std::slice::from_ref(&login), &ticks(MAX_INPUTS - events), &opts);
    assert_eq!((at_limit.stop, at_limit.truncated, at_limit.stuck), (None, false, 0));
    assert!(at_limit.violation.is_none() && at_limit.edges + at_limit.rejected >= MAX_INPUTS * at_limit.states);
    let over = explore(std::slice::from_ref(&login), &ticks(MAX_INPUTS - events + 1), &opts);
    assert_eq!((over.states, over.edges, over.stop.clone()), (1, 0, Some(Stop::Inputs)));
    assert!(over.truncated && over.violation.is_none());
    assert!(over.stop.is_some_and(|s| s.to_string().contains("more than 65535 inputs")));
    // At the limit at login, over it once a call has arrived (its hang-up is an event).
    let mut grows = ticks(MAX_INPUTS - events - 1);
    grows.fixed.push(Input::Net(NetEvent::CallArrives { lead: LeadId(1) }));
    let later = explore(std::slice::from_ref(&login), &grows, &opts);
    assert_eq!((later.depth, later.stop.clone(), later.violation.is_none()), (1, Some(Stop::Inputs), true));
    assert!(later.states >= 2 && later.edges >= 1, "the login was expanded: {later:?}");

    let sessions = vec![login; MAX_INPUTS + 1];
    let opts = Options { bounds: Bounds { max_depth: Some(0), ..Bounds::default() }, ..Options::new(step) };
    let over = explore(&sessions, &Alphabet::standard(), &opts);
    assert_eq!((over.states, over.stop), (0, Some(Stop::InitialSessions(MAX_INPUTS + 1))));
    let at_limit = explore(&sessions[1..], &Alphabet::standard(), &opts);
    assert_eq!((at_limit.states, at_limit.stop), (1, Some(Stop::Depth(0))));
}
