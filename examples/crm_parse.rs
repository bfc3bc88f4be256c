//! A CRM reading api.php's answers: every body is parsed into typed [`Line`]s, successes
//! are acted on, and each error says what to do about it ([`Remedy`]).
//!
//! ```sh
//! cargo run --example crm_parse                 # the sample bodies below
//! cargo run --example crm_parse -- BODY...      # your own (use $'...\n' for newlines)
//! ```
//!
//! No HTTP here: the bodies are what a CRM's HTTP client received (feature `client` has a
//! typed client that sends the request too).

use vicixfer::api::{ApiError, Line, Remedy, Success};

/// Bodies as api.php prints them (one line each, except `no user found`, which precedes
/// the line that decides, and force_fronter's `SENT`, which has no newline).
pub const SAMPLES: &[&str] = &[
    "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|V1125080012000004711|\n",
    "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
    "SUCCESS: force_fronter_leave_3way SENT - 1002",
    "ERROR: no user found - EMP9999\nSUCCESS: external_hangup function set - 1|1001\n",
    "ERROR: agent_user does not have a live call - 1003\n",
    "ERROR: ingroup is not valid - OLDLINE\n",
    "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - HANGUP_XFER|7777|transfer_conference|CRM\n",
    "ERROR: agent_user has current active 3-way call - 1001|1|0|YES\n",
    "<html>502 Bad Gateway</html>",
];

/// What the CRM does with one line.
pub fn act_on(line: &Line) -> String {
    match line {
        Line::Success(Success::TransferConference { value, phone, agent_user, .. }) => {
            format!("agent {agent_user}: {value} to {phone:?} accepted; watch the screen for the result")
        }
        Line::Success(Success::ParkCall { value, agent_user } | Success::ExternalHangup { value, agent_user }) => {
            format!("agent {agent_user}: {value} accepted")
        }
        Line::Success(Success::FronterSent { fronter }) => format!("fronter {fronter} told to leave the 3-way"),
        Line::Success(other) => format!("accepted: {other}"),
        Line::Error(e) => {
            let what = match e.remedy() {
                Remedy::RetryLater => "retry when the agent's state changes",
                Remedy::FixRequest => "fix the request",
                Remedy::FixSetup => "ask an administrator",
                _ => "see the error",
            };
            // Log the kind, not the line: an InvalidLogin line echoes the password.
            let detail = match e {
                ApiError::InvalidLogin { user, .. } => format!("invalid login for {user}"),
                other => other.to_string(),
            };
            format!("{:?}: {what} ({detail})", e.kind())
        }
        _ => "not an answer (presentation, or a line of another function)".to_string(),
    }
}

fn main() {
    let given: Vec<String> = std::env::args().skip(1).collect();
    let bodies: Vec<&str> =
        if given.is_empty() { SAMPLES.to_vec() } else { given.iter().map(String::as_str).collect() };
    let unparsed = report(&bodies);
    println!("{unparsed} body(ies) were not api.php answers");
}

/// Prints what the CRM does with each body; returns how many were not api.php answers.
pub fn report(bodies: &[&str]) -> usize {
    let mut unparsed = 0;
    for &body in bodies {
        println!("body {body:?}");
        match Line::parse_body(body) {
            Ok(lines) => {
                // The last line decides; an earlier one (no user found) is a warning.
                for (i, line) in lines.iter().enumerate() {
                    let role = if i + 1 == lines.len() { "outcome" } else { "warning" };
                    println!("  {role}: {}", act_on(line));
                }
            }
            Err(e) => {
                unparsed += 1;
                println!("  not api.php: {e}");
            }
        }
    }
    unparsed
}
