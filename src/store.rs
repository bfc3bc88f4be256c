//! Stage 1 (§1.1): api.php overwrites one slot. Nothing happens to any call yet.

use crate::effect::Event;
use crate::input::ApiWrite;
use crate::slot::{SlotName, TransferFunction, TransferSlot};
use crate::step::Tx;

pub(crate) fn write(tx: &mut Tx, write: ApiWrite) {
    let slots = &mut tx.s.slots;
    let (name, replaced) = match write {
        ApiWrite::TransferConference(cmd) => (SlotName::TransferConf, slots.transferconf.write(cmd).is_some()),
        ApiWrite::ForcedLeave3Way(id) => {
            let cmd = TransferSlot::bare(TransferFunction::Leave3WayCall, id);
            (SlotName::TransferConf, slots.transferconf.write(cmd).is_some())
        }
        ApiWrite::ParkCall(value) => (SlotName::Park, slots.park.write(value).is_some()),
        ApiWrite::ExternalHangup(value) => (SlotName::Hangup, slots.hangup.write(value).is_some()),
    };
    tx.event(Event::Stored(name));
    if replaced {
        tx.event(Event::Overwrote(name));
    }
}
