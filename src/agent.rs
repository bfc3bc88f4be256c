//! What the agent does on the screen.

use crate::effect::Event;
use crate::input::AgentAction;
use crate::session::{AgentState, Consult, DialTrack};
use crate::step::Tx;

pub(crate) fn handle(tx: &mut Tx, action: AgentAction) {
    match action {
        AgentAction::HangUp => {
            tx.agent_hangup();
        }
        AgentAction::FillRequiredFields => tx.s.screen.fields_filled = true,
        AgentAction::SubmitDisposition => submit_disposition(tx),
    }
}

/// `updateDISPO`: blanks all three slots, ends the lead, resets the per-call screen
/// state. Sticky boxes and the last command id survive (R16, §5).
fn submit_disposition(tx: &mut Tx) {
    tx.s.slots = Default::default();
    tx.s.agent = AgentState::Waiting;
    let screen = &mut tx.s.screen;
    screen.customer_parked = false;
    screen.blind_transfer = false;
    screen.leaving_threeway = false;
    screen.selected_group = None;
    screen.xfer_channel = None;
    screen.dial = DialTrack::Idle;
    screen.consult = Consult::Idle;
    screen.no_dispo_temp = false;
    tx.event(Event::DispositionSubmitted);
}
