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

/// The real step, then `break_it(before, step)` when the step executed `f`.
fn after(s: &Session, i: Input, f: TransferFunction, break_it: fn(&Session, &mut Step)) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed(&r, f) {
        break_it(s, &mut r);
    }
    Ok(r)
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
    after(s, i, TransferFunction::DialWithCustomer, |_, r| {
        for x in r.session.legs.xfers.iter_mut().filter(|x| matches!(x.at, XferAt::Ringing(_))) {
            x.at = XferAt::Ringing(RoomId(1));
        }
    })
}

fn cooldown_overflows(s: &Session, i: Input) -> Result<Step, Rejection> {
    let mut r = step(s, i)?;
    if executed_transfer(&r).is_some() {
        r.session.screen.cooldown = 4;
    }
    Ok(r)
}

/// The real step, then `break_it` when the step handled the answer to a 3WAY request.
fn after_leave_answer(s: &Session, i: Input, break_it: fn(&Session, &mut Step)) -> Result<Step, Rejection> {
    let answer = i == Input::Screen(ScreenInput::LeaveCompleted);
    let mut r = step(s, i)?;
    if answer {
        break_it(s, &mut r);
    }
    Ok(r)
}

fn left_room_twice(s: &Session, i: Input) -> Result<Step, Rejection> {
    after_leave_answer(s, i, |_, r| {
        if let Some(l) = r.session.left.first().cloned() {
            r.session.left.push(l);
        }
    })
}

fn tracks_customer_as_xfer(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::DialWithCustomer, |_, r| r.session.screen.xfer_channel = r.session.customer_channel())
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
    after(s, i, TransferFunction::HangupXfer, |_, r| r.effects.push(Effect::Hangup { leg: LegId(999) }))
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
    after(s, i, TransferFunction::HangupXfer, end_customer)
}

/// Keeps the tracked third party, and the ringing dial the screen looks for.
fn hangup_xfer_keeps_third_party(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::HangupXfer, |s, r| {
        let looked_for = match s.screen.dial {
            vicixfer::DialTrack::Looking(x) => Some(x),
            _ => None,
        };
        for x in [s.screen.xfer_channel, looked_for].into_iter().flatten() {
            undo_end(s, r, x);
        }
    })
}

fn hangup_both_keeps_customer(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::HangupBoth, |s, r| {
        if let Some(c) = s.customer().map(|c| c.id) {
            undo_end(s, r, c);
        }
    })
}

fn blind_also_hangs_up(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::BlindTransfer, |s, r| {
        if let Some(c) = s.customer().map(|c| c.id) {
            r.effects.push(Effect::Hangup { leg: c });
        }
    })
}

fn set_customer_at(before: &Session, r: &mut Step, at: CustomerAt) {
    if let Some(c) = before.customer().map(|c| c.id) {
        if let Some(l) = r.session.legs.customers.iter_mut().find(|l| l.id == c) {
            l.at = at;
        }
    }
}

fn dial_parks_customer(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::DialWithCustomer, |s, r| set_customer_at(s, r, CustomerAt::Parked))
}

fn park_dial_forgets_to_park(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::ParkCustomerDial, |s, r| set_customer_at(s, r, CustomerAt::Room(r.session.room)))
}

fn leave_3way_takes_customer_along(s: &Session, i: Input) -> Result<Step, Rejection> {
    after_leave_answer(s, i, |s, r| set_customer_at(s, r, CustomerAt::Room(r.session.room)))
}

fn local_closer_dials_consultatively(s: &Session, i: Input) -> Result<Step, Rejection> {
    after(s, i, TransferFunction::LocalCloser, |_, r| {
        let leg = LegId(r.session.next_leg);
        r.session.next_leg += 1;
        r.effects.push(Effect::Originate {
            leg,
            target: DialTarget::Consultative { group: "SALES".into(), agent: "".into() },
            into: r.session.room,
            caller_id: vicixfer::CallerId::Source(vicixfer::CidSource::Campaign),
        });
    })
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
