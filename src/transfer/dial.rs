//! The two dialling values (gated): DIAL_WITH_CUSTOMER (§6.6) dials the third party into
//! the room with the customer there; PARK_CUSTOMER_DIAL (§6.7) first parks the customer
//! so it cannot hear the dial. Both set the sticky checkboxes from the command and add
//! a party even if one is already there (R10).

use crate::config::CidSource;
use crate::slot::{Checkbox, TransferSlot};
use crate::step::Tx;

/// Field 3 sets the consultative box; the in-group becomes `API_selected_xfergroup`.
fn take_fields(tx: &mut Tx, cmd: &TransferSlot) {
    let screen = &mut tx.s.screen;
    screen.consultative_checked = cmd.consultative.apply(screen.consultative_checked);
    screen.selected_group = Some(cmd.ingroup.clone());
}

pub(crate) fn dial_with_customer(tx: &mut Tx, cmd: &TransferSlot) {
    take_fields(tx, cmd);
    let screen = &mut tx.s.screen;
    screen.override_checked = cmd.dial_override.apply(screen.override_checked);
    // A cid_choice longer than 3 characters overrides three_way_call_cid for one dial.
    let cid_once = (cmd.cid_choice.chars().count() > 3).then(|| CidSource::from_word(&cmd.cid_choice));
    tx.three_way_dial(&cmd.number, &cmd.alias_cid, cid_once);
}

pub(crate) fn park_customer_dial(tx: &mut Tx, cmd: &TransferSlot) {
    take_fields(tx, cmd);
    // Only YES touches the override box here; NO does not clear it. Field 8 is ignored.
    if cmd.dial_override == Checkbox::Set {
        tx.s.screen.override_checked = true;
    }
    tx.park_customer(false);
    tx.three_way_dial(&cmd.number, &cmd.alias_cid, None);
}
