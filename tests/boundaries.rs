//! Hostile and careless input at every boundary the library exposes (see
//! docs/reliability.md): answer bodies, sessions read from JSON, scenarios.

use vicixfer::api::{ApiError, Line, Success};

/// A long body with one bad line at its end: one pass, no recursion (the old search
/// recursed once per line and overflowed the stack at this size).
#[test]
fn a_long_body_with_a_bad_last_line_fails_in_one_pass_naming_the_line() {
    let mut body = "ERROR: Invalid Source - a\n".repeat(300_000);
    body.push_str("SUCCESS: park_call\n");
    let err = Line::parse_body(&body).expect_err("the last line is no answer line");
    assert_eq!(err.number, 300_001);
    assert_eq!(err.excerpt, "SUCCESS: park_call\n");
}

/// Many continuation lines (fields holding newlines) are not a search either.
#[test]
fn a_long_run_of_continuation_lines_parses_as_one_line() {
    let body = format!("ERROR: no user found - {}\n", "x\n".repeat(200_000));
    let lines = Line::parse_body(&body).expect("one line");
    assert_eq!(lines.len(), 1);
}

#[test]
fn crlf_bodies_parse_like_lf_bodies() {
    let body = "ERROR: no user found - NOBODY\r\nSUCCESS: park_call function set - PARK_CUSTOMER|1001\r\n";
    assert_eq!(
        Line::parse_body(body),
        Ok(vec![
            Line::Error(ApiError::NoUserFound { alt_user: "NOBODY".into() }),
            Line::Success(Success::ParkCall { value: "PARK_CUSTOMER".into(), agent_user: "1001".into() }),
        ])
    );
    assert_eq!(Line::parse("ERROR: System API NOT ACTIVE\r\n"), Ok(Line::Error(ApiError::ApiNotActive)));
}

#[test]
fn lines_of_other_functions_are_other_lines() {
    for text in [
        "NOTICE: no calls in queue - 1001",
        "VERSION: 2.14-81|BUILD: 240429-2220|DATE: 2026-01-01 00:00:00|EPOCH: 1|",
        "ERROR: recording not valid - X|1001",
        "SUCCESS: external_pause function set - PAUSE|1001",
        "|SELECT count(*) from vicidial_users;|",
    ] {
        assert_eq!(Line::parse(&format!("{text}\n")), Ok(Line::Other(text.into())), "{text}");
        assert_eq!(Line::Other(text.into()).to_string(), format!("{text}\n"));
    }
    let body = "NOTICE: x - y\nERROR: no fronter found - 1005\n";
    assert_eq!(Line::parse_body(body).map(|l| l.len()), Ok(2));
    // Malformed lines of the four functions stay errors.
    for bad in ["SUCCESS: park_call function set - x", "ERROR: agent_user is not logged in", "garbage", "ERROR: "] {
        assert!(Line::parse(bad).is_err(), "{bad:?}");
    }
}

// ---- sessions and settings read from JSON ---------------------------------------------

fn session_json(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut s = vicixfer::Session::default();
    s.handle(vicixfer::NetEvent::CallArrives { lead: vicixfer::LeadId(42) }).expect("a call");
    let mut v = serde_json::to_value(&s).expect("serialises");
    edit(&mut v);
    v.to_string()
}

#[test]
fn a_reachable_session_round_trips() {
    let text = session_json(|_| ());
    let back: vicixfer::Session = serde_json::from_str(&text).expect("valid");
    assert_eq!(serde_json::to_value(&back).unwrap(), serde_json::from_str::<serde_json::Value>(&text).unwrap());
}

#[test]
fn impossible_sessions_are_refused_not_loaded() {
    // (what the error says, the field, its impossible value)
    let cases = [
        ("cooldown", "/screen/cooldown", serde_json::json!(9)),
        ("never handed out", "/next_leg", serde_json::json!(1)),
        ("next_leg is 0", "/next_leg", serde_json::json!(0)),
        ("unknown", "/legs/customers/0/at", serde_json::json!({"Room": 1})),
        ("left_rooms_distinct", "/left", serde_json::json!([{"room": 8600051, "lonely_checks": 0}])),
    ];
    for (want, field, value) in cases {
        let text = session_json(|v| *v.pointer_mut(field).expect("the field") = value);
        let err = serde_json::from_str::<vicixfer::Session>(&text).expect_err(want).to_string();
        assert!(err.contains(want), "{want}: {err}");
    }
    let text = session_json(|v| v["tea"] = 1.into());
    let err = serde_json::from_str::<vicixfer::Session>(&text).expect_err("unknown field").to_string();
    assert!(err.contains("unknown field `tea`"), "{err}");
}

#[test]
fn unknown_config_fields_are_refused() {
    let err = serde_json::from_str::<vicixfer::Config>(r#"{"manual_dail": true}"#).expect_err("typo").to_string();
    assert!(err.contains("manual_dail"), "{err}");
    let err = serde_json::from_str::<vicixfer::Config>(r#"{"transfer_no_dispo": {"locl": true}}"#).expect_err("typo");
    assert!(err.to_string().contains("locl"), "{err}");
}

// ---- ids past u32::MAX ------------------------------------------------------------------

/// Leg ids handed out past `u32::MAX` keep increasing: before ids were `u32` and
/// saturated, so every leg after the 4,294,967,295th got the same id and a driver keying
/// its channels by leg id mixed them up.
#[test]
fn leg_ids_past_u32_max_stay_distinct() {
    let near = u64::from(u32::MAX) - 1;
    let text = session_json(|v| v["next_leg"] = near.into());
    let mut s: vicixfer::Session = serde_json::from_str(&text).expect("a valid session");
    let mut handed_out = Vec::new();
    for id in 7..10 {
        let dial = format!("transfer DIAL_WITH_CUSTOMER------5551234---NO------------{id}---");
        for line in [dial.as_str(), "tick"] {
            s.handle(line.parse::<vicixfer::Input>().expect("an input")).expect("accepted");
        }
        let leg = s.legs.xfers.last().unwrap_or_else(|| panic!("a third party ringing: {s}")).id;
        handed_out.push(leg.to_string());
        s.handle(vicixfer::NetEvent::Rejected(leg)).expect("accepted");
        for _ in 0..3 {
            s.handle(vicixfer::ScreenInput::Tick).expect("a tick"); // the dial cooldown
        }
    }
    assert_eq!(handed_out, ["leg 4294967294", "leg 4294967295", "leg 4294967296"]);
    // The session with an id past u32::MAX reads back from JSON (numbers stay numbers).
    let back: vicixfer::Session = serde_json::from_str(&serde_json::to_string(&s).unwrap()).expect("loads");
    assert_eq!(back, s);
}

/// Lead ids are `u64` in every text form: the drive line, JSON, and the `Display` text.
#[test]
fn lead_ids_past_u32_max_parse_and_round_trip() {
    let input: vicixfer::Input = "call 4294967296".parse().expect("a lead past u32::MAX");
    assert_eq!(input.to_string(), "call 4294967296");
    let mut s = vicixfer::Session::default();
    s.handle(input).expect("a call");
    assert_eq!(s.lead().map(|l| l.to_string()).as_deref(), Some("lead 4294967296"));
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("4294967296"), "{json}");
    assert_eq!(serde_json::from_str::<vicixfer::Session>(&json).expect("loads"), s);
}

// ---- hostile JSON -------------------------------------------------------------------

/// Deep nesting, numbers past every integer type and NUL bytes are errors, never a stack
/// overflow nor a silent wrap (serde_json's recursion limit of 128, typed fields).
#[test]
fn hostile_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(serde_json::from_str::<vicixfer::Session>(&deep).is_err());
    assert!(serde_json::from_str::<vicixfer::Config>(&deep).is_err());
    let nested = format!(r#"{{"users": {}{}}}"#, "[".repeat(50_000), "]".repeat(50_000));
    assert!(vicixfer::api::Directory::from_json(&nested).is_err());
    assert!(vicixfer::sim::Scenario::from_json(&deep).is_err());
    let huge = session_json(|v| v["next_leg"] = serde_json::json!(1e30));
    assert!(serde_json::from_str::<vicixfer::Session>(&huge).is_err(), "a float is no leg id");
    let past = session_json(|_| ()).replace("\"next_leg\":2", "\"next_leg\":18446744073709551616");
    assert!(serde_json::from_str::<vicixfer::Session>(&past).is_err(), "past u64::MAX");
    let nul = r#"{"campaigns": [{"id": "OU\u0000TB"}], "agents": [{"user": "1001", "campaign": "OUTB"}]}"#;
    let scenario = format!(r#"{{"name": "x", "world": {nul}}}"#);
    let err = vicixfer::sim::Scenario::from_json(&scenario).expect_err("the agent's campaign is not OU\\0TB");
    assert!(err.to_string().contains("agents[0]"), "{err}");
}

/// Carriage returns before a line end are the line end's, however many: a parsed line
/// always renders to text that parses again (found by the answer_text fuzz target: a line
/// `OR: \r\r\n` parsed as `Other("OR: \r")`, which rendered to `OR: \r\n`, which did not).
#[test]
fn carriage_returns_before_a_line_end_belong_to_it() {
    let body = "ERROR: Invalid Source - x\r\r\nOR: \r\r\nNOTICE: a\r\r\r";
    for line in Line::parse_body(body).into_iter().flatten() {
        let rendered = line.to_string();
        assert!(Line::parse(&rendered).is_ok(), "{line:?} renders to {rendered:?}");
    }
    assert!(Line::parse("OR: \r\r\n").is_err(), "an empty message is no line");
    assert_eq!(Line::parse("NOTICE: a\r\r\n"), Ok(Line::Other("NOTICE: a".into())));
}
