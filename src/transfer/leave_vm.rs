//! LEAVE_VM (§6.4): redirect the customer to the campaign's answering-machine message,
//! then agent hangup (or stay on the lead with `transfer_no_dispo` EXTERNAL). The
//! campaign's `leave_vm_no_dispo` is not honoured on the API path.

use crate::leg::Destination;
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx) {
    tx.redirect_customer(Destination::Voicemail);
    tx.finish_transfer(tx.s.config.transfer_no_dispo.external);
}
