//! The glue between api.php and the agents' screens: one [`Directory`] and the sessions
//! of every logged-in agent, kept in step.
//!
//! api.php ([`api::answer`]) reads the server's tables; the screens ([`Session`]) hold
//! the truth about calls and legs. A [`Hub`] owns both. Before each request it rebuilds
//! the live tables (`vicidial_live_agents`, `vicidial_auto_calls`, `live_sip_channels`)
//! from the sessions, answers, stores the writes in the directory and hands each slot
//! write to its agent's session; every input to a session goes through [`Hub::step`],
//! which checks the crate's invariants on it. It is pure and deterministic: the time is
//! an argument, nothing is performed, the [`Effect`](crate::Effect)s are returned to the
//! driver (the simulator's world, `vicixfer serve`, or a test of your own).
//!
//! ```
//! use vicixfer::hub::Hub;
//! use vicixfer::sim::Scenario;
//! use vicixfer::{Input, LeadId, NetEvent, ScreenInput};
//!
//! let mut hub = Hub::new(&Scenario::default_scenario().world);
//! let d = hub.desk_of("1001").expect("a logged-in agent");
//! hub.start_call(d, 0, None, 1);
//! hub.step(d, Input::Net(NetEvent::CallArrives { lead: LeadId(7) })).expect("a call");
//! let query = "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference\
//!              &value=DIAL_WITH_CUSTOMER&phone_number=5551234";
//! let reply = hub.request(query, 1_000);
//! assert!(reply.answer.body().starts_with("SUCCESS: transfer_conference function set"));
//! let tick = hub.step(d, Input::Screen(ScreenInput::Tick)).expect("the screen runs it");
//! assert!(matches!(tick.effects().first(), Some(vicixfer::Effect::Originate { .. })));
//! ```

use crate::api::{
    self, Answer, AutoCall, CallType, Campaign, Directory, GroupAlias, InGroup, LiveAgent, SipChannel, User, Write,
};
use crate::effect::Step;
use crate::effect::{Effects, Events};
use crate::ids::Text;
use crate::input::Input;
use crate::leg::XferAt;
use crate::reject::Rejection;
use crate::session::{AgentState, Session};
use crate::sim::scenario::WorldSpec;
use crate::step::step_into;
use serde::Serialize;
use std::collections::HashMap;

/// The server every agent of a hub is logged into.
pub const SERVER_IP: &str = "10.10.10.15";

/// A per-step check on the session before an input, the input and its borrowed outcome
/// (`result.as_ref()` of a [`step`](crate::step)'s result): `Err(reason)` is a violation.
/// The default is the crate's invariants ([`invariant_check`]).
pub type Check = fn(&Session, &Input, Result<&Step, &Rejection>) -> Result<(), String>;

/// The default [`Check`]: every `always` and `transition` invariant of
/// [`crate::invariants`] on every step of every agent.
pub fn invariant_check(before: &Session, input: &Input, outcome: Result<&Step, &Rejection>) -> Result<(), String> {
    crate::invariants::check_outcome(before, input, outcome).map_err(|v| v.to_string())
}

/// One logged-in agent: its session and the call the server sees on it.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    /// The agent's login (`agent_user`).
    pub user: Text,
    /// The campaign it is logged into (an outbound call's `campaign_id`).
    pub campaign: Text,
    /// The agent's screen, server row and legs.
    pub session: Session,
    /// The call on screen, as the server's tables show it.
    pub call: Option<CallOnScreen>,
}

/// The call an agent has on screen, as the server sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallOnScreen {
    /// When it started (driver milliseconds).
    pub started_ms: u64,
    /// Sequence number: makes the 20-character caller id unique.
    pub number: u64,
    /// The in-group it came in through (`IN`), or `None` for the campaign's (`OUT`).
    pub via_group: Option<Text>,
    /// The driver's name for the customer's call (the simulator's channel id): the
    /// `vicidial_auto_calls` row exists while the driver says this call is up.
    pub tag: u64,
}

/// What one input did to one session: the session before it, the effects and the events.
/// [`Hub::step_observed_into`] refills one in place, so a driver stepping millions of
/// times copies no session but the step's own.
#[derive(Debug, Clone, Default)]
pub struct Stepped {
    /// The step the hub ran, with the sessions exchanged: `step.session` is the session
    /// *before* the input (the desk holds the one after it).
    step: Step,
}

impl Stepped {
    /// The session before the input.
    pub fn before(&self) -> &Session {
        &self.step.session
    }

    /// What the driver must perform, in order.
    pub fn effects(&self) -> &Effects {
        &self.step.effects
    }

    /// What the session observed.
    pub fn events(&self) -> &Events {
        &self.step.events
    }
}

/// Why [`Hub::step`] did not apply an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The session refused the input; nothing changed.
    #[error("the session of {user} rejected `{input}`: {rejection}")]
    Rejected {
        /// The agent.
        user: Text,
        /// The input, in its `drive` form.
        input: String,
        /// Why.
        rejection: Rejection,
    },
    /// The check failed on this step; nothing changed.
    #[error("invariant: {detail} (agent {user}, input `{input}`)")]
    Violation {
        /// The agent.
        user: Text,
        /// The input, in its `drive` form.
        input: String,
        /// What broke.
        detail: String,
    },
}

/// What [`Hub::request`] did: the answer and each slot write's step.
#[derive(Debug, Clone)]
pub struct Reply {
    /// api.php's answer (its body is [`Answer::body`]).
    pub answer: Answer,
    /// Each slot write, by desk, and what it did to the session.
    pub steps: Vec<(usize, Result<Stepped, StepError>)>,
}

/// What became of every transfer_conference command stored in a slot (the
/// `external_transferconf` column; force_fronter_leave_3way writes there too): executed,
/// dropped with a reason, or still pending. A screen's re-read of a command whose clear
/// has not landed yet is not a new command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CommandLedger {
    /// Commands api.php stored.
    pub stored: u64,
    /// Run by the screen.
    pub executed: u64,
    /// Consumed as a duplicate of the last command id.
    pub duplicate: u64,
    /// Consumed within the 3-tick cooldown.
    pub dropped_by_cooldown: u64,
    /// Consumed as an unknown function.
    pub unknown_function: u64,
    /// Replaced by a newer command before the screen read it.
    pub overwritten: u64,
    /// Erased by a blind clear that was sent for an older command.
    pub erased: u64,
    /// Blanked by the agent's disposition before the screen read it.
    pub blanked_by_disposition: u64,
}

impl CommandLedger {
    /// Commands that left the slot: executed or dropped with a reason.
    pub fn resolved(&self) -> u64 {
        self.executed
            + self.duplicate
            + self.dropped_by_cooldown
            + self.unknown_function
            + self.overwritten
            + self.erased
            + self.blanked_by_disposition
    }

    /// Counts one accepted step of a session that was `before`.
    fn count(&mut self, before: &Session, input: &Input, events: &Events) {
        use crate::effect::{Event, Executed};
        use crate::slot::SlotName::TransferConf;
        let unread = unread_command(before);
        let reread = before.slots.transferconf.value.is_some() && !unread;
        // A LEAVE_3WAY_CALL that threw (F1) leaves its command in the slot, uncleared: a
        // later poll consumes it (as a duplicate) or a newer command overwrites it.
        let threw = events.iter().any(|e| matches!(e, Event::PollAbandoned));
        for e in events {
            match e {
                Event::Stored(TransferConf) => self.stored += 1,
                Event::Overwrote(TransferConf) if unread => self.overwritten += 1,
                Event::Erased(TransferConf) => self.erased += 1,
                Event::Executed(Executed::Transfer(_)) if !reread && !threw => self.executed += 1,
                Event::Duplicate(_) if !reread => self.duplicate += 1,
                Event::DroppedByCooldown(_) if !reread => self.dropped_by_cooldown += 1,
                Event::UnknownFunction(_) if !reread => self.unknown_function += 1,
                _ => {}
            }
        }
        if unread && matches!(input, Input::Agent(crate::input::AgentAction::SubmitDisposition)) {
            self.blanked_by_disposition += 1;
        }
    }
}

/// Agent `i`'s first conference room, `8600000 + 1000 * i`: a block of 1000 rooms per
/// agent, unique for any number of agents a machine can hold (rooms are `u64`; the sum
/// saturates only past 1.8 * 10^16 agents).
fn first_room(i: usize) -> u64 {
    u64::try_from(i).map_or(u64::MAX, |i| i.saturating_mul(1000).saturating_add(8_600_000))
}

/// A transfer_conference command is in the slot and the screen has not read it yet.
fn unread_command(s: &Session) -> bool {
    let slot = &s.slots.transferconf;
    slot.value.is_some() && slot.clearing != crate::slot::Clearing::InFlight
}

/// A Directory and the agents' sessions, kept in step. See the [module](self) docs.
#[derive(Debug, Clone)]
pub struct Hub {
    dir: Directory,
    desks: Vec<Desk>,
    by_user: HashMap<Text, usize>,
    epoch: u64,
    call_numbers: u64,
    check: Check,
    ledger: CommandLedger,
}

impl Hub {
    /// The agents of `spec` logged in and waiting, each in its campaign's settings (agent
    /// `i` in room `8600000 + 1000 * i`), the API user and the static tables from `spec`.
    pub fn new(spec: &WorldSpec) -> Hub {
        let mut desks = Vec::with_capacity(spec.agents.len());
        let mut by_user = HashMap::new();
        for (i, a) in spec.agents.iter().enumerate() {
            let mut config = spec.campaigns.iter().find(|c| c.id == a.campaign).map(|c| c.config.clone());
            let config = config.get_or_insert_with(Default::default);
            config.first_room = first_room(i);
            config.build = spec.build;
            by_user.insert(Text::from(a.user.as_str()), i);
            desks.push(Desk {
                user: a.user.as_str().into(),
                campaign: a.campaign.as_str().into(),
                session: Session::new(config.clone()),
                call: None,
            });
        }
        Hub {
            dir: static_directory(spec),
            desks,
            by_user,
            epoch: spec.epoch,
            call_numbers: 0,
            check: invariant_check,
            ledger: CommandLedger::default(),
        }
    }

    /// Replaces the per-step check.
    pub fn set_check(&mut self, check: Check) {
        self.check = check;
    }

    /// The desk of `user`.
    pub fn desk_of(&self, user: &str) -> Option<usize> {
        self.by_user.get(user).copied()
    }

    /// Every desk, in login order.
    pub fn desks(&self) -> &[Desk] {
        &self.desks
    }

    /// Desk `d`.
    pub fn desk(&self, d: usize) -> &Desk {
        &self.desks[d]
    }

    /// What became of every stored transfer_conference command so far.
    pub fn ledger(&self) -> CommandLedger {
        self.ledger
    }

    /// Commands stored and not yet read by their screen.
    pub fn pending_commands(&self) -> u64 {
        self.desks.iter().filter(|d| unread_command(&d.session)).count() as u64
    }

    /// Every stored command was executed, dropped with a reason, or is still pending.
    pub fn ledger_balanced(&self) -> bool {
        self.ledger.stored == self.ledger.resolved() + self.pending_commands()
    }

    /// api.php's tables as of the last request.
    pub fn directory(&self) -> &Directory {
        &self.dir
    }

    /// The server's clock (epoch seconds) at driver time `now_ms`.
    pub fn epoch_at(&self, now_ms: u64) -> u64 {
        self.epoch.saturating_add(now_ms / 1000)
    }

    /// Agent `d` is being handed a call (before its `CallArrives`): what the server's
    /// tables will show for it. `tag` is the driver's name for the customer's call.
    pub fn start_call(&mut self, d: usize, now_ms: u64, via_group: Option<Text>, tag: u64) {
        self.call_numbers = self.call_numbers.saturating_add(1);
        self.desks[d].call = Some(CallOnScreen { started_ms: now_ms, number: self.call_numbers, via_group, tag });
    }

    /// Agent `d`'s call is over on the server (the disposition was submitted).
    pub fn end_call(&mut self, d: usize) {
        self.desks[d].call = None;
    }

    /// Applies one input to desk `d`'s session, checked: on `Ok` the session moved and
    /// the driver performs the effects; on `Err` nothing changed.
    pub fn step(&mut self, d: usize, input: Input) -> Result<Stepped, StepError> {
        self.step_observed(d, input, |_, _| {})
    }

    /// [`Hub::step`], showing `observe` the session before the input and the raw result
    /// (before the check), as a driver's trace or `run --json` needs.
    pub fn step_observed(
        &mut self,
        d: usize,
        input: Input,
        observe: impl FnOnce(&Session, Result<&Step, &Rejection>),
    ) -> Result<Stepped, StepError> {
        let mut out = Stepped::default();
        self.step_observed_into(d, &input, observe, &mut out).map(|()| out)
    }

    /// [`Hub::step_observed`] into a reused `out`: on `Ok` it holds what the input did; on
    /// `Err` the desk is unchanged and `out`'s contents are unspecified. The step is
    /// computed in `out` and the sessions are then exchanged, so the only copy of a
    /// session is the step's own (the simulator's hot path).
    pub fn step_observed_into(
        &mut self,
        d: usize,
        input: &Input,
        observe: impl FnOnce(&Session, Result<&Step, &Rejection>),
        out: &mut Stepped,
    ) -> Result<(), StepError> {
        let desk = &mut self.desks[d];
        let outcome = step_into(&desk.session, input.clone(), &mut out.step);
        let view = outcome.as_ref().map(|()| &out.step);
        observe(&desk.session, view);
        if let Err(detail) = (self.check)(&desk.session, input, view) {
            return Err(StepError::Violation { user: desk.user.clone(), input: input.to_string(), detail });
        }
        match outcome {
            Ok(()) => {
                self.ledger.count(&desk.session, input, &out.step.events);
                std::mem::swap(&mut desk.session, &mut out.step.session);
                Ok(())
            }
            Err(rejection) => Err(StepError::Rejected { user: desk.user.clone(), input: input.to_string(), rejection }),
        }
    }

    /// Answers one api.php request at driver time `now_ms` and stores its writes in the
    /// directory; `call_up(tag)` says whether a call on screen is still up (its
    /// `vicidial_auto_calls` row). The slot writes are not yet given to the sessions:
    /// the driver feeds each one ([`Hub::slot_inputs`]) with [`Hub::step`].
    pub fn answer(&mut self, query: &str, now_ms: u64, call_up: impl Fn(u64) -> bool) -> Answer {
        self.sync_directory(call_up);
        let answer = api::answer(&self.dir, query, self.epoch_at(now_ms));
        self.dir.apply(&answer);
        answer
    }

    /// The slot writes of an answer as inputs, by desk (writes for agents not logged in
    /// are skipped, as api.php's UPDATE matching no row).
    pub fn slot_inputs(&self, answer: &Answer) -> Vec<(usize, Input)> {
        answer
            .writes
            .iter()
            .filter_map(|w| match w {
                Write::Slot(s) => self.desk_of(&s.agent_user).map(|d| (d, Input::Api(s.write.clone()))),
                _ => None,
            })
            .collect()
    }

    /// [`Hub::answer`] then [`Hub::step`] for each slot write, for a driver without its
    /// own telephony: a call is up while its customer leg is in the session.
    pub fn request(&mut self, query: &str, now_ms: u64) -> Reply {
        let up: Vec<u64> = self
            .desks
            .iter()
            .filter_map(|d| d.call.as_ref().filter(|_| !d.session.legs.customers.is_empty()).map(|c| c.tag))
            .collect();
        let answer = self.answer(query, now_ms, |tag| up.contains(&tag));
        let steps = self.slot_inputs(&answer).into_iter().map(|(d, input)| (d, self.step(d, input))).collect();
        Reply { answer, steps }
    }

    /// Brings the live tables (agents, calls, 3-way channels) up to date with the sessions.
    ///
    /// Runs before every request: each row is rebuilt from scratch (`..Default`), but in
    /// the strings of the previous request's row, so a request allocates nothing once the
    /// tables have reached their size.
    fn sync_directory(&mut self, call_up: impl Fn(u64) -> bool) {
        let epoch = self.epoch;
        let mut old_agents = std::mem::take(&mut self.dir.agents).into_iter();
        let mut old_calls = std::mem::take(&mut self.dir.auto_calls).into_iter();
        let mut old_channels = std::mem::take(&mut self.dir.sip_channels).into_iter();
        let (mut agents, mut calls, mut channels) = (Vec::new(), Vec::new(), Vec::new());
        for desk in &self.desks {
            let s = &desk.session;
            let old = old_agents.next().unwrap_or_default();
            let room = reuse(old.conf_exten, format_args!("{}", s.room.0));
            let call = desk.call.as_ref();
            let live = matches!(s.agent, AgentState::InCall { .. });
            let callerid = match call {
                Some(c) if live => reuse(
                    old.callerid,
                    format_args!("{}{:019}", if c.via_group.is_some() { 'Y' } else { 'V' }, c.number),
                ),
                _ => copy(old.callerid, ""),
            };
            if let Some(c) = call.filter(|c| live && call_up(c.tag)) {
                let row = old_calls.next().unwrap_or_default();
                let (call_type, campaign_id) = match &c.via_group {
                    Some(g) => (CallType::In, copy(row.campaign_id, g)),
                    None => (CallType::Out, copy(row.campaign_id, &desk.campaign)),
                };
                let callerid = copy(row.callerid, &callerid);
                calls.push(AutoCall { callerid, call_type, campaign_id });
            }
            for x in s.legs.xfers.iter() {
                if matches!(x.at, XferAt::Ringing(r) | XferAt::Room(r) if r == s.room) {
                    let row = old_channels.next().unwrap_or_default();
                    channels.push(SipChannel {
                        server_ip: copy(row.server_ip, SERVER_IP),
                        extension: copy(row.extension, &room),
                        channel_group: reuse(row.channel_group, format_args!("DC{:06}{}W", x.id.0, desk.user)),
                    });
                }
            }
            let status = match s.agent {
                AgentState::InCall { .. } => "INCALL",
                AgentState::Dispo { .. } | AgentState::Waiting => "PAUSED",
            };
            agents.push(LiveAgent {
                user: copy(old.user, &desk.user),
                server_ip: copy(old.server_ip, SERVER_IP),
                conf_exten: room,
                status: copy(old.status, status),
                lead_id: s.lead().map_or(0, |l| l.0),
                callerid,
                last_call_time: call.map_or(0, |c| epoch + c.started_ms / 1000),
                ..LiveAgent::default()
            });
        }
        self.dir.agents = agents;
        self.dir.auto_calls = calls;
        self.dir.sip_channels = channels;
    }
}

/// `text` copied into `buf`'s allocation.
fn copy(mut buf: String, text: &str) -> String {
    buf.clear();
    buf.push_str(text);
    buf
}

/// `text` written into `buf`'s allocation (cleared first).
fn reuse(mut buf: String, text: std::fmt::Arguments<'_>) -> String {
    use std::fmt::Write as _;
    buf.clear();
    // Writing into a String cannot fail.
    let _ = buf.write_fmt(text);
    buf
}

/// The parts of the directory that do not change during a run.
fn static_directory(spec: &WorldSpec) -> Directory {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{AgentAction, ApiWrite, NetEvent, ScreenInput};
    use crate::slot::TransferSlot;
    use crate::LeadId;

    fn hub_with_call() -> (Hub, usize) {
        let mut spec = WorldSpec::default();
        spec.agents.push(crate::sim::scenario::AgentSpec {
            user: "1001".into(),
            campaign: "OUTB".into(),
            ingroups: Vec::new(),
            custom_three: String::new(),
        });
        let mut hub = Hub::new(&spec);
        hub.start_call(0, 0, None, 1);
        hub.step(0, Input::Net(NetEvent::CallArrives { lead: LeadId(1) })).expect("a call");
        (hub, 0)
    }

    fn store(hub: &mut Hub, d: usize, raw: &str) {
        let slot = TransferSlot::decode(raw).expect("a command");
        hub.step(d, Input::Api(ApiWrite::TransferConference(slot))).expect("stored");
    }

    /// Agent blocks of 1000 rooms stay apart for any agent count: with `u32` rooms every
    /// agent past the 4,286,367th got room `u32::MAX`, so two agents shared a conference.
    #[test]
    fn rooms_are_unique_past_u32_max() {
        let past = (u64::from(u32::MAX) - 8_600_000) / 1000 + 1;
        let past = usize::try_from(past).expect("a 64-bit usize");
        let rooms: Vec<u64> = (past - 1..past + 2).map(first_room).collect();
        assert_eq!(rooms, [4_294_967_000, 4_294_968_000, 4_294_969_000]);
        assert_eq!(first_room(0), 8_600_000);
        assert_eq!(first_room(usize::MAX), u64::MAX, "saturates rather than wraps");
    }

    /// A scenario's epoch far in the future saturates the clock rather than overflowing.
    #[test]
    fn a_huge_epoch_saturates() {
        let spec = WorldSpec { epoch: u64::MAX - 1, ..WorldSpec::default() };
        assert_eq!(Hub::new(&spec).epoch_at(10_000), u64::MAX);
    }

    #[test]
    fn a_re_read_before_the_clear_lands_is_not_a_new_command() {
        let (mut hub, d) = hub_with_call();
        store(&mut hub, d, "HANGUP_XFER---------NO------------1700000000");
        for _ in 0..2 {
            hub.step(d, Input::Screen(ScreenInput::TickClearsInFlight)).expect("a tick");
        }
        let l = hub.ledger();
        assert_eq!((l.stored, l.executed, l.duplicate), (1, 1, 0), "{l:?}");
        assert!(hub.ledger_balanced());
        hub.step(d, Input::Screen(ScreenInput::ClearsLand)).expect("the clear lands");
        assert!(hub.ledger_balanced());
    }

    /// A leave before any channel look found a third party throws (F1): the command stays
    /// in the slot and is consumed later, counted once (it was counted executed and then a
    /// duplicate, so the server's ledger went unbalanced under load).
    #[test]
    fn a_leave_that_throws_is_counted_once() {
        let (mut hub, d) = hub_with_call();
        store(&mut hub, d, "LEAVE_3WAY_CALL---------NO------------1700000000");
        let tick = Input::Screen(ScreenInput::TickClearsInFlight);
        let first = hub.step(d, tick.clone()).expect("a tick");
        assert!(first.events().contains(&crate::effect::Event::PollAbandoned), "{:?}", first.events());
        for _ in 0..4 {
            hub.step(d, tick.clone()).expect("a tick");
        }
        let l = hub.ledger();
        assert_eq!(l.stored, l.resolved() + hub.pending_commands(), "{l:?}");
        assert_eq!(l.executed, 0, "{l:?}");
        assert!(hub.ledger_balanced());
    }

    /// A reused buffer holds exactly what a fresh step would: the session before, the
    /// effects and the events; a rejection leaves the desk as it was.
    #[test]
    fn stepping_into_a_reused_buffer_matches_a_fresh_step() {
        let (mut hub, d) = hub_with_call();
        let mut twin = hub.clone();
        store(&mut hub, d, "HANGUP_XFER---------NO------------1700000000");
        store(&mut twin, d, "HANGUP_XFER---------NO------------1700000000");
        let mut out = Stepped::default();
        let inputs = [
            Input::Screen(ScreenInput::TickClearsInFlight),
            Input::Screen(ScreenInput::ClearsLand),
            Input::Agent(AgentAction::HangUp),
            Input::Agent(AgentAction::HangUp),
            Input::Agent(AgentAction::SubmitDisposition),
        ];
        let mut outcomes = (0, 0);
        for input in inputs {
            let before = hub.desk(d).session.clone();
            let fresh = twin.step(d, input.clone());
            let reused = hub.step_observed_into(d, &input, |_, _| {}, &mut out);
            assert_eq!(reused.is_ok(), fresh.is_ok(), "{input}");
            assert_eq!(hub.desk(d).session, twin.desk(d).session, "{input}");
            match fresh {
                Ok(fresh) => {
                    outcomes.0 += 1;
                    assert_eq!(out.before(), &before);
                    assert_eq!((out.effects(), out.events()), (fresh.effects(), fresh.events()), "{input}");
                }
                Err(e) => {
                    outcomes.1 += 1;
                    assert_eq!(reused, Err(e));
                    assert_eq!(hub.desk(d).session, before, "a rejection changes nothing");
                }
            }
        }
        assert_eq!(outcomes, (4, 1), "four applied, the second hangup rejected");
        assert_eq!(hub.ledger(), twin.ledger());
    }

    #[test]
    fn a_disposition_blanks_an_unread_command() {
        let (mut hub, d) = hub_with_call();
        hub.step(d, Input::Agent(AgentAction::HangUp)).expect("hang up");
        // On the disposition screen only force_fronter_leave_3way still reaches the slot.
        let forced = ApiWrite::ForcedLeave3Way(crate::CommandId::Id("1700000000".into()));
        hub.step(d, Input::Api(forced)).expect("stored");
        assert_eq!(hub.pending_commands(), 1);
        hub.step(d, Input::Agent(AgentAction::SubmitDisposition)).expect("dispo");
        let l = hub.ledger();
        assert_eq!((l.stored, l.blanked_by_disposition, hub.pending_commands()), (1, 1, 0), "{l:?}");
        assert!(hub.ledger_balanced());
    }
}
