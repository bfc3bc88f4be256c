//! HANGUP_BOTH (§6.2): agent hangup if the screen still has a customer channel (the
//! customer is hung up, in the room or parked; the server cleans the room; disposition),
//! then xfer hangup if it knows a third-party channel. A required-fields block stops
//! the first part only (R13).

use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx) {
    if tx.s.customer_channel().is_some() {
        tx.agent_hangup();
    }
    if tx.s.screen.xfer_channel.is_some() {
        tx.xfer_hangup(false);
    }
}
