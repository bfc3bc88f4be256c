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
    assert!(
        text.contains("acceptable now: hangup, force, tick, tick-inflight, tick-late, call, cleanup, conferences"),
        "{text}"
    );
    assert!(text.contains("event  call started: lead 42, customer leg 1"), "{text}");
    assert!(text.contains("effect park leg 1"), "{text}");
    assert!(text.contains("event  executed PARK_CUSTOMER"), "{text}");
    // No Rust Debug anywhere: no `LegId(`, no `RoomId(`, no `{ leg:`, no CamelCase kinds.
    for debug in ["LegId(", "RoomId(", "LeadId(", "{ leg", "ParkCall", "SubmitDisposition", "Executed("] {
        assert!(!text.contains(debug), "{debug} in {text}");
    }
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string("docs/schema/input-record.schema.json").expect("schema file");
    jsonschema::validator_for(&serde_json::from_str(&text).expect("schema is JSON")).expect("schema is valid")
}

/// Parses every line of `text` as JSON and validates it against the record schema.
fn records(text: &str) -> Vec<serde_json::Value> {
    let schema = schema();
    text.lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            if let Err(e) = schema.validate(&value) {
                panic!("{e}: {line}");
            }
            value
        })
        .collect()
}

#[test]
fn drive_json_writes_one_record_per_input_that_the_schema_accepts() {
    let out = vicixfer(&["drive", "--json"], "park X\ncall 4   # a call\n\njump\ntick\n");
    assert!(!out.status.success());
    let records = records(&stdout(&out));
    assert_eq!(records.len(), 4, "{records:?}");
    let [park, call, jump, tick] = &records[..] else { unreachable!() };
    assert_eq!(park["line"], 1);
    assert_eq!(park["accepted"], false);
    assert_eq!(park["rejection"]["reason"], "NoLead");
    assert_eq!(park["rejection"]["acceptable"][0], "hangup");
    assert_eq!(call["input"], "call 4");
    assert_eq!(call["events"][0]["text"], "call started: lead 4, customer leg 1");
    assert_eq!(call["events"][0]["value"]["CallStarted"]["lead"], 4);
    assert_eq!(call["legs"][0], serde_json::json!({"leg": 1, "role": "customer", "at": "room", "room": 8600051}));
    assert_eq!(jump["line"], 4);
    assert!(jump["error"].as_str().unwrap().starts_with("unknown verb"), "{jump}");
    assert_eq!(tick["accepted"], true);
}

#[test]
fn the_schema_names_exactly_the_verbs_the_parser_reads() {
    let text = std::fs::read_to_string("docs/schema/input-record.schema.json").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let verbs = &schema["$defs"]["record"]["properties"]["rejection"]["properties"]["acceptable"]["items"]["enum"];
    let want: Vec<&str> = vicixfer::InputKind::ALL.iter().map(|k| k.verb()).collect();
    assert_eq!(verbs, &serde_json::json!(want));
}

const CHAIN: &str = "examples/scenarios/consultative_chain.json";

#[test]
fn run_json_writes_a_record_per_session_input_then_the_report() {
    let out = vicixfer(&["run", CHAIN, "--json"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut records = records(&stdout(&out));
    let report = records.pop().expect("a report line");
    let steps = report["report"]["metrics"]["sim.steps"].as_u64().expect("steps counted");
    assert_eq!(records.len() as u64, steps, "one record per input fed to a session");
    assert!(records.iter().all(|r| r["t"].is_u64() && r["agent"].is_string()));
    let left = records.iter().find(|r| {
        r["input"].as_str().is_some_and(|i| i.starts_with("tick"))
            && r["events"].to_string().contains("LEAVE_3WAY_CALL")
    });
    let left = left.expect("the fronter's screen runs LEAVE_3WAY_CALL");
    assert_eq!(left["agent"], "1001");
    assert_eq!(left["effects"][0]["text"], "move the agent from room 8600000 to room 8600001");
}

#[test]
fn run_verbose_shows_the_steps_between_the_scripted_ones_and_quiet_silences_narration() {
    let plain = stdout(&vicixfer(&["run", CHAIN], ""));
    let verbose = stdout(&vicixfer(&["run", CHAIN, "--verbose"], ""));
    let quiet = stdout(&vicixfer(&["--quiet", "run", CHAIN], ""));
    let tick = "1001 < tick-inflight\n      effect originate leg 2 to in-group SALESLINE into room 8600000";
    assert!(verbose.contains(tick), "{verbose}");
    assert!(verbose.contains("event  leg 2 ended: hung up by itself"), "{verbose}");
    assert!(!plain.contains("< tick"), "{plain}");
    assert!(plain.contains("[   1000 ms] call enters"), "{plain}");
    assert!(!quiet.contains(" ms]"), "{quiet}");
    for report in [&plain, &verbose, &quiet] {
        assert!(report.contains("scenario  consultative chain"), "{report}");
    }
}

#[test]
fn drive_quiet_prints_only_what_went_wrong() {
    let out = vicixfer(&["drive", "-q"], "call 4\ndispo\ntick\n");
    assert_eq!(
        stdout(&out),
        "line 2: dispo\n  rejected: dispo rejected: the agent is not on the disposition screen; \
         acceptable now: transfer, park, hangup, force, tick, tick-inflight, tick-late, hungup, cleanup, conferences, agent-hangup\n"
    );
}

#[test]
fn completions_cover_every_subcommand_and_flag_and_parse_in_bash() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = vicixfer(&["completions", shell], "");
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        for word in ["drive", "run", "simulate", "explore", "api", "completions", "man", "json", "verbose", "quiet"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let dir = std::env::temp_dir().join(format!("vicixfer-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vicixfer.bash");
    std::fs::write(&file, vicixfer(&["completions", "bash"], "").stdout).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&file).status().expect("bash runs");
    assert!(checked.success(), "bash -n rejects the completion script");
    assert!(!vicixfer(&["completions", "tcsh"], "").status.success(), "an unknown shell is an error");
}

#[test]
fn man_page_is_roff_naming_every_subcommand() {
    let out = vicixfer(&["man"], "");
    assert!(out.status.success());
    let page = stdout(&out);
    assert!(page.contains(".TH vicixfer 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in ["simulate", "run", "drive", "explore", "api", "completions", "man"] {
        assert!(page.contains(&format!("vicixfer\\-{sub}")), "man page lacks {sub}");
    }
}

#[test]
fn the_mermaid_timeline_puts_each_milestone_at_its_time() {
    use vicixfer::sim::{run, Options, Scenario};
    let scenario = Scenario::from_json(&std::fs::read_to_string(CHAIN).unwrap()).unwrap();
    let report = run(&scenario, Options { timeline: true, ..Options::default() });
    let chart = report.timeline.expect("timeline kept").mermaid(5);
    let end = chart.lines().find(|l| l.contains(":milestone,")).expect("an end milestone");
    let fields: Vec<&str> = end.split(":milestone,").nth(1).unwrap().split(',').map(str::trim).collect();
    // Start at the end time, then a duration (a bare number would be an end date: epoch 0).
    assert_eq!(fields, ["43000", "0ms"], "{end}");
}

/// Every flag that takes a file says what is in it: the format, and the schema where one
/// exists (docs/schema/).
#[test]
fn every_file_flag_names_its_format_in_the_help() {
    let cases: [(&str, &str, &[&str]); 13] = [
        ("simulate", "--scenario <FILE>", &["JSON", "scenario.schema.json"]),
        ("simulate", "--trace <FILE>", &["JSON lines", "trace-record.schema.json"]),
        ("simulate", "--timeline <FILE>", &[".svg", "SVG", ".md", ".mmd", "Mermaid"]),
        ("simulate", "--json", &["JSON"]),
        ("simulate", "--shrunk-out <FILE>", &["JSON", "scenario.schema.json"]),
        ("run", "<FILE>", &["JSON", "scenario.schema.json"]),
        ("run", "--timeline <FILE>", &[".svg", ".md", ".mmd"]),
        ("run", "--json", &["JSON object per session input", "input-record.schema.json"]),
        ("drive", "--config <FILE>", &["JSON", "config.schema.json"]),
        ("drive", "--json", &["JSON object per input", "input-record.schema.json"]),
        ("api", "--world <FILE>", &["JSON", "world.schema.json"]),
        ("api", "--json", &["JSON object"]),
        ("serve", "--log <FILE>", &["JSON object per line"]),
    ];
    for (sub, flag, words) in cases {
        let help = stdout(&vicixfer(&[sub, "--help"], ""));
        // The flag's entry: its line and the indented lines that continue it.
        let entry: String = help
            .lines()
            .skip_while(|l| !l.trim_start().starts_with(flag) && !l.contains(&format!(", {flag}")))
            .take_while({
                let mut first = true;
                move |l| std::mem::take(&mut first) || !l.trim_start().starts_with('-')
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!entry.is_empty(), "`{sub} --help` has no {flag}:\n{help}");
        for word in words {
            assert!(entry.contains(word), "`{sub} --help`, {flag} does not name {word:?}: {entry}");
        }
    }
}
