//! A stateful reference-model test (proptest-state-machine) of the API layer over
//! sequences of requests: the model, written from the specification, tracks what api.php
//! has stored in each agent's three slots and the press-1 multi-dial rows, and what each
//! answer must be; the system under test is `api::answer` plus `Directory::apply` on a
//! directory, with the server clock advancing between requests. This covers what a
//! single request cannot: overwritten slots, force_fronter writing into another agent's
//! slot, and the multi-dial upsert counting 1 (insert), 0 (same row, same second) or 2.

use proptest::prelude::*;

#[path = "support.rs"]
mod support;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use std::collections::BTreeMap;
use vicixfer::api::{answer, Directory, LiveAgent, User};

const START: u64 = 1_764_000_000;
const AGENTS: [&str; 5] = ["1001", "1002", "1003", "1004", "9999"];

/// (lead, callerid) of the logged-in agents; 9999 is not logged in.
fn row(agent: &str) -> Option<(u64, &'static str)> {
    match agent {
        "1001" => Some((4711, "V0000000000000004711")),
        "1002" => Some((4711, "Y0000000000000004711")),
        "1003" => Some((4700, "")),
        "1004" => Some((0, "")),
        _ => None,
    }
}

#[derive(Debug, Clone)]
enum Request {
    /// The server clock moves on.
    Wait(u64),
    /// transfer_conference with a path-C value and maybe press-1 numbers.
    Transfer { agent: &'static str, value: &'static str, phones: Vec<&'static str> },
    /// park_call.
    Park { agent: &'static str, value: &'static str },
    /// external_hangup.
    Hangup { agent: &'static str, value: &'static str },
    /// force_fronter_leave_3way LOCAL_ONLY.
    Fronter { agent: &'static str },
}

impl Request {
    fn query(&self) -> String {
        let login = "source=crm&user=6666&pass=1234";
        match self {
            Request::Wait(_) => String::new(),
            Request::Transfer { agent, value, phones } => {
                let mut q = format!("{login}&function=transfer_conference&agent_user={agent}&value={value}");
                if !phones.is_empty() {
                    q.push_str(&format!("&multi_dial_phones={}", phones.join(",")));
                }
                q
            }
            Request::Park { agent, value } => format!("{login}&function=park_call&agent_user={agent}&value={value}"),
            Request::Hangup { agent, value } => {
                format!("{login}&function=external_hangup&agent_user={agent}&value={value}")
            }
            Request::Fronter { agent } => {
                format!("{login}&function=force_fronter_leave_3way&agent_user={agent}&value=LOCAL_ONLY")
            }
        }
    }
}

/// The model: the clock, each agent's slots (transferconf, park, hangup), the press-1 rows
/// (numbers, count, date) and the body the last request must have printed.
#[derive(Debug, Clone, Default)]
struct Model {
    epoch: u64,
    slots: BTreeMap<&'static str, [String; 3]>,
    press: BTreeMap<&'static str, (String, u32, u64)>,
    body: String,
}

struct Spec;

impl ReferenceStateMachine for Spec {
    type State = Model;
    type Transition = Request;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model { epoch: START, ..Model::default() }).boxed()
    }

    fn transitions(_: &Model) -> BoxedStrategy<Request> {
        let agent = || prop::sample::select(AGENTS.to_vec());
        // Distinct 10-digit numbers: none contains another, so api.php keeps them all.
        let phones = prop::sample::subsequence(vec!["3125550001", "3125550002", "3125550003"], 0..=3);
        prop_oneof![
            (0..3u64).prop_map(Request::Wait),
            (agent(), prop::sample::select(vec!["HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL"]), phones)
                .prop_map(|(agent, value, phones)| Request::Transfer { agent, value, phones }),
            (agent(), prop::sample::select(vec!["PARK_CUSTOMER", "GRAB_XFER", "XPARK_XFERX", "PARKING"]))
                .prop_map(|(agent, value)| Request::Park { agent, value }),
            (agent(), prop::sample::select(vec!["1", "0"])).prop_map(|(agent, value)| Request::Hangup { agent, value }),
            agent().prop_map(|agent| Request::Fronter { agent }),
        ]
        .boxed()
    }

    fn apply(mut m: Model, t: &Request) -> Model {
        let epoch = m.epoch;
        let not_logged_in = |a: &str| format!("ERROR: agent_user is not logged in - {a}\n");
        m.body = match t {
            Request::Wait(s) => {
                m.epoch += s;
                String::new()
            }
            Request::Transfer { agent, value, phones } => match row(agent) {
                None => not_logged_in(agent),
                Some((lead, callerid)) if lead == 0 || callerid.len() <= 15 => {
                    format!("ERROR: agent_user does not have a live call - {agent}\n")
                }
                Some((_, callerid)) => {
                    let mut suffix = String::new();
                    if !phones.is_empty() {
                        let numbers = phones.join(",");
                        let n = phones.len() as u32;
                        let affected = match m.press.get(agent) {
                            None => 1,
                            Some(old) if *old == (numbers.clone(), n, epoch) => 0,
                            Some(_) => 2,
                        };
                        m.press.insert(agent, (numbers, n, epoch));
                        suffix = format!("|Multi-phones: {n} {n} {affected}");
                    }
                    m.slots.entry(agent).or_default()[0] = format!("{value}---------NO------------{epoch}");
                    format!("SUCCESS: transfer_conference function set - {value}|||NO|{agent}|{callerid}{suffix}|\n")
                }
            },
            Request::Park { agent, value } => {
                let words = [
                    "PARK_CUSTOMER",
                    "GRAB_CUSTOMER",
                    "PARK_IVR_CUSTOMER",
                    "GRAB_IVR_CUSTOMER",
                    "PARK_XFER",
                    "GRAB_XFER",
                ];
                match row(agent) {
                    _ if !words.iter().any(|w| value.contains(w)) => {
                        format!("ERROR: park_call not valid - {value}|{agent}\n")
                    }
                    None => not_logged_in(agent),
                    Some((0, _)) => format!("ERROR: agent_user does not have a lead on their screen - {agent}\n"),
                    Some(_) => {
                        m.slots.entry(agent).or_default()[1] = value.to_string();
                        format!("SUCCESS: park_call function set - {value}|{agent}\n")
                    }
                }
            }
            Request::Hangup { agent, value } => match row(agent) {
                None => not_logged_in(agent),
                Some(_) => {
                    m.slots.entry(agent).or_default()[2] = value.to_string();
                    format!("SUCCESS: external_hangup function set - {value}|{agent}\n")
                }
            },
            Request::Fronter { agent } => match row(agent) {
                None => not_logged_in(agent),
                Some((0, _)) => format!("ERROR: agent_user is not on a phone call - {agent}\n"),
                Some((lead, _)) => {
                    // The other agent on the lead: 1001 and 1002 share lead 4711.
                    let other = AGENTS.into_iter().find(|o| o != agent && row(o).is_some_and(|(l, _)| l == lead));
                    match other {
                        Some(o) => {
                            m.slots.entry(o).or_default()[0] = format!("LEAVE_3WAY_CALL---------NO------------{epoch}");
                            format!("SUCCESS: force_fronter_leave_3way SENT - {o}")
                        }
                        None => format!("ERROR: no fronter found - {agent}\n"),
                    }
                }
            },
        };
        m
    }
}

struct Api;

/// The system under test: a directory and the server clock.
struct Server {
    dir: Directory,
    epoch: u64,
    body: String,
}

impl StateMachineTest for Api {
    type SystemUnderTest = Server;
    type Reference = Spec;

    fn init_test(_: &Model) -> Server {
        let mut dir = Directory::default();
        dir.users.push(User { user: "6666".into(), pass: "1234".into(), agent_api_access: true, ..User::default() });
        for a in AGENTS {
            if let Some((lead_id, callerid)) = row(a) {
                // 1001 called first: it is the fronter force_fronter finds from 1002.
                let last_call_time = if a == "1001" { START - 100 } else { START - 50 };
                dir.agents.push(LiveAgent {
                    user: a.into(),
                    lead_id,
                    callerid: callerid.into(),
                    last_call_time,
                    ..LiveAgent::default()
                });
            }
        }
        Server { dir, epoch: START, body: String::new() }
    }

    fn apply(mut s: Server, model: &Model, t: Request) -> Server {
        s.body = match &t {
            Request::Wait(secs) => {
                s.epoch += secs;
                String::new()
            }
            _ => {
                let a = answer(&s.dir, &t.query(), s.epoch);
                s.dir.apply(&a);
                a.body()
            }
        };
        assert_eq!(s.body, model.body, "answer to {t:?}");
        s
    }

    fn check_invariants(s: &Server, model: &Model) {
        for a in &s.dir.agents {
            let want = model.slots.get(a.user.as_str()).cloned().unwrap_or_default();
            let got = [a.external_transferconf.clone(), a.external_park.clone(), a.external_hangup.clone()];
            assert_eq!(got, want, "slots of {}", a.user);
        }
        let press: BTreeMap<&str, (String, u32, u64)> = s
            .dir
            .press_multi
            .iter()
            .map(|r| (r.user.as_str(), (r.phone_numbers.clone(), r.phone_numbers_ct, r.call_date)))
            .collect();
        let want: BTreeMap<&str, (String, u32, u64)> = model.press.iter().map(|(k, v)| (*k, v.clone())).collect();
        assert_eq!(press, want, "press-1 rows");
        assert!(s.dir.press_multi.iter().all(|r| r.status == "NEW"));
    }
}

prop_state_machine! {
    #![proptest_config(support::config(256, "proptests/regressions/api_state_machine.txt"))]

    #[test]
    fn request_sequences_store_what_the_model_says(sequential 1..40 => Api);
}
