//! Serde round trips: sessions reached by arbitrary inputs, and the inputs themselves,
//! serialise to JSON and back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::{step, Config, Input, Session};

fuzz_target!(|case: (Config, Vec<Input>)| {
    let (config, inputs) = case;
    let mut session = Session::new(config);
    for input in inputs.into_iter().take(64) {
        let json = serde_json::to_string(&input).expect("inputs serialise");
        assert_eq!(serde_json::from_str::<Input>(&json).expect("and parse back"), input);
        if let Ok(next) = step(&session, input) {
            session = next.session;
        }
        let json = serde_json::to_string(&session).expect("sessions serialise");
        assert_eq!(serde_json::from_str::<Session>(&json).expect("and parse back"), session);
    }
});
