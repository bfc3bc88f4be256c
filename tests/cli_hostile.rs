//! The `vicixfer` binary under hostile or careless use: full disks, closed pipes, bad
//! files, passwords that must not show (docs/reliability.md).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn vicixfer_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vicixfer"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // A child that never reads its input closes the pipe: that is fine.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let out = child.wait_with_output().expect("ends");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn vicixfer(args: &[&str]) -> Out {
    vicixfer_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, b"")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vicixfer-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const WORLD: &str = include_str!("../examples/world.json");

// ---- output -----------------------------------------------------------------------

#[test]
fn a_trace_to_a_full_disk_names_the_path_and_fails() {
    let out = vicixfer(&["simulate", "--calls", "50", "--trace", "/dev/full"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("/dev/full") && out.stderr.contains("No space left"), "{}", out.stderr);
}

#[test]
fn a_timeline_to_a_full_disk_names_the_path_and_fails() {
    let out = vicixfer(&["simulate", "--calls", "5", "--timeline", "/dev/full"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("/dev/full: No space left"), "{}", out.stderr);
}

#[test]
fn a_failed_save_leaves_the_world_file_as_it_was() {
    let dir = scratch("save");
    std::fs::write(dir.join("world.json"), WORLD).unwrap();
    // The temporary file cannot be created: a directory is in its place.
    std::fs::create_dir(dir.join(".world.json.tmp")).unwrap();
    let q = "source=crm&user=6666&pass=1234&agent_user=1001&function=park_call&value=PARK_CUSTOMER";
    let out = vicixfer_in(&dir, &["api", "--world", "world.json", "--save", q], b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("world.json"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("world.json")).unwrap(), WORLD, "the world is intact");
    // Without the obstacle the save lands, and no temporary file is left behind.
    std::fs::remove_dir(dir.join(".world.json.tmp")).unwrap();
    let out = vicixfer_in(&dir, &["api", "--world", "world.json", "--save", q], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(std::fs::read_to_string(dir.join("world.json")).unwrap().contains("PARK_CUSTOMER"));
    assert!(!dir.join(".world.json.tmp").exists());
}

#[test]
fn a_full_standard_output_is_an_error_naming_it() {
    for args in PRINTING {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_vicixfer"))
            .args(*args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("standard output: No space left"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Every subcommand that prints to standard output (serve prints one line, tested in
/// `tests/serve.rs`), with arguments that finish in well under a second.
const PRINTING: &[&[&str]] = &[
    &["simulate", "--calls", "3000"],
    &["run", "examples/scenarios/consultative_chain.json"],
    &["drive", "examples/consultative.vxs"],
    &["explore", "--max-legs", "1", "--max-depth", "3", "--quiet"],
    &[
        "api",
        "--world",
        "examples/world.json",
        "source=test&user=6666&pass=1234&agent_user=1001&function=park_call&value=PARK_CUSTOMER",
    ],
    &["completions", "bash"],
    &["man"],
];

#[test]
fn a_closed_stdout_ends_quietly() {
    // explore, completions and man panicked here before (println! and clap_complete).
    for args in PRINTING {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vicixfer"))
            .args(*args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        drop(child.stdout.take()); // the reader is gone, as with `| head -0`
        let out = child.wait_with_output().expect("ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

// ---- input files --------------------------------------------------------------------

#[test]
fn a_bad_world_file_names_the_file_the_field_and_the_line() {
    let dir = scratch("world");
    std::fs::write(dir.join("w.json"), "{\n  \"users\": [{\"user\": \"6666\", \"pasword\": \"x\"}]\n}").unwrap();
    let out = vicixfer_in(&dir, &["api", "--world", "w.json", "user=6666"], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("w.json") && out.stderr.contains("line 2") && out.stderr.contains("users[0]"),
        "{}",
        out.stderr
    );
    let out = vicixfer_in(&dir, &["api", "--world", "missing.json", "user=6666"], b"");
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
}

#[test]
fn a_config_with_an_unknown_field_is_refused_naming_it() {
    let dir = scratch("config");
    std::fs::write(dir.join("c.json"), "{\"manual_dail\": true}").unwrap();
    let out = vicixfer_in(&dir, &["drive", "--config", "c.json", "-"], b"tick\n");
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(out.stderr.contains("c.json") && out.stderr.contains("manual_dail"), "{}", out.stderr);
}

#[test]
fn a_scenario_file_error_names_the_file() {
    let dir = scratch("scenario");
    std::fs::write(
        dir.join("s.json"),
        "{\"name\": \"x\", \"world\": {\"agents\": [{\"user\": \"1\", \"campaign\": \"C\"}]}}",
    )
    .unwrap();
    let out = vicixfer_in(&dir, &["run", "s.json"], b"");
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("s.json") && out.stderr.contains("world.agents[0].campaign"), "{}", out.stderr);
}

#[test]
fn the_query_and_the_body_can_come_from_a_file_or_stdin() {
    let dir = scratch("query");
    std::fs::write(dir.join("w.json"), WORLD).unwrap();
    std::fs::write(dir.join("q.txt"), "source=crm&user=6666&pass=1234&function=park_call\n").unwrap();
    let body = "value=PARK_CUSTOMER&agent_user=1001";
    let out = vicixfer_in(&dir, &["api", "--world", "w.json", "--post", "@-", "@q.txt"], body.as_bytes());
    assert_eq!(out.stdout, "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n", "{}", out.stderr);
    let q = "source=crm&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001";
    let out = vicixfer_in(&dir, &["api", "--world", "w.json", "-"], q.as_bytes());
    assert_eq!(out.stdout, "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n", "{}", out.stderr);
    let out = vicixfer_in(&dir, &["api", "--world", "w.json", "@nope.txt"], b"");
    assert!(out.code == Some(2) && out.stderr.contains("nope.txt"), "{}", out.stderr);
}

// ---- drive scripts ------------------------------------------------------------------

#[test]
fn drive_reports_non_utf8_and_overlong_lines_with_their_number() {
    let out = vicixfer_in(Path::new("."), &["drive", "-"], b"call 42\ntick\n\xff\xfe tick\n");
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("line 3: not UTF-8"), "{}", out.stderr);
    let mut long = b"call 1\n".to_vec();
    long.extend(std::iter::repeat_n(b'x', 100_000));
    let out = vicixfer_in(Path::new("."), &["drive", "-"], &long);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("line 2: longer than"), "{}", out.stderr);
}

#[test]
fn drive_replays_every_seed_script_the_explorer_writes() {
    let dir = scratch("seeds");
    let seeds = dir.join("seeds");
    let out = vicixfer(&[
        "explore",
        "--max-legs",
        "1",
        "--max-depth",
        "5",
        "--seeds",
        seeds.to_str().unwrap(),
        "--seed-count",
        "40",
    ]);
    assert!(out.stdout.contains("shortest paths written"), "{}", out.stdout);
    let mut replayed = 0;
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        let out = vicixfer(&["drive", path.to_str().unwrap()]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(out.code, Some(0), "{}:\n{text}\n{}{}", path.display(), out.stdout, out.stderr);
        assert!(!out.stdout.contains("rejected"), "{text}\n{}", out.stdout);
        replayed += 1;
    }
    assert!(replayed > 0);
}

// ---- secrets ------------------------------------------------------------------------

/// The distinctive password, and every spelling of it a request could carry.
const SECRET: &str = "Zq9x+Secret/Pw=";
const MARK: &str = "Secret";

#[test]
fn no_output_of_any_command_contains_the_password() {
    let dir = scratch("secrets");
    let enc = "Zq9x%2BSecret%2FPw%3D";
    // The remote cluster's URL carries the password too; debug output prints that URL.
    let world = WORLD
        .replace("\"pass\": \"1234\"", &format!("\"pass\": \"{SECRET}\""))
        .replace("pass=1234&function=ccc_lead_info", &format!("pass={enc}&function=ccc_lead_info"))
        .replace("\"allow_web_debug\": false", "\"allow_web_debug\": true");
    assert!(world.contains(&format!("pass={enc}&function=ccc")) && world.contains("\"allow_web_debug\": true"));
    std::fs::write(dir.join("w.json"), &world).unwrap();
    let scenario = format!(
        r#"{{"name": "secrets", "seed": 9,
          "world": {{"api_user": {{"user": "6666", "pass": "{SECRET}", "source": "crm"}},
                     "campaigns": [{{"id": "OUTB"}}], "agents": [{{"user": "1001", "campaign": "OUTB"}}]}},
          "traffic": {{"calls": 15, "fronter_plans": [{{"plan": "three_way", "number": "3125550100"}}, {{"plan": "blind", "number": "3125550101"}}]}},
          "steps": [
            {{"at": 100, "api": "source=crm&user=6666&pass=WrongSecret1&agent_user=1001&function=park_call&value=PARK_CUSTOMER", "expect": "SUCCESS"}},
            {{"at": 200, "api": "source=crm&user=6666&p%61ss={enc}&agent_user=1001&function=park_call&value=PARK_CUSTOMER", "expect": "SUCCESS"}},
            {{"at": 300, "api": "source=crm&user=6666&pass[]={enc}&agent_user=1001&function=park_call&value=X", "expect": "SUCCESS"}}
          ]}}"#
    );
    std::fs::write(dir.join("s.json"), &scenario).unwrap();
    let mut outputs = Vec::new();
    let mut run = |args: &[&str], stdin: &[u8]| {
        let out = vicixfer_in(&dir, args, stdin);
        outputs.push((format!("{args:?}"), out.stdout));
        outputs.push((format!("{args:?} stderr"), out.stderr));
    };
    run(
        &["simulate", "--scenario", "s.json", "--trace", "t.jsonl", "--timeline", "tl.md", "--shrunk-out", "sh.json"],
        b"",
    );
    run(&["run", "s.json", "--timeline", "tl.svg"], b"");
    run(&["simulate", "--scenario", "s.json", "--json"], b"");
    run(&["run", "s.json"], b"");
    for q in [
        "source=crm&user=6666&pass=WrongSecret2&agent_user=1001&function=park_call&value=PARK_CUSTOMER".to_string(),
        format!("source=crm&user=6666&pa%73s={enc}%21&agent_user=1001&function=park_call&value=PARK_CUSTOMER"),
        format!("source=crm&user=6666&pass={enc}&agent_user=1001&function=park_call&value=PARK_CUSTOMER"),
        format!("source=crm&user=6666&pass={enc}&agent_user=1003&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&DB=1"),
        format!("source=crm&user=6666&pass=x{enc}&function=park_call&DB=1&format=debug"),
    ] {
        run(&["api", "--world", "w.json", &q], b"");
        run(&["api", "--world", "w.json", "--json", &q], b"");
        run(&["api", "--world", "w.json", "--strict", &q], b"");
        run(&["api", "--world", "w.json", "--save", "-"], q.as_bytes());
    }
    // D15: a POST without `value` whose last variable is `pass` echoes the password as `value`.
    let post = format!("user=6666&agent_user=1001&function=park_call&pass={enc}");
    for json in [false, true] {
        let mut args = vec!["api", "--world", "w.json", "--post", &post, "source=crm"];
        if json {
            args.push("--json");
        }
        run(&args, b"");
    }
    for file in ["t.jsonl", "tl.md", "tl.svg", "sh.json"] {
        if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
            outputs.push((file.to_string(), text));
        }
    }
    assert!(
        outputs.iter().any(|(_, o)| o.contains("ERROR: Invalid Username/Password: |6666|[REDACTED]|")),
        "the echo is shown"
    );
    for (what, text) in &outputs {
        assert!(!text.contains(MARK), "{what} shows the password:\n{text}");
    }
}

#[test]
fn drive_replays_a_counterexample_script_as_the_explorer_prints_it() {
    use vicixfer::explore::Counterexample;
    use vicixfer::invariants::{Invariant, Violation};
    let inputs =
        ["call 42", "transfer DIAL_WITH_CUSTOMER------5551234---NO------------1700000000---", "tick", "answer 2"];
    let c = Counterexample::new(
        Violation::new(Invariant::DialKeepsCustomer, "as an example"),
        vicixfer::explore::initial_sessions()[0].clone(),
        inputs.iter().map(|i| i.parse().expect("an input")).collect(),
    );
    let dir = scratch("counterexample");
    std::fs::write(dir.join("c.vxs"), c.script()).unwrap();
    let out = vicixfer_in(&dir, &["drive", "c.vxs"], b"");
    assert_eq!(out.code, Some(0), "{}\n{}{}", c.script(), out.stdout, out.stderr);
    for i in inputs {
        assert!(out.stdout.contains(&format!("> {i}")), "{}", out.stdout);
    }
}

/// A counterexample from another initial session than the default starts its script
/// with `config N`, so `drive` replays it under the same settings to the same state
/// (before the script had no `config` line, and `drive` started from the default
/// settings, where `fill` is refused).
#[test]
fn a_counterexample_script_replays_under_its_own_config() {
    use vicixfer::explore::{initial_sessions, Counterexample};
    use vicixfer::invariants::{Invariant, Violation};
    let initial = initial_sessions();
    let n = initial.iter().position(|s| s.config.required_fields).expect("a required-fields start");
    let inputs: Vec<vicixfer::Input> = ["call 42", "fill"].iter().map(|i| i.parse().expect("an input")).collect();
    let c =
        Counterexample::new(Violation::new(Invariant::DialKeepsCustomer, "as an example"), initial[n].clone(), inputs);
    let script = c.script();
    assert!(script.lines().any(|l| l == format!("config {n}")), "{script}");
    // Where the trace ends in-process: the state that broke the invariant.
    let mut s = c.initial.clone();
    for input in &c.inputs {
        s = vicixfer::step(&s, input.clone()).expect("accepted under its config").session;
    }
    let dir = scratch("counterexample-config");
    std::fs::write(dir.join("c.vxs"), &script).unwrap();
    let out = vicixfer_in(&dir, &["drive", "--json", "c.vxs"], b"");
    assert_eq!(out.code, Some(0), "{script}\n{}{}", out.stdout, out.stderr);
    let last: serde_json::Value = serde_json::from_str(out.stdout.lines().last().expect("a record")).expect("JSON");
    assert_eq!(last["session"], s.to_string(), "{}", out.stdout);
    // From another session than drive's configs, the script says so.
    let odd = vicixfer::Session::new(vicixfer::Config { consult_delay: 7, ..vicixfer::Config::default() });
    let c = Counterexample::new(Violation::new(Invariant::DialKeepsCustomer, "x"), odd, Vec::new());
    assert!(c.script().contains("# from a session that is not one of drive's `config N`"), "{}", c.script());
}

/// `serve`'s world file is read like every other file (bounded, field path and line,
/// validated), and a log file it cannot open is named (it was "standard output" before,
/// and a world with an agent in a missing campaign was served).
#[test]
fn serve_names_a_bad_world_file_and_a_bad_log_file() {
    let dir = scratch("serve");
    let world = r#"{"campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "NOPE"}]}"#;
    std::fs::write(dir.join("w.json"), world).unwrap();
    let out = vicixfer_in(&dir, &["serve", "--listen", "127.0.0.1:0", "--world", "w.json"], b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("w.json") && out.stderr.contains("NOPE"), "{}", out.stderr);
    std::fs::write(dir.join("w.json"), "{\n \"campaigns\": [{\"id\": \"OUTB\", \"tea\": 1}]}").unwrap();
    let out = vicixfer_in(&dir, &["serve", "--listen", "127.0.0.1:0", "--world", "w.json"], b"");
    assert!(
        out.stderr.contains("w.json") && out.stderr.contains("line 2") && out.stderr.contains("tea"),
        "{}",
        out.stderr
    );
    let args = ["serve", "--listen", "127.0.0.1:0", "--log", "no/such/dir/log.jsonl"];
    let out = vicixfer_in(&dir, &args, b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("log no/such/dir/log.jsonl") && !out.stderr.contains("standard output"),
        "{}",
        out.stderr
    );
}
