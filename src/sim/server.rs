//! The API server side of the world: api.php answering the CRM from a directory that
//! mirrors the sessions (TEMPORARY minimal stand-in until the API layer lands).

use crate::ids::{CommandId, Text};
use crate::input::{ApiWrite, Input};
use crate::sim::trace::{redact, Record};
use crate::sim::world::{Origin, World};
use crate::slot::{HangupSlot, ParkSlot, TransferSlot};

impl World {
    /// Answers one api.php request at the current virtual time and stores its command.
    pub(crate) fn api(&mut self, query: &str) -> String {
        let epoch = self.spec.epoch + self.now() / 1000;
        let get = |k: &str| {
            query.split('&').find_map(|p| p.split_once('=').filter(|(a, _)| *a == k).map(|(_, v)| v.to_string()))
        };
        let function = get("function").unwrap_or_default();
        let user = get("agent_user").unwrap_or_default();
        let value = get("value").unwrap_or_default();
        let Some(a) = self.agent_ix(&user) else { return format!("ERROR: agent_user is not logged in - {user}\n") };
        let write = match function.as_str() {
            "transfer_conference" => {
                let mut raw = format!(
                    "{value}---{}---{}---{}------------{epoch}---",
                    get("ingroup_choices").unwrap_or_default(),
                    get("phone_number").unwrap_or_default(),
                    get("consultative").unwrap_or("NO".into())
                );
                raw.push_str("");
                TransferSlot::decode(&raw).map(ApiWrite::TransferConference)
            }
            "park_call" => Some(ApiWrite::ParkCall(ParkSlot::decode(&value))),
            "external_hangup" => Some(ApiWrite::ExternalHangup(HangupSlot(Text::from(value.as_str())))),
            "force_fronter_leave_3way" => {
                let lead = self.agents[a].session.lead();
                let other = (0..self.agents.len())
                    .find(|i| *i != a && lead.is_some() && self.agents[*i].session.lead() == lead);
                match other {
                    Some(f) => {
                        let input = Input::Api(ApiWrite::ForcedLeave3Way(CommandId::epoch(epoch)));
                        self.feed(f, input, Origin::Stimulus);
                        return format!("SUCCESS: force_fronter_leave_3way SENT - {}", self.agents[f].spec.user);
                    }
                    None => return format!("ERROR: no fronter found - {user}\n"),
                }
            }
            _ => None,
        };
        let body = match write {
            Some(w) => {
                let input = Input::Api(w);
                if self.agents[a].session.accepts(&input).is_ok() {
                    self.feed(a, input, Origin::Stimulus);
                    format!("SUCCESS: {function} function set - {value}|{user}\n")
                } else {
                    format!("ERROR: agent_user does not have a live call - {user}\n")
                }
            }
            None => format!("ERROR: value is not valid - {value}|6666\n"),
        };
        if self.trace.on() {
            let q = redact(query);
            let t = self.now();
            self.trace.record(&Record::Api { t, query: &q, answer: &body, stored: None });
        }
        body
    }
}
