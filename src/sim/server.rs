//! The API server side of the world: api.php ([`crate::api::answer`]) answering the CRM
//! from a [`Directory`] that mirrors the sessions at the moment of the request.

use crate::api::{
    self, AutoCall, CallType, Campaign, Directory, GroupAlias, InGroup, LiveAgent, SipChannel, User, Write,
};
use crate::input::Input;
use crate::leg::XferAt;
use crate::session::AgentState;
use crate::sim::scenario::WorldSpec;
use crate::sim::trace::{redact, redact_answer, Record};
use crate::sim::world::{Origin, World};

/// The server every simulated agent is logged into.
const SERVER_IP: &str = "10.10.10.15";

/// The parts of the directory that do not change during a run.
pub(crate) fn static_directory(spec: &WorldSpec) -> Directory {
    let api = &spec.api_user;
    let mut users =
        vec![User { user: api.user.clone(), pass: api.pass.clone(), agent_api_access: true, ..User::default() }];
    users.extend(spec.agents.iter().map(|a| User {
        user: a.user.clone(),
        pass: String::new(),
        user_group: "AGENTS".into(),
        custom_three: a.custom_three.clone(),
        ..User::default()
    }));
    Directory {
        users,
        ingroups: spec
            .ingroups
            .iter()
            .map(|g| InGroup {
                group_id: g.id.clone(),
                active: g.active,
                default_xfer_group: g.default_xfer_group.clone(),
            })
            .collect(),
        campaigns: spec
            .campaigns
            .iter()
            .map(|c| Campaign { campaign_id: c.id.clone(), default_xfer_group: c.default_xfer_group.clone() })
            .collect(),
        group_aliases: spec
            .group_aliases
            .iter()
            .map(|g| GroupAlias { group_alias_id: g.id.clone(), caller_id_number: g.caller_id_number.clone() })
            .collect(),
        system: crate::api::System { build: spec.build, ..Default::default() },
        ..Directory::default()
    }
}

impl World {
    /// Brings the live tables (agents, calls, 3-way channels) up to date with the sessions.
    fn sync_directory(&mut self) {
        let epoch = self.spec.epoch;
        let (mut agents, mut calls, mut channels) = (Vec::new(), Vec::new(), Vec::new());
        for agent in &self.agents {
            let s = &agent.session;
            let room = s.room.0.to_string();
            let call = agent.call.as_ref();
            let live = matches!(s.agent, AgentState::InCall { .. });
            let callerid = match call {
                Some(c) if live => format!("{}{:019}", if c.via_group.is_some() { 'Y' } else { 'V' }, c.number),
                _ => String::new(),
            };
            if let Some(c) = call.filter(|c| live && self.channels.contains_key(&c.channel)) {
                let (call_type, campaign_id) = match &c.via_group {
                    Some(g) => (CallType::In, g.to_string()),
                    None => (CallType::Out, agent.spec.campaign.clone()),
                };
                calls.push(AutoCall { callerid: callerid.clone(), call_type, campaign_id });
            }
            for x in s.legs.xfers.iter() {
                if matches!(x.at, XferAt::Ringing(r) | XferAt::Room(r) if r == s.room) {
                    channels.push(SipChannel {
                        server_ip: SERVER_IP.into(),
                        extension: room.clone(),
                        channel_group: format!("DC{:06}{}W", x.id.0, agent.spec.user),
                    });
                }
            }
            agents.push(LiveAgent {
                user: agent.spec.user.clone(),
                server_ip: SERVER_IP.into(),
                conf_exten: room,
                status: match s.agent {
                    AgentState::InCall { .. } => "INCALL",
                    AgentState::Dispo { .. } | AgentState::Waiting => "PAUSED",
                }
                .into(),
                lead_id: s.lead().map_or(0, |l| u64::from(l.0)),
                callerid,
                last_call_time: call.map_or(0, |c| epoch + c.started_ms / 1000),
                ..LiveAgent::default()
            });
        }
        self.dir.agents = agents;
        self.dir.auto_calls = calls;
        self.dir.sip_channels = channels;
    }

    /// Answers one api.php request at the current virtual time and hands the stored
    /// command to the agent's session (the slot write of stage 1).
    pub(crate) fn api(&mut self, query: &str) -> String {
        let epoch = self.spec.epoch + self.now() / 1000;
        self.sync_directory();
        let answer = api::answer(&self.dir, query, epoch);
        self.dir.apply(&answer);
        let body = answer.body();
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
            Some(api::Line::Other(_)) => "other",
            None | Some(api::Line::CloseWindowLink) => "no_answer",
        };
        self.metrics.bump("api_answers", kind);
        if self.trace.on() {
            let q = redact(query);
            let t = self.now();
            let answer = redact_answer(&body);
            self.trace.record(&Record::Api { t, query: &q, answer: &answer, stored: stored.as_deref() });
        }
        body
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
