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

/// How the poll handler came out of a command's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    /// The code returned: the rest of the poll handler runs.
    Finished,
    /// The code threw (LEAVE_3WAY_CALL reading an undeclared `XDchannel`, F1): the rest of
    /// the poll handler is abandoned.
    Threw,
}

pub(crate) fn run(tx: &mut Tx, function: TransferFunction, cmd: &TransferSlot) -> Handler {
    match function {
        TransferFunction::Leave3WayCall => return leave_3way::run(tx),
        TransferFunction::HangupXfer => hangup_xfer::run(tx),
        TransferFunction::HangupBoth => hangup_both::run(tx),
        TransferFunction::BlindTransfer => blind_transfer::run(tx, cmd),
        TransferFunction::LeaveVm => leave_vm::run(tx),
        TransferFunction::LocalCloser => local_closer::run(tx, cmd),
        TransferFunction::DialWithCustomer => dial::dial_with_customer(tx, cmd),
        TransferFunction::ParkCustomerDial => dial::park_customer_dial(tx, cmd),
    }
    Handler::Finished
}
