//! A CRM calling api.php through the typed client (feature `client`): a typed
//! [`Request`] goes out as a form body, the typed [`Success`] line (or the `ERROR:` line,
//! with what to do about it) comes back.
//!
//! Try it against `vicixfer serve`, which answers exactly as api.php does and runs the agent
//! screens behind it:
//!
//! ```sh
//! cargo run -- serve --clock manual &
//! curl -s -X POST localhost:8080/control/inject -d '{"action":"call","agent":"1001"}'
//! cargo run --example crm_client --features client                # http://127.0.0.1:8080/agc/api.php
//! cargo run --example crm_client --features client -- http://10.10.10.15/agc/api.php
//! ```
//!
//! Without a call on agent 1001 api.php answers `ERROR: agent_user does not have a live
//! call - 1001` and the example says to retry later; without a server it says the server
//! could not be reached.

use vicixfer::api::{AgentRef, Auth, Call, CallerIdChoice, Dial, Extras, Override, Request, Success, TransferCommand};
use vicixfer::client::{Client, ClientError};

/// Asks api.php at `url` to dial 5551234 into agent 1001's call (a 3-way with the customer).
pub fn dial_third_party(url: &str) -> Result<Success, ClientError> {
    let client = Client::new(url); // 10 s timeout, 5 s to connect
                                   // README: begin (the lines down to `README: end` are in README.md)
    let request = Request {
        auth: Auth { source: "crm".into(), user: "6666".into(), pass: "1234".into() },
        agent: AgentRef { agent_user: "1001".into(), alt_user: String::new() },
        call: Call::TransferConference {
            command: TransferCommand::DialWithCustomer(Dial::Number {
                number: "5551234".into(),
                dial_override: Override::Keep,
                caller_id: CallerIdChoice::default(),
            }),
            extras: Extras::default(),
        },
    };
    let answer = client.call(&request);
    match &answer {
        Ok(success) => println!("stored: {success}"), // the screen runs it on its next poll
        Err(e) => eprintln!("{e} (what to do: {:?})", e.remedy()),
    }
    // README: end
    answer
}

#[allow(dead_code)] // tests/client_serve.rs calls `dial_third_party`, not `main`
fn main() -> std::process::ExitCode {
    let url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8080/agc/api.php".to_string());
    match dial_third_party(&url) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::FAILURE,
    }
}
