//! park_call values on the screen (§8): run on every poll while the slot holds them (no
//! id, no cooldown) until the server's park handling blanks the slot.

use crate::effect::{Event, Executed};
use crate::slot::{ParkSlot, ParkValue};
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx, slot: ParkSlot) {
    // A value this build's screen has no test for is ignored silently (§17).
    let value = match slot {
        ParkSlot::Known(value) if tx.s.config.build.screen_runs(value) => value,
        _ => {
            tx.event(Event::ParkIgnored);
            return;
        }
    };
    let done = match value {
        ParkValue::ParkCustomer => {
            tx.park_customer(false);
            true
        }
        ParkValue::ParkIvrCustomer => {
            tx.park_customer(true);
            true
        }
        ParkValue::GrabCustomer | ParkValue::GrabIvrCustomer => {
            tx.grab_customer();
            true
        }
        ParkValue::ParkXfer => tx.move_xfer(true),
        ParkValue::GrabXfer => tx.move_xfer(false),
        ParkValue::SwapParkXfer => {
            tx.move_xfer(true);
            tx.grab_customer();
            true
        }
        ParkValue::SwapParkCustomer => {
            tx.park_customer(false);
            tx.move_xfer(false);
            true
        }
        ParkValue::HangupXferGrabCustomer => {
            tx.xfer_hangup(true);
            tx.grab_customer();
            true
        }
    };
    tx.event(if done { Event::Executed(Executed::Park(value)) } else { Event::ParkXferWaiting(value) });
}
