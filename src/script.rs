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
//! | `dial-done` | `ScreenInput::OriginateCompleted` (the answer to the 3-way Originate) |
//! | `look-done` | `ScreenInput::LookCompleted` (the answer to a channel look) |
//! | `tick-late` | `ScreenInput::TickPollLate` (a tick whose poll answer comes too late) |
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
use crate::input::{AgentAction, ApiWrite, Input, InputKind, InputKinds, NetEvent, ScreenInput};
use crate::slot::{Checkbox, HangupSlot, ParkSlot, SlotFunction, TransferSlot};
use std::fmt;
use std::str::FromStr;

/// Why a line is not an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// The first word is not a known verb.
    #[error("unknown verb {0:?}; the verbs are: {all}", all = InputKind::ALL.into_iter().collect::<InputKinds>())]
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

impl InputKind {
    /// The verb that starts a line of this kind (`park`, `agent-hangup`, `tick`, ...): the
    /// one table of verbs that the parser, [`Input`]'s `Display`, [`InputKind`]'s `Display`
    /// and every rejection hint read.
    pub const fn verb(self) -> &'static str {
        match self {
            InputKind::TransferConference => "transfer",
            InputKind::ParkCall => "park",
            InputKind::ExternalHangup => "hangup",
            InputKind::ForcedLeave3Way => "force",
            InputKind::Tick => "tick",
            InputKind::TickClearsInFlight => "tick-inflight",
            InputKind::ClearsLand => "clears-land",
            InputKind::LeaveCompleted => "leave-done",
            InputKind::OriginateCompleted => "dial-done",
            InputKind::LookCompleted => "look-done",
            InputKind::TickPollLate => "tick-late",
            InputKind::CallArrives => "call",
            InputKind::Answered => "answer",
            InputKind::Rejected => "reject",
            InputKind::DialTimeout => "timeout",
            InputKind::HungUp => "hungup",
            InputKind::ParkIvrDone => "ivr-done",
            InputKind::ConferenceCleanup => "cleanup",
            InputKind::ConferenceExpired => "expire",
            InputKind::FreeConferences => "conferences",
            InputKind::HangUp => "agent-hangup",
            InputKind::FillRequiredFields => "fill",
            InputKind::SubmitDisposition => "dispo",
        }
    }

    /// The kind whose [`verb`](InputKind::verb) is exactly `verb`.
    pub fn from_verb(verb: &str) -> Option<InputKind> {
        InputKind::ALL.into_iter().find(|k| k.verb() == verb)
    }
}

impl fmt::Display for InputKind {
    /// The verb, e.g. `agent-hangup`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.verb())
    }
}

impl fmt::Display for InputKinds {
    /// The verbs, comma-separated (`call, tick, tick-inflight`), or `nothing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("nothing");
        }
        for (i, kind) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(kind.verb())?;
        }
        Ok(())
    }
}

impl FromStr for Input {
    type Err = ScriptError;

    fn from_str(line: &str) -> Result<Self, ScriptError> {
        let line = line.trim();
        let (word, arg) = match line.split_once(char::is_whitespace) {
            Some((v, a)) => (v, Some(a.trim())),
            None => (line, None),
        };
        let kind = InputKind::from_verb(word).ok_or_else(|| ScriptError::UnknownVerb(word.to_owned()))?;
        let verb = kind.verb();
        let leg = || number(verb, arg).map(LegId);
        Ok(match kind {
            InputKind::CallArrives => NetEvent::CallArrives { lead: LeadId(number(verb, arg)?) }.into(),
            InputKind::TransferConference => {
                let stored = text(verb, arg)?;
                let slot = TransferSlot::decode(stored)
                    .ok_or_else(|| ScriptError::BadArgument { verb, arg: stored.to_owned() })?;
                ApiWrite::TransferConference(slot).into()
            }
            InputKind::ParkCall => ApiWrite::ParkCall(ParkSlot::decode(text(verb, arg)?)).into(),
            InputKind::ExternalHangup => ApiWrite::ExternalHangup(HangupSlot(text(verb, arg)?.into())).into(),
            InputKind::ForcedLeave3Way => {
                ApiWrite::ForcedLeave3Way(arg.map_or(CommandId::Undefined, |id| CommandId::Id(id.into()))).into()
            }
            InputKind::Tick => ScreenInput::Tick.into(),
            InputKind::TickClearsInFlight => ScreenInput::TickClearsInFlight.into(),
            InputKind::ClearsLand => ScreenInput::ClearsLand.into(),
            InputKind::LeaveCompleted => ScreenInput::LeaveCompleted.into(),
            InputKind::OriginateCompleted => ScreenInput::OriginateCompleted.into(),
            InputKind::LookCompleted => ScreenInput::LookCompleted.into(),
            InputKind::TickPollLate => ScreenInput::TickPollLate.into(),
            InputKind::Answered => NetEvent::Answered(leg()?).into(),
            InputKind::Rejected => NetEvent::Rejected(leg()?).into(),
            InputKind::DialTimeout => NetEvent::DialTimeout(leg()?).into(),
            InputKind::HungUp => NetEvent::HungUp(leg()?).into(),
            InputKind::ParkIvrDone => NetEvent::ParkIvrDone.into(),
            InputKind::ConferenceCleanup => NetEvent::ConferenceCleanup.into(),
            InputKind::ConferenceExpired => NetEvent::ConferenceExpired(RoomId(number(verb, arg)?)).into(),
            InputKind::FreeConferences => match arg {
                Some("on") => NetEvent::FreeConferences(true).into(),
                Some("off") => NetEvent::FreeConferences(false).into(),
                other => return Err(ScriptError::BadArgument { verb, arg: other.unwrap_or("").to_owned() }),
            },
            InputKind::HangUp => AgentAction::HangUp.into(),
            InputKind::FillRequiredFields => AgentAction::FillRequiredFields.into(),
            InputKind::SubmitDisposition => AgentAction::SubmitDisposition.into(),
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
        f.write_str(self.kind().verb())?;
        match self {
            Input::Api(ApiWrite::TransferConference(slot)) => {
                f.write_str(" ")?;
                encode_transfer(slot, f)
            }
            Input::Api(ApiWrite::ParkCall(ParkSlot::Known(v))) => write!(f, " {v}"),
            Input::Api(ApiWrite::ParkCall(ParkSlot::Other(v))) => write!(f, " {v}"),
            Input::Api(ApiWrite::ExternalHangup(HangupSlot(v))) => write!(f, " {v}"),
            Input::Api(ApiWrite::ForcedLeave3Way(CommandId::Id(id))) => write!(f, " {id}"),
            Input::Net(NetEvent::CallArrives { lead }) => write!(f, " {}", lead.0),
            Input::Net(
                NetEvent::Answered(l) | NetEvent::Rejected(l) | NetEvent::DialTimeout(l) | NetEvent::HungUp(l),
            ) => {
                write!(f, " {}", l.0)
            }
            Input::Net(NetEvent::ConferenceExpired(r)) => write!(f, " {}", r.0),
            Input::Net(NetEvent::FreeConferences(on)) => f.write_str(if *on { " on" } else { " off" }),
            Input::Api(ApiWrite::ForcedLeave3Way(CommandId::Undefined))
            | Input::Screen(_)
            | Input::Net(NetEvent::ParkIvrDone | NetEvent::ConferenceCleanup)
            | Input::Agent(_) => Ok(()),
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
            "dial-done",
            "look-done",
            "tick-late",
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
    fn every_kind_has_one_verb_and_the_parser_reads_it() {
        for kind in InputKind::ALL {
            assert_eq!(InputKind::from_verb(kind.verb()), Some(kind), "{kind:?}");
            assert_eq!(kind.to_string(), kind.verb());
        }
        let kinds: InputKinds = [InputKind::HangUp, InputKind::Tick, InputKind::ParkCall].into_iter().collect();
        assert_eq!(kinds.to_string(), "park, tick, agent-hangup");
        assert_eq!(InputKinds::default().to_string(), "nothing");
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
