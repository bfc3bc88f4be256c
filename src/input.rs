//! Everything that can happen to a session, grouped by where it comes from.

use crate::ids::{CommandId, LeadId, LegId, RoomId};
use crate::slot::{HangupSlot, ParkSlot, TransferSlot};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One input to [`step`](crate::step).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Input {
    /// Stage 1: api.php stored a command in one of the agent's slots.
    Api(ApiWrite),
    /// Stage 2: the agent screen's refresh loop.
    Screen(ScreenInput),
    /// Telephony and dialer events.
    Net(NetEvent),
    /// Something the agent did on the screen.
    Agent(AgentAction),
}

/// A successful api.php call, as the slot write it performs (§1.1).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ApiWrite {
    /// `transfer_conference`: writes `external_transferconf` (needs a live call).
    TransferConference(TransferSlot),
    /// `park_call`: writes `external_park` (needs a lead on screen).
    ParkCall(ParkSlot),
    /// `external_hangup`: writes `external_hangup` (needs only a login).
    ExternalHangup(HangupSlot),
    /// Another agent's `force_fronter_leave_3way` chose this agent as the fronter and
    /// wrote `LEAVE_3WAY_CALL` with this id into its slot. No check on this agent (R17).
    ForcedLeave3Way(CommandId),
}

/// The screen's refresh loop (§1.4, open question Q9).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ScreenInput {
    /// One tick: decrement the cooldown, poll, execute transferconf -> park -> hangup,
    /// then run per-tick counters. The clear requests the tick sends land before the
    /// next input (the usual case).
    Tick,
    /// A tick whose clear requests are still in flight afterwards: a command written
    /// before [`ScreenInput::ClearsLand`] is erased (R3), and a further tick re-reads
    /// the uncleared park slot (R6).
    TickClearsInFlight,
    /// The clear requests in flight reach the server.
    ClearsLand,
    /// The answer to the screen's `3WAY` request (LEAVE_3WAY_CALL) is handled
    /// (vicidial.php 9463-9492; docs/screen-requests.md row 6). The screen sent the request
    /// during an earlier poll and kept its old channels and `session_id` meanwhile
    /// ([`Screen::leave`](crate::Screen::leave)). The driver feeds this when the answer
    /// arrives: after the poll that sent it has finished, in any order relative to later
    /// ticks and events. Accepted only while a leave is in flight.
    LeaveCompleted,
    /// The answer to the screen's 3-way `Originate` request is handled (vicidial.php
    /// 7857-7880; docs/screen-requests.md row 16): only now does the screen look for the
    /// new channel (`MD_channel_look = 1`), whatever happened since the dial was sent.
    /// Accepted only while an Originate is in flight
    /// ([`Screen::originate`](crate::Screen::originate)).
    OriginateCompleted,
    /// The answer to the screen's channel look is handled (vicidial.php 11295-11638;
    /// row 25): if the third party has answered, the screen tracks it. A tick sends a look
    /// while the screen looks for a dial; the driver feeds this after that tick, before
    /// or after later ticks. Accepted only while a look is in flight
    /// ([`Screen::look`](crate::Screen::look)).
    LookCompleted,
    /// A tick whose poll answer arrives only after the next tick (finding F3): the
    /// cooldown counts down, the poll's commands are not run, and the next tick discards
    /// the request instead of polling (vicidial.php 8899-8923).
    TickPollLate,
}

/// Events from the telephony side and the dialer.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum NetEvent {
    /// The dialer hands a call (customer already connected) to a waiting agent.
    CallArrives {
        /// The lead of the call.
        lead: LeadId,
    },
    /// A ringing third party answered and joins the room it was dialled into.
    Answered(LegId),
    /// The carrier rejected a ringing dial (busy, congestion, ...).
    Rejected(LegId),
    /// A ringing dial timed out (`manual_dial_timeout`).
    DialTimeout(LegId),
    /// A live, answered leg (customer or third party, anywhere) hung up by itself.
    HungUp(LegId),
    /// The campaign park IVR finished and wrote `GRAB_IVR_CUSTOMER` into `external_park`.
    ParkIvrDone,
    /// One run of the leave-3way cleanup (`AST_conf_update.pl`, open question Q13).
    ConferenceCleanup,
    /// A left-3way conference exceeded the recording limit and is kicked.
    ConferenceExpired(RoomId),
    /// The server's free-conference supply changed (open question Q11).
    FreeConferences(bool),
}

/// What the agent does on the screen.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AgentAction {
    /// The agent clicks "hang up customer" (agent hangup, §7.2).
    HangUp,
    /// The agent fills the campaign's required fields.
    FillRequiredFields,
    /// The agent submits the disposition; clears the slots and ends the call.
    SubmitDisposition,
}

/// The kind of an input, without its data: what a [`Rejection`](crate::Rejection) lists
/// as legal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum InputKind {
    TransferConference,
    ParkCall,
    ExternalHangup,
    ForcedLeave3Way,
    Tick,
    TickClearsInFlight,
    ClearsLand,
    LeaveCompleted,
    OriginateCompleted,
    LookCompleted,
    TickPollLate,
    CallArrives,
    Answered,
    Rejected,
    DialTimeout,
    HungUp,
    ParkIvrDone,
    ConferenceCleanup,
    ConferenceExpired,
    FreeConferences,
    HangUp,
    FillRequiredFields,
    SubmitDisposition,
}

impl InputKind {
    /// Every kind.
    pub const ALL: [InputKind; 23] = [
        InputKind::TransferConference,
        InputKind::ParkCall,
        InputKind::ExternalHangup,
        InputKind::ForcedLeave3Way,
        InputKind::Tick,
        InputKind::TickClearsInFlight,
        InputKind::ClearsLand,
        InputKind::LeaveCompleted,
        InputKind::OriginateCompleted,
        InputKind::LookCompleted,
        InputKind::TickPollLate,
        InputKind::CallArrives,
        InputKind::Answered,
        InputKind::Rejected,
        InputKind::DialTimeout,
        InputKind::HungUp,
        InputKind::ParkIvrDone,
        InputKind::ConferenceCleanup,
        InputKind::ConferenceExpired,
        InputKind::FreeConferences,
        InputKind::HangUp,
        InputKind::FillRequiredFields,
        InputKind::SubmitDisposition,
    ];
}

/// A set of input kinds: what a [`Rejection`](crate::Rejection) says is acceptable. A
/// bitset, so building and copying it never allocates.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "Vec<InputKind>", from = "Vec<InputKind>")]
pub struct InputKinds(u32);

impl InputKinds {
    /// Is `kind` in the set?
    pub fn contains(self, kind: InputKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: InputKind) {
        self.0 |= 1 << kind as u32;
    }

    /// True for the empty set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in [`InputKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = InputKind> {
        InputKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<InputKind> for InputKinds {
    fn from_iter<I: IntoIterator<Item = InputKind>>(iter: I) -> Self {
        let mut set = InputKinds::default();
        iter.into_iter().for_each(|k| set.insert(k));
        set
    }
}

impl From<Vec<InputKind>> for InputKinds {
    fn from(kinds: Vec<InputKind>) -> Self {
        kinds.into_iter().collect()
    }
}

impl From<InputKinds> for Vec<InputKind> {
    fn from(kinds: InputKinds) -> Self {
        kinds.iter().collect()
    }
}

impl fmt::Debug for InputKinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Input {
    /// The kind of this input.
    pub fn kind(&self) -> InputKind {
        match self {
            Input::Api(ApiWrite::TransferConference(_)) => InputKind::TransferConference,
            Input::Api(ApiWrite::ParkCall(_)) => InputKind::ParkCall,
            Input::Api(ApiWrite::ExternalHangup(_)) => InputKind::ExternalHangup,
            Input::Api(ApiWrite::ForcedLeave3Way(_)) => InputKind::ForcedLeave3Way,
            Input::Screen(ScreenInput::Tick) => InputKind::Tick,
            Input::Screen(ScreenInput::TickClearsInFlight) => InputKind::TickClearsInFlight,
            Input::Screen(ScreenInput::ClearsLand) => InputKind::ClearsLand,
            Input::Screen(ScreenInput::LeaveCompleted) => InputKind::LeaveCompleted,
            Input::Screen(ScreenInput::OriginateCompleted) => InputKind::OriginateCompleted,
            Input::Screen(ScreenInput::LookCompleted) => InputKind::LookCompleted,
            Input::Screen(ScreenInput::TickPollLate) => InputKind::TickPollLate,
            Input::Net(e) => match e {
                NetEvent::CallArrives { .. } => InputKind::CallArrives,
                NetEvent::Answered(_) => InputKind::Answered,
                NetEvent::Rejected(_) => InputKind::Rejected,
                NetEvent::DialTimeout(_) => InputKind::DialTimeout,
                NetEvent::HungUp(_) => InputKind::HungUp,
                NetEvent::ParkIvrDone => InputKind::ParkIvrDone,
                NetEvent::ConferenceCleanup => InputKind::ConferenceCleanup,
                NetEvent::ConferenceExpired(_) => InputKind::ConferenceExpired,
                NetEvent::FreeConferences(_) => InputKind::FreeConferences,
            },
            Input::Agent(AgentAction::HangUp) => InputKind::HangUp,
            Input::Agent(AgentAction::FillRequiredFields) => InputKind::FillRequiredFields,
            Input::Agent(AgentAction::SubmitDisposition) => InputKind::SubmitDisposition,
        }
    }
}

impl From<ApiWrite> for Input {
    fn from(w: ApiWrite) -> Self {
        Input::Api(w)
    }
}

impl From<ScreenInput> for Input {
    fn from(s: ScreenInput) -> Self {
        Input::Screen(s)
    }
}

impl From<NetEvent> for Input {
    fn from(e: NetEvent) -> Self {
        Input::Net(e)
    }
}

impl From<AgentAction> for Input {
    fn from(a: AgentAction) -> Self {
        Input::Agent(a)
    }
}
