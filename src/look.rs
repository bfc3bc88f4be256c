//! The screen's look for its 3-way dial, as the three asynchronous steps of the real
//! screen (docs/screen-requests.md rows 16 and 25, D7):
//!
//! 1. the dial sends an `Originate` ([`Tx::place_dial`] enters
//!    [`OriginateInFlight`](crate::OriginateInFlight)); nothing is looked for yet;
//! 2. the Originate's answer ([`originate_completed`]) arms the look
//!    ([`DialTrack::Looking`]), whatever happened in between (vicidial.php 7872-7877);
//! 3. every tick while looking sends a channel look ([`send_look`], 21888-21891), and its
//!    answer ([`look_completed`]) tracks the third party if it has answered (11353-11407),
//!    again without checking that the look is still wanted.

use crate::effect::Event;
use crate::leg::XferAt;
use crate::session::{AgentState, DialTrack, LookInFlight, XdChannel};
use crate::step::Tx;

/// The Originate's answer handler (vicidial.php 7857-7880): `XDnextCID`, `MD_channel_look
/// = 1`, `XDcheck = 'YES'`. Also after an xfer hangup, an agent hangup or a disposition
/// in between (scenarios S7, S8).
pub(crate) fn originate_completed(tx: &mut Tx) {
    let Some(originate) = tx.s.screen.originate.take() else { return };
    tx.s.screen.dial = DialTrack::Looking(originate.leg);
    tx.event(Event::LookStarted(originate.leg));
}

/// The tick sends a channel look while `MD_channel_look == 1`, except on the disposition
/// screen (`WaitingForNextStep`, vicidial.php 21888-21891, 21865). It is sent before the
/// tick's poll is handled, so the poll and the look are answered in either order (S9).
/// One look is in flight at a time: the answers of looks sent back to back are the same.
pub(crate) fn send_look(tx: &mut Tx) {
    let DialTrack::Looking(leg) = tx.s.screen.dial else { return };
    let waiting = matches!(tx.s.agent, AgentState::Dispo { .. });
    if !waiting && tx.s.screen.look.is_none() {
        tx.s.screen.look = Some(LookInFlight { leg });
    }
}

/// The channel look's answer handler (vicidial.php 11295-11407), read when it runs:
///
/// * the third party has answered: its channel is reported, the screen tracks it
///   (`lastxferchannel`, `XDchannel`) and stops looking (`MD_channel_look = 0`), even if
///   an xfer hangup reset the look meanwhile (S9);
/// * it is still ringing: `NO`, the look stays armed for the next tick;
/// * it has ended (rejected, cancelled, timed out, hung up): the look stops. The real
///   answer reports the dead channel and the next poll's DEADxfer check resets it; the
///   model folds both into stopping the look (docs/decisions.md).
pub(crate) fn look_completed(tx: &mut Tx) {
    let Some(LookInFlight { leg }) = tx.s.screen.look.take() else { return };
    match tx.s.legs.xfer(leg).map(|x| x.at) {
        Some(XferAt::Ringing(_)) => {}
        Some(XferAt::Room(_) | XferAt::Parked) => {
            let screen = &mut tx.s.screen;
            screen.xfer_channel = Some(leg);
            screen.xd_channel = XdChannel::Leg(leg);
            screen.dial = DialTrack::Idle;
            tx.event(Event::XferChannelFound(leg));
        }
        None if tx.s.screen.dial == DialTrack::Looking(leg) => tx.s.screen.dial = DialTrack::Idle,
        None => {}
    }
}
