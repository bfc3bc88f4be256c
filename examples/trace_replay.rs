//! Replays a `vicixfer drive` script (one input per line, `#` comments) on a fresh
//! session and prints what each input did: the trace a driver, the explorer or a fuzz
//! finding left behind, replayed without the command line.
//!
//! ```sh
//! cargo run --example trace_replay                     # examples/consultative.vxs
//! cargo run --example trace_replay -- my_trace.vxs
//! ```
//!
//! Exits with status 1 when a line does not parse or an input is rejected (the session is
//! then left as it was and the replay goes on), naming the file and line.

use std::process::ExitCode;
use vicixfer::{invariants, step, Input, Session, Step};

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| "examples/consultative.vxs".into());
    match replay(&path) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Replays the script at `path`; returns how many lines failed (did not parse, were
/// rejected, or broke an invariant).
pub fn replay(path: &str) -> std::io::Result<usize> {
    let script = std::fs::read_to_string(path)?;
    let mut session = Session::default();
    let mut failures = 0;
    println!("  {session}");
    for (n, raw) in script.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        println!("> {line}");
        let input: Input = match line.parse() {
            Ok(input) => input,
            Err(e) => {
                failures += 1;
                eprintln!("{path}:{}: {e}", n + 1);
                continue;
            }
        };
        let result = step(&session, input.clone());
        // The same checks the explorer and the property tests make, on every step.
        if let Err(v) = invariants::check_step(&session, &input, &result) {
            failures += 1;
            eprintln!("{path}:{}: invariant violated: {v}", n + 1);
        }
        match result {
            Ok(Step { session: next, effects, events, .. }) => {
                effects.iter().for_each(|e| println!("  effect {e:?}"));
                events.iter().for_each(|e| println!("  event  {e:?}"));
                session = next;
            }
            Err(rejection) => {
                failures += 1;
                eprintln!("{path}:{}: rejected: {rejection}", n + 1);
            }
        }
        println!("  {session}");
    }
    Ok(failures)
}
