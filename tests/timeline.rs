//! The timeline pictures of a run (`--timeline FILE`): the SVG is well-formed XML with one
//! lane per agent screen and per leg that appears, a mark for every command, escaped text
//! and no password, the same bytes for the same seed; the Mermaid chart keeps its shape;
//! the pictures in docs/ are what the tool draws today.
//!
//! After changing the picture: `VICIXFER_BLESS=1 cargo test --test timeline` redraws
//! docs/timeline-*.svg with the commands docs/simulator.md gives.
#![cfg(feature = "sim")]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;
use std::rc::Rc;
use vicixfer::sim::timeline::{Format, MAX_LANES};
use vicixfer::sim::{run, Observed, Options, Report, Scenario, Stim};
use vicixfer::{Event, Input};

fn scenario(path: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    Scenario::from_json(&std::fs::read_to_string(&path).expect("read")).expect("a scenario")
}

/// What a run fed its sessions, as the observer saw it.
#[derive(Default)]
struct Seen {
    /// (agent, leg id) of every live leg after any step; agents seen.
    legs: BTreeSet<(String, u64)>,
    agents: BTreeSet<String>,
    stored: usize,
    executed: usize,
    ended: usize,
    dropped: usize,
}

fn run_seen(scenario: &Scenario, options: Options) -> (Report, Seen) {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let sink = Rc::clone(&seen);
    let options = Options {
        timeline: true,
        observe: Some(Box::new(move |o: &Observed<'_>| {
            let mut s = sink.borrow_mut();
            s.agents.insert(o.agent.to_string());
            let Ok(step) = o.result else { return };
            for (id, _) in step.session.legs.all() {
                s.legs.insert((o.agent.to_string(), id.0));
            }
            s.stored += usize::from(matches!(o.input, Input::Api(_)));
            for e in &step.events {
                match e {
                    Event::Executed(_) => s.executed += 1,
                    Event::LegEnded { .. } => s.ended += 1,
                    Event::Duplicate(_)
                    | Event::DroppedByCooldown(_)
                    | Event::Erased(_)
                    | Event::Overwrote(_)
                    | Event::UnknownFunction(_)
                    | Event::Leave3WayRefused(_)
                    | Event::HangupBlocked => s.dropped += 1,
                    _ => {}
                }
            }
        })),
        ..options
    };
    let report = run(scenario, options);
    let seen = Rc::try_unwrap(seen).ok().expect("the observer is gone with the run").into_inner();
    (report, seen)
}

fn svg_of(report: &Report) -> String {
    report.timeline.as_ref().expect("timeline kept").svg(&format!("{} (seed {})", report.name, report.seed))
}

/// The marks of `class` (e.g. `request`, `executed`) outside the legend.
fn marks(doc: &roxmltree::Document<'_>, class: &str) -> usize {
    doc.descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').next() == Some("mark") && c.contains(class)))
        .count()
}

fn scenarios() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios"))
        .expect("examples/scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| format!("examples/scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    files
}

#[test]
fn the_svg_has_one_lane_per_agent_and_per_leg_and_marks_every_command() {
    for file in scenarios() {
        let scenario = scenario(&file);
        let (report, seen) = run_seen(&scenario, Options::default());
        assert!(report.passed(), "{file}: {report}");
        let svg = svg_of(&report);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{file}: not XML: {e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{file}");
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"), "{file}");
        let mut agents = BTreeSet::new();
        let mut legs = BTreeSet::new();
        for lane in doc.descendants().filter(|n| n.attribute("class") == Some("lane")) {
            let agent = lane.attribute("data-agent").expect("data-agent").to_string();
            match lane.attribute("data-leg") {
                Some(leg) => {
                    assert!(legs.insert((agent, leg.parse::<u64>().expect("a leg id"))), "{file}: a lane twice")
                }
                None => assert!(agents.insert(agent), "{file}: an agent lane twice"),
            }
        }
        assert_eq!(agents, seen.agents, "{file}: agent lanes");
        assert_eq!(legs, seen.legs, "{file}: leg lanes");
        let requests = scenario.steps.iter().filter(|s| matches!(s.what, Stim::Api(_))).count();
        assert_eq!(marks(&doc, "request"), requests, "{file}: api.php requests");
        assert_eq!(marks(&doc, "stored"), seen.stored, "{file}: stored commands");
        assert_eq!(marks(&doc, "executed"), seen.executed, "{file}: executed commands");
        assert_eq!(marks(&doc, "dropped"), seen.dropped, "{file}: commands consumed without running");
        assert_eq!(marks(&doc, "ended"), seen.ended, "{file}: leg outcomes");
        assert!(seen.executed > 0 && seen.ended > 0, "{file}: the scenario does something");
        // No script, no external reference: the picture stands alone.
        assert!(doc.descendants().all(|n| n.tag_name().name() != "script"), "{file}");
        assert!(!svg.contains("href"), "{file}");
    }
}

#[test]
fn the_race_scenarios_show_their_dropped_commands() {
    for (file, word) in [
        ("examples/scenarios/cooldown_drops_second_dial.json", "DIAL_WITH_CUSTOMER (cooldown)"),
        ("examples/scenarios/retried_dial_is_a_duplicate.json", "duplicate"),
        ("examples/scenarios/blind_clear_erases_newer_command.json", "erased"),
    ] {
        let (report, seen) = run_seen(&scenario(file), Options::default());
        assert!(seen.dropped > 0, "{file}");
        let svg = svg_of(&report);
        assert!(svg.contains(&format!(">{word}</text>")), "{file}: no label {word:?}\n{svg}");
    }
}

#[test]
fn the_svg_is_the_same_for_a_seed_and_differs_for_another() {
    let scenario = Scenario::default_scenario();
    let svg = |seed| {
        let report = run(&scenario, Options { seed: Some(seed), calls: Some(6), timeline: true, ..Options::default() });
        svg_of(&report)
    };
    let a = svg(7);
    assert_eq!(a, svg(7));
    assert_ne!(a, svg(8));
    roxmltree::Document::parse(&a).expect("well-formed");
}

#[test]
fn a_long_run_stops_the_picture_at_the_lane_limit_and_says_so() {
    let scenario = Scenario::default_scenario();
    let report = run(&scenario, Options { calls: Some(400), timeline: true, ..Options::default() });
    let svg = svg_of(&report);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let lanes = doc.descendants().filter(|n| n.attribute("class") == Some("lane")).count();
    assert!(lanes <= MAX_LANES && lanes > 10, "{lanes} lanes");
    assert!(svg.contains("the recording stopped at"), "the picture says it is cut");
}

#[test]
fn text_is_escaped_and_no_password_appears() {
    const SECRET: &str = "Pa55<w&rd>";
    let json = format!(
        r#"{{"name": "hostile <b>&amp; \"quotes\" 'too' \u0001", "world": {{"campaigns": [{{"id": "OUTB"}}],
            "agents": [{{"user": "1001", "campaign": "OUTB"}}]}},
          "steps": [
            {{"at": 1000, "call": {{"entry": {{"campaign": "OUTB"}}}}}},
            {{"at": 2000, "api": "source=crm&user=6666&pass={SECRET}&agent_user=1001&function=park_call&value=<x>&\u0002"}},
            {{"at": 3000, "api": "source=crm&user=6666&p%61ss={SECRET}&agent_user=<1001>&function=transfer_conference&value=HANGUP_BOTH"}},
            {{"at": 4000, "api": "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=BLIND_TRANSFER&phone_number=55%3C%26%3E"}}
          ]}}"#,
        SECRET = SECRET.replace('&', "%26")
    );
    let scenario = Scenario::from_json(&json).expect("a scenario");
    let report = run(&scenario, Options { timeline: true, ..Options::default() });
    let svg = svg_of(&report);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).expect("a title");
    assert!(title.starts_with("hostile <b>&amp; \"quotes\" 'too' \u{FFFD}"), "{title:?}");
    for secret in ["Pa55", "w%26rd", "1234"] {
        assert!(!svg.contains(secret), "the SVG shows {secret}:\n{svg}");
    }
    assert!(svg.contains("pass=[REDACTED]"), "the query is shown, redacted");
    assert!(marks(&doc, "failed") >= 1, "an ERROR answer is marked as one");
}

#[test]
fn the_format_follows_the_extension() {
    assert_eq!(Format::of_path(Path::new("run.svg")), Format::Svg);
    assert_eq!(Format::of_path(Path::new("RUN.SVG")), Format::Svg);
    assert_eq!(Format::of_path(Path::new("legs.md")), Format::MermaidMarkdown);
    assert_eq!(Format::of_path(Path::new("legs.mmd")), Format::Mermaid);
    assert_eq!(Format::of_path(Path::new("/dev/full")), Format::Mermaid);
    let report =
        run(&scenario("examples/scenarios/consultative_chain.json"), Options { timeline: true, ..Options::default() });
    let timeline = report.timeline.expect("kept");
    let chart = timeline.render(Format::Mermaid, "", 5);
    assert_eq!(chart, timeline.mermaid(5));
    assert_eq!(timeline.render(Format::MermaidMarkdown, "", 5), format!("```mermaid\n{chart}```\n"));
    assert!(timeline.render(Format::Svg, "t", 5).starts_with("<svg "));
}

/// The pictures docs/ shows, each with the command that draws it (docs/simulator.md gives them).
#[cfg(feature = "cli")]
const PICTURES: [(&str, &str); 2] = [
    ("examples/scenarios/warm_transfer.json", "docs/timeline-warm-transfer.svg"),
    ("examples/scenarios/consultative_chain.json", "docs/timeline-fronter-closer.svg"),
];

#[cfg(feature = "cli")]
#[test]
fn the_pictures_in_docs_are_what_the_tool_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("VICIXFER_BLESS").is_some();
    let docs = std::fs::read_to_string(root.join("docs/simulator.md")).expect("docs/simulator.md");
    let dir = std::env::temp_dir().join(format!("vicixfer-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    for (scenario, picture) in PICTURES {
        let command = format!("cargo run -- run {scenario} --quiet --timeline {picture}");
        assert!(docs.contains(&command), "docs/simulator.md does not give `{command}`");
        let fresh = dir.join("picture.svg");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vicixfer"))
            .current_dir(root)
            .args(["run", scenario, "--quiet", "--timeline"])
            .arg(&fresh)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        let fresh = std::fs::read(&fresh).expect("the picture");
        if bless {
            std::fs::write(root.join(picture), &fresh).expect("write the picture");
        }
        assert!(
            std::fs::read(root.join(picture)).ok() == Some(fresh),
            "{picture} is stale: run VICIXFER_BLESS=1 cargo test --test timeline (or `{command}`)"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
#[test]
fn the_cli_writes_the_format_of_the_extension_and_its_help_names_them() {
    let dir = std::env::temp_dir().join(format!("vicixfer-timeline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let chain = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/consultative_chain.json");
    for (name, starts) in [("t.svg", "<svg "), ("t.mmd", "gantt\n"), ("t.md", "```mermaid\ngantt\n")] {
        let path = dir.join(name);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vicixfer"))
            .args(["run", "-q", "--timeline"])
            .arg(&path)
            .arg(&chain)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&path).expect("written");
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["run", "simulate"] {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_vicixfer")).args([sub, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        for format in [".svg", ".md", ".mmd", "JSON lines"] {
            assert!(help.contains(format), "`{sub} --help` does not name {format}:\n{help}");
        }
    }
}

#[test]
fn a_request_by_alt_user_is_marked_on_the_agent_it_reached() {
    let json = r#"{"name": "alt", "world": {"campaigns": [{"id": "OUTB"}],
        "agents": [{"user": "1001", "campaign": "OUTB", "custom_three": "K1"}]},
      "steps": [
        {"at": 1000, "call": {"entry": {"campaign": "OUTB"}}},
        {"at": 2000, "api": "source=crm&user=6666&pass=1234&alt_user=K1&function=park_call&value=PARK_CUSTOMER",
         "expect": "SUCCESS: park_call function set - PARK_CUSTOMER|1001"}
      ]}"#;
    let report = run(&Scenario::from_json(json).expect("a scenario"), Options { timeline: true, ..Options::default() });
    assert!(report.passed(), "{report}");
    let svg = svg_of(&report);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let agents: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("lane") && n.attribute("data-leg").is_none())
        .filter_map(|n| n.attribute("data-agent"))
        .collect();
    assert_eq!(agents, ["1001"], "one agent lane, the request's on it");
    assert_eq!(marks(&doc, "request"), 1);
}
