//! Call legs and where they are.
//!
//! Only live legs are stored. A leg that is hung up or sent away from the agent's
//! switch (transferred to a number, voicemail or an in-group queue) leaves the table
//! with an [`Event::LegEnded`](crate::Event::LegEnded) carrying its [`Outcome`], so every leg is in
//! exactly one place by construction.

use crate::ids::{LeadId, LegId, RoomId, Text};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// Where a live customer leg is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CustomerAt {
    /// In a conference: the agent's session, or a left-3way conference (L).
    Room(RoomId),
    /// On the park extension, hearing hold music.
    Parked,
    /// In the campaign's park IVR.
    ParkedIvr,
}

/// Where a live third-party ("xfer") leg is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum XferAt {
    /// Being dialled into a room; not answered yet.
    Ringing(RoomId),
    /// Answered and in a conference.
    Room(RoomId),
    /// On the park extension.
    Parked,
}

/// Whom a 3-way dial calls.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DialTarget {
    /// An outside number, as dialled after the prefix rules (may be empty: race R15).
    Number(Text),
    /// A consultative (CXFER) leg into an in-group; `agent` is the AGENTDIRECT user, or empty.
    Consultative {
        /// The in-group the leg is queued in.
        group: Text,
        /// The AGENTDIRECT agent (the number field), possibly empty.
        agent: Text,
    },
}

/// Where a customer redirected away from the agent's switch goes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Destination {
    /// BLIND_TRANSFER: an outside number after the prefix rules.
    Number(Text),
    /// LEAVE_VM: the campaign's answering-machine message extension.
    Voicemail,
    /// LOCAL_CLOSER (or an IN_GROUP hangup route): an in-group queue, optionally one agent.
    InGroup {
        /// The in-group id.
        group: Text,
        /// The AGENTDIRECT agent (the number field), possibly empty.
        agent: Text,
    },
    /// The campaign's `agent_hangup_route` (MESSAGE, EXTENSION or CALLMENU).
    HangupRoute(Text),
    /// The extension `NEXTAVAILABLE`, where a 3WAY request with no free conference sends
    /// a live extra channel (manager_send.php 2360-2364, finding F2). The shipped
    /// dialplan has no such extension: the call is dropped.
    NextAvailable,
}

impl Destination {
    /// True when the dialplan drops the call after 1 s: an AGENTDIRECT in-group (case-
    /// insensitive substring, as the inbound AGI tests it) with no agent (open question Q3).
    pub fn dropped_by_dialplan(&self) -> bool {
        match self {
            Destination::InGroup { group, agent } => {
                agent.is_empty() && group.to_ascii_uppercase().contains("AGENTDIRECT")
            }
            _ => false,
        }
    }
}

/// How a leg left the model.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Outcome {
    /// The agent's screen sent a hangup for it (agent hangup, xfer hangup, HANGUP_BOTH).
    HungUpByScreen,
    /// The server hung it up: end-of-call cleanup of the session, or left-3way cleanup.
    HungUpByServer,
    /// The party hung up by himself.
    HungUpItself,
    /// Redirected away from the agent: number, voicemail or in-group.
    Transferred(Destination),
    /// A ringing dial cancelled by the screen (HangupConfDial).
    Cancelled,
    /// The carrier rejected the dial (busy, congestion, ...).
    Rejected,
    /// The dial timed out (open question Q7: the leg is treated as gone).
    TimedOut,
}

/// A live customer leg.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomerLeg {
    /// Its id.
    pub id: LegId,
    /// The lead the call is about.
    pub lead: LeadId,
    /// Where it is.
    pub at: CustomerAt,
}

/// A live third-party leg (one per 3-way dial attempt).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct XferLeg {
    /// Its id.
    pub id: LegId,
    /// Whom it calls.
    pub target: DialTarget,
    /// Where it is.
    pub at: XferAt,
}

/// Any live leg, for code that does not care about its role.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegAt {
    /// A customer leg and its place.
    Customer(CustomerAt),
    /// A third-party leg and its place.
    Xfer(XferAt),
}

impl LegAt {
    /// The room the leg is in (answered), if any.
    pub fn room(self) -> Option<RoomId> {
        match self {
            LegAt::Customer(CustomerAt::Room(r)) | LegAt::Xfer(XferAt::Room(r)) => Some(r),
            _ => None,
        }
    }

    /// True if the leg is parked (park extension or park IVR).
    pub fn parked(self) -> bool {
        matches!(self, LegAt::Customer(CustomerAt::Parked | CustomerAt::ParkedIvr) | LegAt::Xfer(XferAt::Parked))
    }
}

/// The live legs of one agent's world: the current call's and those left behind in
/// left-3way conferences or on park.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Legs {
    /// Live customer legs, oldest first (inline up to two: no allocation to copy).
    pub customers: SmallVec<[CustomerLeg; 2]>,
    /// Live third-party legs, oldest first (inline up to two).
    pub xfers: SmallVec<[XferLeg; 2]>,
}

impl Legs {
    /// The live customer leg `id`.
    pub fn customer(&self, id: LegId) -> Option<&CustomerLeg> {
        self.customers.iter().find(|c| c.id == id)
    }

    /// The live third-party leg `id`.
    pub fn xfer(&self, id: LegId) -> Option<&XferLeg> {
        self.xfers.iter().find(|x| x.id == id)
    }

    /// Where leg `id` is, whatever its role.
    pub fn at(&self, id: LegId) -> Option<LegAt> {
        self.customer(id).map(|c| LegAt::Customer(c.at)).or_else(|| self.xfer(id).map(|x| LegAt::Xfer(x.at)))
    }

    /// All live legs with their places, customers first.
    pub fn all(&self) -> impl Iterator<Item = (LegId, LegAt)> + '_ {
        let c = self.customers.iter().map(|c| (c.id, LegAt::Customer(c.at)));
        c.chain(self.xfers.iter().map(|x| (x.id, LegAt::Xfer(x.at))))
    }

    /// Legs answered and present in `room`.
    pub fn in_room(&self, room: RoomId) -> impl Iterator<Item = LegId> + '_ {
        self.all().filter(move |(_, at)| at.room() == Some(room)).map(|(id, _)| id)
    }

    /// Third-party legs ringing into `room`, oldest first.
    pub fn ringing_into(&self, room: RoomId) -> impl Iterator<Item = LegId> + '_ {
        self.xfers.iter().filter(move |x| x.at == XferAt::Ringing(room)).map(|x| x.id)
    }

    /// Number of parties in `room`, counting legs still ringing into it (open question Q13).
    pub fn occupancy(&self, room: RoomId) -> usize {
        self.in_room(room).count() + self.ringing_into(room).count()
    }

    /// Is leg `id` live?
    pub fn contains(&self, id: LegId) -> bool {
        self.at(id).is_some()
    }

    pub(crate) fn set_customer(&mut self, id: LegId, at: CustomerAt) {
        if let Some(c) = self.customers.iter_mut().find(|c| c.id == id) {
            c.at = at;
        }
    }

    pub(crate) fn set_xfer(&mut self, id: LegId, at: XferAt) {
        if let Some(x) = self.xfers.iter_mut().find(|x| x.id == id) {
            x.at = at;
        }
    }

    /// Removes leg `id`; returns whether it was live.
    pub(crate) fn remove(&mut self, id: LegId) -> bool {
        let before = self.customers.len() + self.xfers.len();
        self.customers.retain(|c| c.id != id);
        self.xfers.retain(|x| x.id != id);
        before != self.customers.len() + self.xfers.len()
    }
}
