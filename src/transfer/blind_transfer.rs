//! BLIND_TRANSFER (§6.3): set the override box from field 4, redirect the customer to
//! the number after the prefix rules, then agent hangup (or stay on the lead with
//! `transfer_no_dispo` EXTERNAL). An empty number only raises an alert. A third party
//! in the room is left there (Q4).

use crate::effect::{Alert, Event};
use crate::leg::Destination;
use crate::slot::TransferSlot;
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx, cmd: &TransferSlot) {
    let screen = &mut tx.s.screen;
    screen.override_checked = cmd.dial_override.apply(screen.override_checked);
    let number = tx.s.config.dial_string(&cmd.number, screen.override_checked);
    if number.is_empty() {
        tx.event(Event::Alert(Alert::TransferNumberEmpty));
        return;
    }
    tx.redirect_customer(Destination::Number(number));
    tx.finish_transfer(tx.s.config.transfer_no_dispo.external);
}
