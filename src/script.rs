//! A one-line text form of every [`Input`], for driving a session by hand
//! (`vicixfer drive`) and for readable traces. `Display` and `FromStr` round-trip.
//!
//! | line | input |
//! |---|---|
//! | `call 42` | `NetEvent::CallArrives { lead: LeadId(42) }` |
//! | `transfer DIAL_WITH_CUSTOMER------5551234---NO------...` | `ApiWrite::TransferConference` of that stored string |
//! | `park PARK_CUSTOMER` | `ApiWrite::ParkCall` |
//! | `hangup 1` | `ApiWrite::ExternalHangup` |
//! | `force 1700000000` (or `force` for an id-less command) | `ApiWrite::ForcedLeave3Way` |
//! | `tick`, `tick-inflight`, `clears-land` | `ScreenInput::{Tick, TickClearsInFlight, ClearsLand}` |
//! | `leave-done` | `ScreenInput::LeaveCompleted` (the answer to the screen's 3WAY request) |
//! | `answer 2`, `reject 2`, `timeout 2`, `hungup 2` | `NetEvent::{Answered, Rejected, DialTimeout, HungUp}(LegId(2))` |
//! | `ivr-done`, `cleanup`, `expire 8600051`, `conferences on` / `off` | the other network events |
//! | `agent-hangup`, `fill`, `dispo` | `AgentAction::{HangUp, FillRequiredFields, SubmitDisposition}` |
//!
//! ```
//! use vicixfer::{Input, NetEvent, LegId};
//! let input: Input = "answer 2".parse()?;
//! assert_eq!(input, Input::Net(NetEvent::Answered(LegId(2))));
//! assert_eq!(input.to_string(), "answer 2");
//! # Ok::<(), vicixfer::ScriptError>(())
//! ```

use crate::ids::{CommandId, LeadId, LegId, RoomId};
use crate::input::{AgentAction, ApiWrite, Input, NetEvent, ScreenInput};
use crate::slot::{Checkbox, HangupSlot, ParkSlot, SlotFunction, TransferSlot};
use std::fmt;
use std::str::FromStr;

/// Why a line is not an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// The first word is not a known verb.
    #[error("unknown verb {0:?}; try call, transfer, park, hangup, force, tick, answer, dispo, ...")]
    UnknownVerb(String),
    /// The verb needs an argument.
    #[error("{0} needs an argument")]
    MissingArgument(&'static str),
    /// The argument is not what the verb takes.
    #[error("{verb}: bad argument {arg:?}")]
    BadArgument {
        /// The verb.
        verb: &'static str,
        /// The argument given.
        arg: String,
    },
}

fn number<T: FromStr>(verb: &'static str, arg: Option<&str>) -> Result<T, ScriptError> {
    let arg = arg.ok_or(ScriptError::MissingArgument(verb))?;
    arg.parse().map_err(|_| ScriptError::BadArgument { verb, arg: arg.to_owned() })
}

fn text<'a>(verb: &'static str, arg: Option<&'a str>) -> Result<&'a str, ScriptError> {
    arg.filter(|a| !a.is_empty()).ok_or(ScriptError::MissingArgument(verb))
}

impl FromStr for Input {
    type Err = ScriptError;

    fn from_str(line: &str) -> Result<Self, ScriptError> {
        let line = line.trim();
        let (verb, arg) = match line.split_once(char::is_whitespace) {
            Some((v, a)) => (v, Some(a.trim())),
            None => (line, None),
        };
        let leg = |verb| number(verb, arg).map(LegId);
        Ok(match verb {
            "call" => NetEvent::CallArrives { lead: LeadId(number("call", arg)?) }.into(),
            "transfer" => {
                let stored = text("transfer", arg)?;
                let slot = TransferSlot::decode(stored)
                    .ok_or_else(|| ScriptError::BadArgument { verb: "transfer", arg: stored.to_owned() })?;
                ApiWrite::TransferConference(slot).into()
            }
            "park" => ApiWrite::ParkCall(ParkSlot::decode(text("park", arg)?)).into(),
            "hangup" => ApiWrite::ExternalHangup(HangupSlot(text("hangup", arg)?.into())).into(),
            "force" => {
                ApiWrite::ForcedLeave3Way(arg.map_or(CommandId::Undefined, |id| CommandId::Id(id.into()))).into()
            }
            "tick" => ScreenInput::Tick.into(),
            "tick-inflight" => ScreenInput::TickClearsInFlight.into(),
            "clears-land" => ScreenInput::ClearsLand.into(),
            "leave-done" => ScreenInput::LeaveCompleted.into(),
            "answer" => NetEvent::Answered(leg("answer")?).into(),
            "reject" => NetEvent::Rejected(leg("reject")?).into(),
            "timeout" => NetEvent::DialTimeout(leg("timeout")?).into(),
            "hungup" => NetEvent::HungUp(leg("hungup")?).into(),
            "ivr-done" => NetEvent::ParkIvrDone.into(),
            "cleanup" => NetEvent::ConferenceCleanup.into(),
            "expire" => NetEvent::ConferenceExpired(RoomId(number("expire", arg)?)).into(),
            "conferences" => match arg {
                Some("on") => NetEvent::FreeConferences(true).into(),
                Some("off") => NetEvent::FreeConferences(false).into(),
                other => {
                    return Err(ScriptError::BadArgument { verb: "conferences", arg: other.unwrap_or("").to_owned() })
                }
            },
            "agent-hangup" => AgentAction::HangUp.into(),
            "fill" => AgentAction::FillRequiredFields.into(),
            "dispo" => AgentAction::SubmitDisposition.into(),
            other => return Err(ScriptError::UnknownVerb(other.to_owned())),
        })
    }
}

/// The stored string the screen would decode into `slot` (paths A/B/C share one shape).
pub(crate) fn encode_transfer(slot: &TransferSlot, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let function = match &slot.function {
        SlotFunction::Known(k) => k.as_str(),
        SlotFunction::Unknown(name) => name,
    };
    let checkbox = |c: Checkbox| match c {
        Checkbox::Set => "YES",
        Checkbox::Clear => "NO",
        Checkbox::Keep => "",
    };
    write!(
        f,
        "{function}---{}---{}---{}---{}---{}---{}",
        slot.ingroup,
        slot.number,
        checkbox(slot.consultative),
        checkbox(slot.dial_override),
        slot.alias,
        slot.alias_cid
    )?;
    match &slot.id {
        CommandId::Undefined => Ok(()),
        CommandId::Id(id) => write!(f, "---{id}---{}", slot.cid_choice),
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Api(ApiWrite::TransferConference(slot)) => {
                f.write_str("transfer ")?;
                encode_transfer(slot, f)
            }
            Input::Api(ApiWrite::ParkCall(ParkSlot::Known(v))) => write!(f, "park {v}"),
            Input::Api(ApiWrite::ParkCall(ParkSlot::Other(v))) => write!(f, "park {v}"),
            Input::Api(ApiWrite::ExternalHangup(HangupSlot(v))) => write!(f, "hangup {v}"),
            Input::Api(ApiWrite::ForcedLeave3Way(CommandId::Undefined)) => f.write_str("force"),
            Input::Api(ApiWrite::ForcedLeave3Way(CommandId::Id(id))) => write!(f, "force {id}"),
            Input::Screen(ScreenInput::Tick) => f.write_str("tick"),
            Input::Screen(ScreenInput::TickClearsInFlight) => f.write_str("tick-inflight"),
            Input::Screen(ScreenInput::ClearsLand) => f.write_str("clears-land"),
            Input::Screen(ScreenInput::LeaveCompleted) => f.write_str("leave-done"),
            Input::Net(NetEvent::CallArrives { lead }) => write!(f, "call {}", lead.0),
            Input::Net(NetEvent::Answered(l)) => write!(f, "answer {}", l.0),
            Input::Net(NetEvent::Rejected(l)) => write!(f, "reject {}", l.0),
            Input::Net(NetEvent::DialTimeout(l)) => write!(f, "timeout {}", l.0),
            Input::Net(NetEvent::HungUp(l)) => write!(f, "hungup {}", l.0),
            Input::Net(NetEvent::ParkIvrDone) => f.write_str("ivr-done"),
            Input::Net(NetEvent::ConferenceCleanup) => f.write_str("cleanup"),
            Input::Net(NetEvent::ConferenceExpired(r)) => write!(f, "expire {}", r.0),
            Input::Net(NetEvent::FreeConferences(on)) => {
                write!(f, "conferences {}", if *on { "on" } else { "off" })
            }
            Input::Agent(AgentAction::HangUp) => f.write_str("agent-hangup"),
            Input::Agent(AgentAction::FillRequiredFields) => f.write_str("fill"),
            Input::Agent(AgentAction::SubmitDisposition) => f.write_str("dispo"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_round_trips() {
        let lines = [
            "call 42",
            "transfer DIAL_WITH_CUSTOMER------5551234---NO------------1700000000---",
            "transfer LOCAL_CLOSER---SALESLINE---6666---YES------ALIAS---3125550000---17---CUSTOMER",
            "transfer LOCAL_CLOSER---SALESLINE---------------",
            "park PARK_CUSTOMER",
            "park XPARK_CUSTOMERX",
            "hangup 1",
            "force 1700000000",
            "force",
            "tick",
            "tick-inflight",
            "clears-land",
            "leave-done",
            "answer 2",
            "reject 3",
            "timeout 4",
            "hungup 5",
            "ivr-done",
            "cleanup",
            "expire 8600051",
            "conferences on",
            "conferences off",
            "agent-hangup",
            "fill",
            "dispo",
        ];
        for line in lines {
            let input: Input = line.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
            let again: Input = input.to_string().parse().expect("display parses");
            assert_eq!(again, input, "{line}");
        }
    }

    #[test]
    fn a_path_c_command_displays_as_api_php_stores_it() {
        let line = "transfer HANGUP_XFER---------NO------------1700000000---";
        let input: Input = line.parse().unwrap();
        assert_eq!(input.to_string(), line);
    }

    #[test]
    fn bad_lines_say_why() {
        assert_eq!("jump".parse::<Input>(), Err(ScriptError::UnknownVerb("jump".into())));
        assert_eq!("answer".parse::<Input>(), Err(ScriptError::MissingArgument("answer")));
        assert!(matches!("answer x".parse::<Input>(), Err(ScriptError::BadArgument { .. })));
        assert_eq!("transfer".parse::<Input>(), Err(ScriptError::MissingArgument("transfer")));
        assert!(matches!("conferences maybe".parse::<Input>(), Err(ScriptError::BadArgument { .. })));
    }
}
