//! Inputs a session cannot take now, and why. The same rules back
//! [`Session::accepts`](crate::Session::accepts) and [`step`](crate::step).

use crate::ids::{LegId, RoomId};
use crate::input::{AgentAction, ApiWrite, Input, InputKind, InputKinds, NetEvent, ScreenInput};
use crate::leg::{CustomerAt, LegAt, XferAt};
use crate::session::{AgentState, Session};
use crate::slot::Clearing;
use serde::{Deserialize, Serialize};

/// Why an input was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Reason {
    /// transfer_conference needs a live call (api.php: `does not have a live call`).
    #[error("agent_user does not have a live call")]
    NoLiveCall,
    /// park_call needs `lead_id > 0` (api.php: `does not have a lead on their screen`).
    #[error("agent_user does not have a lead on their screen")]
    NoLead,
    /// external_hangup needs a non-empty value (api.php: `external_hangup not valid`).
    #[error("external_hangup value is empty")]
    EmptyHangupValue,
    /// A call can only reach a waiting agent.
    #[error("the agent is not waiting for a call")]
    AgentBusy,
    /// Lead ids are positive.
    #[error("lead_id must be greater than 0")]
    ZeroLead,
    /// The agent is not on a call.
    #[error("the agent is not on a call")]
    NotOnCall,
    /// Disposition submit outside the disposition screen.
    #[error("the agent is not on the disposition screen")]
    NotInDisposition,
    /// The required fields are not empty.
    #[error("the required fields are already filled")]
    FieldsFilled,
    /// No live leg has this id.
    #[error("{0} is not a live leg")]
    NoSuchLeg(LegId),
    /// The leg is not a ringing third party.
    #[error("{0} is not ringing")]
    NotRinging(LegId),
    /// A ringing leg ends by answer, rejection or timeout, not by hanging up.
    #[error("{0} is still ringing")]
    StillRinging(LegId),
    /// No customer is in the park IVR.
    #[error("no customer is in the park IVR")]
    NotInParkIvr,
    /// The room is not a left-3way conference of this session.
    #[error("{0} is not a left-3way conference")]
    NotLeftRoom(RoomId),
    /// No clear request is in flight.
    #[error("no clear request is in flight")]
    NothingInFlight,
    /// No 3WAY (leave 3-way) request is waiting for its answer.
    #[error("no leave 3-way request is in flight")]
    NoLeaveInFlight,
    /// No 3-way Originate request is waiting for its answer.
    #[error("no 3-way Originate request is in flight")]
    NoOriginateInFlight,
    /// No channel look is waiting for its answer.
    #[error("no channel look is in flight")]
    NoLookInFlight,
    /// The screen still waits for the answer to its 3WAY request; the model takes no new
    /// call until it has handled it (docs/decisions.md, "Leave 3-way in flight").
    #[error("a leave 3-way request is still in flight")]
    LeaveInFlight,
}

/// An input the session refused. The session is unchanged; `expected` lists the kinds
/// of input it would take now (cf. rustls' `InappropriateMessage`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[error("{input} rejected: {reason}; acceptable now: {expected}")]
#[non_exhaustive]
pub struct Rejection {
    /// What was refused.
    pub input: InputKind,
    /// Why.
    pub reason: Reason,
    /// The kinds of input the session accepts in its current state.
    pub expected: InputKinds,
}

impl Rejection {
    pub(crate) fn new(session: &Session, input: &Input, reason: Reason) -> Self {
        Rejection { input: input.kind(), reason, expected: session.acceptable_kinds() }
    }
}

fn ringing(session: &Session, leg: LegId) -> Result<(), Reason> {
    match session.legs.at(leg) {
        None => Err(Reason::NoSuchLeg(leg)),
        Some(LegAt::Xfer(XferAt::Ringing(_))) => Ok(()),
        Some(_) => Err(Reason::NotRinging(leg)),
    }
}

impl Session {
    /// Would [`step`](crate::step) accept `input` now? Exactly the check `step` makes.
    pub fn accepts(&self, input: &Input) -> Result<(), Reason> {
        match input {
            Input::Api(ApiWrite::TransferConference(_)) => self.has_live_call().then_some(()).ok_or(Reason::NoLiveCall),
            Input::Api(ApiWrite::ParkCall(_)) => self.lead().map(drop).ok_or(Reason::NoLead),
            Input::Api(ApiWrite::ExternalHangup(v)) => (!v.0.is_empty()).then_some(()).ok_or(Reason::EmptyHangupValue),
            Input::Api(ApiWrite::ForcedLeave3Way(_)) => Ok(()),
            Input::Screen(ScreenInput::Tick | ScreenInput::TickClearsInFlight | ScreenInput::TickPollLate) => Ok(()),
            Input::Screen(ScreenInput::ClearsLand) => {
                let s = &self.slots;
                let idle =
                    [s.transferconf.clearing, s.park.clearing, s.hangup.clearing].iter().all(|c| *c == Clearing::Idle);
                (!idle).then_some(()).ok_or(Reason::NothingInFlight)
            }
            Input::Screen(ScreenInput::LeaveCompleted) => {
                self.screen.leave.is_some().then_some(()).ok_or(Reason::NoLeaveInFlight)
            }
            Input::Screen(ScreenInput::OriginateCompleted) => {
                self.screen.originate.is_some().then_some(()).ok_or(Reason::NoOriginateInFlight)
            }
            Input::Screen(ScreenInput::LookCompleted) => {
                self.screen.look.is_some().then_some(()).ok_or(Reason::NoLookInFlight)
            }
            Input::Net(e) => self.accepts_net(e),
            Input::Agent(AgentAction::HangUp) => self.has_live_call().then_some(()).ok_or(Reason::NotOnCall),
            Input::Agent(AgentAction::FillRequiredFields) => {
                (!self.screen.fields_filled).then_some(()).ok_or(Reason::FieldsFilled)
            }
            Input::Agent(AgentAction::SubmitDisposition) => match self.agent {
                AgentState::Dispo { .. } => Ok(()),
                _ => Err(Reason::NotInDisposition),
            },
        }
    }

    fn accepts_net(&self, event: &NetEvent) -> Result<(), Reason> {
        match *event {
            NetEvent::CallArrives { lead } => match self.agent {
                _ if lead.0 == 0 => Err(Reason::ZeroLead),
                AgentState::Waiting if self.screen.leave.is_some() => Err(Reason::LeaveInFlight),
                AgentState::Waiting => Ok(()),
                _ => Err(Reason::AgentBusy),
            },
            NetEvent::Answered(leg) | NetEvent::Rejected(leg) | NetEvent::DialTimeout(leg) => ringing(self, leg),
            NetEvent::HungUp(leg) => match self.legs.at(leg) {
                None => Err(Reason::NoSuchLeg(leg)),
                Some(LegAt::Xfer(XferAt::Ringing(_))) => Err(Reason::StillRinging(leg)),
                Some(_) => Ok(()),
            },
            NetEvent::ParkIvrDone => {
                let any = self.legs.customers.iter().any(|c| c.at == CustomerAt::ParkedIvr);
                any.then_some(()).ok_or(Reason::NotInParkIvr)
            }
            NetEvent::ConferenceCleanup | NetEvent::FreeConferences(_) => Ok(()),
            NetEvent::ConferenceExpired(room) => self.is_left_room(room).then_some(()).ok_or(Reason::NotLeftRoom(room)),
        }
    }

    /// The kinds of input acceptable now (for some choice of their data).
    pub fn acceptable_kinds(&self) -> InputKinds {
        InputKind::ALL.into_iter().filter(|k| self.accepts_kind(*k)).collect()
    }

    fn accepts_kind(&self, kind: InputKind) -> bool {
        let any_ringing = || self.legs.xfers.iter().any(|x| matches!(x.at, XferAt::Ringing(_)));
        match kind {
            InputKind::ExternalHangup
            | InputKind::ForcedLeave3Way
            | InputKind::Tick
            | InputKind::TickClearsInFlight
            | InputKind::TickPollLate
            | InputKind::ConferenceCleanup
            | InputKind::FreeConferences => true,
            InputKind::TransferConference | InputKind::HangUp => self.has_live_call(),
            InputKind::ParkCall => self.lead().is_some(),
            InputKind::ClearsLand => self.accepts(&Input::Screen(ScreenInput::ClearsLand)).is_ok(),
            InputKind::CallArrives => self.agent == AgentState::Waiting && self.screen.leave.is_none(),
            InputKind::LeaveCompleted => self.screen.leave.is_some(),
            InputKind::OriginateCompleted => self.screen.originate.is_some(),
            InputKind::LookCompleted => self.screen.look.is_some(),
            InputKind::Answered | InputKind::Rejected | InputKind::DialTimeout => any_ringing(),
            InputKind::HungUp => self.legs.all().any(|(_, at)| !matches!(at, LegAt::Xfer(XferAt::Ringing(_)))),
            InputKind::ParkIvrDone => self.accepts_net(&NetEvent::ParkIvrDone).is_ok(),
            InputKind::ConferenceExpired => !self.left.is_empty(),
            InputKind::FillRequiredFields => !self.screen.fields_filled,
            InputKind::SubmitDisposition => matches!(self.agent, AgentState::Dispo { .. }),
        }
    }
}
