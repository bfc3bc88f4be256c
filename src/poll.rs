//! Stage 2: one tick of the screen's refresh loop (§1.4, §5, open question Q9).
//!
//! Order: decrement the cooldown; read the three slots (the poll response); dead-xfer
//! check; transferconf; park; external_hangup; then per-tick counters.

use crate::effect::{Alert, Event, Executed};
use crate::session::Consult;
use crate::slot::{SlotFunction, TransferSlot};
use crate::step::Tx;
use crate::{external_hangup, park, transfer};

/// The cooldown a transferconf command arms when it runs with the counter at 0.
pub const COOLDOWN_TICKS: u8 = 3;

pub(crate) fn tick(tx: &mut Tx) {
    tx.s.screen.cooldown = tx.s.screen.cooldown.saturating_sub(1);
    let slots = &tx.s.slots;
    let (transferconf, park, hangup) =
        (slots.transferconf.value.clone(), slots.park.value.clone(), slots.hangup.value.clone());
    // Only a delay already running when the tick starts counts down (§7.4: the form is
    // submitted on the next tick).
    let delaying = matches!(tx.s.screen.consult, Consult::Delaying { .. });
    dead_xfer_check(tx);
    if let Some(cmd) = transferconf {
        receive_transferconf(tx, cmd);
    }
    if let Some(value) = park {
        park::run(tx, value);
    }
    if let Some(value) = hangup {
        external_hangup::run(tx, &value);
    }
    if delaying {
        consult_delay(tx);
    }
}

/// `DEADxfer`: the known third party is no longer live while the customer is and the
/// agent is on the call: xfer hangup and "XFER LINE HUNG UP" (§7.7).
fn dead_xfer_check(tx: &mut Tx) {
    let Some(x) = tx.s.screen.xfer_channel else { return };
    let on_call = tx.s.has_live_call();
    if on_call && !tx.s.customer_dead() && !tx.s.legs.contains(x) {
        tx.xfer_hangup(true);
        tx.event(Event::Alert(Alert::XferLineHungUp));
    }
}

/// §5: duplicate suppression by id, cooldown gating, then the value's action. The
/// screen sends `Clear_API_Field` for every non-empty command it sees.
fn receive_transferconf(tx: &mut Tx, cmd: TransferSlot) {
    tx.s.slots.transferconf.send_clear();
    if tx.s.screen.last_command.as_ref() == Some(&cmd.id) {
        tx.event(Event::Duplicate(cmd.id));
        return;
    }
    tx.s.screen.last_command = Some(cmd.id.clone());
    let armed = tx.s.screen.cooldown < 1;
    match &cmd.function {
        SlotFunction::Unknown(name) => tx.event(Event::UnknownFunction(name.clone())),
        SlotFunction::Known(f) if f.gated() && !armed => {
            tx.event(Event::DroppedByCooldown(*f));
            return;
        }
        SlotFunction::Known(f) => {
            tx.event(Event::Executed(Executed::Transfer(*f)));
            transfer::run(tx, *f, &cmd);
        }
    }
    if armed {
        tx.s.screen.cooldown = COOLDOWN_TICKS;
    }
}

/// The consultative custom-fields delay counts down once per tick, then dials.
fn consult_delay(tx: &mut Tx) {
    let Consult::Delaying { ticks_left, dial } = &mut tx.s.screen.consult else { return };
    if *ticks_left > 1 {
        *ticks_left -= 1;
        return;
    }
    let dial = dial.clone();
    tx.s.screen.consult = Consult::Go;
    tx.place_dial(dial);
}
