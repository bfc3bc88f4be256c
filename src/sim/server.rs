//! The API server side of the world: api.php answering the CRM through the world's
//! [`Hub`](crate::hub::Hub), with the world's channels telling which calls are up.

use crate::api::redact::{answer_for, query as redact};
use crate::api::{self, Write};
use crate::input::Input;
use crate::sim::trace::Record;
use crate::sim::world::{Origin, World};

impl World {
    /// Answers one api.php request at the current virtual time and hands the stored
    /// command to the agent's session (the slot write of stage 1). Returns api.php's HTTP
    /// status and body.
    pub(crate) fn api(&mut self, query: &str) -> (u16, String) {
        self.metrics.bump("api", "requests");
        let now = self.now();
        let channels = &self.channels;
        let answer = self.hub.answer(query, now, |ch| channels.contains_key(&ch));
        let body = answer.body();
        // The redacted query and answer, worked out once for the timeline and the trace.
        let cell = std::cell::OnceCell::new();
        let shown = || cell.get_or_init(|| (redact(query), answer_for(&body, query)));
        if let Some(tl) = self.timeline_mut() {
            // Before the writes are fed: the stored command's mark follows the request's.
            let params = api::Params::from_query(query, api::Charset::Latin);
            let (function, value) = (params.get(api::Param::Function), params.get(api::Param::Value));
            let what = match function {
                "transfer_conference" | "park_call" if !value.is_empty() => value,
                "" => "(no function)",
                _ => function,
            };
            let succeeded = matches!(answer.outcome(), Some(api::Line::Success(_)));
            let (q, a) = shown();
            let detail = format!("{q}\n{}", a.trim_end());
            // The agent asked for; by `alt_user` alone, the one whose slot was written.
            let stored_for = answer.writes.iter().find_map(|w| match w {
                Write::Slot(s) => Some(s.agent_user.as_str()),
                _ => None,
            });
            let agent = match params.get(api::Param::AgentUser) {
                "" => stored_for.unwrap_or("(no agent_user)"),
                agent => agent,
            };
            tl.request(now, agent, what, succeeded, detail);
        }
        let mut stored = None;
        for w in &answer.writes {
            match w {
                Write::Slot(s) => {
                    stored = Some(format!("{} {:?} = {}", s.agent_user, s.slot, s.raw));
                    if let Some(a) = self.agent_ix(&s.agent_user) {
                        // The directory mirrors the sessions, so the session must take what
                        // api.php accepted: a rejection here is a bug (Origin::World).
                        self.feed(a, Input::Api(s.write.clone()), Origin::World);
                    }
                }
                Write::PressMulti(_) => self.metrics.bump("api", "press1_rows"),
                Write::Remote { .. } => self.metrics.bump("api", "ccc_forwards"),
            }
        }
        let kind = match answer.outcome() {
            Some(api::Line::Success(_)) => "success",
            Some(api::Line::Error(e)) => error_metric(e.kind()),
            Some(api::Line::Other(_) | api::Line::Teapot(_)) => "other",
            None | Some(api::Line::CloseWindowLink | api::Line::Debug(_)) => "no_answer",
        };
        self.metrics.bump("api_answers", kind);
        if self.trace.on() {
            let (q, a) = shown();
            let t = self.now();
            self.trace.record(&Record::Api { t, query: q, answer: a, stored: stored.as_deref() });
        }
        (answer.http_status(), body)
    }
}
/// A metric name for an error kind.
fn error_metric(kind: api::ErrorKind) -> &'static str {
    use api::ErrorKind::*;
    match kind {
        InvalidSource => "invalid_source",
        InvalidLogin => "invalid_login",
        ApiNotActive => "api_not_active",
        NotValid => "not_valid",
        NoPermission => "no_permission",
        NoUserFound => "no_user_found",
        NotLoggedIn => "not_logged_in",
        NoLiveCall => "no_live_call",
        NoLead => "no_lead",
        NotOnPhoneCall => "not_on_phone_call",
        IngroupNotValid => "ingroup_not_valid",
        GroupAliasNotValid => "group_alias_not_valid",
        AliasCallerIdNotValid => "alias_caller_id_not_valid",
        CidChoiceNotValid => "cid_choice_not_valid",
        ValueNotValid => "value_not_valid",
        PreviousActive3Way => "previous_active_3way",
        CurrentActive3Way => "current_active_3way",
        NoFronterFound => "no_fronter_found",
    }
}
