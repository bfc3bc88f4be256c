//! Property tests over random input sequences: every invariant of
//! `vicixfer::invariants` after every step, determinism, the in-place `handle` agreeing
//! with `step`, and serde round trips; then each deliberately broken model
//! (`tests/mutants`) must be caught by the same property.
//!
//! Inputs are drawn from the explorer's alphabet for the current state, so sequences are
//! mostly accepted and reach deep states (an index into the state's inputs).

#[path = "../tests/mutants/mod.rs"]
mod mutants;

use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use vicixfer::explore::{canonical_ids, initial_sessions, Alphabet};
use vicixfer::{invariants, step, Input, NetEvent, Rejection, ScreenInput, Session, Step};

type StepFn = fn(&Session, Input) -> Result<Step, Rejection>;

#[path = "support.rs"]
mod support;

fn config(cases: u32) -> RunnerConfig {
    support::config(cases, "proptests/regressions/session_props.txt")
}

/// A case: which initial session, whether API writes race (any state) or wait for
/// empty slots, and the choices (one per step).
fn case() -> impl Strategy<Value = (usize, bool, Vec<u16>)> {
    (0..initial_sessions().len(), any::<bool>(), prop::collection::vec(any::<u16>(), 1..120))
}

/// Drives `f` through the choices, checking every invariant; returns the steps taken.
/// Picks an input: first its origin (api.php, screen, network, agent) uniformly, then one
/// of that origin's inputs, so that short event sequences are likely.
fn pick(inputs: &[Input], c: u16) -> Input {
    let origin = |i: &Input| match i {
        Input::Api(_) => 0,
        Input::Screen(_) => 1,
        Input::Net(_) => 2,
        // The agent's clicks, and any origin a later version adds (Input is non_exhaustive).
        _ => 3,
    };
    let want = c % 4;
    let of: Vec<&Input> = inputs.iter().filter(|i| origin(i) == want).collect();
    if of.is_empty() {
        return inputs[c as usize % inputs.len()].clone();
    }
    of[(c / 4) as usize % of.len()].clone()
}

/// One checked step of `f`; returns the next session (canonical ids) if accepted.
fn check(f: StepFn, s: &Session, input: Input, n: usize) -> Result<Option<Session>, TestCaseError> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(s, input.clone())))
        .map_err(|_| TestCaseError::fail(format!("never_panics: step {n} `{input}` panicked")))?;
    if result != f(s, input.clone()) {
        return Err(TestCaseError::fail(format!("deterministic: step {n} `{input}` gave two results")));
    }
    if let Err(v) = invariants::check_step(s, &input, &result) {
        return Err(TestCaseError::fail(format!("{v} at step {n} `{input}`")));
    }
    let Ok(mut next) = result else { return Ok(None) };
    if let Ok(real) = step(s, input.clone()) {
        let mut inplace = s.clone();
        inplace.handle(input).expect("handle takes what step takes");
        prop_assert_eq!(&inplace, &real.session, "handle agrees with step");
    }
    canonical_ids(&mut next.session);
    Ok(Some(next.session))
}

/// Drives `f` through the choices, checking every invariant. In sequential cases an
/// accepted api.php write is followed by the screen's tick and the landing of its clear
/// (a CRM that waits for each command), so is a third party's answer (the tick whose
/// channel look finds it), and every 3WAY request, Originate or channel look in flight is
/// answered at once, which makes deep command sequences likely.
fn drive(f: StepFn, (init, racing, choices): &(usize, bool, Vec<u16>)) -> Result<usize, TestCaseError> {
    let alphabet = if *racing { Alphabet::full() } else { Alphabet::full().sequential() };
    let mut s = initial_sessions()[*init].clone();
    for (n, c) in choices.iter().enumerate() {
        let input = pick(&alphabet.inputs(&s), *c);
        // A third party's answer is followed by the tick whose channel look finds it.
        let api = matches!(input, Input::Api(_) | Input::Net(NetEvent::Answered(_)));
        let Some(next) = check(f, &s, input, n)? else { continue };
        s = next;
        if api && !*racing {
            for then in [ScreenInput::Tick, ScreenInput::ClearsLand] {
                if let Some(next) = check(f, &s, then.into(), n)? {
                    s = next;
                }
            }
        }
        if !*racing {
            // The usual timing of the answers to the screen's 3WAY, Originate and channel
            // look requests: well within the tick that sent them (racing cases leave their
            // order to chance).
            for answer in [ScreenInput::LeaveCompleted, ScreenInput::OriginateCompleted, ScreenInput::LookCompleted] {
                if s.accepts(&answer.into()).is_ok() {
                    if let Some(next) = check(f, &s, answer.into(), n)? {
                        s = next;
                    }
                }
            }
        }
    }
    let json = serde_json::to_string(&s).expect("serialise");
    prop_assert_eq!(serde_json::from_str::<Session>(&json).expect("parse"), s.clone(), "serde_round_trip");
    Ok(choices.len())
}

#[test]
fn every_invariant_holds_on_random_sequences() {
    let mut runner = TestRunner::new(config(400));
    let result = runner.run(&case(), |c| drive(step, &c).map(|_| ()));
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_property_catches_every_mutant() {
    for &(invariant, mutant) in mutants::MUTANTS {
        // Mutant runs must not write to the regressions file: failures are expected. The
        // case count is fixed (not PROPTEST_CASES): it is what catching every mutant with
        // this seed takes, a fact about the property rather than a campaign length.
        let config = RunnerConfig { cases: 4000, failure_persistence: None, ..RunnerConfig::default() };
        let mut runner =
            TestRunner::new_with_rng(config, proptest::test_runner::TestRng::deterministic_rng(config_rng()));
        let result = runner.run(&case(), |c| drive(mutant, &c).map(|_| ()));
        let message = match result {
            Err(proptest::test_runner::TestError::Fail(reason, _)) => reason.to_string(),
            other => panic!("{invariant}: mutant not caught: {other:?}"),
        };
        assert!(message.contains(&invariant.name()), "{invariant}: caught as {message}");
    }
}

fn config_rng() -> proptest::test_runner::RngAlgorithm {
    proptest::test_runner::RngAlgorithm::ChaCha
}
