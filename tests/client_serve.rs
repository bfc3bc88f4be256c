//! The typed client (feature `client`) against the real `vicixfer serve` (feature `serve`)
//! on an ephemeral loopback port with a manual clock: a warm transfer driven by typed
//! [`Request`]s, the typed answer lines, the legs read back through the control API, and
//! every failure the real server can produce classified by [`Remedy`]. What the server
//! cannot be made to do (stall, answer 5xx, print a foreign page) is covered by
//! tests/client.rs against a loopback stub.

use serde_json::Value;
use std::time::Duration;
use vicixfer::api::{
    AgentRef, ApiError, Auth, Call, CallerIdChoice, Dial, ErrorKind, Extras, Line, Override, Remedy, Request, Success,
    TransferCommand,
};
use vicixfer::client::{Client, ClientError};
use vicixfer::serve::{Clock, LogTo, Options, Server};
use vicixfer::sim::Scenario;
use vicixfer::{AgentState, CustomerAt, LegAt, ParkSlot, ParkValue, RoomId, Session, XferAt};

#[path = "../examples/crm_client.rs"]
mod crm_client;

/// A served default world (agents 1001-1006, closers 2001-2003, API user 6666/1234), no
/// traffic, time moving only when told.
fn start() -> (Server, String) {
    let mut scenario = Scenario::default_scenario();
    scenario.traffic = None;
    scenario.steps.clear();
    let mut options = Options::new(scenario, Clock::Manual);
    options.log = LogTo::Off;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("an ephemeral port");
    let server = Server::start(listener, options).expect("the server starts");
    let base = format!("http://{}", server.addr());
    (server, base)
}

fn api_url(base: &str) -> String {
    format!("{base}/agc/api.php")
}

/// A control call (the test's side: telephony and the clock), answered 200.
fn control(base: &str, path: &str, json: &str) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let mut r = if json.is_empty() {
        agent.get(&format!("{base}{path}")).call()
    } else {
        agent.post(&format!("{base}{path}")).header("Content-Type", "application/json").send(json)
    }
    .expect("the control API answers");
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().expect("a body");
    assert_eq!(status, 200, "{path} {json}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Agent `user`'s session as the server holds it, read back typed.
fn session(base: &str, user: &str) -> Session {
    let state = control(base, "/control/state", "");
    let desk = state["agents"].as_array().expect("agents").iter().find(|a| a["user"] == user).expect("the agent");
    serde_json::from_value(desk["session"].clone()).expect("a valid Session")
}

fn request(pass: &str, agent_user: &str, call: Call) -> Request {
    Request {
        auth: Auth { source: "crm".into(), user: "6666".into(), pass: pass.into() },
        agent: AgentRef { agent_user: agent_user.into(), alt_user: String::new() },
        call,
    }
}

fn transfer(command: TransferCommand) -> Call {
    Call::TransferConference { command, extras: Extras::default() }
}

fn dial(number: &str) -> Call {
    transfer(TransferCommand::DialWithCustomer(Dial::Number {
        number: number.into(),
        dial_override: Override::Keep,
        caller_id: CallerIdChoice::default(),
    }))
}

#[test]
fn a_warm_transfer_through_the_typed_client() {
    let (server, base) = start();
    let client = Client::new(api_url(&base));
    assert_eq!(control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#)["customer"], 1);

    // Stage 1: api.php stores the dial; the typed line says what it stored.
    let reply = client.send(&request("1234", "1001", dial("5551234"))).expect("an answer");
    assert!(reply.earlier().is_empty());
    let Line::Success(Success::TransferConference { value, ingroup, phone, consultative, agent_user, callerid, multi }) =
        reply.outcome().clone()
    else {
        panic!("not a transfer_conference SUCCESS: {:?}", reply.outcome())
    };
    assert_eq!(
        (value.as_str(), ingroup.as_str(), phone.as_str(), consultative.as_str(), agent_user.as_str()),
        ("DIAL_WITH_CUSTOMER", "", "5551234", "NO", "1001")
    );
    assert_eq!(callerid.len(), 20, "{callerid}");
    assert_eq!(multi, None);
    let s = session(&base, "1001");
    assert!(s.legs.xfers.is_empty(), "stored, not run yet: {s}");
    let room = s.room;

    // Stage 2: the screen polls and dials; the third party rings in the agent's room.
    control(&base, "/control/advance", r#"{"ms":1000}"#);
    let s = session(&base, "1001");
    let xfer = s.legs.xfers.first().expect("a third-party leg");
    assert_eq!(xfer.at, XferAt::Ringing(room), "{s}");
    assert_eq!(xfer.target.to_string(), "number \"5551234\"", "{s}");
    control(&base, "/control/inject", r#"{"action":"third_party","agent":"1001","does":"answer"}"#);
    // The screen learns of the answer from its next channel look (a tick, then the look's
    // answer: docs/screen-requests.md row 25); a leave before that would throw (F1).
    control(&base, "/control/advance", r#"{"ms":1000}"#);
    let (customer, third) = (s.legs.customers[0].id, xfer.id);
    assert_eq!(session(&base, "1001").legs.at(third), Some(LegAt::Xfer(XferAt::Room(room))));

    // The agent leaves the customer with the third party.
    let left = client.call(&request("1234", "1001", transfer(TransferCommand::Leave3WayCall))).expect("stored");
    assert!(matches!(&left, Success::TransferConference { value, .. } if value == "LEAVE_3WAY_CALL"), "{left}");
    control(&base, "/control/advance", r#"{"ms":4000}"#);
    let s = session(&base, "1001");
    assert_eq!(s.legs.at(customer), Some(LegAt::Customer(CustomerAt::Room(room))), "{s}");
    assert_eq!(s.legs.at(third), Some(LegAt::Xfer(XferAt::Room(room))), "{s}");
    assert_eq!(s.left.iter().map(|l| l.room).collect::<Vec<RoomId>>(), [room], "{s}");
    assert_ne!(s.room, room, "the agent moved to a new room: {s}");
    assert!(matches!(s.agent, AgentState::Dispo { .. }), "{s}");
    let state = control(&base, "/control/state", "");
    assert_eq!(
        (state["commands"]["executed"].as_u64(), state["commands"]["balanced"].as_bool()),
        (Some(2), Some(true))
    );

    // The call is over for the agent: a further command is refused, typed and classified.
    let err = client.call(&request("1234", "1001", transfer(TransferCommand::HangupXfer))).expect_err("no live call");
    let ClientError::Api(e) = &err else { panic!("not an api.php error: {err:?}") };
    assert_eq!(e.kind(), ErrorKind::NoLiveCall, "{e}");
    assert_eq!(err.remedy(), Remedy::RetryLater);
    server.shutdown().expect("clean shutdown");
}

#[test]
fn api_php_errors_from_the_server_are_typed_and_classified() {
    let (server, base) = start();
    let client = Client::new(api_url(&base));
    let park = Call::ParkCall(ParkSlot::Known(ParkValue::ParkCustomer));
    let cases = [
        (request("S3cret-pass", "1001", park.clone()), ErrorKind::InvalidLogin, Remedy::FixSetup),
        (request("1234", "1001", park.clone()), ErrorKind::NoLead, Remedy::RetryLater),
        (request("1234", "1099", park.clone()), ErrorKind::NotLoggedIn, Remedy::RetryLater),
        (request("1234", "1001", dial("5551234")), ErrorKind::NoLiveCall, Remedy::RetryLater),
    ];
    for (request, kind, remedy) in cases {
        let err = client.call(&request).expect_err("an ERROR line");
        let ClientError::Api(e) = &err else { panic!("not an api.php error: {err:?}") };
        assert_eq!((e.kind(), err.remedy()), (kind, remedy), "{e}");
        assert!(!err.to_string().contains("S3cret"), "{err}");
        assert!(!format!("{:?}", err.remedy()).is_empty());
    }
    // The login line echoes the password; the typed line can hide it.
    let reply = client.send(&request("S3cret-pass", "1001", park)).expect("an answer");
    let Line::Error(e @ ApiError::InvalidLogin { .. }) = reply.outcome() else { panic!("{:?}", reply.outcome()) };
    assert!(!e.redacted().to_string().contains("S3cret"), "{}", e.redacted());
    server.shutdown().expect("clean shutdown");
}

#[test]
fn transport_failures_against_the_server_are_classified() {
    let (server, base) = start();
    // The wrong path: the server's 404.
    let err = Client::new(format!("{base}/agc/apii.php"))
        .call(&request("1234", "1001", transfer(TransferCommand::HangupXfer)))
        .expect_err("not found");
    assert!(matches!(err, ClientError::Status { status: 404 }), "{err:?}");
    assert_eq!(err.remedy(), Remedy::FixSetup);
    // A path of the server that is not api.php: its answer is JSON, not api.php's lines.
    let err = Client::new(format!("{base}/control/reset"))
        .call(&request("1234", "1001", transfer(TransferCommand::HangupXfer)))
        .expect_err("not api.php");
    assert!(matches!(err, ClientError::NotApiPhp(_)), "{err:?}");
    assert_eq!(err.remedy(), Remedy::FixSetup);
    // The server stopped: the port refuses the connection, which is worth retrying later.
    server.shutdown().expect("clean shutdown");
    let client = Client::with_timeouts(api_url(&base), Duration::from_secs(5), Duration::from_secs(2));
    let err = client.call(&request("1234", "1001", transfer(TransferCommand::HangupXfer))).expect_err("refused");
    assert!(matches!(err, ClientError::Unreachable(_)), "{err:?}");
    assert_eq!(err.remedy(), Remedy::RetryLater);
    assert!(!err.to_string().contains("1234"), "{err}");
}

#[test]
fn the_readme_client_call_works_against_the_server() {
    let (server, base) = start();
    let url = api_url(&base);
    // No call on 1001 yet: api.php's answer, typed, and worth a retry.
    let err = crm_client::dial_third_party(&url).expect_err("no live call");
    assert_eq!(err.remedy(), Remedy::RetryLater, "{err}");
    control(&base, "/control/inject", r#"{"action":"call","agent":"1001"}"#);
    let success = crm_client::dial_third_party(&url).expect("stored");
    assert!(success
        .to_string()
        .starts_with("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|"));
    control(&base, "/control/advance", r#"{"ms":1000}"#);
    assert_eq!(session(&base, "1001").legs.xfers.len(), 1, "the screen dialled");
    server.shutdown().expect("clean shutdown");

    // The README shows the example's code, line for line.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let example = std::fs::read_to_string(root.join("examples/crm_client.rs")).expect("the example");
    let shown: &str = example
        .split("// README: begin")
        .nth(1)
        .and_then(|s| s.split_once('\n'))
        .map(|(_, s)| s)
        .and_then(|s| s.split("    // README: end").next())
        .expect("marks");
    assert!(shown.lines().count() > 10, "{shown}");
    for line in shown.lines() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        assert!(readme.lines().any(|l| l == line), "README.md lacks the example's line {line:?}");
    }
}
