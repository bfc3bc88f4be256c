//! A session read from JSON (bytes before the first NUL) and `drive` script lines (after
//! it): a session that loads has passed `Session::validate`, and stepping it never
//! panics, never breaks an `always` invariant nor the purity of a rejection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::{invariants, step, Input, Session};

fuzz_target!(|data: &[u8]| {
    let (json, script) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(mut session) = serde_json::from_slice::<Session>(json) else { return };
    invariants::check_state(&session).expect("a loaded session is valid");
    let script = String::from_utf8_lossy(script);
    for line in script.lines().take(256) {
        let Ok(input) = line.parse::<Input>() else { continue };
        match step(&session, input.clone()) {
            Ok(next) => {
                invariants::check_state(&next.session).unwrap_or_else(|v| panic!("{v} after `{input}`"));
                session = next.session;
            }
            Err(_) => assert!(session.accepts(&input).is_err(), "accepts agrees with step on `{input}`"),
        }
    }
});
