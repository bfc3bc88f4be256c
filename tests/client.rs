//! The typed client (feature `client`) against a loopback stub of api.php: a
//! `std::net::TcpListener` that answers each request with the crate's own api.php model
//! (`api::answer` on `examples/world.json`) or with a fixed broken answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;
use vicixfer::api::{answer, AgentRef, ApiError, Auth, Call, Directory, Line, Remedy, Request, Success};
use vicixfer::client::{Client, ClientError};
use vicixfer::{HangupSlot, ParkSlot, ParkValue};

/// What the stub does with one request: answer with a status and body, or hold the
/// connection without answering.
enum Stub {
    Answer(u16, String),
    Stall,
}

/// What the stub received: the request line and the body.
struct Received {
    request_line: String,
    body: String,
}

/// Serves one connection on a fresh loopback port; returns the api.php URL and the thread
/// that reports what was received.
fn serve(reply: impl FnOnce(&str) -> Stub + Send + 'static) -> (String, JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}/agc/api.php", listener.local_addr().expect("its address"));
    let thread = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut request_line = String::new();
        reader.read_line(&mut request_line).expect("the request line");
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).expect("a header");
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("a length");
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the body");
        let body = String::from_utf8(body).expect("utf-8");
        let mut stream = stream;
        match reply(&body) {
            Stub::Answer(status, text) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    text.len()
                );
                stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(text.as_bytes())).expect("answer");
            }
            Stub::Stall => std::thread::sleep(Duration::from_millis(1500)),
        }
        Received { request_line: request_line.trim_end().to_string(), body }
    });
    (url, thread)
}

/// The stub as api.php: the crate's model answers the form body.
fn api_php(body: &str) -> Stub {
    let dir = Directory::from_json(include_str!("../examples/world.json")).expect("the example world");
    Stub::Answer(200, answer(&dir, body, 1_764_000_000).body())
}

fn request(pass: &str, agent_user: &str, call: Call) -> Request {
    Request {
        auth: Auth { source: "crm".into(), user: "6666".into(), pass: pass.into() },
        agent: AgentRef { agent_user: agent_user.into(), alt_user: String::new() },
        call,
    }
}

fn park() -> Call {
    Call::ParkCall(ParkSlot::Known(ParkValue::ParkCustomer))
}

#[test]
fn a_typed_request_gets_its_typed_success_line() {
    let (url, stub) = serve(api_php);
    let req = request("1234", "1001", park());
    let success = Client::new(url).call(&req).expect("stored");
    assert_eq!(success, Success::ParkCall { value: "PARK_CUSTOMER".into(), agent_user: "1001".into() });
    let received = stub.join().expect("the stub");
    assert_eq!(received.request_line, "POST /agc/api.php HTTP/1.1");
    assert_eq!(received.body, req.to_query(), "the form body is the typed request's query");
}

#[test]
fn an_error_line_is_typed_and_classified() {
    // external_hangup has no call check: 1003 (paused, no call id) still gets SUCCESS.
    let (url, _stub) = serve(api_php);
    let ok = Client::new(url).call(&request("1234", "1003", Call::ExternalHangup(HangupSlot("1".into()))));
    assert_eq!(ok.expect("stored"), Success::ExternalHangup { value: "1".into(), agent_user: "1003".into() });
    let (url, _stub) = serve(api_php);
    let err = Client::new(url).call(&request("1234", "9999", park())).unwrap_err();
    assert!(matches!(&err, ClientError::Api(ApiError::NotLoggedIn { agent_user }) if agent_user == "9999"), "{err}");
    assert_eq!(err.remedy(), Remedy::RetryLater);
}

#[test]
fn send_returns_every_line_and_the_outcome() {
    let (url, _stub) = serve(|_: &str| {
        Stub::Answer(200, "ERROR: no user found - EMP9\nSUCCESS: park_call function set - PARK_CUSTOMER|1001\n".into())
    });
    let reply = Client::new(url).send(&request("1234", "1001", park())).expect("an answer");
    assert!(matches!(reply.earlier(), [Line::Error(ApiError::NoUserFound { .. })]));
    assert!(matches!(reply.outcome(), Line::Success(Success::ParkCall { .. })));
}

#[test]
fn no_error_shows_the_password() {
    let (url, _stub) = serve(api_php);
    let err = Client::new(url).call(&request("wrongpass", "1001", park())).unwrap_err();
    assert!(matches!(err, ClientError::Api(ApiError::InvalidLogin { .. })), "{err}");
    assert_eq!(err.remedy(), Remedy::FixSetup);
    let shown = format!("{err}");
    assert!(!shown.contains("wrongpass") && shown.contains("6666"), "{shown}");
}

#[test]
fn http_failures_are_classified() {
    type Case = (Stub, fn(&ClientError) -> bool, Remedy);
    let cases: [Case; 4] = [
        (
            Stub::Answer(502, "<html>Bad Gateway</html>".into()),
            |e| matches!(e, ClientError::Status { status: 502 }),
            Remedy::RetryLater,
        ),
        (Stub::Answer(404, "not found".into()), |e| matches!(e, ClientError::Status { status: 404 }), Remedy::FixSetup),
        (
            Stub::Answer(200, "<html>login page</html>".into()),
            |e| matches!(e, ClientError::NotApiPhp(_)),
            Remedy::FixSetup,
        ),
        (Stub::Answer(200, String::new()), |e| matches!(e, ClientError::Empty), Remedy::FixRequest),
    ];
    for (stub, is, remedy) in cases {
        let (url, _stub) = serve(move |_: &str| stub);
        let err = Client::new(url).send(&request("1234", "1001", park())).unwrap_err();
        assert!(is(&err), "{err:?}");
        assert_eq!(err.remedy(), remedy, "{err:?}");
    }
}

#[test]
fn a_silent_server_times_out() {
    let (url, _stub) = serve(|_: &str| Stub::Stall);
    let client = Client::with_timeouts(url, Duration::from_millis(200), Duration::from_millis(200));
    let err = client.send(&request("1234", "1001", park())).unwrap_err();
    assert!(matches!(err, ClientError::Timeout(d) if d == Duration::from_millis(200)), "{err:?}");
    assert_eq!(err.remedy(), Remedy::RetryLater);
}

#[test]
fn a_closed_port_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("addr").port();
    let err =
        Client::new(format!("http://127.0.0.1:{port}/agc/api.php")).send(&request("1234", "1001", park())).unwrap_err();
    assert!(matches!(err, ClientError::Unreachable(_)), "{err:?}");
    assert_eq!(err.remedy(), Remedy::RetryLater);
}
