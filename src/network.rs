//! Telephony and dialer events (§7.7, §7.8, §6.8 cleanup).

use crate::effect::{Alert, Event};
use crate::input::NetEvent;
use crate::leg::{CustomerAt, CustomerLeg, Outcome, XferAt};
use crate::session::{AgentState, DialTrack};
use crate::slot::{ParkSlot, ParkValue, SlotName};
use crate::step::Tx;

pub(crate) fn handle(tx: &mut Tx, event: NetEvent) {
    match event {
        NetEvent::CallArrives { lead } => call_arrives(tx, lead),
        NetEvent::Answered(leg) => {
            // The screen learns of it only through a channel look's answer (crate::look).
            if let Some(XferAt::Ringing(room)) = tx.s.legs.xfer(leg).map(|x| x.at) {
                tx.s.legs.set_xfer(leg, XferAt::Room(room));
            }
        }
        NetEvent::Rejected(leg) => {
            let learns = screen_learns(tx, leg);
            tx.end_leg(leg, Outcome::Rejected);
            if learns {
                tx.s.screen.dial = DialTrack::Idle;
                tx.event(Event::Alert(Alert::CallRejected));
            }
        }
        NetEvent::DialTimeout(leg) => {
            let learns = screen_learns(tx, leg);
            tx.end_leg(leg, Outcome::TimedOut);
            if learns {
                tx.s.screen.dial = DialTrack::TimedOut;
                tx.event(Event::Alert(Alert::DialTimedOut));
            }
        }
        NetEvent::HungUp(leg) => tx.end_leg(leg, Outcome::HungUpItself),
        NetEvent::ParkIvrDone => {
            let replaced = tx.s.slots.park.write(ParkSlot::Known(ParkValue::GrabIvrCustomer));
            tx.event(Event::Stored(SlotName::Park));
            if replaced.is_some() {
                tx.event(Event::Overwrote(SlotName::Park));
            }
        }
        NetEvent::ConferenceCleanup => cleanup(tx),
        NetEvent::ConferenceExpired(room) => tx.kick_room(room),
        NetEvent::FreeConferences(free) => tx.s.free_conferences = free,
    }
}

/// The screen learns a dial's fate only for the dial it looks for, and not while the
/// disposition screen is open (R2).
fn screen_learns(tx: &Tx, leg: crate::LegId) -> bool {
    tx.s.screen.dial == DialTrack::Looking(leg) && !matches!(tx.s.agent, AgentState::Dispo { .. })
}

/// The dialer connects a customer to a waiting agent. The start of a call blanks
/// `external_hangup` and resets the per-call screen flags.
fn call_arrives(tx: &mut Tx, lead: crate::LeadId) {
    let id = tx.new_leg_id();
    let room = tx.s.room;
    tx.s.legs.customers.push(CustomerLeg { id, lead, at: CustomerAt::Room(room) });
    tx.s.agent = AgentState::InCall { lead, customer: Some(id) };
    tx.s.slots.hangup = Default::default();
    let screen = &mut tx.s.screen;
    screen.fields_filled = !tx.s.config.required_fields;
    screen.redirected = false;
    screen.leaving_threeway = false;
    tx.event(Event::CallStarted { lead, customer: id });
}

/// One run of the leave-3way cleanup (Q13): a conference holding at most one party (none
/// included) for `leave_3way_cleanup_checks` consecutive runs is kicked and freed.
fn cleanup(tx: &mut Tx) {
    let limit = tx.s.config.leave_3way_cleanup_checks;
    let rooms: smallvec::SmallVec<[crate::RoomId; 4]> = tx.s.left.iter().map(|l| l.room).collect();
    for room in rooms {
        let occupancy = tx.s.legs.occupancy(room);
        let Some(entry) = tx.s.left.iter_mut().find(|l| l.room == room) else { continue };
        entry.lonely_checks = if occupancy <= 1 { entry.lonely_checks.saturating_add(1) } else { 0 };
        if entry.lonely_checks >= limit {
            tx.kick_room(room);
        }
    }
}
