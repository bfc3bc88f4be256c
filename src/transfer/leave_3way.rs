//! LEAVE_3WAY_CALL (§6.8): the agent leaves; customer and third party stay together in
//! the old room, now a left-3way conference. A parked customer is grabbed back first.
//! Only the agent's own channel moves. Nothing happens without a customer channel on
//! the screen (disposition screen, R17); without a spare conference only the grab
//! happens (Q11).

use crate::effect::{Effect, Event, Leave3WayRefusal};
use crate::session::{AgentState, Consult, DialTrack, LeftRoom};
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx) {
    let AgentState::InCall { lead, customer: Some(_) } = tx.s.agent else {
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::NoCustomerChannel));
        return;
    };
    tx.s.screen.leaving_threeway = true;
    if tx.s.config.leave_3way_stop_recording && tx.s.screen.recording {
        tx.s.screen.recording = false;
        tx.effect(Effect::StopRecording);
    }
    if tx.s.screen.customer_parked {
        tx.grab_customer();
    }
    if !tx.s.free_conferences {
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::NoFreeConference));
        return;
    }
    let (old, new) = (tx.s.room, tx.free_room());
    tx.effect(Effect::MoveAgent { from: old, to: new });
    tx.s.left.push(LeftRoom { room: old, lonely_checks: 0 });
    tx.s.room = new;
    tx.s.screen.blind_transfer = true;
    tx.event(Event::LeftConference { room: old });
    // NeWSessioN: the screen blanks the customer channel, then agent hangup (which now
    // sends no hangup and no cleanup) unless transfer_no_dispo has LEAVE3WAY.
    tx.s.agent = AgentState::InCall { lead, customer: None };
    tx.finish_transfer(tx.s.config.transfer_no_dispo.leave3way);
    let screen = &mut tx.s.screen;
    screen.xfer_channel = None;
    screen.dial = DialTrack::Idle;
    screen.consult = Consult::Idle;
}
