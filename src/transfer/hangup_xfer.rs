//! HANGUP_XFER (§6.1): hang up the third party the screen knows, cancel a dial it is
//! still looking for, reset its xfer state. The customer is never touched: in the room
//! or parked, it stays where it is, and the agent stays on the call.

use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx) {
    tx.xfer_hangup(true);
}
