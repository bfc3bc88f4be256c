//! Arbitrary input sequences applied to a session from an arbitrary configuration:
//! `step` never panics, is deterministic, and every invariant of
//! `vicixfer::invariants` holds on every step (rejections included).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vicixfer::{invariants, step, Config, Input, LegId, NetEvent, Session};

#[derive(Debug, Arbitrary)]
struct Case {
    config: Config,
    inputs: Vec<Input>,
}

/// Leg ids from the fuzzer are folded onto the ids this session has used, so that
/// network events hit real legs often (and dead ones sometimes).
fn aim(input: Input, session: &Session) -> Input {
    let fold = |LegId(n): LegId| LegId(n % session.next_leg.max(1) + 1);
    match input {
        Input::Net(NetEvent::Answered(l)) => Input::Net(NetEvent::Answered(fold(l))),
        Input::Net(NetEvent::Rejected(l)) => Input::Net(NetEvent::Rejected(fold(l))),
        Input::Net(NetEvent::DialTimeout(l)) => Input::Net(NetEvent::DialTimeout(fold(l))),
        Input::Net(NetEvent::HungUp(l)) => Input::Net(NetEvent::HungUp(fold(l))),
        other => other,
    }
}

fuzz_target!(|case: Case| {
    let mut session = Session::new(case.config);
    if let Err(v) = invariants::check_state(&session) {
        panic!("initial session: {v}");
    }
    for input in case.inputs.into_iter().take(256) {
        let input = aim(input, &session);
        let result = step(&session, input.clone());
        assert_eq!(result, step(&session, input.clone()), "step is deterministic");
        if let Err(v) = invariants::check_step(&session, &input, &result) {
            panic!("{v} on `{input}`");
        }
        if let Ok(next) = result {
            session = next.session;
        }
    }
});
