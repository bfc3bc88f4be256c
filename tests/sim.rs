//! The simulator: determinism, conservation, shrinking, scenario files.
#![cfg(feature = "sim")]

use vicixfer::sim::{run, Options, Scenario, Stim};
use vicixfer::{Event, Executed, Input, Rejection, Session, Step, TransferFunction};

fn quick(calls: u64) -> Options {
    Options { calls: Some(calls), ..Options::default() }
}

#[test]
fn the_default_scenario_parses_and_runs_clean() {
    let scenario = Scenario::default_scenario();
    assert!(scenario.traffic.is_some(), "the embedded default scenario must parse: {}", scenario.name);
    let report = run(&scenario, Options::default());
    assert!(report.passed(), "{report}");
    assert_eq!(report.ledger_entered, scenario.traffic.as_ref().map(|t| t.calls).unwrap_or(0));
    assert_eq!(report.ledger_live, 0);
    assert_eq!(report.ledger_ended(), report.ledger_entered, "every customer ends exactly once");
    assert!(report.leftovers.is_empty(), "{:?}", report.leftovers);
}

#[test]
fn same_seed_same_trace_hash_other_seed_other_hash() {
    let scenario = Scenario::default_scenario();
    let a = run(&scenario, quick(300));
    let b = run(&scenario, quick(300));
    assert_ne!(a.trace_hash, 0);
    assert_eq!(a.trace_hash, b.trace_hash);
    assert_eq!(a.trace_lines, b.trace_lines);
    assert_eq!(a.metrics, b.metrics);
    let c = run(&scenario, Options { seed: Some(7), ..quick(300) });
    assert_ne!(a.trace_hash, c.trace_hash);
}

#[test]
fn the_default_run_exercises_every_plan_and_the_races() {
    let report = run(&Scenario::default_scenario(), Options::default());
    for value in TransferFunction::ALL {
        assert!(report.metrics.get("executed", value.as_str()) > 0, "{} never executed:\n{report}", value.as_str());
    }
    let races = [
        "duplicate_id",
        "dropped_by_cooldown",
        "erased_by_blind_clear",
        "overwritten_before_poll",
        "leave_and_park_or_hangup_in_one_poll",
        "dial_and_park_or_hangup_in_one_poll",
    ];
    for race in races {
        assert!(report.metrics.get("races", race) > 0, "race {race} never seen:\n{report}");
    }
    for milestone in ["answered_by_closer", "consulted_closer", "left_in_3way", "parked", "queued_in_ingroup"] {
        assert!(report.milestones.get(milestone).copied().unwrap_or(0) > 0, "{milestone} never reached");
    }
}

#[test]
fn the_trace_never_contains_the_password() {
    let scenario = Scenario::default_scenario();
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let report = run(&scenario, Options { trace: Some(Box::new(Sink(buf.clone()))), ..quick(100) });
    let text = String::from_utf8(buf.lock().expect("trace").clone()).expect("utf-8");
    assert_eq!(text.lines().count() as u64, report.trace_lines);
    assert!(text.contains("\"kind\":\"api\""));
    assert!(text.contains("pass=[REDACTED]"));
    assert!(!text.contains(&format!("pass={}", scenario.world.api_user.pass)));
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every trace line is JSON");
    }
}

/// A check that calls any executed BLIND_TRANSFER a violation: a stand-in for a broken
/// model, to see the run stop and shrink.
fn no_blind_transfers(_: &Session, _: &Input, outcome: Result<&Step, &Rejection>) -> Result<(), String> {
    match outcome {
        Ok(step) if step.events.contains(&Event::Executed(Executed::Transfer(TransferFunction::BlindTransfer))) => {
            Err("no_blind_transfer: a blind transfer executed".into())
        }
        _ => Ok(()),
    }
}

#[test]
fn a_violation_stops_the_run_and_shrinks_to_a_replayable_minimal_scenario() {
    let scenario = Scenario::default_scenario();
    let report = run(&scenario, Options { check: no_blind_transfers, ..quick(400) });
    let failure = report.violation.expect("the broken check must fire");
    assert!(failure.detail.starts_with("invariant: no_blind_transfer"), "{}", failure.detail);
    assert_eq!(failure.seed, scenario.seed);
    let shrunk = failure.shrunk.expect("shrunk scenario");
    assert!(shrunk.traffic.is_none());
    // Calls (enough for routing to reach the agent), the BLIND_TRANSFER request last, and
    // before it at most the request that routed the call to that agent (an AGENTDIRECT
    // LOCAL_CLOSER when the blind transfer is a closer's).
    assert!(shrunk.steps.iter().any(|s| matches!(&s.what, Stim::Call(_))));
    let apis: Vec<_> = shrunk.steps.iter().filter(|s| matches!(&s.what, Stim::Api(_))).collect();
    let last_is_blind = apis.last().is_some_and(|a| matches!(&a.what, Stim::Api(q) if q.contains("BLIND_TRANSFER")));
    assert!(last_is_blind && apis.len() <= 2, "{}", shrunk.to_json());
    // 1-minimal: without any one of its steps the violation is gone.
    for i in 0..shrunk.steps.len() {
        let mut less = shrunk.clone();
        less.steps.remove(i);
        let r = run(&less, Options { check: no_blind_transfers, shrink: false, ..Options::default() });
        let same = r.violation.as_ref().is_some_and(|v| v.detail.starts_with("invariant: no_blind_transfer"));
        assert!(!same, "step {i} is not needed: {:?}", r.violation);
    }
    // The file round-trips and replays to the same violation.
    let reread = Scenario::from_json(&shrunk.to_json()).expect("shrunk scenario parses");
    assert_eq!(reread, shrunk);
    let replay = run(&reread, Options { check: no_blind_transfers, shrink: false, ..Options::default() });
    assert!(replay.violation.is_some_and(|v| v.detail.starts_with("invariant: no_blind_transfer")));
}

#[test]
fn every_example_scenario_meets_its_expectations() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/scenarios") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let report = run(&scenario, Options::default());
        assert!(report.passed(), "{}:\n{report}", path.display());
        seen += 1;
    }
    assert!(seen >= 4, "expected the shipped scenarios, found {seen}");
}

#[test]
fn a_bad_scenario_file_is_a_clear_error() {
    let err = Scenario::from_json(r#"{"name": "x", "world": {"agents": []}, "stepz": []}"#).unwrap_err();
    assert!(err.to_string().contains("stepz"), "{err}");
    let err = Scenario::from_json(r#"{"name": "x", "world": {}, "steps": [{"at": 1, "teleport": 3}]}"#).unwrap_err();
    assert!(err.to_string().contains("teleport") || err.to_string().contains("variant"), "{err}");
}

#[test]
fn the_timeline_follows_a_customer_through_a_consultative_chain() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/consultative_chain.json");
    let scenario = Scenario::from_json(&std::fs::read_to_string(path).expect("read")).expect("parse");
    let report = run(&scenario, Options { timeline: true, ..Options::default() });
    let timeline = report.timeline.expect("timeline kept");
    let places: Vec<&str> = timeline.of(1).iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        places,
        ["queued OUTB", "with 1001", "left 3-way of 1001", "end: hung_up_by_server.left_conference"],
        "{places:?}"
    );
    let chart = timeline.mermaid(5);
    assert!(chart.starts_with("gantt\n"));
    assert!(chart.contains("section customer 1"));
    assert!(chart.contains("with 1001 :1000, "));
}

// =====================================================================================
// Hostile scenarios: every loop bounded, every limit a load error (docs/reliability.md)
// =====================================================================================

const ONE_FRONTER: &str =
    r#""world": {"campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}]}"#;

fn scenario(rest: &str) -> Result<Scenario, vicixfer::sim::ScenarioError> {
    Scenario::from_json(&format!(r#"{{"name": "x", {ONE_FRONTER}{rest}}}"#))
}

#[test]
fn traffic_without_entry_sends_its_calls_to_every_staffed_campaign() {
    let s = scenario(
        r#", "traffic": {"calls": 10}, "world": {"campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}], "timing": {"max_ms": 100000000}}"#,
    );
    // (the second "world" would be a duplicate key: build it whole instead)
    assert!(s.is_err());
    let s = Scenario::from_json(
        r#"{"name": "x", "world": {"campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}],
            "timing": {"max_ms": 100000000}}, "traffic": {"calls": 10}}"#,
    )
    .expect("a valid scenario");
    let report = run(&s, Options::default());
    assert_eq!(report.ledger_entered, 10, "{report}");
    assert!(report.passed(), "{report}");
}

#[test]
fn traffic_that_cannot_produce_a_call_is_a_load_error() {
    let err =
        Scenario::from_json(r#"{"name": "x", "world": {"campaigns": [{"id": "OUTB"}]}, "traffic": {"calls": 10}}"#)
            .unwrap_err();
    assert!(err.to_string().contains("`traffic.entry`"), "{err}");
    let err = scenario(r#", "traffic": {"calls": 3, "entry": [{"campaign": "OUTB", "weight": 0}]}"#).unwrap_err();
    assert!(err.to_string().contains("every weight is 0"), "{err}");
    let err = scenario(r#", "traffic": {"calls": 3, "entry": [{"campaign": "NOPE"}]}"#).unwrap_err();
    assert!(err.to_string().contains("`traffic.entry[0]`"), "{err}");
}

#[test]
fn a_step_far_in_the_future_runs_without_ticking_through_the_idle_time() {
    let far = 1_000_000_000_000_000u64; // 31 700 years of 1-second polls
    let s = scenario(&format!(
        r#", "steps": [{{"at": {far}, "call": {{"entry": {{"campaign": "OUTB"}}}}}},
                       {{"at": {}, "agent": {{"user": "1001", "input": "agent-hangup"}}}}],
            "expect": {{"outcomes": {{"1": "hung_up_by_agent.agent"}}, "all_ended": true}}"#,
        far + 5000
    ))
    .expect("valid");
    let report = run(&s, Options::default());
    assert!(report.passed(), "{report}");
    assert!(report.virtual_ms >= far, "{report}");
    assert!(report.metrics.get("sim", "steps") < 10_000, "idle ticks were stepped:\n{report}");
}

#[test]
fn timings_out_of_range_are_load_errors_naming_the_field() {
    for (timing, field) in [
        (r#""poll_ms": 18446744073709551615"#, "world.timing.poll_ms"),
        (r#""cleanup_ms": 18446744073709551615"#, "world.timing.cleanup_ms"),
        (r#""poll_ms": 0"#, "world.timing.poll_ms"),
        (r#""max_ms": 18446744073709551615"#, "world.timing.max_ms"),
    ] {
        let text = format!(
            r#"{{"name": "x", "world": {{"campaigns": [{{"id": "OUTB"}}], "agents": [{{"user": "1001", "campaign": "OUTB"}}], "timing": {{{timing}}}}}}}"#
        );
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(err.to_string().contains(&format!("`{field}`")), "{timing}: {err}");
    }
    let err = scenario(r#", "steps": [{"at": 18446744073709551615, "customer_hangs_up": 1}]"#).unwrap_err();
    assert!(err.to_string().contains("`steps[0].at`"), "{err}");
    // Customers are numbered by lead id, a u64: any call count loads (the run is bounded
    // by `max_ms`), and customer numbers past u32::MAX are real customers of the run.
    let s = scenario(
        r#", "traffic": {"calls": 18446744073709551615}, "steps": [{"at": 5, "call": {"entry": {"campaign": "OUTB"}}}],
            "expect": {"outcomes": {"4294967296": "hung_up_by_agent.agent"}}"#,
    )
    .expect("u64 call counts load");
    assert_eq!(s.expect.outcomes.keys().copied().collect::<Vec<u64>>(), [4_294_967_296]);
}

#[test]
fn references_and_expectations_must_resolve() {
    for (rest, path) in [
        (r#", "steps": [{"at": 5, "agent": {"user": "9999", "input": "tick"}}]"#, "steps[0].agent.user"),
        (r#", "steps": [{"at": 5, "agent": {"user": "1001", "input": "jump"}}]"#, "steps[0].agent.input"),
        (r#", "steps": [{"at": 5, "third_party": {"agent": "9", "does": "answer"}}]"#, "steps[0].third_party.agent"),
        (r#", "steps": [{"at": 5, "call": {"entry": {"ingroup": "NOPE"}}}]"#, "steps[0].call.entry"),
        (r#", "expect": {"outcomes": {"1": "hung_up_by_agent.agent"}}"#, "expect.outcomes.1"),
        (
            r#", "steps": [{"at": 5, "call": {"entry": {"campaign": "OUTB"}}}], "expect": {"outcomes": {"1": "vanished"}}"#,
            "expect.outcomes.1",
        ),
        (r#", "expect": {"metrics": {"races.dropped": 1, "nonsense": 2}}"#, "expect.metrics.nonsense"),
    ] {
        let err = scenario(rest).unwrap_err();
        assert!(err.to_string().contains(&format!("`{path}`")), "{rest}: {err}");
    }
    let dup = r#"{"name": "x", "world": {"campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}, {"user": "1001", "campaign": "OUTB"}]}}"#;
    assert!(Scenario::from_json(dup).unwrap_err().to_string().contains("appears twice"));
    let lost = r#"{"name": "x", "world": {"agents": [{"user": "1001", "campaign": "NOWHERE"}]}}"#;
    assert!(Scenario::from_json(lost).unwrap_err().to_string().contains("`world.agents[0].campaign`"));
}

#[test]
fn every_way_of_reading_a_scenario_validates_it() {
    let text = r#"{"name": "x", "world": {"agents": [{"user": "1001", "campaign": "NOWHERE"}]}}"#;
    let err = serde_json::from_str::<Scenario>(text).unwrap_err().to_string();
    assert!(err.contains("`world.agents[0].campaign`"), "{err}");
    assert!(matches!(Scenario::from_json(text), Err(vicixfer::sim::ScenarioError::Invalid(_))));
}

#[test]
fn json_errors_name_the_field_path_and_the_line() {
    let text =
        "{\"name\": \"x\",\n \"world\": {\"campaigns\": [{\"id\": \"OUTB\",\n  \"config\": {\"manual_dail\": true}}]}}";
    let err = Scenario::from_json(text).unwrap_err().to_string();
    assert!(err.contains("world.campaigns[0].config"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("manual_dail"), "{err}");
}

#[test]
fn a_password_needing_percent_encoding_still_logs_the_crm_in() {
    let s = Scenario::from_json(
        r#"{"name": "x", "seed": 3, "world": {"api_user": {"user": "6666", "pass": "Zq9x+Secret/Pw=", "source": "crm"},
            "campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}]},
            "traffic": {"calls": 20, "fronter_plans": [{"plan": "three_way", "number": "3125550100"}]}}"#,
    )
    .expect("valid");
    let report = run(&s, Options::default());
    assert!(report.metrics.get("api", "requests") > 0, "{report}");
    assert_eq!(report.metrics.get("api_answers", "invalid_login"), 0, "{report}");
}

#[test]
fn a_shrunk_scenario_carries_no_password_and_still_fails_the_same_way() {
    fn no_blind(_: &Session, input: &Input, _: Result<&Step, &Rejection>) -> Result<(), String> {
        match input {
            Input::Api(vicixfer::ApiWrite::TransferConference(_)) => Err("invariant: no_transfer_writes".into()),
            _ => Ok(()),
        }
    }
    let s = Scenario::from_json(
        r#"{"name": "x", "seed": 5, "world": {"api_user": {"user": "6666", "pass": "Zq9xSecretPw", "source": "crm"},
            "campaigns": [{"id": "OUTB"}], "agents": [{"user": "1001", "campaign": "OUTB"}]},
            "traffic": {"calls": 30, "fronter_plans": [{"plan": "blind", "number": "3125550100"}]}}"#,
    )
    .expect("valid");
    let report = run(&s, Options { check: no_blind, ..Options::default() });
    let shrunk = report.violation.as_ref().and_then(|v| v.shrunk.clone()).expect("a shrunk scenario");
    let text = shrunk.to_json();
    assert!(!text.contains("Secret"), "{text}");
    let replay = run(&shrunk, Options { check: no_blind, shrink: false, ..Options::default() });
    assert!(replay.violation.as_ref().is_some_and(|v| v.detail.contains("no_transfer_writes")), "{text}\n{replay}");
}
