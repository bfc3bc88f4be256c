//! `vicixfer serve` over real HTTP on an ephemeral port: api.php's bytes, the control API,
//! the event stream, the clock, the error statuses and shutdown.
#![cfg(feature = "serve")]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc;
use std::time::Duration;
use vicixfer::api::with_post_fallback;
use vicixfer::hub::Hub;
use vicixfer::serve::{Clock, LogTo, Options, Server};
use vicixfer::sim::Scenario;
use vicixfer::{Event, Executed, Input, LeadId, NetEvent, Rejection, Session, Step, TransferFunction};

const AUTH: &str = "source=crm&user=6666&pass=1234";

fn world() -> Scenario {
    let mut s = Scenario::default_scenario();
    s.traffic = None;
    s.steps.clear();
    s
}

fn start_with(options: Options) -> (Server, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("an ephemeral port");
    let server = Server::start(listener, options).expect("the server starts");
    let base = format!("http://{}", server.addr());
    (server, base)
}

fn start() -> (Server, String) {
    let mut options = Options::new(world(), Clock::Manual);
    options.log = LogTo::Off;
    start_with(options)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

struct Got {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn got(mut r: ureq::http::Response<ureq::Body>) -> Got {
    let headers =
        r.headers().iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().expect("a text body");
    Got { status, headers, body }
}

fn get(base: &str, path: &str) -> Got {
    got(agent().get(&format!("{base}{path}")).call().expect("GET"))
}

fn post(base: &str, path: &str, content_type: &str, body: &str) -> Got {
    got(agent().post(&format!("{base}{path}")).header("Content-Type", content_type).send(body).expect("POST"))
}

fn control(base: &str, path: &str, json: &str) -> Got {
    post(base, path, "application/json", json)
}

fn state(base: &str) -> Value {
    let g = get(base, "/control/state");
    assert_eq!(g.status, 200);
    serde_json::from_str(&g.body).expect("state JSON")
}

fn api(base: &str, query: &str) -> String {
    let g = get(base, &format!("/agc/api.php?{query}"));
    assert_eq!(g.status, 200, "{query}");
    g.body
}

/// The corpus: every modelled function, successes and errors, odd spellings.
fn corpus() -> Vec<String> {
    let a = |rest: &str| format!("{AUTH}&agent_user=1001&{rest}");
    vec![
        a("function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234"),
        a("function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234&dial_override=YES"),
        a("function=transfer_conference&value=PARK_CUSTOMER_DIAL&phone_number=5551234&group_alias=MAINCID"),
        a("function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=SALESLINE&consultative=YES"),
        a("function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP"),
        a("function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=OLDLINE"),
        a("function=transfer_conference&value=BLIND_TRANSFER&phone_number=5559999"),
        a("function=transfer_conference&value=HANGUP_XFER"),
        a("function=transfer_conference&value=HANGUP_BOTH"),
        a("function=transfer_conference&value=LEAVE_VM"),
        a("function=transfer_conference&value=LEAVE_3WAY_CALL"),
        a("function=transfer_conference&value=NOPE"),
        a("function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234&group_alias=NOALIAS"),
        a("function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234&cid_choice=BOGUS"),
        a("function=park_call&value=PARK_CUSTOMER"),
        a("function=park_call&value=GRAB_CUSTOMER"),
        a("function=park_call&value=PARK_IVR_CUSTOMER"),
        a("function=park_call&value=SOMETHING"),
        a("function=external_hangup&value=1"),
        format!("{AUTH}&alt_user=K1&function=force_fronter_leave_3way&value=LOCAL_ONLY"),
        format!("{AUTH}&agent_user=2001&function=force_fronter_leave_3way&value=LOCAL_ONLY"),
        format!("{AUTH}&alt_user=NOBODY&agent_user=1001&function=park_call&value=PARK_CUSTOMER"),
        format!("{AUTH}&agent_user=1009&function=park_call&value=PARK_CUSTOMER"),
        format!("{AUTH}&agent_user=1002&function=transfer_conference&value=HANGUP_XFER"),
        format!("{AUTH}&agent_user=1001&function=external_status&value=A"),
        "source=c&user=6666&pass=1234&function=park_call".into(),
        "source=crm&user=6666&pass=wrong&agent_user=1001&function=park_call&value=PARK_CUSTOMER".into(),
        "source=crm&user=6666&p%61ss=1234&agent_user=1001&function=park_call&value=GRAB_CUSTOMER".into(),
        "source=crm&user=6666&pass=1234&agent.user=1001&function=transfer_conference&value=HANGUP_XFER".into(),
        "source=cr%6D&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=SALES+LINE"
            .into(),
        String::new(),
        "garbage&&==&%zz".into(),
    ]
}

/// A local hub in the same state as a fresh server that was handed one call for 1001.
fn twin() -> Hub {
    let mut hub = Hub::new(&world().world);
    let d = hub.desk_of("1001").expect("1001");
    hub.start_call(d, 0, None, 1);
    hub.step(d, Input::Net(NetEvent::CallArrives { lead: LeadId(1) })).expect("a call");
    hub
}

#[test]
fn get_and_post_bodies_and_headers_are_api_php_s() {
    let (server, base) = start();
    assert_eq!(control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#).body, r#"{"customer":1}"#);
    let mut hub = twin();
    for (i, query) in corpus().iter().enumerate() {
        let (g, want) = if i % 2 == 0 {
            (get(&base, &format!("/agc/api.php?{query}")), hub.request(query, 0).answer.body())
        } else {
            // The first half of the pairs in the query string, the rest in a form body, with
            // a `source` the query's own must shadow (GET before POST).
            let pairs: Vec<&str> = query.split('&').collect();
            let (q, b) = pairs.split_at(pairs.len() / 2);
            let (q, b) = (q.join("&"), b.join("&") + "&source=overridden");
            let merged = with_post_fallback(&q, &b);
            let want = hub.request(if q.contains("source=") { query } else { &merged }, 0).answer.body();
            (post(&base, &format!("/agc/api.php?{q}"), "application/x-www-form-urlencoded", &b), want)
        };
        assert_eq!(g.status, 200);
        assert_eq!(g.body, want, "request {i}: {query}");
        let h = |name: &str| g.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        assert_eq!(h("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(h("cache-control"), Some("no-cache, must-revalidate"));
        assert_eq!(h("pragma"), Some("no-cache"));
    }
    // A body that is not a form is not read, as PHP leaves $_POST empty.
    let q = format!("{AUTH}&agent_user=1001");
    let json = post(&base, &format!("/agc/api.php?{q}"), "application/json", "function=park_call&value=PARK_CUSTOMER");
    assert_eq!(json.body, hub.request(&q, 0).answer.body());
    server.shutdown().expect("clean shutdown");
}

/// A multipart body of these fields (a `filename` part among them, which PHP files away).
fn multipart(boundary: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\n\r\nfunction=x\r\n"
    );
    for (name, value) in fields {
        body += &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
    }
    body + &format!("--{boundary}--\r\n")
}

#[test]
fn a_multipart_body_fills_post_as_php_reads_it() {
    let (server, base) = start();
    control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#);
    let mut hub = twin();
    let q = format!("{AUTH}&agent_user=1001");
    // Raw bytes, not urlencoded: `+` stays a plus, `%41` stays three characters.
    let fields =
        [("function", "transfer_conference"), ("value", "DIAL_WITH_CUSTOMER"), ("phone_number", "5551+234%41")];
    let body = multipart("----vicixfer7MA4YWxk", &fields);
    let ct = "multipart/form-data; boundary=----vicixfer7MA4YWxk";
    let got = post(&base, &format!("/agc/api.php?{q}"), ct, &body);
    let want = hub
        .request(&format!("{q}&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551%2B234%2541"), 0);
    assert_eq!(got.status, 200);
    assert_eq!(got.body, want.answer.body());
    // Decoded as a query, `%41` would have become `A` and been filtered away.
    assert!(got.body.starts_with("SUCCESS:") && got.body.contains("|555123441|"), "{}", got.body);
    // Without a boundary PHP leaves $_POST empty: the answer is the query's alone.
    let bare = post(&base, &format!("/agc/api.php?{q}"), "multipart/form-data", &body);
    assert_eq!(bare.body, hub.request(&q, 0).answer.body());
    server.shutdown().expect("clean shutdown");
}

/// Reads the event stream on a thread; lines come out of the channel.
fn stream(base: &str) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let url = format!("{base}/control/events");
    std::thread::spawn(move || {
        let Ok(r) = agent().get(&url).call() else { return };
        let _ = ready_tx.send(());
        let reader = BufReader::new(r.into_body().into_reader());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ") {
                if let Ok(v) = serde_json::from_str(data) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        }
    });
    ready_rx.recv_timeout(Duration::from_secs(20)).expect("the stream opens");
    rx
}

fn drain(rx: &mpsc::Receiver<Value>, until: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    while let Ok(v) = rx.recv_timeout(Duration::from_secs(20)) {
        let done = until(&v);
        seen.push(v);
        if done {
            return seen;
        }
    }
    panic!("the stream ended before the expected event: {seen:?}");
}

fn desk<'a>(state: &'a Value, user: &str) -> &'a Value {
    state["agents"].as_array().and_then(|a| a.iter().find(|d| d["user"] == user)).expect("the agent")
}

/// api.php answers `version` and the coffee functions before any check (api.php lines
/// 570-597); the teapot's status is 418.
#[test]
fn version_and_coffee_are_answered_before_the_checks() {
    let (server, base) = start();
    let version = get(&base, "/agc/api.php?function=version");
    assert_eq!(
        (version.status, version.body.as_str()),
        (200, "VERSION: 2.14-81|BUILD: 240429-2220|DATE: 2025-11-24 16:00:00|EPOCH: 1764000000\n")
    );
    let coffee = post(&base, "/agc/api.php", "application/x-www-form-urlencoded", "function=brew_coffee");
    assert_eq!((coffee.status, coffee.body.as_str()), (418, "Coffee: brew_coffee|Error 418 I'm a teapot"));
    assert_eq!(get(&base, "/agc/api.php?function=coffe").body, "ERROR: Invalid Source - \n");
    // A PHP fatal error (a TypeError on an array parameter) is api.php's 500 with what was
    // printed before it: nothing.
    let q = format!("{AUTH}&agent_user=1001&function=park_call&value[]=PARK_CUSTOMER");
    let fatal = get(&base, &format!("/agc/api.php?{q}"));
    assert_eq!((fatal.status, fatal.body.as_str()), (500, ""));
    server.shutdown().expect("clean shutdown");
}

#[test]
fn a_warm_transfer_end_to_end() {
    let (server, base) = start();
    let events = stream(&base);
    assert_eq!(control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#).status, 200);
    let dial = api(
        &base,
        &format!("{AUTH}&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234"),
    );
    assert!(dial.starts_with("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|"), "{dial}");
    let s = state(&base);
    assert!(desk(&s, "1001")["session"]["slots"]["transferconf"]["value"].is_object(), "stored, not yet run");
    assert_eq!(control(&base, "/control/advance", r#"{"ms":1000}"#).body, r#"{"now_ms":1000}"#);
    let s = state(&base);
    let d = &desk(&s, "1001")["session"];
    assert_eq!(d["legs"]["xfers"][0]["at"], serde_json::json!({"Ringing": 8600000}), "{d}");
    let answered = control(&base, "/control/inject", r#"{"action":"third_party","agent":"1001","does":"answer"}"#);
    assert_eq!(answered.status, 200, "{}", answered.body);
    let s = state(&base);
    assert_eq!(desk(&s, "1001")["session"]["legs"]["xfers"][0]["at"], serde_json::json!({"Room": 8600000}));
    // The next tick's channel look finds the third party (docs/screen-requests.md row 25);
    // a leave before that would throw in the poll handler (F1).
    control(&base, "/control/advance", r#"{"ms":1000}"#);
    assert_eq!(desk(&state(&base), "1001")["session"]["screen"]["xfer_channel"], 2);
    let leave = api(&base, &format!("{AUTH}&agent_user=1001&function=transfer_conference&value=LEAVE_3WAY_CALL"));
    assert!(leave.starts_with("SUCCESS: transfer_conference function set - LEAVE_3WAY_CALL"), "{leave}");
    control(&base, "/control/advance", r#"{"ms":4000}"#);
    let s = state(&base);
    let d = &desk(&s, "1001")["session"];
    // The agent left: customer and third party talk on in the old room, a left-3way conference.
    assert_eq!(d["legs"]["customers"][0]["at"], serde_json::json!({"Room": 8600000}), "{d}");
    assert_eq!(d["legs"]["xfers"][0]["at"], serde_json::json!({"Room": 8600000}), "{d}");
    assert_eq!(d["left"][0]["room"], 8600000, "{d}");
    assert_ne!(d["room"], 8600000, "{d}");
    assert_eq!(s["commands"]["stored"], 2);
    assert_eq!(s["commands"]["executed"], 2);
    assert_eq!(s["commands"]["balanced"], true);
    let seen = drain(&events, |v| {
        v["kind"] == "step"
            && v["events"].as_array().is_some_and(|e| e.iter().any(|e| e.get("LeftConference").is_some()))
    });
    let steps: Vec<&Value> = seen.iter().filter(|v| v["kind"] == "step" && v["agent"] == "1001").collect();
    let has = |event: Value| steps.iter().any(|v| v["events"].as_array().is_some_and(|e| e.contains(&event)));
    assert!(has(serde_json::json!({"Executed": {"Transfer": "DialWithCustomer"}})), "{steps:?}");
    assert!(has(serde_json::json!({"Executed": {"Transfer": "Leave3WayCall"}})), "{steps:?}");
    assert!(seen
        .iter()
        .any(|v| v["kind"] == "api" && v["query"].as_str().is_some_and(|q| q.contains("pass=[REDACTED]"))));
    assert!(seen.iter().all(|v| !v.to_string().contains("pass=1234")));
    server.shutdown().expect("clean shutdown");
}

/// The same requests on a fresh world give the same state (the manual clock).
#[test]
fn the_manual_clock_is_deterministic() {
    let script = |base: &str| {
        control(base, "/control/inject", r#"{"action":"call","campaign":"OUTB"}"#);
        control(base, "/control/inject", r#"{"action":"call","ingroup":"SALESLINE"}"#);
        api(base, &format!("{AUTH}&agent_user=1001&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=SALESLINE&consultative=YES"));
        control(base, "/control/advance", r#"{"ms":2500}"#);
        api(base, &format!("{AUTH}&agent_user=2001&function=park_call&value=PARK_CUSTOMER"));
        control(base, "/control/advance", r#"{"ms":40000}"#);
        control(base, "/control/inject", r#"{"action":"customer_hangs_up","customer":1}"#);
        control(base, "/control/advance", r#"{"ms":10000}"#);
        get(base, "/control/state").body
    };
    let (a, base_a) = start();
    let (b, base_b) = start();
    let first = script(&base_a);
    assert_eq!(first, script(&base_b));
    assert_eq!(control(&base_a, "/control/reset", "{}").status, 200);
    assert_eq!(script(&base_a), first, "reset starts over");
    let s: Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(s["now_ms"], 52_500);
    assert_eq!(s["customers_entered"], 2);
    assert_eq!(s["violations"], 0);
    assert_eq!(s["commands"]["balanced"], true);
    a.shutdown().expect("clean shutdown");
    b.shutdown().expect("clean shutdown");
}

#[test]
fn bad_requests_get_their_status_and_change_nothing() {
    let (server, base) = start();
    let before = get(&base, "/control/state").body;
    let put = got(agent().put(&format!("{base}/agc/api.php")).send("x").expect("PUT"));
    assert_eq!(put.status, 405);
    assert_eq!(got(agent().delete(&format!("{base}/control/state")).call().expect("DELETE")).status, 405);
    assert_eq!(get(&base, "/control/inject").status, 405);
    assert_eq!(get(&base, "/agc/vicidial.php").status, 404);
    assert_eq!(get(&base, "/nope").status, 404);
    let big = "value=".to_string() + &"A".repeat(70 * 1024);
    assert_eq!(post(&base, "/agc/api.php", "application/x-www-form-urlencoded", &big).status, 413);
    assert_eq!(get(&base, &format!("/agc/api.php?value={}", "A".repeat(17 * 1024))).status, 414);
    for (path, body) in [
        ("/control/inject", "{"),
        ("/control/inject", r#"{"action":"fly"}"#),
        ("/control/inject", r#"{"action":"dispo","agent":"9999"}"#),
        ("/control/inject", r#"{"action":"call","campaign":"NOPE"}"#),
        ("/control/inject", r#"{"action":"call","agent":"1001","campaign":"OUTB"}"#),
        ("/control/inject", r#"{"action":"agent","agent":"1001","input":"call 5"}"#),
        ("/control/advance", r#"{"ms":-1}"#),
        ("/control/advance", r#"{"ms":1,"extra":2}"#),
    ] {
        let g = control(&base, path, body);
        assert_eq!(g.status, 400, "{path} {body}: {}", g.body);
        assert!(serde_json::from_str::<Value>(&g.body).expect("JSON")["error"].is_string());
    }
    // Moot: nothing to answer, nobody on a call.
    for body in [
        r#"{"action":"third_party","agent":"1001","does":"answer"}"#,
        r#"{"action":"dispo","agent":"1001"}"#,
        r#"{"action":"customer_hangs_up","customer":7}"#,
    ] {
        assert_eq!(control(&base, "/control/inject", body).status, 409, "{body}");
    }
    assert_eq!(get(&base, "/control/state").body, before, "refused requests change nothing");
    server.shutdown().expect("clean shutdown");
}

#[test]
fn a_real_clock_refuses_to_be_advanced_and_ticks_by_itself() {
    let mut options = Options::new(world(), Clock::Real);
    options.log = LogTo::Off;
    let (server, base) = start_with(options);
    assert_eq!(control(&base, "/control/advance", r#"{"ms":5}"#).status, 409);
    control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#);
    api(
        &base,
        &format!("{AUTH}&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234"),
    );
    // The screen polls within poll_ms (1 s) of wall time; wait for the dial on the stream.
    let events = stream(&base);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let s = state(&base);
        if desk(&s, "1001")["session"]["legs"]["xfers"].as_array().is_some_and(|x| !x.is_empty()) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the screen never polled: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(events);
    server.shutdown().expect("clean shutdown");
}

fn no_dials(_: &Session, _: &Input, outcome: Result<&Step, &Rejection>) -> Result<(), String> {
    match outcome {
        Ok(step) if step.events.contains(&Event::Executed(Executed::Transfer(TransferFunction::DialWithCustomer))) => {
            Err("no_dials: a dial executed".into())
        }
        _ => Ok(()),
    }
}

/// Manual-clock options logging to a fresh file of this test.
fn logging_to(test: &str) -> (std::path::PathBuf, Options) {
    let dir = std::env::temp_dir().join(format!("vicixfer-serve-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let log = dir.join("requests.jsonl");
    let _ = std::fs::remove_file(&log);
    let mut options = Options::new(world(), Clock::Manual);
    options.log = LogTo::File(log.clone());
    (log, options)
}

#[test]
fn a_violation_goes_to_the_stream_and_the_log_and_the_world_goes_on() {
    let (log, mut options) = logging_to("violation");
    options.check = no_dials;
    let (server, base) = start_with(options);
    let events = stream(&base);
    control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#);
    api(
        &base,
        &format!("{AUTH}&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234"),
    );
    control(&base, "/control/advance", r#"{"ms":1000}"#);
    let seen = drain(&events, |v| v["kind"] == "violation");
    assert!(seen.last().and_then(|v| v["detail"].as_str()).is_some_and(|d| d.contains("no_dials")), "{seen:?}");
    let s = state(&base);
    assert_eq!(s["violations"], 1);
    assert!(
        api(&base, &format!("{AUTH}&agent_user=1001&function=park_call&value=PARK_CUSTOMER")).starts_with("SUCCESS")
    );
    server.shutdown().expect("clean shutdown");
    let text = std::fs::read_to_string(&log).expect("the log");
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    assert!(lines.iter().any(|l| l["kind"] == "violation"), "{text}");
    assert!(lines.iter().any(|l| l["path"] == "/agc/api.php" && l["status"] == 200), "{text}");
    assert!(!text.contains("pass=1234") && text.contains("pass=[REDACTED]"), "{text}");
}

#[test]
fn the_log_redacts_the_password_however_it_is_spelled() {
    let (log, options) = logging_to("redact");
    let (server, base) = start_with(options);
    for q in ["pass=s3cr3t", "PASS=s3cr3t", "p%61ss=s3cr3t", "pass%5B%5D=s3cr3t", "+pass=s3cr3t"] {
        api(&base, &format!("source=crm&user=6666&{q}&function=version"));
        post(&base, "/agc/api.php?source=crm", "application/x-www-form-urlencoded", &format!("user=6666&{q}"));
    }
    for name in ["pass", "PASS", "pass[]", " pass"] {
        let body = multipart("b0undary", &[("user", "6666"), (name, "s3cr3t")]);
        post(&base, "/agc/api.php?source=crm", "multipart/form-data; boundary=b0undary", &body);
    }
    server.shutdown().expect("clean shutdown");
    let text = std::fs::read_to_string(&log).expect("the log");
    assert_eq!(text.lines().count(), 14, "{text}");
    assert!(!text.contains("s3cr3t"), "{text}");
}

#[test]
fn the_page_is_self_contained() {
    let (server, base) = start();
    let page = get(&base, "/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("EventSource(\"/control/events\")"));
    for external in ["http://", "https://", "src=\"//", "href=\"//"] {
        assert!(!page.body.contains(external), "external asset {external}");
    }
    server.shutdown().expect("clean shutdown");
}

#[test]
fn shutdown_stops_listening_and_ends_the_streams() {
    let (server, base) = start();
    let events = stream(&base);
    let addr = server.addr();
    server.shutdown().expect("clean shutdown");
    assert!(events.recv_timeout(Duration::from_secs(20)).is_err(), "the stream ended");
    assert!(std::net::TcpStream::connect(addr).is_err(), "nobody listens any more");
}

#[cfg(unix)]
#[test]
fn the_command_prints_its_url_and_exits_0_on_ctrl_c() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vicixfer"))
        .args(["serve", "--listen", "127.0.0.1:0", "--clock", "manual"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("vicixfer serve starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("the first line");
    let base = line.split_whitespace().find_map(|w| w.strip_prefix("http://")).expect("a URL");
    let base = format!("http://{}", base.trim_end_matches('/'));
    assert!(api(&base, &format!("{AUTH}&agent_user=1001&function=park_call&value=PARK_CUSTOMER")).starts_with("ERROR:"));
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let code = child.wait().expect("it exits");
    assert_eq!(code.code(), Some(0));
    let mut err = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("the log");
    assert!(err.contains("\"path\":\"/agc/api.php\""), "{err}");
}

/// Raw bytes to the server on one connection; what it sends back before closing.
fn raw(addr: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(addr).expect("connects");
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(30))).expect("a read timeout");
    tcp.write_all(request).expect("sent");
    let mut back = Vec::new();
    let _ = tcp.read_to_end(&mut back);
    String::from_utf8_lossy(&back).into_owned()
}

/// Hostile HTTP: a Content-Length far past the body limit is refused before any body is
/// read; NUL bytes and invalid UTF-8 in the query are api.php's business, not a crash; a
/// request whose headers never end (slowloris) is dropped at the request time limit
/// instead of holding its connection for ever.
#[test]
fn hostile_requests_are_bounded() {
    let mut options = Options::new(world(), Clock::Manual);
    options.log = LogTo::Off;
    options.limits.request_timeout = std::time::Duration::from_millis(300);
    let (server, base) = start_with(options);
    let addr = base.trim_start_matches("http://").to_string();
    let huge = format!(
        "POST /agc/api.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nvalue=",
        u64::MAX
    );
    let back = raw(&addr, huge.as_bytes());
    // (hyper refuses a length this size while reading the headers: 431)
    assert!(["413", "431"].iter().any(|s| back.starts_with(&format!("HTTP/1.1 {s}"))), "{back}");
    let past = "POST /agc/api.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\nvalue=";
    let back = raw(&addr, past.as_bytes());
    assert!(back.starts_with("HTTP/1.1 413"), "a body past max_body: {back}");
    let nul = get(&base, "/agc/api.php?source=t&user=%00%ff%fe&pass=%00&function=park_call&value=%c0%80");
    assert_eq!(nul.status, 200, "{}", nul.body);
    assert!(nul.body.starts_with("ERROR: "), "{}", nul.body);
    // Headers that never end: the connection is closed (with a 408 or without an answer).
    let back = raw(&addr, b"GET /agc/api.php?source=t HTTP/1.1\r\nHost: x\r\nX-Slow: a");
    assert!(back.is_empty() || back.starts_with("HTTP/1.1 408"), "{back}");
    server.shutdown().expect("clean shutdown");
}

/// A log that cannot be written (a full disk) does not stop the server, and the shutdown
/// names it (before, every write error was dropped and the shutdown said nothing).
#[test]
fn a_full_log_disk_is_reported_at_shutdown_and_the_server_goes_on() {
    let mut options = Options::new(world(), Clock::Manual);
    options.log = LogTo::File("/dev/full".into());
    let (server, base) = start_with(options);
    for _ in 0..3 {
        assert_eq!(get(&base, "/agc/api.php?function=version").status, 200);
    }
    let e = server.shutdown().expect_err("the log failed");
    assert!(e.to_string().contains("log /dev/full"), "{e}");
}
