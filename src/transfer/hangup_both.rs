//! HANGUP_BOTH (§6.2): agent hangup if the screen still has a customer channel (the
//! customer is hung up, in the room or parked; the server cleans the room; disposition),
//! then xfer hangup if it knows a third-party channel. A required-fields block stops
//! the first part only (R13).

use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx) {
    // Step 1 tests `lastcustchannel`, which only agent hangup clears: it is set for as
    // long as the agent is on the call, even once a leave 3-way blanked the display
    // (`CALL*`, Q12). Agent hangup then sends no hangup and opens disposition.
    if tx.s.has_live_call() {
        tx.agent_hangup();
    }
    if tx.s.screen.xfer_channel.is_some() {
        tx.xfer_hangup(false);
    }
}
