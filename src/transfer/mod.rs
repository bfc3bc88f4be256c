//! The eight `transfer_conference` values as the screen executes them (§6), one module
//! each. Reached from [`poll`](crate::poll) after duplicate and cooldown checks.

mod blind_transfer;
mod dial;
mod hangup_both;
mod hangup_xfer;
mod leave_3way;
mod leave_vm;
mod local_closer;

use crate::slot::{TransferFunction, TransferSlot};
use crate::step::Tx;

pub(crate) use leave_3way::completed as leave_completed;

pub(crate) fn run(tx: &mut Tx, function: TransferFunction, cmd: &TransferSlot) {
    match function {
        TransferFunction::HangupXfer => hangup_xfer::run(tx),
        TransferFunction::HangupBoth => hangup_both::run(tx),
        TransferFunction::BlindTransfer => blind_transfer::run(tx, cmd),
        TransferFunction::LeaveVm => leave_vm::run(tx),
        TransferFunction::LocalCloser => local_closer::run(tx, cmd),
        TransferFunction::DialWithCustomer => dial::dial_with_customer(tx, cmd),
        TransferFunction::ParkCustomerDial => dial::park_customer_dial(tx, cmd),
        TransferFunction::Leave3WayCall => leave_3way::run(tx),
    }
}
