//! One agent's session: the server row, the screen's variables, the slots and the legs.

use crate::config::{CidSource, Config};
use crate::ids::{CommandId, LeadId, LegId, RoomId, Text};
use crate::leg::{CustomerLeg, DialTarget, Legs};
use crate::slot::Slots;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// What the agent's screen shows, and with it the server's idea of a live call (§1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgentState {
    /// No lead on screen (`lead_id = 0`): paused or waiting for the next call.
    Waiting,
    /// On a call (VLA `INCALL`, lead and callerid set): api.php's "live call". This also
    /// covers a dead call (customer hung up, R1), `transfer_no_dispo` after a transfer
    /// (`CALL*`, Q12) and a hangup blocked by required fields (R13): in all three the
    /// customer leg is no longer live.
    InCall {
        /// The lead on screen.
        lead: LeadId,
        /// The customer channel on the screen's display, the one agent hangup hangs up;
        /// `None` once a leave 3-way blanked it. (`lastcustchannel` itself stays set until
        /// agent hangup, so HANGUP_BOTH still reaches disposition: Q12.)
        customer: Option<LegId>,
    },
    /// The disposition screen: lead kept, callerid cleared (VLA `PAUSED`).
    Dispo {
        /// The lead being dispositioned.
        lead: LeadId,
    },
}

/// The screen's look-up of its newest 3-way dial (`MD_channel_look`,
/// `MD_dial_timed_out`). Only the newest dial is looked for (race R10).
///
/// The look starts only when the dial's Originate request is answered
/// ([`OriginateInFlight`], docs/screen-requests.md row 16), and the third party becomes
/// known only when a channel look is answered ([`LookInFlight`], row 25).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DialTrack {
    /// No dial being looked for (`MD_channel_look = 0`).
    #[default]
    Idle,
    /// `MD_channel_look = 1` for this dial: every tick sends a channel look for it.
    Looking(LegId),
    /// The dial timed out ("Dial timed out").
    TimedOut,
}

/// A LEAVE_3WAY_CALL whose `3WAY` request (`RedirectXtraNeW`) is sent but whose answer the
/// screen has not handled yet (docs/screen-requests.md, request rows 6 and 18; §16).
///
/// Every request of the screen is asynchronous: until the answer is handled (the input
/// [`ScreenInput::LeaveCompleted`](crate::ScreenInput::LeaveCompleted)), the screen still
/// has its old `session_id` ([`Session::room`] is `old`), its customer channel, its third
/// party and its no-dispo flag, and every later block of the same poll and every later
/// poll acts on them (scenarios S1-S4, S16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeavingConference {
    /// The conference being left (`session_id` when the request was sent).
    pub old: RoomId,
    /// The conference the server reserved and moved the agent's channel to: its answer
    /// will be `NeWSessioN|new|`. `None`: no free conference, the answer will be
    /// "Cannot find empty conference" (Q11).
    pub new: Option<RoomId>,
}

/// The 3-way dial's `Originate` request (`basic_originate_call`, vicidial.php 7854) is
/// sent but its answer has not been handled (docs/screen-requests.md row 16; D7).
///
/// Until its answer handler runs (7872-7877, the input
/// [`ScreenInput::OriginateCompleted`](crate::ScreenInput::OriginateCompleted)) the
/// screen does not look for the new channel (`MD_channel_look` is unchanged), so an xfer
/// hangup or an agent hangup meanwhile sends no dial cancel (16320, 16033; scenarios S7,
/// S8). The answer arms the look whatever happened in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OriginateInFlight {
    /// The leg the Originate placed (`XDnextCID` once answered).
    pub leg: LegId,
}

/// A channel look (`ManualDialCheckChanneL`, vicidial.php 11292) sent by a tick while the
/// screen looked for `leg`, whose answer has not been handled (docs/screen-requests.md
/// row 25).
///
/// Its answer handler (11295-11407, the input
/// [`ScreenInput::LookCompleted`](crate::ScreenInput::LookCompleted)) does not check
/// that the look is still wanted: if the third party has answered by then, the screen
/// tracks it, even after an xfer hangup in between (scenario S9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LookInFlight {
    /// The dial the look asks about (`XDnextCID` when it was sent).
    pub leg: LegId,
}

/// The screen's `XDchannel` (vicidial.php 11354; findings F1, F2, D19, D20).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum XdChannel {
    /// Never assigned in this login (no `var` declares it): reading it throws, so a
    /// LEAVE_3WAY_CALL abandons the poll handler (F1).
    #[default]
    Undeclared,
    /// Assigned earlier in the login, before this session's history: a third party of an
    /// earlier call, long gone. A leave sends its 3WAY request; nothing live is redirected.
    Earlier,
    /// The channel of this leg, found by a look of this session.
    Leg(LegId),
}

impl XdChannel {
    /// The leg, if the channel is one this session knows.
    pub fn leg(self) -> Option<LegId> {
        match self {
            XdChannel::Leg(leg) => Some(leg),
            XdChannel::Undeclared | XdChannel::Earlier => None,
        }
    }
}

/// The poll request's handle (`xmlhttprequestcheckconf`, vicidial.php 8021-8031, 8886,
/// 8899-8923; finding F3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PollHandle {
    /// The last poll was handled and cleaned up: the next tick sends a new one.
    #[default]
    Ready,
    /// The last poll's handler never finished (it threw, F1) or its answer came after the
    /// next tick (F3): the next tick only discards the handle and sends no poll (8921);
    /// the tick after that polls again.
    Abandoned,
}

/// The caller id a 3-way leg presents (§7.4).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallerId {
    /// The group alias's caller id number (field 6, longer than 3 characters).
    Alias(Text),
    /// Derived from a `three_way_call_cid` source.
    Source(CidSource),
}

/// A 3-way dial the screen has decided to place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PendingDial {
    /// Whom to call.
    pub target: DialTarget,
    /// The caller id to present.
    pub caller_id: CallerId,
}

/// The consultative custom-fields delay (`consult_custom_*`, §7.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Consult {
    /// No consultative dial under way.
    #[default]
    Idle,
    /// Saving custom fields; the dial is placed when the counter runs out.
    Delaying {
        /// Ticks left before the dial.
        ticks_left: u8,
        /// The dial to place.
        dial: PendingDial,
    },
    /// Delay done (`consult_custom_go`): later consultative dials go at once until an
    /// xfer hangup or disposition resets it.
    Go,
}

/// The agent screen's variables that survive between polls (§14).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Screen {
    /// `api_transferconf_ID`: id of the last transferconf command received (executed or
    /// dropped); never reset during a login session. It starts as `''` (vicidial.php
    /// 6704, §16): a first command whose field 7 is present but empty is a duplicate.
    /// `None` (only in hand-built sessions) lets every command run.
    pub last_command: Option<CommandId>,
    /// `external_transferconf_count`: the cooldown counter (0..=3).
    pub cooldown: u8,
    /// The dial-override checkbox (sticky, R16).
    pub override_checked: bool,
    /// The consultative checkbox (sticky, R16).
    pub consultative_checked: bool,
    /// `API_selected_xfergroup` (until disposition submit).
    pub selected_group: Option<Text>,
    /// `customerparked`: set optimistically by park, cleared by grab and disposition submit.
    pub customer_parked: bool,
    /// `blind_transfer`: suppresses the server's end-of-call cleanup (§7.1).
    pub blind_transfer: bool,
    /// `RedirecTxFEr`: a redirect happened in a manual-dial campaign (R12).
    pub redirected: bool,
    /// `leaving_threeway`.
    pub leaving_threeway: bool,
    /// `lastxferchannel`: the third party whose channel the screen knows (connected,
    /// possibly parked since). A newer connected dial replaces it (R10).
    pub xfer_channel: Option<LegId>,
    /// The dial being looked for.
    pub dial: DialTrack,
    /// Consultative delay state.
    pub consult: Consult,
    /// A recording is running.
    pub recording: bool,
    /// Required fields filled (always true when the campaign requires none).
    pub fields_filled: bool,
    /// The 3WAY request in flight, if any (the screen's `leaving` state, §16).
    #[serde(default)]
    pub leave: Option<LeavingConference>,
    /// `transfer_no_dispoTEMP`: set when a transfer ran under its `transfer_no_dispo`
    /// value (vicidial.php 9232, 9264, 9319), reset by every xfer hangup (16385) and by
    /// the disposition (17522). The 3WAY answer re-tests it (9476, finding F5).
    #[serde(default)]
    pub no_dispo_temp: bool,
    /// The 3-way Originate in flight, if any (row 16). Only the newest is kept.
    #[serde(default)]
    pub originate: Option<OriginateInFlight>,
    /// The channel look in flight, if any (row 25).
    #[serde(default)]
    pub look: Option<LookInFlight>,
    /// `XDchannel`: the last third-party channel a channel look reported in this login
    /// (vicidial.php 11354). Never cleared. Until it is set, LEAVE_3WAY_CALL throws in the
    /// poll handler (F1, D19); with no free conference the 3WAY request redirects it
    /// away if it is live (F2, D20).
    #[serde(default)]
    pub xd_channel: XdChannel,
    /// The poll request's handle (F1, F3).
    #[serde(default)]
    pub poll: PollHandle,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            last_command: Some(CommandId::Id("".into())),
            cooldown: 0,
            override_checked: false,
            consultative_checked: false,
            selected_group: None,
            customer_parked: false,
            blind_transfer: false,
            redirected: false,
            leaving_threeway: false,
            xfer_channel: None,
            dial: DialTrack::Idle,
            consult: Consult::Idle,
            recording: false,
            fields_filled: true,
            leave: None,
            no_dispo_temp: false,
            originate: None,
            look: None,
            xd_channel: XdChannel::Undeclared,
            poll: PollHandle::Ready,
        }
    }
}

/// A former agent session left by "leave 3-way" (L): it holds the customer and third
/// party without the agent until they hang up or the cleanup kicks them (§6.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeftRoom {
    /// The room.
    pub room: RoomId,
    /// Consecutive cleanup checks that found at most one party in it.
    pub lonely_checks: u8,
}

/// One logged-in agent with everything the transfer paths read or change.
///
/// Change it only through [`step`](crate::step); every field is public for reading,
/// serialising and building test fixtures. Deserialising checks [`Session::validate`]
/// (in the module above this one and the invariants): a session no sequence of inputs
/// could reach is refused, never loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Session {
    /// Campaign, phone and server settings.
    pub config: Config,
    /// Screen and call state.
    pub agent: AgentState,
    /// The agent's current conference room (`session_id`, `conf_exten`).
    pub room: RoomId,
    /// The screen's variables.
    pub screen: Screen,
    /// The pending-command slots.
    pub slots: Slots,
    /// Live legs.
    pub legs: Legs,
    /// Left-3way conferences, oldest first (inline up to four: a call-after-call leave keeps up to three before they expire, and copying them allocates nothing).
    pub left: SmallVec<[LeftRoom; 4]>,
    /// The server has more than one free conference (open question Q11).
    pub free_conferences: bool,
    /// The next leg id to allocate.
    pub next_leg: u64,
}

impl Default for Session {
    fn default() -> Self {
        Session::new(Config::default())
    }
}

impl Serialize for Session {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Session::serialize(self, serializer)
    }
}

impl Session {
    /// A logged-in agent waiting for a call, in room `config.first_room`.
    pub fn new(config: Config) -> Self {
        Session {
            room: RoomId(config.first_room),
            config,
            agent: AgentState::Waiting,
            screen: Screen::default(),
            slots: Slots::default(),
            legs: Legs::default(),
            left: SmallVec::new(),
            free_conferences: true,
            next_leg: 1,
        }
    }

    /// api.php's "live call" for transfer_conference: `lead_id > 0` and a callerid (§1.5).
    pub fn has_live_call(&self) -> bool {
        matches!(self.agent, AgentState::InCall { .. })
    }

    /// api.php's precondition for park_call: `lead_id > 0` (also on the disposition screen).
    pub fn lead(&self) -> Option<LeadId> {
        match self.agent {
            AgentState::Waiting => None,
            AgentState::InCall { lead, .. } | AgentState::Dispo { lead } => Some(lead),
        }
    }

    /// The customer channel on the screen's display (see [`AgentState::InCall`]).
    pub fn customer_channel(&self) -> Option<LegId> {
        match self.agent {
            AgentState::InCall { customer, .. } => customer,
            _ => None,
        }
    }

    /// The current call's customer leg, if the screen knows it and it is live.
    pub fn customer(&self) -> Option<&CustomerLeg> {
        self.customer_channel().and_then(|id| self.legs.customer(id))
    }

    /// The screen believes a call is up but its customer is no longer live (dead call,
    /// or the customer was sent away while the agent stayed on the lead).
    pub fn customer_dead(&self) -> bool {
        self.has_live_call() && self.customer().is_none()
    }

    /// The agent is back where a new call can start and nothing of the old one is
    /// attached to its session: waiting, no legs in or ringing into its room.
    pub fn is_idle(&self) -> bool {
        self.agent == AgentState::Waiting && self.legs.occupancy(self.room) == 0
    }

    /// Is `room` a left-3way conference of this session?
    pub fn is_left_room(&self, room: RoomId) -> bool {
        self.left.iter().any(|l| l.room == room)
    }
}

impl std::fmt::Display for Session {
    /// One line: the agent, its room, every live leg and the pending slots, e.g.
    /// `agent in-call lead 42 | room 8600051 | C1 in 8600051, X2 ringing into 8600051 | slots: transferconf`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::leg::{CustomerAt, LegAt, XferAt};
        match self.agent {
            AgentState::Waiting => f.write_str("agent waiting")?,
            AgentState::InCall { lead, .. } if self.customer_dead() => {
                write!(f, "agent in-call lead {} (no customer)", lead.0)?
            }
            AgentState::InCall { lead, .. } => write!(f, "agent in-call lead {}", lead.0)?,
            AgentState::Dispo { lead } => write!(f, "agent dispo lead {}", lead.0)?,
        }
        write!(f, " | room {} | ", self.room.0)?;
        let mut legs = self.legs.all().peekable();
        if legs.peek().is_none() {
            f.write_str("no legs")?;
        }
        for (i, (id, at)) in legs.enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let (role, place) = match at {
                LegAt::Customer(CustomerAt::Room(r)) => ('C', format!("in {}", r.0)),
                LegAt::Customer(CustomerAt::Parked) => ('C', "parked".into()),
                LegAt::Customer(CustomerAt::ParkedIvr) => ('C', "in park IVR".into()),
                LegAt::Xfer(XferAt::Room(r)) => ('X', format!("in {}", r.0)),
                LegAt::Xfer(XferAt::Ringing(r)) => ('X', format!("ringing into {}", r.0)),
                LegAt::Xfer(XferAt::Parked) => ('X', "parked".into()),
            };
            write!(f, "{sep}{role}{} {place}", id.0)?;
        }
        let s = &self.slots;
        let pending: Vec<&str> = [
            (s.transferconf.value.is_some(), "transferconf"),
            (s.park.value.is_some(), "park"),
            (s.hangup.value.is_some(), "hangup"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if !pending.is_empty() {
            write!(f, " | slots: {}", pending.join(", "))?;
        }
        if self.screen.cooldown > 0 {
            write!(f, " | cooldown {}", self.screen.cooldown)?;
        }
        Ok(())
    }
}
