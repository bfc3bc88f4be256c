//! The input alphabet of the exploration, the initial sessions it starts from and the
//! renaming of command ids that merges equivalent states.

use crate::ids::{CommandId, LeadId, Text};
use crate::input::{AgentAction, ApiWrite, Input, NetEvent, ScreenInput};
use crate::invariants;
use crate::leg::XferAt;
use crate::session::{Session, XdChannel};
use crate::slot::{Checkbox, HangupSlot, ParkSlot, ParkValue, Slot, SlotFunction, TransferFunction, TransferSlot};

/// The most inputs tried in one state, and the most initial sessions of one search: the
/// explorer numbers them with 16 bits, one value reserved.
pub const MAX_INPUTS: usize = u16::MAX as usize;

/// The input alphabet: the fixed inputs tried in every state. Network events are added
/// per state for each live leg (answer, reject, time out, hang up) and left room.
#[derive(Debug, Clone)]
pub struct Alphabet {
    /// Inputs tried in every state.
    pub fixed: Vec<Input>,
    /// Sequential mode: api.php writes are tried only when all three slots are empty and
    /// no clear is in flight (a CRM that waits for each command to run). Racing mode
    /// (`false`) tries every write in every state.
    pub sequential: bool,
}

fn slot(function: TransferFunction, ingroup: &str, number: &str, consultative: bool, id: u64) -> Input {
    let mut s = TransferSlot::bare(function, CommandId::epoch(id));
    s.ingroup = ingroup.into();
    s.number = number.into();
    s.consultative = if consultative { Checkbox::Set } else { Checkbox::Clear };
    ApiWrite::TransferConference(s).into()
}

impl Alphabet {
    /// Every transfer value with its abstract targets (number / empty number / in-group /
    /// AGENTDIRECT with and without agent / consultative / an unknown function), both
    /// command ids (after [`canonical_ids`], `1` repeats the last id: a duplicate; `2` is
    /// fresh), all park values plus an unknown one, external_hangup `1` and `0`, forced
    /// leave, the screen inputs (with the answers of the 3WAY request, the 3-way
    /// Originate and the channel look, docs/screen-requests.md rows 6, 16 and 25, and a
    /// late poll, F3), call arrival and the agent's actions.
    pub fn full() -> Alphabet {
        Alphabet::build(&[1, 2], true)
    }

    /// Fresh command ids only and one target per path (number, in-group, AGENTDIRECT),
    /// all nine park values: every command in every leg situation, without the
    /// duplicate/unknown-value variants and without the late poll.
    pub fn standard() -> Alphabet {
        Alphabet::build(&[2], false)
    }

    fn build(ids: &[u64], full: bool) -> Alphabet {
        use TransferFunction::*;
        let mut fixed = Vec::new();
        for &id in ids {
            fixed.push(slot(HangupXfer, "", "", false, id));
            fixed.push(slot(HangupBoth, "", "", false, id));
            fixed.push(slot(Leave3WayCall, "", "", false, id));
            fixed.push(slot(BlindTransfer, "", "5551234", false, id));
            fixed.push(slot(LeaveVm, "", "", false, id));
            fixed.push(slot(LocalCloser, "SALES", "", false, id));
            fixed.push(slot(DialWithCustomer, "", "5551234", false, id));
            fixed.push(slot(DialWithCustomer, "SALES", "", true, id));
            fixed.push(slot(ParkCustomerDial, "", "5551234", false, id));
            fixed.push(slot(ParkCustomerDial, "AGENTDIRECT", "1002", true, id));
            if full {
                fixed.push(slot(BlindTransfer, "", "", false, id));
                fixed.push(slot(LocalCloser, "AGENTDIRECT", "1002", false, id));
                fixed.push(slot(LocalCloser, "AGENTDIRECT", "", false, id));
                let mut unknown = TransferSlot::bare(HangupXfer, CommandId::epoch(id));
                unknown.function = SlotFunction::Unknown("NOT_A_VALUE".into());
                fixed.push(ApiWrite::TransferConference(unknown).into());
            }
            fixed.push(ApiWrite::ForcedLeave3Way(CommandId::epoch(id)).into());
        }
        fixed.extend(ParkValue::ALL.into_iter().map(|p| Input::Api(ApiWrite::ParkCall(ParkSlot::Known(p)))));
        if full {
            fixed.push(ApiWrite::ParkCall(ParkSlot::Other(Text::from("XPARK_CUSTOMERX"))).into());
            fixed.push(ApiWrite::ExternalHangup(HangupSlot("0".into())).into());
        }
        fixed.push(ApiWrite::ExternalHangup(HangupSlot("1".into())).into());
        fixed.extend(
            [
                ScreenInput::Tick,
                ScreenInput::TickClearsInFlight,
                ScreenInput::ClearsLand,
                ScreenInput::LeaveCompleted,
                ScreenInput::OriginateCompleted,
                ScreenInput::LookCompleted,
            ]
            .map(Input::from),
        );
        if full {
            fixed.push(ScreenInput::TickPollLate.into());
        }
        fixed.push(NetEvent::CallArrives { lead: LeadId(1) }.into());
        fixed.extend([NetEvent::ParkIvrDone, NetEvent::ConferenceCleanup].map(Input::from));
        fixed.extend(
            [AgentAction::HangUp, AgentAction::FillRequiredFields, AgentAction::SubmitDisposition].map(Input::from),
        );
        Alphabet { fixed, sequential: false }
    }

    /// The same inputs in sequential mode.
    pub fn sequential(self) -> Alphabet {
        Alphabet { sequential: true, ..self }
    }

    /// The coverage targets this alphabet can reach (an unknown function only when the
    /// alphabet writes one).
    pub fn targets(&self) -> Vec<invariants::Target> {
        let unknown = self.fixed.iter().any(|i| {
            matches!(i, Input::Api(ApiWrite::TransferConference(s)) if matches!(s.function, SlotFunction::Unknown(_)))
        });
        invariants::Target::all().into_iter().filter(|t| unknown || *t != invariants::Target::UnknownFunction).collect()
    }

    /// The inputs to try in `s`: the fixed ones, then events on its live legs and rooms.
    pub fn inputs(&self, s: &Session) -> Vec<Input> {
        let mut v = Vec::new();
        self.inputs_into(s, &mut v);
        v
    }

    /// [`Alphabet::inputs`] into a reused buffer (cleared first).
    pub fn inputs_into(&self, s: &Session, v: &mut Vec<Input>) {
        v.clear();
        v.extend(self.fixed_in(s).cloned());
        events_into(s, v);
    }

    /// [`Alphabet::inputs`] by reference, in the same order, for engines that try every
    /// input of a state without copying any: the fixed inputs from the alphabet itself,
    /// then the state's own events, built into `events` (cleared first).
    ///
    /// ```
    /// use vicixfer::explore::Alphabet;
    /// use vicixfer::Session;
    /// let (alphabet, login) = (Alphabet::standard(), Session::default());
    /// let mut events = Vec::new();
    /// let inputs: Vec<_> = alphabet.each(&login, &mut events).cloned().collect();
    /// assert_eq!(inputs, alphabet.inputs(&login));
    /// ```
    pub fn each<'a>(&'a self, s: &Session, events: &'a mut Vec<Input>) -> impl Iterator<Item = &'a Input> + Clone {
        events.clear();
        events_into(s, events);
        self.fixed_in(s).chain(events.iter())
    }

    /// [`Alphabet::each`], or `None` when `s` has more than [`MAX_INPUTS`] inputs (the
    /// explorer numbers a state's inputs with 16 bits, one value reserved).
    pub(crate) fn each_numbered<'a>(
        &'a self,
        s: &Session,
        events: &'a mut Vec<Input>,
    ) -> Option<impl Iterator<Item = &'a Input>> {
        let inputs = self.each(s, events);
        // Counted one by one only when the fixed inputs and the events could be too many.
        let bound = inputs.size_hint().1;
        if bound.is_none_or(|n| n > MAX_INPUTS) && inputs.clone().count() > MAX_INPUTS {
            return None;
        }
        Some(inputs)
    }

    /// The fixed inputs tried in `s` (in sequential mode, api.php writes only when the
    /// slots are quiet).
    fn fixed_in(&self, s: &Session) -> impl Iterator<Item = &Input> + Clone {
        let sl = &s.slots;
        let quiet = sl.transferconf.value.is_none()
            && sl.park.value.is_none()
            && sl.hangup.value.is_none()
            && sl.transferconf == Slot::default()
            && sl.park == Slot::default()
            && sl.hangup == Slot::default();
        let writes = quiet || !self.sequential;
        self.fixed.iter().filter(move |i| writes || !matches!(i, Input::Api(_)))
    }
    /// An equal alphabet that shares no reference-counted text with this one (each input
    /// rebuilt from its script line when that gives it back exactly), so that threads
    /// stepping with their own copy do not contend on the same reference counts.
    pub fn private_copy(&self) -> Alphabet {
        let fixed = self
            .fixed
            .iter()
            .map(|i| i.to_string().parse::<Input>().ok().filter(|p| p == i).unwrap_or_else(|| i.clone()))
            .collect();
        Alphabet { fixed, sequential: self.sequential }
    }
}

/// Appends the events on `s`'s live legs and rooms.
fn events_into(s: &Session, v: &mut Vec<Input>) {
    for x in &s.legs.xfers {
        if matches!(x.at, XferAt::Ringing(_)) {
            v.extend(
                [NetEvent::Answered(x.id), NetEvent::Rejected(x.id), NetEvent::DialTimeout(x.id)].map(Input::from),
            );
        }
    }
    v.extend(s.legs.all().map(|(id, _)| Input::from(NetEvent::HungUp(id))));
    v.extend(s.left.iter().map(|l| Input::from(NetEvent::ConferenceExpired(l.room))));
    v.push(NetEvent::FreeConferences(!s.free_conferences).into());
}

/// Renames command ids so that the last id received is `1` and a different pending id
/// is `2`. The screen only ever compares a pending id with the last one, so this merges
/// states that behave identically (a symmetry reduction; `Undefined` is kept).
pub fn canonical_ids(s: &mut Session) {
    // Renamed in place, and only when the id differs: building a `CommandId` allocates.
    fn set(id: &mut CommandId, to: &str) {
        if !matches!(id, CommandId::Id(t) if &**t == to) {
            *id = CommandId::Id(to.into());
        }
    }
    let last = s.screen.last_command.as_ref();
    if let Some(cmd) = s.slots.transferconf.value.as_mut() {
        if cmd.id != CommandId::Undefined {
            let to = if Some(&cmd.id) == last { "1" } else { "2" };
            set(&mut cmd.id, to);
        }
    }
    if let Some(id) = s.screen.last_command.as_mut() {
        if *id != CommandId::Undefined {
            set(id, "1");
        }
    }
}

/// The initial sessions the standard exploration starts from: the campaign settings that
/// change what commands do (transfer_no_dispo, required fields, manual dial with R12,
/// recording switches, consult delay, no server cleanup) and the three older build
/// profiles ([`crate::Build`]). All but the first start in a login whose screen has
/// already found a third party (`XdChannel::Earlier`, finding F1).
pub fn initial_sessions() -> Vec<Session> {
    use crate::config::{Build, Config, TransferNoDispo};
    let all = TransferNoDispo { local: true, external: true, leave3way: true };
    let configs = [
        Config::default(),
        Config { transfer_no_dispo: all, ..Config::default() },
        Config { required_fields: true, manual_dial: true, ..Config::default() },
        Config {
            hangup_xfer_record_start: true,
            leave_3way_stop_recording: true,
            consult_delay: 1,
            ..Config::default()
        },
        Config { server_cleanup_on_hangup: false, ..Config::default() },
        // The older build profiles (§17): park values the screen ignores; no
        // leave_3way_stop_recording before 240627.
        Config { build: Build::Pre240429, ..Config::default() },
        Config { build: Build::B240429, ..Config::default() },
        Config { build: Build::B240624, leave_3way_stop_recording: true, ..Config::default() },
    ];
    // The default campaign starts as a fresh login (F1: a leave before any third party is
    // found throws); every other setting starts in a login whose screen found a third
    // party in an earlier call (`XdChannel::Earlier`), so that with one leg the leave's
    // own paths are explored under every setting.
    configs
        .into_iter()
        .enumerate()
        .map(|(i, config)| {
            let mut s = Session::new(config);
            if i > 0 {
                s.screen.xd_channel = XdChannel::Earlier;
            }
            s
        })
        .collect()
}
