//! Exhaustive exploration of the reachable state space: breadth-first over a step
//! function from a set of initial sessions, over the whole input alphabet, storing full
//! states. Every state and edge is checked against [`crate::invariants`]; the result is a
//! [`Report`] with counts, coverage, liveness and the shortest counterexample.
//!
//! ```
//! use vicixfer::explore::{explore, Alphabet, Bounds, Options};
//! use vicixfer::{step, Session};
//!
//! let bounds = Bounds { max_legs: 1, max_depth: Some(4), ..Bounds::default() };
//! let report = explore(&[Session::default()], &Alphabet::standard(), &Options { bounds, ..Options::new(step) });
//! assert!(report.violation.is_none());
//! assert!(report.states > 1);
//! ```

use crate::effect::Step;
use crate::ids::{CommandId, LeadId, Text};
use crate::input::{AgentAction, ApiWrite, Input, NetEvent, ScreenInput};
use crate::invariants::{self, Coverage, Invariant, Violation};
use crate::leg::XferAt;
use crate::reject::Rejection;
use crate::session::Session;
use crate::slot::{Checkbox, HangupSlot, ParkSlot, ParkValue, Slot, SlotFunction, TransferFunction, TransferSlot};
use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A step function: the real [`crate::step`], or a deliberately broken one in tests.
pub type StepFn = fn(&Session, Input) -> Result<Step, Rejection>;

/// An extra check on a new state (`Err` carries what is wrong).
pub type StateCheck = fn(&Session) -> Result<(), String>;

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
    /// leave, the four screen inputs (with the 3WAY answer, docs/screen-requests.md row
    /// 6), call arrival and the agent's actions.
    pub fn full() -> Alphabet {
        Alphabet::build(&[1, 2], true)
    }

    /// Fresh command ids only and one target per path (number, in-group, AGENTDIRECT),
    /// all nine park values: every command in every leg situation, without the
    /// duplicate/unknown-value variants.
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
            [ScreenInput::Tick, ScreenInput::TickClearsInFlight, ScreenInput::ClearsLand, ScreenInput::LeaveCompleted]
                .map(Input::from),
        );
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
        let sl = &s.slots;
        let quiet = sl.transferconf == Slot::default() && sl.park == Slot::default() && sl.hangup == Slot::default();
        let mut v: Vec<Input> =
            self.fixed.iter().filter(|i| quiet || !self.sequential || !matches!(i, Input::Api(_))).cloned().collect();
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
        v
    }
}

/// Limits that keep the space finite.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// Successors that allocated more than this many legs in total are pruned.
    pub max_legs: u32,
    /// Stop expanding at this depth (`None`: until the space is exhausted).
    pub max_depth: Option<u32>,
    /// Stop after this many states (a safety net; the report says if it was hit).
    pub max_states: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { max_legs: 3, max_depth: None, max_states: 5_000_000 }
    }
}

/// What to run and check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The step function under test.
    pub step: StepFn,
    /// Space limits.
    pub bounds: Bounds,
    /// Re-run each step and compare (determinism).
    pub determinism: bool,
    /// An extra check on each new state, e.g. a serde round trip (needs a format crate
    /// the core does not link).
    pub state_check: Option<StateCheck>,
    /// Keep up to this many shortest paths to the leaves of the breadth-first tree
    /// (deepest first) in [`Report::leaf_paths`]: every state lies on one of them when
    /// the cap is large enough. Used to seed fuzz corpora.
    pub leaf_paths: usize,
}

impl Options {
    /// All checks on, default bounds.
    pub fn new(step: StepFn) -> Options {
        Options { step, bounds: Bounds::default(), determinism: true, state_check: None, leaf_paths: 0 }
    }
}

/// A broken invariant with the shortest input sequence that reaches it.
#[derive(Debug, Clone)]
pub struct Counterexample {
    /// What broke.
    pub violation: Violation,
    /// The initial session the trace starts from.
    pub initial: Session,
    /// The inputs, in order; the last one is the failing step.
    pub inputs: Vec<Input>,
}

impl Counterexample {
    /// The trace as a `vicixfer drive` script (one input per line).
    pub fn script(&self) -> String {
        let mut out = format!("# {}\n", self.violation);
        for i in &self.inputs {
            out.push_str(&i.to_string());
            out.push('\n');
        }
        out
    }
}

/// The outcome of an exploration.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Unique states reached.
    pub states: usize,
    /// Accepted transitions (including to already known states).
    pub edges: usize,
    /// Rejected inputs tried.
    pub rejected: usize,
    /// Successors pruned by `max_legs`.
    pub pruned: usize,
    /// Deepest breadth-first level.
    pub depth: u32,
    /// True when a bound (depth or state count) stopped the search early.
    pub truncated: bool,
    /// `sometimes` coverage.
    pub coverage: Coverage,
    /// States from which no idle agent is reachable (liveness), with one example.
    pub stuck: usize,
    /// The shortest path to a stuck state, if any.
    pub stuck_example: Option<Vec<Input>>,
    /// The first violation (shortest, since the search is breadth-first).
    pub violation: Option<Counterexample>,
    /// Shortest paths to breadth-first leaves, as (index of the initial session, inputs).
    pub leaf_paths: Vec<(usize, Vec<Input>)>,
}

/// The visited states, stored once: looked up by a 64-bit hash, with the (unlikely)
/// colliding states kept in a second, exact map. Paths are kept as (parent, index of
/// the input in the parent's alphabet), 8 bytes a state.
struct Store {
    states: Vec<Session>,
    parent: Vec<(u32, u16)>,
    depth: Vec<u32>,
    by_hash: HashMap<u64, u32>,
    collided: HashMap<Session, u32>,
}

const ROOT: u32 = u32::MAX;

fn hash(s: &Session) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(s)
}

impl Store {
    fn find(&self, s: &Session) -> Option<u32> {
        match self.by_hash.get(&hash(s)) {
            Some(&i) if self.states[i as usize] == *s => Some(i),
            Some(_) => self.collided.get(s).copied(),
            None => None,
        }
    }

    fn insert(&mut self, s: Session, parent: (u32, u16), depth: u32) -> u32 {
        let n = self.states.len() as u32;
        let h = hash(&s);
        match self.by_hash.entry(h) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(s.clone(), n);
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(n);
            }
        }
        self.states.push(s);
        self.parent.push(parent);
        self.depth.push(depth);
        n
    }

    /// The root a state descends from and the inputs that lead there.
    fn path(&self, alphabet: &Alphabet, mut at: u32) -> (u32, Vec<Input>) {
        let mut inputs = Vec::new();
        while self.parent[at as usize].0 != ROOT {
            let (p, k) = self.parent[at as usize];
            inputs.push(alphabet.inputs(&self.states[p as usize])[k as usize].clone());
            at = p;
        }
        inputs.reverse();
        (at, inputs)
    }
}

/// Explores from `initial` with `alphabet`.
pub fn explore(initial: &[Session], alphabet: &Alphabet, opts: &Options) -> Report {
    let mut report = Report::default();
    let mut store = Store {
        states: Vec::new(),
        parent: Vec::new(),
        depth: Vec::new(),
        by_hash: HashMap::new(),
        collided: HashMap::new(),
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut queue = VecDeque::new();
    for s in initial {
        if store.find(s).is_some() {
            continue;
        }
        if let Err(v) = invariants::check_state(s) {
            report.violation = Some(Counterexample { violation: v, initial: s.clone(), inputs: Vec::new() });
            return report;
        }
        queue.push_back(store.insert(s.clone(), (ROOT, 0), 0));
    }
    while let Some(at) = queue.pop_front() {
        let d = store.depth[at as usize];
        report.depth = report.depth.max(d);
        if opts.bounds.max_depth.is_some_and(|m| d >= m) {
            report.truncated = true;
            continue;
        }
        let before = store.states[at as usize].clone();
        for (k, input) in alphabet.inputs(&before).into_iter().enumerate() {
            let fail = |v: Violation, store: &Store| {
                let (root, mut inputs) = store.path(alphabet, at);
                inputs.push(input.clone());
                Counterexample { violation: v, initial: store.states[root as usize].clone(), inputs }
            };
            let result = match catch_unwind(AssertUnwindSafe(|| (opts.step)(&before, input.clone()))) {
                Ok(r) => r,
                Err(_) => {
                    let v =
                        Violation { invariant: Invariant::NeverPanics, detail: format!("step panicked on `{input}`") };
                    report.violation = Some(fail(v, &store));
                    return report;
                }
            };
            if opts.determinism && (opts.step)(&before, input.clone()) != result {
                let v =
                    Violation { invariant: Invariant::Deterministic, detail: format!("`{input}` gave two results") };
                report.violation = Some(fail(v, &store));
                return report;
            }
            if let Err(v) = invariants::check_step(&before, &input, &result) {
                report.violation = Some(fail(v, &store));
                return report;
            }
            let Ok(mut step) = result else {
                report.rejected += 1;
                continue;
            };
            canonical_ids(&mut step.session);
            if step.session.next_leg > opts.bounds.max_legs + 1 {
                report.pruned += 1;
                continue;
            }
            report.coverage.observe(&before, &input, &step);
            report.edges += 1;
            let next = match store.find(&step.session) {
                Some(n) => n,
                None => {
                    if let Some(Err(detail)) = opts.state_check.map(|c| c(&step.session)) {
                        let v = Violation { invariant: Invariant::SerdeRoundTrip, detail };
                        report.violation = Some(fail(v, &store));
                        return report;
                    }
                    if store.states.len() >= opts.bounds.max_states {
                        report.truncated = true;
                        continue;
                    }
                    let n = store.insert(step.session, (at, k as u16), d + 1);
                    queue.push_back(n);
                    n
                }
            };
            if next != at {
                edges.push((at, next));
            }
        }
    }
    report.states = store.states.len();
    if opts.leaf_paths > 0 {
        let mut inner = vec![false; store.states.len()];
        for &(p, _) in store.parent.iter().filter(|(p, _)| *p != ROOT) {
            inner[p as usize] = true;
        }
        let mut leaves: Vec<u32> = (0..store.states.len() as u32).filter(|i| !inner[*i as usize]).collect();
        leaves.sort_by_key(|i| std::cmp::Reverse(store.depth[*i as usize]));
        for leaf in leaves.into_iter().take(opts.leaf_paths) {
            let (root, inputs) = store.path(alphabet, leaf);
            let first = initial.iter().position(|s| *s == store.states[root as usize]).unwrap_or(0);
            report.leaf_paths.push((first, inputs));
        }
    }
    // Liveness on the finite graph: walk the reversed edges back from every idle state.
    if !report.truncated {
        let alive = can_reach_idle(&store.states, &edges);
        report.stuck = alive.iter().filter(|a| !**a).count();
        report.stuck_example = alive.iter().position(|a| !*a).map(|i| store.path(alphabet, i as u32).1);
    }
    report
}

/// For each state, whether an idle state is reachable from it (reverse search over a
/// compressed reversed adjacency list).
fn can_reach_idle(states: &[Session], edges: &[(u32, u32)]) -> Vec<bool> {
    let mut start = vec![0u32; states.len() + 1];
    for &(_, to) in edges {
        start[to as usize + 1] += 1;
    }
    for i in 0..states.len() {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut rev = vec![0u32; edges.len()];
    for &(from, to) in edges {
        rev[fill[to as usize] as usize] = from;
        fill[to as usize] += 1;
    }
    let mut alive: Vec<bool> = states.iter().map(Session::is_idle).collect();
    let mut work: Vec<u32> = (0..states.len() as u32).filter(|i| alive[*i as usize]).collect();
    while let Some(n) = work.pop() {
        for &p in &rev[start[n as usize] as usize..start[n as usize + 1] as usize] {
            if !alive[p as usize] {
                alive[p as usize] = true;
                work.push(p);
            }
        }
    }
    alive
}

/// Renames command ids so that the last id received is `1` and a different pending id
/// is `2`. The screen only ever compares a pending id with the last one, so this merges
/// states that behave identically (a symmetry reduction; `Undefined` is kept).
pub fn canonical_ids(s: &mut Session) {
    let (one, two) = (CommandId::epoch(1), CommandId::epoch(2));
    let last = s.screen.last_command.clone();
    if let Some(cmd) = s.slots.transferconf.value.as_mut() {
        if cmd.id != CommandId::Undefined {
            cmd.id = if Some(&cmd.id) == last.as_ref() { one.clone() } else { two };
        }
    }
    if let Some(id) = s.screen.last_command.as_mut() {
        if *id != CommandId::Undefined {
            *id = one;
        }
    }
}

/// The initial sessions the standard exploration starts from: the campaign settings that
/// change what commands do (transfer_no_dispo, required fields, manual dial with R12,
/// recording switches, consult delay, no server cleanup) and the three older build
/// profiles ([`crate::Build`]).
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
    configs.into_iter().map(Session::new).collect()
}
