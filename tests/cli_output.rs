//! What the `vicixfer` binary prints: the words one types, JSON records for tools,
//! completions, the man page and the timeline pictures.

use std::process::{Command, Output};

fn vicixfer(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vicixfer"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("writes");
    child.wait_with_output().expect("finishes")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn drive_prints_effects_events_and_hints_in_the_words_one_types() {
    let out = vicixfer(&["drive"], "park PARK_CUSTOMER\ncall 42\npark PARK_CUSTOMER\ntick\nagent-hangup\n");
    let text = stdout(&out);
    assert!(text.contains("rejected: park rejected: agent_user does not have a lead on their screen"), "{text}");
    assert!(text.contains("acceptable now: hangup, force, tick, tick-inflight, call, cleanup, conferences"), "{text}");
    assert!(text.contains("event  call started: lead 42, customer leg 1"), "{text}");
    assert!(text.contains("effect park leg 1"), "{text}");
    assert!(text.contains("event  executed PARK_CUSTOMER"), "{text}");
    // No Rust Debug anywhere: no `LegId(`, no `RoomId(`, no `{ leg:`, no CamelCase kinds.
    for debug in ["LegId(", "RoomId(", "LeadId(", "{ leg", "ParkCall", "SubmitDisposition", "Executed("] {
        assert!(!text.contains(debug), "{debug} in {text}");
    }
}
