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
    assert!(out.contains("effect park leg 1"), "{out}");
    assert!(out.contains("effect move the agent from room 8600051 to room 8600052"), "{out}");
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
    assert!(out.contains("rejected: dispo rejected: the agent is not on the disposition screen"), "{out}");
    assert!(out.contains("! line 2: unknown verb \"jump\""), "{out}");
}

fn vicixfer_full(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vicixfer")).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn api_prints_the_exact_body_and_the_stored_slot_on_the_example_world() {
    let q = "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234";
    let (code, out, err) = vicixfer_full(&["api", "--world", "examples/world.json", q]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|V1125080012000004711|\n"
    );
    assert!(
        err.contains(
            "stored: 1001 external_transferconf = DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"
        ),
        "{err}"
    );
}

#[test]
fn api_strict_refuses_what_api_php_accepts_silently() {
    let q = "source=crm&user=6666&pass=1234&agent_user=1001&function=park_call&value=XPARK_CUSTOMERX";
    let (code, out, _) = vicixfer_full(&["api", "--world", "examples/world.json", q]);
    assert_eq!((code, out.as_str()), (Some(0), "SUCCESS: park_call function set - XPARK_CUSTOMERX|1001\n"));
    let (code, out, err) = vicixfer_full(&["api", "--strict", "--world", "examples/world.json", q]);
    assert_eq!((code, out.as_str()), (Some(3), ""));
    assert!(err.contains("XPARK_CUSTOMERX"), "{err}");
}

#[test]
fn explore_reports_a_clean_bounded_space() {
    let (code, out, _) = vicixfer_full(&["explore", "--max-legs", "1", "--max-depth", "6"]);
    assert_eq!(code, Some(3), "a depth bound cuts the search short: {out}");
    assert!(out.contains("no violation in the"), "{out}");
}

#[test]
fn api_reads_a_form_body_where_the_query_string_lacks_a_parameter() {
    let (code, out, err) = vicixfer_full(&[
        "api",
        "--world",
        "examples/world.json",
        "--post",
        "value=PARK_CUSTOMER&agent_user=1001&function=transfer_conference",
        "source=crm&user=6666&pass=1234&function=park_call",
    ]);
    assert_eq!((code, out.as_str()), (Some(0), "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n"), "{err}");
    assert!(err.contains("stored: 1001 external_park = PARK_CUSTOMER"), "{err}");
}
