//! Stage 2: one tick of the screen's refresh loop (§1.4, §5, open question Q9).
//!
//! Order: decrement the cooldown; send the channel look if the screen looks for a dial
//! (`src/look.rs`); read the three slots (the poll response); dead-xfer check;
//! transferconf; park; external_hangup; then per-tick counters. A poll whose handler
//! threw (F1) or whose answer came late (F3) leaves its handle behind, and the next tick
//! discards it instead of polling.

use crate::effect::{Alert, Event, Executed};
use crate::session::{Consult, PollHandle};
use crate::slot::{SlotFunction, TransferSlot};
use crate::step::Tx;
use crate::transfer::Handler;
use crate::{external_hangup, look, park, transfer};

/// The cooldown a transferconf command arms when it runs with the counter at 0.
pub const COOLDOWN_TICKS: u8 = 3;

/// Whether the tick's poll is answered before the next tick (finding F3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The usual case: the poll's answer is handled within the tick.
    InTime,
    /// The answer arrives after the next tick and is ignored (vicidial.php 8031, 8921).
    Late,
}

pub(crate) fn tick(tx: &mut Tx, answer: Answer) {
    tx.s.screen.cooldown = tx.s.screen.cooldown.saturating_sub(1);
    // Only a delay already running when the tick starts counts down (§7.4: the form is
    // submitted on the next tick).
    let delaying = matches!(tx.s.screen.consult, Consult::Delaying { .. });
    // The tick sends the channel look (21888) right after the poll (21865), before either
    // answer is handled: the look is decided on the state before the poll's commands.
    look::send_look(tx);
    match (tx.s.screen.poll, answer) {
        (PollHandle::Abandoned, _) => {
            // 8899-8923: the unfinished request is dropped, no poll this tick.
            tx.s.screen.poll = PollHandle::Ready;
            tx.event(Event::PollDiscarded);
        }
        (PollHandle::Ready, Answer::Late) => tx.s.screen.poll = PollHandle::Abandoned,
        (PollHandle::Ready, Answer::InTime) => handle_poll(tx),
    }
    if delaying {
        consult_delay(tx);
    }
}

/// The poll's answer handler (vicidial.php 8029-8896), in its order.
fn handle_poll(tx: &mut Tx) {
    let slots = &tx.s.slots;
    let (transferconf, park, hangup) =
        (slots.transferconf.value.clone(), slots.park.value.clone(), slots.hangup.value.clone());
    dead_xfer_check(tx);
    if let Some(cmd) = transferconf {
        if receive_transferconf(tx, cmd) == Handler::Threw {
            // F1: nothing after the throw runs, and the handle is never cleaned up (8886).
            tx.s.screen.poll = PollHandle::Abandoned;
            tx.event(Event::PollAbandoned);
            return;
        }
    }
    if let Some(value) = park {
        park::run(tx, value);
    }
    if let Some(value) = hangup {
        external_hangup::run(tx, &value);
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
/// screen sends `Clear_API_Field` for every non-empty command it sees (8294, 8358),
/// unless the command's code threw before the clear (F1).
fn receive_transferconf(tx: &mut Tx, cmd: TransferSlot) -> Handler {
    if tx.s.screen.last_command.as_ref() == Some(&cmd.id) {
        tx.s.slots.transferconf.send_clear();
        tx.event(Event::Duplicate(cmd.id));
        return Handler::Finished;
    }
    tx.s.screen.last_command = Some(cmd.id.clone());
    let armed = tx.s.screen.cooldown < 1;
    match &cmd.function {
        SlotFunction::Unknown(name) => tx.event(Event::UnknownFunction(name.clone())),
        SlotFunction::Known(f) if f.gated() && !armed => {
            tx.s.slots.transferconf.send_clear();
            tx.event(Event::DroppedByCooldown(*f));
            return Handler::Finished;
        }
        SlotFunction::Known(f) => {
            tx.event(Event::Executed(Executed::Transfer(*f)));
            if transfer::run(tx, *f, &cmd) == Handler::Threw {
                return Handler::Threw;
            }
        }
    }
    tx.s.slots.transferconf.send_clear();
    if armed {
        tx.s.screen.cooldown = COOLDOWN_TICKS;
    }
    Handler::Finished
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
