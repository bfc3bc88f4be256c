//! Arbitrary input sequences applied to a session from an arbitrary configuration:
//! `step` never panics, is deterministic, agrees with `accepts`, and every invariant
//! holds after every step.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vicixfer::{step, Config, Input, LegId, NetEvent, Session};

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
    for input in case.inputs.into_iter().take(256) {
        let input = aim(input, &session);
        let first = step(&session, input.clone());
        assert_eq!(first, step(&session, input.clone()), "step is deterministic");
        assert_eq!(first.is_ok(), session.accepts(&input).is_ok(), "accepts agrees with step");
        if let Ok(next) = first {
            session = next.session;
        }
    }
});
