//! What a step asks the driver to do ([`Effect`]) and what it observed ([`Event`]).

use crate::ids::{CommandId, LeadId, LegId, RoomId, Text};
use crate::leg::{Destination, DialTarget, Outcome};
use crate::session::{CallerId, Session};
use crate::slot::{ParkValue, SlotName, TransferFunction};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// A telephony action the screen (through `manager_send.php`) asks for. The model has
/// already moved the legs as if it succeeded; the driver performs it and reports what
/// the network did with [`NetEvent`](crate::NetEvent)s.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Effect {
    /// Place a 3-way dial: a new leg ringing into `into`.
    Originate {
        /// The new leg.
        leg: LegId,
        /// Whom it calls.
        target: DialTarget,
        /// The room it joins when answered.
        into: RoomId,
        /// The caller id it presents.
        caller_id: CallerId,
    },
    /// Send a customer away from the agent's switch.
    Redirect {
        /// The customer leg.
        leg: LegId,
        /// Where it goes.
        to: Destination,
    },
    /// Put a leg on the park extension.
    Park {
        /// The leg.
        leg: LegId,
    },
    /// Put the customer in the campaign park IVR.
    ParkIvr {
        /// The customer leg.
        leg: LegId,
    },
    /// Bring a parked leg into a room.
    Grab {
        /// The leg.
        leg: LegId,
        /// The agent's current room.
        into: RoomId,
    },
    /// Leave 3-way: move the agent's own phone channel to a new room.
    MoveAgent {
        /// The room left behind (now a left-3way conference).
        from: RoomId,
        /// The agent's new room.
        to: RoomId,
    },
    /// Hang up a leg.
    Hangup {
        /// The leg.
        leg: LegId,
    },
    /// Cancel a ringing dial (HangupConfDial).
    CancelDial {
        /// The ringing leg.
        leg: LegId,
    },
    /// Start recording the agent's session.
    StartRecording,
    /// Stop recording the agent's session.
    StopRecording,
}

/// A command the screen executed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Executed {
    /// A transferconf value.
    Transfer(TransferFunction),
    /// A park_call value.
    Park(ParkValue),
    /// external_hangup.
    ExternalHangup,
}

/// A message the screen shows the agent.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Alert {
    /// "Transfer number must have at least 1 digit" (BLIND_TRANSFER, empty number).
    TransferNumberEmpty,
    /// "Dial timed out".
    DialTimedOut,
    /// "Call Rejected".
    CallRejected,
    /// "XFER LINE HUNG UP".
    XferLineHungUp,
}

/// Why a LEAVE_3WAY_CALL did nothing.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Leave3WayRefusal {
    /// The screen has no customer channel (disposition screen, R17): the server rejects it.
    NoCustomerChannel,
    /// The server has no spare conference (Q11): its answer to the 3WAY request.
    NoFreeConference,
    /// A 3WAY request of this screen is still waiting for its answer. The real screen
    /// sends a second one (scenario S14); the model does the grab and sends none
    /// (docs/decisions.md).
    AlreadyLeaving,
    /// No channel look has found a third party in this login (`XDchannel` was never
    /// assigned): reading it throws a ReferenceError in the poll handler (vicidial.php
    /// 9294; finding F1, D19). The flags and the grab before it stay; the 3WAY request is
    /// never sent and the rest of the poll handler is abandoned.
    NoXferChannelYet,
}

/// Something the step observed: what a trace, a metric or a test looks at.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Event {
    /// api.php stored a command.
    Stored(SlotName),
    /// The stored command replaced one the screen had not executed yet (R3).
    Overwrote(SlotName),
    /// A clear request landed.
    SlotCleared(SlotName),
    /// A clear landed on a newer command the screen never saw (R3).
    Erased(SlotName),
    /// The screen executed a command.
    Executed(Executed),
    /// A transferconf command whose id equals the last one: consumed, not executed.
    Duplicate(CommandId),
    /// A gated command consumed within the cooldown (R4).
    DroppedByCooldown(TransferFunction),
    /// A transferconf function the screen does not know: consumed without action.
    UnknownFunction(Text),
    /// A park value the screen ignores; it stays pending.
    ParkIgnored,
    /// PARK_XFER / GRAB_XFER with no known third party: retried on every poll (R7).
    ParkXferWaiting(ParkValue),
    /// external_hangup pending but not acted on (value not 1, or no live call).
    HangupIgnored,
    /// Agent hangup refused: required fields are empty (R13).
    HangupBlocked,
    /// LEAVE_3WAY_CALL did nothing.
    Leave3WayRefused(Leave3WayRefusal),
    /// The screen showed an alert.
    Alert(Alert),
    /// A leg left the model.
    LegEnded {
        /// The leg.
        leg: LegId,
        /// How.
        outcome: Outcome,
    },
    /// A new call reached the agent.
    CallStarted {
        /// Its lead.
        lead: LeadId,
        /// Its customer leg.
        customer: LegId,
    },
    /// The disposition screen opened (VLA `PAUSED`, callerid cleared).
    DispositionOpened,
    /// `transfer_no_dispo`: the agent stays on the lead after the transfer (`CALL*`).
    StayedOnLead,
    /// The disposition was submitted; the agent waits for the next call.
    DispositionSubmitted,
    /// The agent left a 3-way: its old room is now a left-3way conference.
    LeftConference {
        /// The old room.
        room: RoomId,
    },
    /// The server freed a left-3way conference.
    ConferenceFreed(RoomId),
    /// The 3-way Originate's answer was handled: the screen now looks for the dial's
    /// channel (vicidial.php 7872-7877).
    LookStarted(LegId),
    /// A channel look's answer reported the third party's channel: the screen tracks it
    /// (vicidial.php 11353-11407).
    XferChannelFound(LegId),
    /// The poll handler threw (F1): the park, hangup and dispo blocks of this poll did
    /// not run, the transferconf slot was not cleared and the next tick sends no poll.
    PollAbandoned,
    /// The tick found the previous poll unfinished and only discarded it (8921).
    PollDiscarded,
}

/// The effects of one step, in order. Inline up to four, so a step does not allocate.
pub type Effects = SmallVec<[Effect; 4]>;

/// The events of one step, in order. Inline up to six.
pub type Events = SmallVec<[Event; 6]>;

/// The result of an accepted input: the new session and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Step {
    /// The session after the input.
    pub session: Session,
    /// Telephony actions for the driver, in order.
    pub effects: Effects,
    /// Observations, in order.
    pub events: Events,
}

impl Default for Step {
    /// A buffer for [`crate::step_into`]: a default session, no effects or events.
    fn default() -> Step {
        Step { session: Session::default(), effects: Effects::new(), events: Events::new() }
    }
}
