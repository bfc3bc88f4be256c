//! BLIND_TRANSFER (§6.3): set the override box from field 4, redirect the customer to
//! the number after the prefix rules, then agent hangup (or stay on the lead with
//! `transfer_no_dispo` EXTERNAL). An empty number raises an alert, and under EXTERNAL
//! blanks the customer-channel display (§16). A third party in the room is left there (Q4).

use crate::effect::{Alert, Event};
use crate::leg::Destination;
use crate::session::AgentState;
use crate::slot::TransferSlot;
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx, cmd: &TransferSlot) {
    let screen = &mut tx.s.screen;
    screen.override_checked = cmd.dial_override.apply(screen.override_checked);
    let number = tx.s.config.dial_string(&cmd.number, screen.override_checked);
    if number.is_empty() {
        empty_number(tx);
        return;
    }
    tx.redirect_customer(Destination::Number(number));
    tx.finish_transfer(tx.s.config.transfer_no_dispo.external);
}

/// §16, docs/screen-requests.md row 3: no request goes out, but `blind_transfer` (9123)
/// and, under `transfer_no_dispo` EXTERNAL, `transfer_no_dispoTEMP` (9232) are set, and
/// with it the customer-channel display is blanked without agent hangup (9537-9544). A
/// later HANGUP_BOTH or external_hangup then hangs up nobody: the customer stays in the
/// room while the agent goes to disposition.
fn empty_number(tx: &mut Tx) {
    tx.event(Event::Alert(Alert::TransferNumberEmpty));
    tx.s.screen.blind_transfer = true;
    tx.note_redirect();
    if !tx.s.config.transfer_no_dispo.external {
        return;
    }
    tx.s.screen.no_dispo_temp = true;
    if let AgentState::InCall { lead, .. } = tx.s.agent {
        tx.s.agent = AgentState::InCall { lead, customer: None };
    }
}
