//! The transition function: `(&Session, Input) -> Result<Step, Rejection>`.

use crate::effect::{Effect, Effects, Event, Events, Step};
use crate::ids::LegId;
use crate::input::{Input, ScreenInput};
use crate::leg::Outcome;
use crate::reject::Rejection;
use crate::session::Session;
use crate::slot::SlotName;
use crate::{agent, look, network, poll, store, transfer};

/// Applies one input to a session.
///
/// Pure and total: the input session is never modified, the same arguments always give
/// the same result, and no input panics. A rejected input returns a [`Rejection`] and
/// nothing else happens. An accepted one returns the new session, the telephony
/// [`Effect`]s for the driver and the [`Event`]s observed.
///
/// ```
/// use vicixfer::{step, AgentState, Input, LeadId, NetEvent, Session};
///
/// let idle = Session::default();
/// let on_call = step(&idle, Input::Net(NetEvent::CallArrives { lead: LeadId(7) }))?.session;
/// assert!(matches!(on_call.agent, AgentState::InCall { lead: LeadId(7), .. }));
/// # Ok::<(), vicixfer::Rejection>(())
/// ```
pub fn step(session: &Session, input: Input) -> Result<Step, Rejection> {
    session.accepts(&input).map_err(|reason| Rejection::new(session, &input, reason))?;
    let mut next = session.clone();
    let (mut effects, mut events) = (Effects::new(), Events::new());
    apply(Tx { s: &mut next, effects: &mut effects, events: &mut events }, input);
    Ok(Step { session: next, effects, events })
}

/// [`step`] into a reused [`Step`], for engines that step millions of times (the
/// explorer): on `Ok`, `out` holds exactly what `step` returns; on `Err`, `out` is left
/// as it was. It saves moving the step's result, not the clone of the session.
///
/// ```
/// use vicixfer::{step, step_into, Input, LeadId, NetEvent, Session};
///
/// let idle = Session::default();
/// let input = Input::Net(NetEvent::CallArrives { lead: LeadId(7) });
/// let mut out = step(&idle, input.clone())?;
/// step_into(&idle, input.clone(), &mut out)?;
/// assert_eq!(out, step(&idle, input)?);
/// # Ok::<(), vicixfer::Rejection>(())
/// ```
pub fn step_into(session: &Session, input: Input, out: &mut Step) -> Result<(), Rejection> {
    session.accepts(&input).map_err(|reason| Rejection::new(session, &input, reason))?;
    step_accepted_into(session, input, out);
    Ok(())
}

/// [`step_into`] on an input the caller has just seen [`Session::accepts`] allow (the
/// explorer asks first): the same result, without asking again.
pub(crate) fn step_accepted_into(session: &Session, input: Input, out: &mut Step) {
    out.session.clone_from(session);
    out.effects.clear();
    out.events.clear();
    apply(Tx { s: &mut out.session, effects: &mut out.effects, events: &mut out.events }, input);
}

/// The transition itself, on an input the session accepts: every path from here
/// returns normally, so `step` rejects exactly the inputs `accepts` refuses.
fn apply(mut tx: Tx<'_>, input: Input) {
    // The screen's own answers (the 3WAY, Originate and look completions) say nothing
    // about its clear requests.
    let lands_clears = !matches!(
        input,
        Input::Api(_)
            | Input::Screen(
                ScreenInput::TickClearsInFlight
                    | ScreenInput::LeaveCompleted
                    | ScreenInput::OriginateCompleted
                    | ScreenInput::LookCompleted
            )
    );
    let tx = &mut tx;
    match input {
        Input::Api(write) => store::write(tx, write),
        Input::Screen(ScreenInput::Tick | ScreenInput::TickClearsInFlight) => poll::tick(tx, poll::Answer::InTime),
        Input::Screen(ScreenInput::TickPollLate) => poll::tick(tx, poll::Answer::Late),
        Input::Screen(ScreenInput::ClearsLand) => {}
        Input::Screen(ScreenInput::LeaveCompleted) => transfer::leave_completed(tx),
        Input::Screen(ScreenInput::OriginateCompleted) => look::originate_completed(tx),
        Input::Screen(ScreenInput::LookCompleted) => look::look_completed(tx),
        Input::Net(event) => network::handle(tx, event),
        Input::Agent(action) => agent::handle(tx, action),
    }
    if lands_clears {
        tx.land_clears();
    }
}

impl Session {
    /// [`step`] for callers that keep one mutable session (str0m style): applies the
    /// input in place (no copy of the session) and returns the step's effects and
    /// events. On rejection the session is left as it was. Takes anything that converts
    /// into an [`Input`] ([`ApiWrite`](crate::ApiWrite), [`ScreenInput`](crate::ScreenInput),
    /// [`NetEvent`](crate::NetEvent), [`AgentAction`](crate::AgentAction)), so that
    /// `session.handle(ScreenInput::Tick)` needs no `.into()`.
    pub fn handle(&mut self, input: impl Into<Input>) -> Result<(Effects, Events), Rejection> {
        let input = input.into();
        self.accepts(&input).map_err(|reason| Rejection::new(self, &input, reason))?;
        let (mut effects, mut events) = (Effects::new(), Events::new());
        apply(Tx { s: self, effects: &mut effects, events: &mut events }, input);
        Ok((effects, events))
    }
}

/// A session being changed by one step, with what the step has emitted so far.
pub(crate) struct Tx<'a> {
    pub(crate) s: &'a mut Session,
    effects: &'a mut Effects,
    events: &'a mut Events,
}

impl Tx<'_> {
    pub(crate) fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub(crate) fn event(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Removes a live leg and records how it ended; no-op for a leg already gone.
    pub(crate) fn end_leg(&mut self, leg: LegId, outcome: Outcome) {
        if self.s.legs.remove(leg) {
            self.event(Event::LegEnded { leg, outcome });
        }
    }

    pub(crate) fn new_leg_id(&mut self) -> LegId {
        let id = LegId(self.s.next_leg);
        self.s.next_leg = self.s.next_leg.saturating_add(1);
        id
    }

    /// Every clear request in flight reaches the server.
    fn land_clears(&mut self) {
        let slots = &mut self.s.slots;
        let landed = [
            (SlotName::TransferConf, slots.transferconf.land_clear()),
            (SlotName::Park, slots.park.land_clear()),
            (SlotName::Hangup, slots.hangup.land_clear()),
        ];
        for (name, landed) in landed {
            match landed {
                Some(true) => self.event(Event::Erased(name)),
                Some(false) => self.event(Event::SlotCleared(name)),
                None => {}
            }
        }
    }
}
