//! A warm (consultative) transfer driven by hand: the CRM asks api.php to dial a third
//! party with the customer, the agent talks to both, then leaves the 3-way call so that the
//! customer and the third party stay together.
//!
//! ```sh
//! cargo run --example warm_transfer
//! ```
//!
//! The example plays every part: the CRM (the api.php query), api.php ([`api::answer`] on
//! `examples/world.json`), the agent's screen ([`Session`]) and the telephony driver that
//! performs the effects and reports what the network did.

use vicixfer::api::{answer, Directory};
use vicixfer::*;

/// The API user and agent of `examples/world.json`; agent 1001 is on lead 4711.
const CRM: &str = "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference";

/// Stage 1: api.php answers the CRM's query and stores the command; the session takes the
/// stored command as its input.
fn crm_sends(dir: &mut Directory, session: &mut Session, params: &str, now: u64) -> Result<(), Rejection> {
    let query = format!("{CRM}&{params}");
    let a = answer(dir, &query, now);
    print!("api.php  {}", a.body());
    dir.apply(&a);
    if let Some(stored) = a.stored() {
        println!("stored   {} = {}", stored.slot.column(), stored.raw);
        session.handle(stored.write.clone())?;
    }
    Ok(())
}

/// Stage 2: one refresh of the agent's screen; the driver performs what it asks for and
/// the network answers every call it places.
fn tick(session: &mut Session) -> Result<(), Rejection> {
    let (effects, events) = session.handle(ScreenInput::Tick)?;
    for event in &events {
        println!("event    {event:?}");
    }
    for effect in effects {
        println!("perform  {effect:?}");
        if let Effect::Originate { leg, .. } = effect {
            // The third party picks up.
            session.handle(NetEvent::Answered(leg))?;
            println!("network  {leg} answered");
        }
    }
    // The screen's own requests of this refresh are answered before the next one
    // (docs/screen-requests.md rows 16 and 25): the 3-way Originate's answer starts the
    // look for the new channel, a channel look's answer finds it.
    if session.screen.originate.is_some() {
        session.handle(ScreenInput::OriginateCompleted)?;
        println!("answer   Originate answered: the screen looks for the new channel");
    }
    if session.screen.look.is_some() {
        let (_, events) = session.handle(ScreenInput::LookCompleted)?;
        for event in &events {
            println!("event    {event:?}");
        }
    }
    println!("legs     {session}");
    Ok(())
}

/// Runs the transfer; an error says which step did not go as a warm transfer should.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = Directory::from_json(include_str!("world.json"))?;
    let mut session = Session::default();
    let now = 1_764_000_000;

    // The dialer connects the customer of lead 4711 to the agent.
    session.handle(NetEvent::CallArrives { lead: LeadId(4711) })?;
    println!("legs     {session}");

    // Consult: dial 5551234 into the agent's conference, the customer listening.
    crm_sends(&mut dir, &mut session, "value=DIAL_WITH_CUSTOMER&phone_number=5551234", now)?;
    tick(&mut session)?;

    // Three refreshes: the first one's channel look finds the third party; the agent
    // talks to both; the screen's cooldown runs out.
    for _ in 0..3 {
        tick(&mut session)?;
    }
    let third = session.screen.xfer_channel.ok_or("the screen knows the third party")?;

    // Warm hand-over: the agent leaves; the customer and the third party stay together.
    let room = session.room;
    crm_sends(&mut dir, &mut session, "value=LEAVE_3WAY_CALL", now + 30)?;
    tick(&mut session)?;
    // The screen's 3WAY request is answered after the poll that sent it
    // (docs/screen-requests.md): only then has the agent left.
    session.handle(ScreenInput::LeaveCompleted)?;
    println!("answer   3WAY request answered");
    println!("legs     {session}");

    let together: Vec<LegId> = session.legs.in_room(room).collect();
    if !(session.is_left_room(room) && session.room != room && together.len() == 2 && together.contains(&third)) {
        return Err(format!("not a warm transfer: {session}").into());
    }
    println!("done     the customer and {third} talk in {room}; the agent is in {}", session.room);
    Ok(())
}
