//! LEAVE_3WAY_CALL (§6.8, §16): the agent leaves; customer and third party stay together
//! in the old room, now a left-3way conference. A parked customer is grabbed back first.
//! Only the agent's own channel moves. Nothing happens without a customer channel on
//! the screen (disposition screen, R17); without a spare conference only the grab
//! happens, and a live `XDchannel` is redirected away (Q11, F2). Before any channel look
//! has found a third party in this login, the leave throws in the poll handler (F1).
//!
//! Two steps, as on the real screen (docs/screen-requests.md rows 6 and 18):
//! [`run`] is what `leave_3way_call('FIRST')` does while the poll handler runs (flags,
//! grab, the `3WAY` request sent); [`completed`] is the request's answer handler, a
//! separate input ([`ScreenInput::LeaveCompleted`](crate::ScreenInput::LeaveCompleted)).
//! In between the screen is in [`LeavingConference`] and still acts on the old channels.

use crate::effect::{Effect, Event, Leave3WayRefusal};
use crate::leg::Destination;
use crate::session::{AgentState, Consult, DialTrack, LeavingConference, LeftRoom, XdChannel};
use crate::step::Tx;
use crate::transfer::Handler;

/// The synchronous part, inside the poll (vicidial.php 7467-7495, 9123, 9138, 9319,
/// 9537-9545).
pub(crate) fn run(tx: &mut Tx) -> Handler {
    let AgentState::InCall { lead, customer: Some(_) } = tx.s.agent else {
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::NoCustomerChannel));
        return Handler::Finished;
    };
    tx.s.screen.leaving_threeway = true;
    let stop_recording = tx.s.config.leave_3way_stop_recording && tx.s.config.build.has_leave_3way_stop_recording();
    if stop_recording && tx.s.screen.recording {
        tx.s.screen.recording = false;
        tx.effect(Effect::StopRecording);
    }
    if tx.s.screen.customer_parked {
        tx.grab_customer();
    }
    if tx.s.screen.leave.is_some() {
        // Scenario S14, simplified: see docs/decisions.md.
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::AlreadyLeaving));
        return Handler::Finished;
    }
    // mainxfer_send_redirect('3WAY'): blind_transfer (9123), RedirecTxFEr in manual-dial
    // campaigns (9138), transfer_no_dispoTEMP under LEAVE3WAY (9319), and with it the
    // display blanked at once, without agent hangup (9537-9545).
    tx.s.screen.blind_transfer = true;
    tx.note_redirect();
    // 9294 reads XDchannel, which no `var` declares: before a channel look has found a
    // third party in this login the read throws, the request is never sent and the poll
    // handler is abandoned (F1, D19).
    if tx.s.screen.xd_channel == XdChannel::Undeclared {
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::NoXferChannelYet));
        return Handler::Threw;
    }
    if tx.s.config.transfer_no_dispo.leave3way {
        tx.s.screen.no_dispo_temp = true;
    }
    if tx.s.screen.no_dispo_temp {
        tx.s.agent = AgentState::InCall { lead, customer: None };
    }
    // The server reserves the new conference and queues the Redirect of the agent's
    // channel while it handles the request (manager_send.php 2216-2263).
    let old = tx.s.room;
    let new = tx.s.free_conferences.then(|| tx.free_room());
    match new {
        Some(to) => tx.effect(Effect::MoveAgent { from: old, to }),
        // "Cannot find empty conference" goes on into the live checks: a live extra
        // channel (XDchannel, the last third party ever found) is redirected to the
        // extension NEXTAVAILABLE, which the dialplan lacks (ms 2266-2270, 2360-2364; F2).
        None => {
            if let Some(x) = tx.s.screen.xd_channel.leg() {
                tx.redirect_away(x, Destination::NextAvailable);
            }
        }
    }
    tx.s.screen.leave = Some(LeavingConference { old, new });
    Handler::Finished
}

/// The answer handler of the `3WAY` request (vicidial.php 9463-9492).
pub(crate) fn completed(tx: &mut Tx) {
    let Some(LeavingConference { old, new }) = tx.s.screen.leave.take() else { return };
    let Some(new) = new else {
        // "Cannot find empty conference": the handler only reacts to NeWSessioN.
        tx.event(Event::Leave3WayRefused(Leave3WayRefusal::NoFreeConference));
        return;
    };
    tx.event(Event::LeftConference { room: old });
    // NeWSessioN: blank the display, then agent hangup (which now sends no hangup, and
    // with leaving_threeway no cleanup) unless LEAVE3WAY and transfer_no_dispoTEMP is
    // still set now (9476: a same-poll xfer hangup reset it, finding F5).
    if let AgentState::InCall { lead, .. } = tx.s.agent {
        tx.s.agent = AgentState::InCall { lead, customer: None };
    }
    if tx.s.config.transfer_no_dispo.leave3way && tx.s.screen.no_dispo_temp {
        if tx.s.has_live_call() {
            tx.event(Event::StayedOnLead);
        }
    } else {
        tx.agent_hangup();
    }
    // xfercall_send_hangup with the xfer form value blanked: nothing is sent, the xfer
    // state is reset (16369-16396); then session_id := the new conference (9484).
    let screen = &mut tx.s.screen;
    screen.xfer_channel = None;
    screen.dial = DialTrack::Idle;
    screen.consult = Consult::Idle;
    screen.no_dispo_temp = false;
    tx.s.left.push(LeftRoom { room: old, lonely_checks: 0 });
    tx.s.room = new;
}
