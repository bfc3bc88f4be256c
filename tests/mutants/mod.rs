//! Deliberately broken step functions, one per invariant: each wraps the real `step` and
//! breaks exactly the behaviour its invariant protects. The explorer and the property
//! tests must catch every one of them (so no invariant holds vacuously).

use vicixfer::invariants::{executed_transfer, Invariant};
use vicixfer::{
    step, CustomerAt, DialTarget, Effect, Event, Input, LegId, Rejection, RoomId, ScreenInput, Session, Step,
    TransferFunction, XferAt,
};

type StepFn = fn(&Session, Input) -> Result<Step, Rejection>;

/// Every invariant with a mutant that breaks it.
pub const MUTANTS: &[(Invariant, StepFn)] = &[
    (Invariant::LegInOnePlace, leg_listed_twice),
    (Invariant::LegsInKnownRooms, dial_into_unknown_room),
    (Invariant::CooldownBounded, cooldown_overflows),
    (Invariant::LeftRoomsDistinct, left_room_twice),
    (Invariant::TrackedXferIsXfer, tracks_customer_as_xfer),
    (Invariant::RejectionIsPure, rejects_busy_ticks),
    (Invariant::LegsConserved, silent_hangup),
    (Invariant::EffectsNameLiveLegs, hangs_up_a_ghost),
    (Invariant::HangupXferKeepsCustomer, hangup_xfer_drops_customer),
    (Invariant::HangupXferClearsThirdParty, hangup_xfer_keeps_third_party),
    (Invariant::HangupBothClearsAgent, hangup_both_keeps_customer),
    (Invariant::BlindSendsCustomerOnce, blind_also_hangs_up),
    (Invariant::DialKeepsCustomer, dial_parks_customer),
    (Invariant::ParkDialParksCustomer, park_dial_forgets_to_park),
    (Invariant::Leave3WayLeavesTogether, leave_3way_takes_customer_along),
    (Invariant::ConsultativeOnlyOnDials, local_closer_dials_consultatively),
    (Invariant::CommandIdOnce, forgets_last_command),
    (Invariant::CooldownGates, ignores_cooldown),
    (Invariant::Deterministic, nondeterministic),
    (Invariant::NeverPanics, panics_on_leave_vm),
];

fn executed(step: &Step, f: TransferFunction) -> bool {
    executed_transfer(step) == Some(f)
}

fn leg_listed_twice(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if let Some(c) = r.session.legs.customers.first().cloned() {
        if r.session.screen.customer_parked {
            r.session.legs.customers.push(c);
        }
    }
    Ok(r)
}

fn dial_into_unknown_room(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::DialWithCustomer) {
        for x in r.session.legs.xfers.iter_mut() {
            if matches!(x.at, XferAt::Ringing(_)) {
                x.at = XferAt::Ringing(RoomId(1));
            }
        }
    }
    Ok(r)
}

fn cooldown_overflows(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed_transfer(&r).is_some() {
        r.session.screen.cooldown = 4;
    }
    Ok(r)
}

fn left_room_twice(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if let Some(l) = r.session.left.first().cloned() {
        if executed(&r, TransferFunction::Leave3WayCall) {
            r.session.left.push(l);
        }
    }
    Ok(r)
}

fn tracks_customer_as_xfer(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::DialWithCustomer) {
        r.session.screen.xfer_channel = r.session.customer_channel();
    }
    Ok(r)
}

fn rejects_busy_ticks(s: &Session, i: Input) -> Result<Step, Rejection> {
    if i == Input::Screen(ScreenInput::Tick) && s.screen.cooldown == 2 {
        // Claims to reject an input `accepts` allows.
        return Err(step(&Session::default(), vicixfer::NetEvent::ParkIvrDone.into()).expect_err("idle: no park IVR"));
    }
    step(s, i)
}

fn silent_hangup(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    r.events.retain(|e| !matches!(e, Event::LegEnded { outcome: vicixfer::Outcome::HungUpItself, .. }));
    Ok(r)
}

fn hangs_up_a_ghost(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::HangupXfer) {
        r.effects.push(Effect::Hangup { leg: LegId(999) });
    }
    Ok(r)
}

/// Ends the current call's customer leg properly (effect and event), so only the
/// command invariant notices.
fn end_customer(before: &Session, r: &mut Step) {
    if let Some(c) = before.customer().map(|c| c.id) {
        if r.session.legs.customers.iter().any(|l| l.id == c) {
            r.session.legs.customers.retain(|l| l.id != c);
            r.effects.push(Effect::Hangup { leg: c });
            r.events.push(Event::LegEnded { leg: c, outcome: vicixfer::Outcome::HungUpByScreen });
        }
    }
}

/// Puts back a leg the step ended, and forgets that it ended.
fn undo_end(before: &Session, r: &mut Step, leg: LegId) {
    if r.session.legs.contains(leg) {
        return;
    }
    if let Some(c) = before.legs.customer(leg) {
        r.session.legs.customers.push(c.clone());
    } else if let Some(x) = before.legs.xfer(leg) {
        r.session.legs.xfers.push(x.clone());
    } else {
        return;
    }
    r.events.retain(|e| !matches!(e, Event::LegEnded { leg: l, .. } if *l == leg));
}

fn hangup_xfer_drops_customer(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::HangupXfer) {
        end_customer(s, &mut r);
    }
    Ok(r)
}

fn hangup_xfer_keeps_third_party(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::HangupXfer) {
        if let Some(x) = s.screen.xfer_channel {
            undo_end(s, &mut r, x);
        }
    }
    Ok(r)
}

fn hangup_both_keeps_customer(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::HangupBoth) {
        if let Some(c) = s.customer().map(|c| c.id) {
            undo_end(s, &mut r, c);
        }
    }
    Ok(r)
}

fn blind_also_hangs_up(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::BlindTransfer) {
        if let Some(c) = s.customer().map(|c| c.id) {
            r.effects.push(Effect::Hangup { leg: c });
        }
    }
    Ok(r)
}

fn set_customer_at(before: &Session, r: &mut Step, at: CustomerAt) {
    if let Some(c) = before.customer().map(|c| c.id) {
        if let Some(l) = r.session.legs.customers.iter_mut().find(|l| l.id == c) {
            l.at = at;
        }
    }
}

fn dial_parks_customer(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::DialWithCustomer) {
        set_customer_at(s, &mut r, CustomerAt::Parked);
    }
    Ok(r)
}

fn park_dial_forgets_to_park(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::ParkCustomerDial) {
        let room = r.session.room;
        set_customer_at(s, &mut r, CustomerAt::Room(room));
    }
    Ok(r)
}

fn leave_3way_takes_customer_along(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::Leave3WayCall) {
        let room = r.session.room;
        set_customer_at(s, &mut r, CustomerAt::Room(room));
    }
    Ok(r)
}

fn local_closer_dials_consultatively(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::LocalCloser) {
        let leg = LegId(r.session.next_leg);
        r.session.next_leg += 1;
        r.effects.push(Effect::Originate {
            leg,
            target: DialTarget::Consultative { group: "SALES".into(), agent: "".into() },
            into: r.session.room,
            caller_id: vicixfer::CallerId::Source(vicixfer::CidSource::Campaign),
        });
    }
    Ok(r)
}

fn forgets_last_command(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut forgetful = s.clone();
    forgetful.screen.last_command = None;
    step(&forgetful, i)
}

fn ignores_cooldown(s: &Session, i: Input) -> Result<Step, Rejection> {
    let gated = vicixfer::invariants::pending_transfer(s).is_some_and(TransferFunction::gated);
    if i == Input::Screen(ScreenInput::Tick) && gated {
        let mut eager = s.clone();
        eager.screen.cooldown = 0;
        return step(&eager, i);
    }
    step(s, i)
}

fn nondeterministic(s: &Session, i: Input) -> Result<Step, Rejection> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut r = step(s, i)?;
    if executed(&r, TransferFunction::LeaveVm) && CALLS.fetch_add(1, Ordering::Relaxed) % 2 == 1 {
        r.session.screen.recording = !r.session.screen.recording;
    }
    Ok(r)
}

fn panics_on_leave_vm(s: &Session, i: Input) -> Result<Step, Rejection> {
    let r = step(s, i)?;
    assert!(!executed(&r, TransferFunction::LeaveVm), "mutant: LEAVE_VM panics");
    Ok(r)
}
