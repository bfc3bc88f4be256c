//! The text form of what a step did: [`Effect`], [`Event`] and the values inside them,
//! in the vocabulary of the `drive` script (`leg 2`, `room 8600051`, the api.php column
//! and value spellings), for `vicixfer drive`, `vicixfer run --verbose` and readable logs.
//!
//! ```
//! use vicixfer::{step, Input, Session, Config};
//! let s = Session::new(Config::default());
//! let next = step(&s, "call 42".parse::<Input>()?)?;
//! assert_eq!(next.events[0].to_string(), "call started: lead 42, customer leg 1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::config::CidSource;
use crate::effect::{Alert, Effect, Event, Executed, Leave3WayRefusal};
use crate::leg::{Destination, DialTarget, Outcome};
use crate::session::CallerId;
use std::fmt;

impl fmt::Display for DialTarget {
    /// `number 5551234`, `in-group CLOSERS` or `in-group AGENTDIRECT agent 6666`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialTarget::Number(n) => write!(f, "number {n:?}"),
            DialTarget::Consultative { group, agent } => in_group(f, group, agent),
        }
    }
}

fn in_group(f: &mut fmt::Formatter<'_>, group: &str, agent: &str) -> fmt::Result {
    write!(f, "in-group {group}")?;
    if !agent.is_empty() {
        write!(f, " agent {agent}")?;
    }
    Ok(())
}

impl fmt::Display for Destination {
    /// `number 5551234`, `voicemail`, `in-group CLOSERS` or `hangup route MESSAGE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Number(n) => write!(f, "number {n:?}"),
            Destination::Voicemail => f.write_str("voicemail"),
            Destination::InGroup { group, agent } => in_group(f, group, agent),
            Destination::HangupRoute(route) => write!(f, "hangup route {route}"),
            Destination::NextAvailable => f.write_str("NEXTAVAILABLE (no such extension: dropped)"),
        }
    }
}

impl fmt::Display for CallerId {
    /// `alias 3125550000` or the `three_way_call_cid` source (`campaign`, `customer`, ...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallerId::Alias(n) => write!(f, "alias {n}"),
            CallerId::Source(source) => f.write_str(match source {
                CidSource::Campaign => "campaign",
                CidSource::AgentPhone => "agent phone",
                CidSource::Customer => "customer",
                CidSource::CustomCid => "custom cid",
                CidSource::AgentChoose => "agent choose",
            }),
        }
    }
}

impl fmt::Display for Outcome {
    /// How a leg ended, e.g. `hung up by the screen`, `transferred to in-group CLOSERS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::HungUpByScreen => f.write_str("hung up by the screen"),
            Outcome::HungUpByServer => f.write_str("hung up by the server"),
            Outcome::HungUpItself => f.write_str("hung up by itself"),
            Outcome::Transferred(to) => write!(f, "transferred to {to}"),
            Outcome::Cancelled => f.write_str("dial cancelled"),
            Outcome::Rejected => f.write_str("dial rejected"),
            Outcome::TimedOut => f.write_str("dial timed out"),
        }
    }
}

impl fmt::Display for Effect {
    /// e.g. `originate leg 2 to in-group CLOSERS into room 8600051, caller id campaign`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::Originate { leg, target, into, caller_id } => {
                write!(f, "originate {leg} to {target} into {into}, caller id {caller_id}")
            }
            Effect::Redirect { leg, to } => write!(f, "redirect {leg} to {to}"),
            Effect::Park { leg } => write!(f, "park {leg}"),
            Effect::ParkIvr { leg } => write!(f, "park {leg} in the park IVR"),
            Effect::Grab { leg, into } => write!(f, "grab {leg} into {into}"),
            Effect::MoveAgent { from, to } => write!(f, "move the agent from {from} to {to}"),
            Effect::Hangup { leg } => write!(f, "hang up {leg}"),
            Effect::CancelDial { leg } => write!(f, "cancel the dial of {leg}"),
            Effect::StartRecording => f.write_str("start recording"),
            Effect::StopRecording => f.write_str("stop recording"),
        }
    }
}

impl fmt::Display for Executed {
    /// The command's spelling: `DIAL_WITH_CUSTOMER`, `PARK_CUSTOMER`, `external_hangup`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Executed::Transfer(function) => write!(f, "{function}"),
            Executed::Park(value) => write!(f, "{value}"),
            Executed::ExternalHangup => f.write_str("external_hangup"),
        }
    }
}

impl fmt::Display for Alert {
    /// The alert's text on the agent screen.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Alert::TransferNumberEmpty => "Transfer number must have at least 1 digit",
            Alert::DialTimedOut => "Dial timed out",
            Alert::CallRejected => "Call Rejected",
            Alert::XferLineHungUp => "XFER LINE HUNG UP",
        })
    }
}

impl fmt::Display for Leave3WayRefusal {
    /// Why LEAVE_3WAY_CALL did nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Leave3WayRefusal::NoCustomerChannel => "no customer channel",
            Leave3WayRefusal::NoFreeConference => "no free conference",
            Leave3WayRefusal::AlreadyLeaving => "a 3WAY request is still waiting for its answer",
            Leave3WayRefusal::NoXferChannelYet => {
                "no third-party channel found yet in this login (the poll handler throws)"
            }
        })
    }
}

impl fmt::Display for Event {
    /// e.g. `stored external_transferconf`, `executed PARK_CUSTOMER_DIAL`,
    /// `leg 2 ended: dial rejected`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Stored(slot) => write!(f, "stored {}", slot.column()),
            Event::Overwrote(slot) => write!(f, "overwrote the unexecuted {}", slot.column()),
            Event::SlotCleared(slot) => write!(f, "cleared {}", slot.column()),
            Event::Erased(slot) => write!(f, "erased a newer {} the screen never saw", slot.column()),
            Event::Executed(command) => write!(f, "executed {command}"),
            Event::Duplicate(id) => write!(f, "duplicate command id {id}: consumed, not executed"),
            Event::DroppedByCooldown(function) => write!(f, "{function} dropped by the cooldown"),
            Event::UnknownFunction(name) => write!(f, "unknown function {name:?}: consumed"),
            Event::ParkIgnored => f.write_str("park value ignored: stays pending"),
            Event::ParkXferWaiting(value) => write!(f, "{value} waits for a third party"),
            Event::HangupIgnored => f.write_str("external_hangup ignored"),
            Event::HangupBlocked => f.write_str("agent hangup blocked: required fields empty"),
            Event::Leave3WayRefused(why) => write!(f, "LEAVE_3WAY_CALL refused: {why}"),
            Event::Alert(alert) => write!(f, "alert {:?}", alert.to_string()),
            Event::LegEnded { leg, outcome } => write!(f, "{leg} ended: {outcome}"),
            Event::CallStarted { lead, customer } => write!(f, "call started: {lead}, customer {customer}"),
            Event::DispositionOpened => f.write_str("disposition screen opened"),
            Event::StayedOnLead => f.write_str("stayed on the lead (transfer_no_dispo)"),
            Event::DispositionSubmitted => f.write_str("disposition submitted"),
            Event::LeftConference { room } => write!(f, "left the 3-way: {room} is a left-3way conference"),
            Event::ConferenceFreed(room) => write!(f, "{room} freed"),
            Event::LookStarted(leg) => write!(f, "the Originate of {leg} answered: looking for its channel"),
            Event::XferChannelFound(leg) => write!(f, "channel look found {leg}: third party tracked"),
            Event::PollAbandoned => f.write_str("poll handler abandoned: park, hangup and the slot clear not run"),
            Event::PollDiscarded => f.write_str("unfinished poll discarded: no poll this tick"),
        }
    }
}
