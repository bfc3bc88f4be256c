//! The named invariants of the model, in one place: `always` predicates on a session,
//! transition properties over `(before, input, after, effects, events)`, and
//! `sometimes` coverage targets. The property tests, the fuzz targets, the explorer and
//! the simulator all check these same functions.
//!
//! ```
//! use vicixfer::{invariants, step, Input, NetEvent, LeadId, Session};
//!
//! let before = Session::default();
//! let input: Input = NetEvent::CallArrives { lead: LeadId(1) }.into();
//! let result = step(&before, input.clone());
//! assert!(invariants::check_step(&before, &input, &result).is_ok());
//! ```

use crate::effect::{Effect, Event, Executed, Step};
use crate::ids::{LegId, RoomId};
use crate::input::{Input, ScreenInput};
use crate::leg::{CustomerAt, DialTarget, LegAt, Outcome, XferAt};
use crate::reject::Rejection;
use crate::session::{AgentState, Consult, DialTrack, LeavingConference, Session};
use crate::slot::{SlotFunction, TransferFunction};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::fmt;

/// How an invariant is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// A predicate on every reachable session.
    Always,
    /// A property of every transition.
    Transition,
    /// A property of the transition function itself, checked by the harness
    /// (explorer, property tests, fuzz targets): it needs to run `step` again.
    Harness,
}

macro_rules! invariants {
    ($($(#[doc = $doc:literal])* $name:ident = $kind:ident, $text:literal;)*) => {
        /// Every named invariant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Invariant {
            $($(#[doc = $doc])* $name,)*
        }

        impl Invariant {
            /// All of them, in the order they are documented.
            pub const ALL: &'static [Invariant] = &[$(Invariant::$name,)*];

            /// How it is checked.
            pub fn kind(self) -> Kind {
                match self {
                    $(Invariant::$name => Kind::$kind,)*
                }
            }

            /// The one-line statement (also in `docs/invariants.md`).
            pub fn statement(self) -> &'static str {
                match self {
                    $(Invariant::$name => $text,)*
                }
            }
        }
    };
}

invariants! {
    /// Every live leg has one id and one place.
    LegInOnePlace = Always, "each leg is in exactly one place (one entry, one location); while a request is in flight that place is where the screen's last request put it";
    /// Legs are only in rooms the session knows.
    LegsInKnownRooms = Always, "every leg in or ringing into a room is in the agent's room or one of its left-3way rooms";
    /// The cooldown counter stays within 0..=3.
    CooldownBounded = Always, "the cooldown counter is never above 3";
    /// Left rooms are distinct and never the agent's own room.
    LeftRoomsDistinct = Always, "left-3way rooms are distinct and never the agent's current room; a leave in flight leaves the agent's current room for a conference that is neither";
    /// The screen's tracked third party is a third-party leg.
    TrackedXferIsXfer = Always, "the third party the screen tracks is never a customer leg";
    /// A rejected input changes nothing.
    RejectionIsPure = Transition, "a rejected input changes nothing and emits no effect, and `accepts` agrees with `step`";
    /// Every leg that disappears ends with exactly one outcome; no leg appears from nowhere.
    LegsConserved = Transition, "every leg that leaves the table ends with exactly one LegEnded; every new leg comes from a call or an originate";
    /// Effects only name legs that exist.
    EffectsNameLiveLegs = Transition, "every effect names a leg live before the step or created by it";
    /// HANGUP_XFER never touches the customer.
    HangupXferKeepsCustomer = Transition, "HANGUP_XFER never drops or moves the customer";
    /// HANGUP_XFER hangs up the third party the screen knows and cancels its dial.
    HangupXferClearsThirdParty = Transition, "HANGUP_XFER leaves no tracked third party in the session (a ringing dial the screen looks for is cancelled unless R12 applies or the agent is leaving the 3-way; a dial whose Originate answer is still in flight is not looked for yet, S7)";
    /// HANGUP_BOTH disconnects the agent from both parties.
    HangupBothClearsAgent = Transition, "HANGUP_BOTH leaves neither the customer nor the tracked third party connected to the agent";
    /// The blind family sends the customer to exactly one place.
    BlindSendsCustomerOnce = Transition, "BLIND_TRANSFER / LEAVE_VM / LOCAL_CLOSER never hang up the customer and send it to at most one destination (exactly one when a number or group is given)";
    /// DIAL_WITH_CUSTOMER keeps the customer where it is.
    DialKeepsCustomer = Transition, "DIAL_WITH_CUSTOMER keeps the customer in the session (or parked, if it was)";
    /// PARK_CUSTOMER_DIAL parks the customer before the dial.
    ParkDialParksCustomer = Transition, "PARK_CUSTOMER_DIAL parks the customer: it is never in a room with the new dial";
    /// LEAVE_3WAY_CALL leaves the callers together without the agent.
    Leave3WayLeavesTogether = Transition, "LEAVE_3WAY_CALL grabs a parked customer before it sends the 3WAY request; its answer leaves whoever is still in the old room there, together, without the agent";
    /// Consultative dials come only from the two dialling values.
    ConsultativeOnlyOnDials = Transition, "a consultative (in-group) dial only comes from DIAL_WITH_CUSTOMER / PARK_CUSTOMER_DIAL";
    /// A command id equal to the last one received never executes.
    CommandIdOnce = Transition, "a command id executes at most once (never when equal to the last id received)";
    /// Gated commands inside the cooldown are dropped.
    CooldownGates = Transition, "LOCAL_CLOSER / DIAL_WITH_CUSTOMER / PARK_CUSTOMER_DIAL never execute within the cooldown";
    /// Same input, same result.
    Deterministic = Harness, "step is deterministic: the same session and input give the same result";
    /// No input panics.
    NeverPanics = Harness, "step never panics";
    /// Sessions survive serialisation.
    SerdeRoundTrip = Harness, "serde (JSON) round trip of a session is the identity";
}

impl Invariant {
    /// The `snake_case` name used in reports and by the simulator.
    pub fn name(self) -> String {
        let debug = format!("{self:?}");
        let mut out = String::with_capacity(debug.len() + 4);
        for (i, c) in debug.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A broken invariant and what broke it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{invariant}: {detail}")]
#[non_exhaustive]
pub struct Violation {
    /// Which one.
    pub invariant: Invariant,
    /// What was seen.
    pub detail: String,
}

impl Violation {
    /// A violation of `invariant`, with what was seen.
    pub fn new(invariant: Invariant, detail: impl Into<String>) -> Violation {
        Violation { invariant, detail: detail.into() }
    }
}

fn fail(invariant: Invariant, detail: impl Into<String>) -> Result<(), Violation> {
    Err(Violation { invariant, detail: detail.into() })
}

/// Checks every `always` invariant on one session.
pub fn check_state(s: &Session) -> Result<(), Violation> {
    // Sets of a few ids, kept inline: checking a state allocates nothing.
    let mut ids: SmallVec<[LegId; 8]> = s.legs.all().map(|(id, _)| id).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return fail(Invariant::LegInOnePlace, format!("{} is listed twice", w[0]));
    }
    let known = |r| r == s.room || s.is_left_room(r);
    for (id, at) in s.legs.all() {
        let room = match at {
            LegAt::Customer(CustomerAt::Room(r)) | LegAt::Xfer(XferAt::Room(r) | XferAt::Ringing(r)) => Some(r),
            _ => None,
        };
        if let Some(r) = room.filter(|r| !known(*r)) {
            return fail(Invariant::LegsInKnownRooms, format!("{id} is in unknown {r}"));
        }
    }
    if s.screen.cooldown > crate::poll::COOLDOWN_TICKS {
        return fail(Invariant::CooldownBounded, format!("cooldown {}", s.screen.cooldown));
    }
    let mut rooms: SmallVec<[RoomId; 4]> = s.left.iter().map(|l| l.room).collect();
    rooms.sort_unstable();
    if rooms.windows(2).any(|w| w[0] == w[1]) || rooms.contains(&s.room) {
        return fail(Invariant::LeftRoomsDistinct, format!("left rooms {:?}, agent in {}", rooms, s.room));
    }
    // A leave in flight: the screen is still in the room it leaves, and the conference
    // the server reserved is neither that room nor a left one.
    if let Some(l) = s.screen.leave {
        let reserved_clash = l.new.is_some_and(|n| n == s.room || rooms.contains(&n));
        if l.old != s.room || reserved_clash {
            return fail(Invariant::LeftRoomsDistinct, format!("leave in flight {l:?}, agent in {}", s.room));
        }
    }
    if let Some(x) = s.screen.xfer_channel.filter(|x| s.legs.customer(*x).is_some()) {
        return fail(Invariant::TrackedXferIsXfer, format!("screen tracks customer {x} as its third party"));
    }
    Ok(())
}

/// Checks every `always` invariant on the session after the step and every
/// `transition` property of the step. `result` must be `step(before, input.clone())`.
pub fn check_step(before: &Session, input: &Input, result: &Result<Step, Rejection>) -> Result<(), Violation> {
    check_outcome(before, input, result.as_ref())
}

/// [`check_step`] on a borrowed outcome (the explorer steps into a reused [`Step`]).
pub(crate) fn check_outcome(
    before: &Session,
    input: &Input,
    result: Result<&Step, &Rejection>,
) -> Result<(), Violation> {
    let step = match result {
        Err(_) => {
            if before.accepts(input).is_ok() {
                return fail(Invariant::RejectionIsPure, "step rejected an input `accepts` allows");
            }
            let mut same = before.clone();
            if same.handle(input.clone()).is_ok() || same != *before {
                return fail(Invariant::RejectionIsPure, "handle changed the session on a rejected input");
            }
            return Ok(());
        }
        Ok(step) => step,
    };
    if before.accepts(input).is_err() {
        return fail(Invariant::RejectionIsPure, "`accepts` refuses an input step took");
    }
    check_accepted_step(before, input, step)
}

/// [`check_outcome`] on a step of an input the caller has seen [`Session::accepts`]
/// allow (the explorer's standard level asks before it steps): all but that converse.
pub(crate) fn check_accepted_step(before: &Session, input: &Input, step: &Step) -> Result<(), Violation> {
    check_state(&step.session)?;
    check_transition(before, input, step)
}

/// Every `transition` property of a step of an input [`Session::accepts`] allows, without
/// the `always` invariants on the session after it ([`check_state`]): those depend on that
/// session alone, so a checker that stores states checks them once for each state it
/// stores (the explorer's standard level), not again on every edge that reaches it.
pub fn check_transition(before: &Session, input: &Input, step: &Step) -> Result<(), Violation> {
    legs_conserved(before, step)?;
    effects_name_live_legs(before, step)?;
    let executed = executed_transfer(step);
    cooldown_and_ids(before, executed)?;
    consultative_only_on_dials(before, step, executed)?;
    // The command properties: when the poll carried only the transferconf command, so
    // that nothing else in the tick (park, external_hangup) can act on the same legs.
    let alone = before.slots.park.value.is_none() && before.slots.hangup.value.is_none();
    match executed.filter(|_| alone) {
        Some(TransferFunction::HangupXfer) => hangup_xfer(before, step),
        Some(TransferFunction::HangupBoth) => hangup_both(before, step),
        Some(f @ (TransferFunction::BlindTransfer | TransferFunction::LeaveVm | TransferFunction::LocalCloser)) => {
            blind(before, step, f)
        }
        Some(TransferFunction::DialWithCustomer) => dial_keeps_customer(before, step),
        Some(TransferFunction::ParkCustomerDial) => park_dial(before, step),
        Some(TransferFunction::Leave3WayCall) => leave_3way(before, step),
        None if *input == Input::Screen(ScreenInput::LeaveCompleted) => leave_completed(before, step),
        None => Ok(()),
    }
}

/// The transfer_conference value a step executed, if any.
pub fn executed_transfer(step: &Step) -> Option<TransferFunction> {
    step.events.iter().find_map(|e| match e {
        Event::Executed(Executed::Transfer(f)) => Some(*f),
        _ => None,
    })
}

fn ended(step: &Step, leg: LegId) -> usize {
    step.events.iter().filter(|e| matches!(e, Event::LegEnded { leg: l, .. } if *l == leg)).count()
}

fn legs_conserved(before: &Session, step: &Step) -> Result<(), Violation> {
    let after = &step.session;
    for (id, _) in before.legs.all() {
        let n = ended(step, id);
        let live = after.legs.contains(id);
        if (live && n != 0) || (!live && n != 1) {
            return fail(Invariant::LegsConserved, format!("{id}: live after = {live}, ended {n} times"));
        }
    }
    for (id, _) in after.legs.all() {
        if !before.legs.contains(id) {
            let born = step.events.iter().any(|e| matches!(e, Event::CallStarted { customer, .. } if *customer == id))
                || step.effects.iter().any(|e| matches!(e, Effect::Originate { leg, .. } if *leg == id));
            if !born || id.0 < before.next_leg {
                return fail(Invariant::LegsConserved, format!("{id} appeared without a call or originate"));
            }
        }
    }
    for e in &step.events {
        if let Event::LegEnded { leg, .. } = e {
            if !before.legs.contains(*leg) && ended(step, *leg) > 1 {
                return fail(Invariant::LegsConserved, format!("{leg} ended twice"));
            }
        }
    }
    Ok(())
}

fn effect_leg(e: &Effect) -> Option<LegId> {
    match e {
        Effect::Originate { leg, .. }
        | Effect::Redirect { leg, .. }
        | Effect::Park { leg }
        | Effect::ParkIvr { leg }
        | Effect::Grab { leg, .. }
        | Effect::Hangup { leg }
        | Effect::CancelDial { leg } => Some(*leg),
        Effect::MoveAgent { .. } | Effect::StartRecording | Effect::StopRecording => None,
    }
}

/// The legs a step originates, with the room each is dialled into.
fn originates(step: &Step) -> impl Iterator<Item = (LegId, crate::ids::RoomId)> + '_ {
    step.effects.iter().filter_map(|e| match e {
        Effect::Originate { leg, into, .. } => Some((*leg, *into)),
        _ => None,
    })
}

fn effects_name_live_legs(before: &Session, step: &Step) -> Result<(), Violation> {
    for e in &step.effects {
        if let Some(leg) = effect_leg(e) {
            if !before.legs.contains(leg) && !originates(step).any(|(o, _)| o == leg) {
                return fail(Invariant::EffectsNameLiveLegs, format!("{e:?} names a leg that is not live"));
            }
        }
    }
    Ok(())
}

fn cooldown_and_ids(before: &Session, executed: Option<TransferFunction>) -> Result<(), Violation> {
    let Some(f) = executed else { return Ok(()) };
    let cmd = before.slots.transferconf.value.as_ref();
    if let Some(cmd) = cmd.filter(|c| before.screen.last_command.as_ref() == Some(&c.id)) {
        return fail(Invariant::CommandIdOnce, format!("{f} executed again with id {}", cmd.id));
    }
    if f.gated() && before.screen.cooldown > 1 {
        return fail(
            Invariant::CooldownGates,
            format!("{f} executed with cooldown {} before the tick", before.screen.cooldown),
        );
    }
    Ok(())
}

fn consultative_only_on_dials(
    before: &Session,
    step: &Step,
    executed: Option<TransferFunction>,
) -> Result<(), Violation> {
    let consult_dial =
        step.effects.iter().any(|e| matches!(e, Effect::Originate { target: DialTarget::Consultative { .. }, .. }));
    let from_dial = matches!(executed, Some(TransferFunction::DialWithCustomer | TransferFunction::ParkCustomerDial))
        || matches!(before.screen.consult, Consult::Delaying { .. } | Consult::Go);
    if consult_dial && !from_dial {
        return fail(Invariant::ConsultativeOnlyOnDials, format!("consultative dial after {executed:?}"));
    }
    Ok(())
}

/// The live customer leg of the current call, before the step.
fn customer(before: &Session) -> Option<(LegId, CustomerAt)> {
    before.customer().map(|c| (c.id, c.at))
}

fn touches(step: &Step, leg: LegId) -> Option<&Effect> {
    step.effects.iter().find(|e| effect_leg(e) == Some(leg))
}

fn hangup_xfer(before: &Session, step: &Step) -> Result<(), Violation> {
    let after = &step.session;
    for c in &before.legs.customers {
        if ended(step, c.id) > 0 || after.legs.customer(c.id).map(|a| a.at) != Some(c.at) {
            return fail(Invariant::HangupXferKeepsCustomer, format!("customer {} moved or ended", c.id));
        }
        if let Some(e) = touches(step, c.id) {
            return fail(Invariant::HangupXferKeepsCustomer, format!("effect on the customer: {e:?}"));
        }
    }
    if let Some(x) = before.screen.xfer_channel.filter(|x| after.legs.contains(*x)) {
        return fail(Invariant::HangupXferClearsThirdParty, format!("tracked third party {x} still live"));
    }
    if let DialTrack::Looking(x) = before.screen.dial {
        let r12 = before.screen.redirected && before.config.manual_dial;
        // While leaving (leaving_threeway) the xfer hangup sends no dial cancel (16320).
        let exempt = r12 || before.screen.leaving_threeway;
        if !exempt && matches!(after.legs.xfer(x).map(|l| l.at), Some(XferAt::Ringing(_))) {
            return fail(Invariant::HangupXferClearsThirdParty, format!("ringing dial {x} not cancelled"));
        }
    }
    if after.legs.xfers.iter().any(|x| !before.legs.contains(x.id)) {
        return fail(Invariant::HangupXferClearsThirdParty, "a new third party appeared");
    }
    Ok(())
}

fn hangup_both(before: &Session, step: &Step) -> Result<(), Violation> {
    let after = &step.session;
    let blocked = step.events.contains(&Event::HangupBlocked);
    if let Some((c, _)) = customer(before).filter(|_| !blocked) {
        if after.legs.contains(c) {
            return fail(Invariant::HangupBothClearsAgent, format!("customer {c} still connected"));
        }
        if matches!(after.agent, AgentState::InCall { customer: Some(k), .. } if k == c) {
            return fail(Invariant::HangupBothClearsAgent, "agent still on the customer");
        }
    }
    if let Some(x) = before.screen.xfer_channel.filter(|x| after.legs.at(*x).and_then(LegAt::room) == Some(after.room))
    {
        return fail(Invariant::HangupBothClearsAgent, format!("third party {x} still with the agent"));
    }
    Ok(())
}

fn blind(before: &Session, step: &Step, f: TransferFunction) -> Result<(), Violation> {
    let Some((c, _)) = customer(before) else { return Ok(()) };
    let inv = Invariant::BlindSendsCustomerOnce;
    if step.effects.iter().any(|e| matches!(e, Effect::Hangup { leg } if *leg == c)) {
        return fail(inv, format!("{f} hung up the customer"));
    }
    let redirects = step.effects.iter().filter(|e| matches!(e, Effect::Redirect { leg, .. } if *leg == c)).count();
    let refused = step.events.contains(&Event::Alert(crate::effect::Alert::TransferNumberEmpty));
    let transferred = step
        .events
        .iter()
        .filter(|e| matches!(e, Event::LegEnded { leg, outcome: Outcome::Transferred(_) } if *leg == c))
        .count();
    match (refused, redirects, transferred) {
        (true, 0, 0) | (false, 1, 1) => Ok(()),
        _ => fail(inv, format!("{f}: {redirects} redirects, {transferred} transfers, refused = {refused}")),
    }
}

fn dial_keeps_customer(before: &Session, step: &Step) -> Result<(), Violation> {
    let Some((c, at)) = customer(before) else { return Ok(()) };
    if step.session.legs.customer(c).map(|l| l.at) != Some(at) {
        return fail(Invariant::DialKeepsCustomer, format!("customer {c} moved from {at:?}"));
    }
    Ok(())
}

fn park_dial(before: &Session, step: &Step) -> Result<(), Violation> {
    let Some((c, _)) = customer(before) else { return Ok(()) };
    let after = &step.session;
    let Some(at) = after.legs.customer(c).map(|l| l.at) else {
        return fail(Invariant::ParkDialParksCustomer, format!("customer {c} ended"));
    };
    match at {
        CustomerAt::Room(r) if originates(step).any(|(_, into)| into == r) => {
            fail(Invariant::ParkDialParksCustomer, format!("customer {c} hears the dial into {r}"))
        }
        CustomerAt::Room(_) => fail(Invariant::ParkDialParksCustomer, format!("customer {c} not parked")),
        CustomerAt::Parked | CustomerAt::ParkedIvr => Ok(()),
    }
}

fn leave_3way(before: &Session, step: &Step) -> Result<(), Violation> {
    let inv = Invariant::Leave3WayLeavesTogether;
    let Some((c, was)) = customer(before) else { return Ok(()) };
    if was != CustomerAt::Room(before.room) {
        let grab = step.effects.iter().position(|e| matches!(e, Effect::Grab { leg, .. } if *leg == c));
        let moved = step.effects.iter().position(|e| matches!(e, Effect::MoveAgent { .. }));
        if grab.is_none() || (moved.is_some() && moved < grab) {
            return fail(inv, format!("parked customer {c} not grabbed before the agent left"));
        }
    }
    if step.events.iter().any(|e| matches!(e, Event::Leave3WayRefused(_))) {
        return Ok(());
    }
    // The request is in flight: nobody has moved but a grabbed customer (§16).
    let after = &step.session;
    if after.screen.leave.map(|l| l.old) != Some(before.room) || after.room != before.room {
        return fail(inv, format!("no 3WAY request in flight from {} after the leave", before.room));
    }
    Ok(())
}

/// The 3WAY answer (docs/screen-requests.md row 6): the agent's screen moves to the new
/// conference; every leg still in the old room stays there (or is hung up by a cleanup
/// the disposition re-enabled, S15), and the old room becomes a left-3way conference.
fn leave_completed(before: &Session, step: &Step) -> Result<(), Violation> {
    let inv = Invariant::Leave3WayLeavesTogether;
    let Some(LeavingConference { old, new: Some(new) }) = before.screen.leave else { return Ok(()) };
    let after = &step.session;
    if after.room != new || !after.is_left_room(old) {
        return fail(inv, format!("agent in {} after the answer, expected {new} with {old} left", after.room));
    }
    for id in before.legs.in_room(old) {
        if let Some(at) = after.legs.at(id).filter(|at| at.room() != Some(old)) {
            return fail(inv, format!("{id} left behind in {old} is now {at:?}"));
        }
    }
    Ok(())
}

/// `sometimes` targets: behaviour the explorer and the simulator must reach at least once,
/// so that a property that holds is not holding vacuously.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A transfer_conference value executed.
    Executed(TransferFunction),
    /// Each of the nine park values executed.
    Parked(crate::slot::ParkValue),
    /// external_hangup executed.
    ExternalHangup,
    /// A gated command dropped by the cooldown.
    DroppedByCooldown,
    /// A duplicate command id.
    Duplicate,
    /// A blind clear erased a newer command (R3).
    Erased,
    /// LEAVE_3WAY_CALL grabbed a parked customer.
    Leave3WayGrab,
    /// A hangup blocked by required fields (R13).
    HangupBlocked,
    /// A customer transferred away.
    CustomerTransferred,
    /// A third party answered into the session.
    ThirdPartyAnswered,
    /// A left-3way conference freed.
    ConferenceFreed,
    /// An unknown function consumed.
    UnknownFunction,
    /// A channel look's answer tracked a third party although the look had been reset
    /// since it was sent (scenario S9).
    FoundAfterReset,
    /// A poll handler threw: LEAVE_3WAY_CALL before any third party was found (F1).
    PollAbandoned,
}

impl Target {
    /// Every target.
    pub fn all() -> Vec<Target> {
        let mut v: Vec<Target> = TransferFunction::ALL.iter().map(|f| Target::Executed(*f)).collect();
        v.extend(crate::slot::ParkValue::ALL.iter().map(|p| Target::Parked(*p)));
        v.extend([
            Target::ExternalHangup,
            Target::DroppedByCooldown,
            Target::Duplicate,
            Target::Erased,
            Target::Leave3WayGrab,
            Target::HangupBlocked,
            Target::CustomerTransferred,
            Target::ThirdPartyAnswered,
            Target::ConferenceFreed,
            Target::UnknownFunction,
            Target::FoundAfterReset,
            Target::PollAbandoned,
        ]);
        v
    }

    /// The targets one accepted step reaches.
    pub fn reached(before: &Session, input: &Input, step: &Step) -> Vec<Target> {
        let mut v = Vec::new();
        Target::each_reached(before, input, step, |t| v.push(t));
        v
    }

    /// [`Target::reached`], handed to `hit` one by one (nothing allocated).
    fn each_reached(before: &Session, input: &Input, step: &Step, mut hit: impl FnMut(Target)) {
        for e in &step.events {
            let target = match e {
                Event::Executed(Executed::Transfer(f)) => Some(Target::Executed(*f)),
                Event::Executed(Executed::Park(p)) => Some(Target::Parked(*p)),
                Event::Executed(Executed::ExternalHangup) => Some(Target::ExternalHangup),
                Event::DroppedByCooldown(_) => Some(Target::DroppedByCooldown),
                Event::Duplicate(_) => Some(Target::Duplicate),
                Event::Erased(_) => Some(Target::Erased),
                Event::HangupBlocked => Some(Target::HangupBlocked),
                Event::ConferenceFreed(_) => Some(Target::ConferenceFreed),
                Event::UnknownFunction(_) => Some(Target::UnknownFunction),
                Event::PollAbandoned => Some(Target::PollAbandoned),
                Event::XferChannelFound(_) if before.screen.dial == DialTrack::Idle => Some(Target::FoundAfterReset),
                Event::LegEnded { outcome: Outcome::Transferred(_), leg } if before.legs.customer(*leg).is_some() => {
                    Some(Target::CustomerTransferred)
                }
                _ => None,
            };
            if let Some(t) = target {
                hit(t);
            }
        }
        if executed_transfer(step) == Some(TransferFunction::Leave3WayCall)
            && step.effects.iter().any(|e| matches!(e, Effect::Grab { .. }))
        {
            hit(Target::Leave3WayGrab);
        }
        if let Input::Net(crate::input::NetEvent::Answered(x)) = input {
            if step.session.legs.xfer(*x).is_some_and(|l| matches!(l.at, XferAt::Room(_))) {
                hit(Target::ThirdPartyAnswered);
            }
        }
    }
}

/// Which `sometimes` targets were reached, and how often.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Coverage {
    /// Hits per target.
    pub hits: std::collections::BTreeMap<Target, u64>,
}

impl Coverage {
    /// Records one accepted step.
    pub fn observe(&mut self, before: &Session, input: &Input, step: &Step) {
        Target::each_reached(before, input, step, |t| *self.hits.entry(t).or_default() += 1);
    }

    /// Targets never reached.
    pub fn missing(&self) -> Vec<Target> {
        Target::all().into_iter().filter(|t| !self.hits.contains_key(t)).collect()
    }
}

/// Whether the command in the transferconf slot is a known transfer value (helper for
/// harnesses that want to aim at commands).
pub fn pending_transfer(s: &Session) -> Option<TransferFunction> {
    match s.slots.transferconf.value.as_ref().map(|c| &c.function) {
        Some(SlotFunction::Known(f)) => Some(*f),
        _ => None,
    }
}
