//! external_hangup on the screen (§9): with value 1 and a live call (or a dial pending
//! or timed out), the customer goes to the campaign's hangup route or is hung up, and
//! the agent goes to disposition. Otherwise the value stays pending.

use crate::config::HangupRoute;
use crate::effect::{Event, Executed};
use crate::leg::Destination;
use crate::session::DialTrack;
use crate::slot::HangupSlot;
use crate::step::Tx;

pub(crate) fn run(tx: &mut Tx, value: &HangupSlot) {
    let live = tx.s.has_live_call() || tx.s.screen.dial != DialTrack::Idle;
    if !(value.is_one() && live) {
        tx.event(Event::HangupIgnored);
        return;
    }
    tx.event(Event::Executed(Executed::ExternalHangup));
    match tx.s.config.agent_hangup_route.clone() {
        HangupRoute::Hangup => {}
        HangupRoute::Redirect(to) => tx.redirect_customer(Destination::HangupRoute(to)),
        HangupRoute::InGroup(group) => tx.redirect_customer(Destination::InGroup { group, agent: "".into() }),
    }
    tx.agent_hangup();
}
