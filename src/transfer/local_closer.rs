//! LOCAL_CLOSER (§6.5, gated): remember the in-group, redirect the customer blind into
//! its queue (AGENTDIRECT: to the agent in the number field; without one the dialplan
//! drops the call, Q3), then agent hangup (or stay with `transfer_no_dispo` LOCAL).

use crate::leg::Destination;
use crate::slot::TransferSlot;
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx, cmd: &TransferSlot) {
    tx.s.screen.selected_group = Some(cmd.ingroup.clone());
    tx.redirect_customer(Destination::InGroup { group: cmd.ingroup.clone(), agent: cmd.number.clone() });
    tx.finish_transfer(tx.s.config.transfer_no_dispo.local);
}
