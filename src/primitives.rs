//! The screen's shared building blocks (§7): hangups, redirects, park and grab, the
//! 3-way dial. Every transfer path is composed of these; none repeats their logic.

use crate::config::CidSource;
use crate::effect::{Effect, Event};
use crate::ids::{LegId, RoomId, Text};
use crate::leg::{CustomerAt, Destination, DialTarget, LegAt, Outcome, XferAt, XferLeg};
use crate::session::{AgentState, CallerId, Consult, DialTrack, OriginateInFlight, PendingDial};
use crate::step::Tx;
use smallvec::SmallVec;

impl Tx<'_> {
    /// The screen sends `Hangup` for a channel. manager_send blanks `external_hangup`
    /// for every such request (§1.3), live channel or not.
    pub(crate) fn send_hangup(&mut self, leg: LegId) {
        self.s.slots.hangup.send_clear();
        if self.s.legs.contains(leg) {
            self.effect(Effect::Hangup { leg });
            self.end_leg(leg, Outcome::HungUpByScreen);
        }
    }

    /// `HangupConfDial`: cancels the dial being looked for if it still rings, else the
    /// oldest dial ringing into the agent's room (open question Q5).
    fn cancel_dial(&mut self) {
        self.s.slots.hangup.send_clear();
        let looked_for = match self.s.screen.dial {
            DialTrack::Looking(leg) => Some(leg),
            _ => None,
        };
        let ringing = |leg: &LegId| matches!(self.s.legs.at(*leg), Some(LegAt::Xfer(XferAt::Ringing(_))));
        let target = looked_for.filter(ringing).or_else(|| self.s.legs.ringing_into(self.s.room).next());
        if let Some(leg) = target {
            self.effect(Effect::CancelDial { leg });
            self.end_leg(leg, Outcome::Cancelled);
        }
    }

    /// Pending-dial cancellation is disabled after a redirect in a manual-dial campaign (R12).
    fn may_cancel_dial(&self) -> bool {
        !(self.s.config.manual_dial && self.s.screen.redirected)
    }

    /// §6.1 `xfercall_send_hangup`: hang up the known third party, cancel a dial still
    /// looked for, reset the screen's xfer state. Never touches the customer.
    /// `record`: start a recording if the campaign asks (not within HANGUP_BOTH/leave).
    pub(crate) fn xfer_hangup(&mut self, record: bool) {
        if let Some(x) = self.s.screen.xfer_channel {
            self.send_hangup(x);
        }
        // Neither the dial cancel nor the recording while leaving (16315, 16320).
        let leaving = self.s.screen.leaving_threeway;
        if matches!(self.s.screen.dial, DialTrack::Looking(_)) && self.may_cancel_dial() && !leaving {
            self.cancel_dial();
        }
        let screen = &mut self.s.screen;
        screen.xfer_channel = None;
        screen.dial = DialTrack::Idle;
        screen.consult = Consult::Idle;
        // transfer_no_dispoTEMP (16385): a HANGUP_XFER_GRAB_CUSTOMER in the same poll as
        // a leave sends the agent to disposition after all (scenario S3, finding F5).
        screen.no_dispo_temp = false;
        if record && self.s.config.hangup_xfer_record_start && !screen.recording && !leaving {
            screen.recording = true;
            self.effect(Effect::StartRecording);
        }
    }

    /// §7.2 `dialedcall_send_hangup`: cancel a pending dial, hang up the customer
    /// channel, log the call end (the server may clean up the room), open the
    /// disposition screen. Returns false when required fields block it (R13).
    pub(crate) fn agent_hangup(&mut self) -> bool {
        if !self.s.screen.fields_filled {
            self.event(Event::HangupBlocked);
            return false;
        }
        let leaving = self.s.screen.leaving_threeway;
        let looking = matches!(self.s.screen.dial, DialTrack::Looking(_));
        if (looking || self.s.config.manual_dial) && !self.s.screen.redirected && !leaving {
            self.cancel_dial();
        }
        if let Some(customer) = self.s.customer_channel() {
            self.send_hangup(customer);
        }
        // DialLog("end"): VLA PAUSED, callerid cleared; RedirecTxFEr reset.
        self.s.screen.redirected = false;
        if self.s.config.server_cleanup_on_hangup && !leaving && !self.s.screen.blind_transfer {
            let room = self.s.room;
            let in_room: SmallVec<[LegId; 4]> = self.s.legs.in_room(room).collect();
            for leg in in_room {
                self.effect(Effect::Hangup { leg });
                self.end_leg(leg, Outcome::HungUpByServer);
            }
        }
        if let Some(lead) = self.s.lead() {
            self.s.agent = AgentState::Dispo { lead };
            self.event(Event::DispositionOpened);
        }
        true
    }

    /// §7.1: redirect the screen's customer channel away (from the room or from park).
    /// Sets `blind_transfer`, which spares the room from the end-of-call cleanup (Q4).
    pub(crate) fn redirect_customer(&mut self, to: Destination) {
        self.s.screen.blind_transfer = true;
        self.note_redirect();
        if let Some(leg) = self.s.customer().map(|c| c.id) {
            self.redirect_away(leg, to);
        }
    }

    /// A Redirect of `leg`, if live, that takes it off the agent's switch.
    pub(crate) fn redirect_away(&mut self, leg: LegId, to: Destination) {
        if self.s.legs.contains(leg) {
            self.effect(Effect::Redirect { leg, to: to.clone() });
            self.end_leg(leg, Outcome::Transferred(to));
        }
    }

    /// After a transfer: agent hangup, or stay on the lead with `transfer_no_dispo`.
    pub(crate) fn finish_transfer(&mut self, no_dispo: bool) {
        if no_dispo {
            // transfer_no_dispoTEMP (9232, 9264): reset by the next xfer hangup.
            self.s.screen.no_dispo_temp = true;
            self.event(Event::StayedOnLead);
        } else {
            self.agent_hangup();
        }
    }

    /// Any redirect (park and grab included) in a manual-dial campaign sets `RedirecTxFEr`.
    pub(crate) fn note_redirect(&mut self) {
        if self.s.config.manual_dial {
            self.s.screen.redirected = true;
        }
    }

    /// Moves the screen's customer, if live, to `at`, emitting `effect` when it moves.
    fn move_customer(&mut self, at: CustomerAt, effect: impl FnOnce(LegId) -> Effect) {
        self.note_redirect();
        if let Some(c) = self.s.customer().filter(|c| c.at != at).map(|c| c.id) {
            self.effect(effect(c));
            self.s.legs.set_customer(c, at);
        }
    }

    /// `ParK` / `ParKivr`: the customer to the park extension or the park IVR. The
    /// screen sets `customerparked` whether or not the redirect works; the server blanks
    /// `external_park` unconditionally.
    pub(crate) fn park_customer(&mut self, ivr: bool) {
        self.s.screen.customer_parked = true;
        self.s.slots.park.send_clear();
        if ivr {
            self.move_customer(CustomerAt::ParkedIvr, |leg| Effect::ParkIvr { leg });
        } else {
            self.s.screen.blind_transfer = false;
            self.move_customer(CustomerAt::Parked, |leg| Effect::Park { leg });
        }
    }

    /// `FROMParK` / `FROMParKivr`: the customer back into the agent's current room.
    pub(crate) fn grab_customer(&mut self) {
        self.s.screen.customer_parked = false;
        self.s.slots.park.send_clear();
        let into = self.s.room;
        self.move_customer(CustomerAt::Room(into), |leg| Effect::Grab { leg, into });
    }

    /// `ParKXfeR` / `FROMParKXfeR` on the known third party. Returns false when no third
    /// party is known: the request fails validation and the slot is not cleared (R7).
    pub(crate) fn move_xfer(&mut self, park: bool) -> bool {
        let Some(x) = self.s.screen.xfer_channel else { return false };
        self.s.slots.park.send_clear();
        self.note_redirect();
        let into = self.s.room;
        match (park, self.s.legs.xfer(x).map(|l| l.at)) {
            (true, Some(XferAt::Room(_))) => {
                self.effect(Effect::Park { leg: x });
                self.s.legs.set_xfer(x, XferAt::Parked);
            }
            (false, Some(XferAt::Parked)) => {
                self.effect(Effect::Grab { leg: x, into });
                self.s.legs.set_xfer(x, XferAt::Room(into));
            }
            _ => {}
        }
        true
    }

    /// §7.4: build the 3-way dial from the screen's fields, then place it, or start the
    /// consultative custom-fields delay first.
    pub(crate) fn three_way_dial(&mut self, number: &Text, alias_cid: &Text, cid_once: Option<CidSource>) {
        let screen = &self.s.screen;
        let consultative = screen.consultative_checked || number.contains("CXFER");
        let number = strip_dial_punctuation(number);
        let dialled = self.s.config.dial_string(&number, screen.override_checked);
        let target = if consultative {
            let group = match &screen.selected_group {
                Some(g) if g.chars().count() > 1 => g.clone(),
                _ => "".into(),
            };
            DialTarget::Consultative { group, agent: dialled }
        } else {
            DialTarget::Number(dialled)
        };
        let caller_id = if alias_cid.chars().count() > 3 {
            CallerId::Alias(alias_cid.clone())
        } else {
            CallerId::Source(cid_once.unwrap_or(self.s.config.three_way_call_cid))
        };
        let dial = PendingDial { target, caller_id };
        let delay = self.s.config.consult_delay;
        if consultative && delay > 0 && self.s.screen.consult != Consult::Go {
            self.s.screen.consult = Consult::Delaying { ticks_left: delay, dial };
        } else {
            self.place_dial(dial);
        }
    }

    /// Originates the third-party leg into the agent's room. The screen looks for it only
    /// once the Originate's answer is handled ([`crate::look`]; docs/screen-requests.md
    /// row 16): until then `Screen::dial` is unchanged. A newer dial's Originate replaces
    /// an older one still in flight (docs/decisions.md).
    pub(crate) fn place_dial(&mut self, dial: PendingDial) {
        let leg = self.new_leg_id();
        let into = self.s.room;
        self.s.legs.xfers.push(XferLeg { id: leg, target: dial.target.clone(), at: XferAt::Ringing(into) });
        self.s.screen.originate = Some(OriginateInFlight { leg });
        self.effect(Effect::Originate { leg, target: dial.target, into, caller_id: dial.caller_id });
    }

    /// The lowest free conference number from the agent's first room up: deterministic,
    /// and bounded by the number of rooms in use.
    pub(crate) fn free_room(&self) -> RoomId {
        let reserved = self.s.screen.leave.and_then(|l| l.new);
        let in_use = |r: u64| r == self.s.room.0 || self.s.is_left_room(RoomId(r)) || reserved == Some(RoomId(r));
        let first = self.s.config.first_room;
        // Upwards from the first room, wrapping past u64::MAX (found by fuzzing: a
        // session whose first room is the last number must still find a free one).
        let free = (first..=u64::MAX).chain(0..first).find(|r| !in_use(*r)).unwrap_or(first);
        RoomId(free)
    }

    /// The server kicks everyone out of a left-3way conference and frees it.
    pub(crate) fn kick_room(&mut self, room: RoomId) {
        let members: SmallVec<[LegId; 4]> = self.s.legs.in_room(room).collect();
        for leg in members {
            self.effect(Effect::Hangup { leg });
            self.end_leg(leg, Outcome::HungUpByServer);
        }
        let ringing: SmallVec<[LegId; 4]> = self.s.legs.ringing_into(room).collect();
        for leg in ringing {
            self.effect(Effect::CancelDial { leg });
            self.end_leg(leg, Outcome::Cancelled);
        }
        self.s.left.retain(|l| l.room != room);
        self.event(Event::ConferenceFreed(room));
    }
}

/// §7.4: the 3-way dial drops pipe, backtick, ampersand, quotes, backslash, semicolon and
/// space from the number field. Shares the text when there is nothing to drop.
fn strip_dial_punctuation(number: &Text) -> Text {
    const DROPPED: [char; 8] = ['|', '`', '&', '\'', '"', '\\', ';', ' '];
    if number.contains(DROPPED) {
        number.chars().filter(|c| !DROPPED.contains(c)).collect::<String>().into()
    } else {
        number.clone()
    }
}
