//! The `vicixfer` binary, run as a user would.

use std::process::Command;

fn vicixfer(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vicixfer")).args(args).output().expect("runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn drive_runs_the_shipped_consultative_script() {
    let (ok, out) = vicixfer(&["drive", "examples/consultative.vxs"]);
    assert!(ok, "{out}");
    assert!(out.contains("effect Park { leg: LegId(1) }"), "{out}");
    assert!(out.contains("effect MoveAgent { from: RoomId(8600051), to: RoomId(8600052) }"), "{out}");
    assert!(
        out.trim_end().ends_with("agent waiting | room 8600052 | C1 in 8600051, X2 in 8600051 | cooldown 3"),
        "{out}"
    );
}

#[test]
fn drive_reports_rejections_and_bad_lines_and_fails() {
    let dir = std::env::temp_dir().join(format!("vicixfer-drive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("bad.vxs");
    std::fs::write(&script, "dispo\njump\n").unwrap();
    let (ok, out) = vicixfer(&["drive", script.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("rejected: SubmitDisposition rejected: the agent is not on the disposition screen"), "{out}");
    assert!(out.contains("! unknown verb \"jump\""), "{out}");
}
