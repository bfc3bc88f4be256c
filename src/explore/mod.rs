//! Exhaustive exploration of the reachable state space: breadth-first, level by level,
//! over a step function from a set of initial sessions and the whole input alphabet.
//! Every state and edge is checked against [`crate::invariants`] at the chosen
//! [`Level`]; the result is a [`Report`] with exact counts, coverage, liveness and the
//! shortest counterexample.
//!
//! States are stored as 128-bit fingerprints with a parent pointer (about 33 bytes a
//! state and 4 a distinct successor, see `store`), never in full: only the current
//! level's states are held, and a counterexample is rebuilt by replaying its inputs
//! from the initial session. Each level is expanded by [`Options::threads`] threads in
//! chunks and merged in chunk order, so the counts, the report and the counterexample
//! do not depend on the thread count.
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

mod alphabet;
mod frontier;
mod store;

pub use alphabet::{canonical_ids, initial_sessions, Alphabet, MAX_INPUTS};
pub use store::MAX_STATES;

use crate::effect::Step;
use crate::input::Input;
use crate::invariants::{self, Coverage, Invariant, Violation};
use crate::reject::Rejection;
use crate::session::Session;
use frontier::{decode, encode, Frontier, Parent, Settings};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use store::{fingerprint, Fingerprint, Fingerprinter, Fresh, Index, Settled, Store, Visited, ROOT};

/// A step function: the real [`crate::step`], or a deliberately broken one in tests.
pub type StepFn = fn(&Session, Input) -> Result<Step, Rejection>;

/// An extra check on a new state (`Err` carries what is wrong).
pub type StateCheck = fn(&Session) -> Result<(), String>;

/// Limits that keep the space finite.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// Successors that allocated more than this many legs in total are pruned.
    pub max_legs: u32,
    /// Stop expanding at this depth (`None`: until the space is exhausted).
    pub max_depth: Option<u32>,
    /// Stop after this many states (a safety net; the report says if it was hit). The
    /// explorer numbers states with 32 bits, so a search also stops at [`MAX_STATES`].
    pub max_states: usize,
}

impl Bounds {
    /// The state count that stops this search, and the stop it reports.
    fn state_limit(&self) -> (usize, Stop) {
        match self.max_states {
            n if n <= MAX_STATES => (n, Stop::States(n)),
            _ => (MAX_STATES, Stop::StateIndex),
        }
    }
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { max_legs: 3, max_depth: None, max_states: 500_000_000 }
    }
}

/// How much is checked on every state and edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Every model invariant: [`invariants::check_state`] on every state reached, once
    /// for each state, when it is first reached (its verdict depends on the state alone),
    /// and on every successor the leg bound prunes; [`invariants::check_transition`] on
    /// every accepted step (with `check_state` on the session after it, that is
    /// [`invariants::check_step`] but for its converse question to `accepts`, which
    /// allowed the input); no panic on any input ([`Invariant::NeverPanics`]); liveness.
    /// Each input is first put to [`Session::accepts`]: one it refuses is counted rejected
    /// without running `step` (`step` begins with that very check and returns `Ok` on
    /// every path after it, so the edges are the same), and a step function under test
    /// must accept every input `accepts` allows ([`Invariant::RejectionIsPure`]; the
    /// crate's own `step` runs its transition directly, which is what it does once
    /// `accepts` allows). Not run: `step` on the refused inputs, the second `step` of each
    /// input ([`Invariant::Deterministic`]), the `Session::handle` replay of each rejected
    /// input (`handle` checks `accepts` before it changes anything) and
    /// [`Options::state_check`] ([`Invariant::SerdeRoundTrip`] in the CLI).
    #[default]
    Standard,
    /// Everything in `Standard`, plus: [`invariants::check_step`] whole on every edge
    /// (`check_state` on the session after each step too); `step` runs on every input,
    /// each twice, and must give the same result ([`Invariant::Deterministic`]); every
    /// rejected input is checked by [`invariants::check_step`] (`accepts` refuses it
    /// too, `handle` leaves the session unchanged: [`Invariant::RejectionIsPure`]);
    /// [`Options::state_check`] runs on every new state (the CLI's serde round trip:
    /// [`Invariant::SerdeRoundTrip`]).
    Full,
}

impl Level {
    /// The checks of this level on one tried input (`result` is `step(before, input)`).
    /// At the standard level `input` is one [`Session::accepts`] allowed (the level steps
    /// only those), so an accepted step is not put to `accepts` again.
    pub fn check_step(
        self,
        f: StepFn,
        before: &Session,
        input: &Input,
        result: &Result<Step, Rejection>,
    ) -> Result<(), Violation> {
        self.check_outcome(f, before, input, result.as_ref())
    }

    /// [`Level::check_step`] on a borrowed outcome.
    fn check_outcome(
        self,
        f: StepFn,
        before: &Session,
        input: &Input,
        result: Result<&Step, &Rejection>,
    ) -> Result<(), Violation> {
        if self == Level::Full && f(before, input.clone()).as_ref() != result {
            return Err(Violation {
                invariant: Invariant::Deterministic,
                detail: format!("`{input}` gave two results"),
            });
        }
        match result {
            Err(_) if self == Level::Standard => match before.accepts(input) {
                Ok(()) => Err(Violation {
                    invariant: Invariant::RejectionIsPure,
                    detail: "step rejected an input `accepts` allows".into(),
                }),
                Err(_) => Ok(()),
            },
            Ok(step) if self == Level::Standard => invariants::check_accepted_step(before, input, step),
            _ => invariants::check_outcome(before, input, result),
        }
    }
}

/// Progress of a running exploration, handed to the [`Monitor`] after each batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Unique states so far.
    pub states: usize,
    /// Accepted transitions so far.
    pub edges: usize,
    /// The breadth-first level being expanded.
    pub depth: u32,
    /// Bytes held by the visited set (fingerprints, parents, successor lists).
    pub store_bytes: usize,
}

/// Called after each batch of states; an `Err` stops the search (the report's
/// [`Report::stop`] then carries the reason). Drivers use it for a progress line and
/// a memory limit.
#[derive(Clone)]
pub struct Monitor(pub Arc<MonitorFn>);

/// The function inside a [`Monitor`].
pub type MonitorFn = dyn Fn(&Progress) -> Result<(), String> + Send + Sync;

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Monitor")
    }
}

/// What to run and check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The step function under test.
    pub step: StepFn,
    /// Space limits.
    pub bounds: Bounds,
    /// What is checked (see [`Level`]).
    pub level: Level,
    /// An extra check on each new state at [`Level::Full`], e.g. a serde round trip
    /// (needs a format crate the core does not link).
    pub state_check: Option<StateCheck>,
    /// Keep up to this many shortest paths to the leaves of the breadth-first tree
    /// (deepest first) in [`Report::leaf_paths`]: every state lies on one of them when
    /// the cap is large enough. Used to seed fuzz corpora.
    pub leaf_paths: usize,
    /// Worker threads (`0`: one per available core). The result does not depend on it.
    pub threads: usize,
    /// Progress callback and external stop (memory limit).
    pub monitor: Option<Monitor>,
}

impl Options {
    /// Every check on ([`Level::Full`]), default bounds, one thread per core.
    pub fn new(step: StepFn) -> Options {
        Options {
            step,
            bounds: Bounds::default(),
            level: Level::Full,
            state_check: None,
            leaf_paths: 0,
            threads: 0,
            monitor: None,
        }
    }
}

/// A broken invariant with the shortest input sequence that reaches it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Counterexample {
    /// What broke.
    pub violation: Violation,
    /// The initial session the trace starts from.
    pub initial: Session,
    /// The inputs, in order; the last one is the failing step.
    pub inputs: Vec<Input>,
}

impl Counterexample {
    /// A trace from `initial` through `inputs` that breaks `violation`.
    pub fn new(violation: Violation, initial: Session, inputs: Vec<Input>) -> Counterexample {
        Counterexample { violation, initial, inputs }
    }

    /// The trace as a `vicixfer drive` script (one input per line), starting with the
    /// `config N` line that makes `drive` start from the same initial session (its
    /// position in [`initial_sessions`]). A counterexample from another initial session
    /// says so in a comment: `drive` would start from the default one.
    pub fn script(&self) -> String {
        let mut out = format!("# {}\n", self.violation);
        match initial_sessions().iter().position(|s| *s == self.initial) {
            Some(n) => out.push_str(&format!("config {n}\n")),
            None => {
                out.push_str(&format!("# from a session that is not one of drive's `config N`: {}\n", self.initial))
            }
        }
        for i in &self.inputs {
            out.push_str(&i.to_string());
            out.push('\n');
        }
        out
    }
}

/// Why a search stopped before exhausting the space.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// [`Bounds::max_depth`] was reached.
    Depth(u32),
    /// [`Bounds::max_states`] was reached.
    States(usize),
    /// The [`Monitor`] stopped it (e.g. a memory limit), with its reason.
    Monitor(String),
    /// [`MAX_STATES`] states were stored (a larger [`Bounds::max_states`] cannot be kept).
    StateIndex,
    /// A state had more than [`MAX_INPUTS`] inputs to try (the alphabet's fixed inputs
    /// plus its events); the search stopped at the first such state, before its inputs.
    Inputs,
    /// More than [`MAX_INPUTS`] initial sessions were given (the count); nothing was
    /// explored.
    InitialSessions(usize),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Depth(d) => write!(f, "the depth bound ({d}) was reached"),
            Stop::States(n) => write!(f, "the state limit ({n}) was reached"),
            Stop::Monitor(why) => f.write_str(why),
            Stop::StateIndex => write!(f, "the explorer's state numbering ({MAX_STATES} states) was reached"),
            Stop::Inputs => {
                write!(f, "a state has more than {MAX_INPUTS} inputs to try, more than the explorer numbers")
            }
            Stop::InitialSessions(n) => {
                write!(f, "{n} initial sessions were given, more than the {MAX_INPUTS} the explorer numbers")
            }
        }
    }
}

/// The outcome of an exploration.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
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
    /// True when a bound (depth, state count, monitor) stopped the search early.
    pub truncated: bool,
    /// The first bound that stopped the search, if any.
    pub stop: Option<Stop>,
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
    /// Bytes held by the visited set at the end (fingerprints, parents, successor lists).
    pub store_bytes: usize,
}

impl Report {
    fn halt(&mut self, why: Stop) {
        self.truncated = true;
        self.stop.get_or_insert(why);
    }
}

/// A state not in the settled tier when its chunk was expanded (its encoding is in the
/// chunk's `encoded` buffer, from the previous candidate's `end` up to its own; empty
/// for a repeat of an earlier candidate of the chunk, which the merge finds stored).
struct Candidate {
    fp: Fingerprint,
    end: u32,
    parent: u32,
    input: u16,
    idle: bool,
}

/// One worker's result for a chunk of consecutive sources.
#[derive(Default)]
struct ChunkOut {
    /// Successors in the settled tier (distinct, no self loop), back to back;
    /// `known_ends[i]` closes source `i`'s.
    known: Vec<u32>,
    known_ends: Vec<u32>,
    /// New candidates, in order; `new_ends[i]` closes source `i`'s.
    candidates: Vec<Candidate>,
    new_ends: Vec<u32>,
    encoded: Vec<u8>,
    edges: usize,
    rejected: usize,
    pruned: usize,
    coverage: Coverage,
    /// The first violation in the chunk: (source index, input index, violation).
    violation: Option<(u32, u16, Violation)>,
    /// A source had more than [`MAX_INPUTS`] inputs: the chunk stopped before it.
    too_many_inputs: bool,
}

/// Sources a worker takes at once, and sources per batch between monitor calls.
const CHUNK: usize = 64;
const BATCH: usize = 1 << 14;

/// A worker's reused buffers.
#[derive(Default)]
struct Scratch {
    /// A successor's fingerprint stream, and the source's own ([`Fingerprinter`]).
    bytes: Vec<u8>,
    stream: Vec<u8>,
    events: Vec<Input>,
    /// The source being expanded, decoded in place, and its successor being stepped.
    before: Option<Box<Session>>,
    next: Option<Box<Step>>,
}

/// Runs `f` into `out`: the crate's own [`crate::step`] steps in place
/// ([`crate::step_into`], no move of the result), and on an input the caller has seen
/// `accepts` allow (`accepted`) without asking again; any other step function (a mutant
/// in tests) is called as it is. All give the same outcome, so only the speed differs if
/// the address comparison misses.
fn run_step(f: StepFn, before: &Session, input: &Input, accepted: bool, out: &mut Step) -> Result<(), Rejection> {
    if !std::ptr::fn_addr_eq(f, crate::step as StepFn) {
        *out = f(before, input.clone())?;
        Ok(())
    } else if accepted {
        crate::step::step_accepted_into(before, input.clone(), out);
        Ok(())
    } else {
        crate::step_into(before, input.clone(), out)
    }
}

/// What a worker needs besides its chunk.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    alphabet: &'a Alphabet,
    opts: &'a Options,
    store: &'a Settled,
    settings: &'a Settings,
}

/// Expands sources `range` of `frontier` (store indices from `first`) with one panic
/// guard around the whole chunk; if anything panics the chunk is expanded again with a
/// guard around each step, to name the input.
fn expand(frontier: &Frontier, range: std::ops::Range<usize>, first: u32, ctx: Ctx<'_>) -> ChunkOut {
    let mut scratch = Scratch::default();
    catch_unwind(AssertUnwindSafe(|| expand_with(frontier, range.clone(), first, ctx, &mut scratch, false)))
        .unwrap_or_else(|_| expand_with(frontier, range, first, ctx, &mut Scratch::default(), true))
}

/// Expands each source into one [`ChunkOut`]; `guarded` catches a panic at each step
/// and reports it as a violation.
fn expand_with(
    frontier: &Frontier,
    range: std::ops::Range<usize>,
    first: u32,
    ctx: Ctx<'_>,
    scratch: &mut Scratch,
    guarded: bool,
) -> ChunkOut {
    let Ctx { alphabet, opts, store, settings } = ctx;
    let n = range.len();
    let mut out = ChunkOut {
        known: Vec::with_capacity(n * 8),
        known_ends: Vec::with_capacity(n),
        candidates: Vec::with_capacity(n * 2),
        new_ends: Vec::with_capacity(n),
        encoded: Vec::with_capacity(n * 128),
        ..ChunkOut::default()
    };
    let Scratch { bytes, stream, events, before, next } = scratch;
    let next = &mut **next.get_or_insert_with(Box::default);
    let before = &mut **before.get_or_insert_with(Box::default);
    // This chunk's candidates by fingerprint (positions in `out.candidates`).
    let mut seen = Index::default();
    for (i, source) in range.enumerate() {
        let at = first + i as u32;
        // The stored encoding must give back the very state that was fingerprinted.
        let position = match decode(frontier.get(source), settings, before) {
            Ok(position) => position,
            Err(detail) => {
                out.violation = Some((at, u16::MAX, Violation { invariant: Invariant::SerdeRoundTrip, detail }));
                return out;
            }
        };
        let before = &*before;
        let parent = Parent { config: &before.config, position };
        let mut fingerprints = Fingerprinter::new(before, std::mem::take(stream), std::mem::take(bytes));
        if store.find(&fingerprints.parent()) != Some(at) {
            let detail = "the postcard round trip changed a state".to_string();
            out.violation = Some((at, u16::MAX, Violation { invariant: Invariant::SerdeRoundTrip, detail }));
            return out;
        }
        let known_from = out.known.len();
        // Input positions are 16 bits: a state with more inputs stops the search before
        // any of them is tried.
        let Some(inputs) = alphabet.each_numbered(before, events) else {
            out.too_many_inputs = true;
            return out;
        };
        for (k, input) in inputs.enumerate() {
            let k = k as u16;
            let fail = |v: Violation| Some((at, k, v));
            // At the standard level an input `accepts` refuses is rejected without a
            // step: `step` begins with that very check and returns `Ok` on every path
            // after it (`step.rs`, `apply`), so the edges are the same. The full level
            // steps every input and checks that the two agree.
            let attempt = |into: &mut Step| {
                let standard = opts.level == Level::Standard;
                if standard && before.accepts(input).is_err() {
                    return None;
                }
                Some(run_step(opts.step, before, input, standard, into))
            };
            let result = if guarded {
                match catch_unwind(AssertUnwindSafe(|| attempt(next))) {
                    Ok(r) => r,
                    Err(_) => {
                        let detail = format!("step panicked on `{input}`");
                        out.violation = fail(Violation { invariant: Invariant::NeverPanics, detail });
                        return out;
                    }
                }
            } else {
                attempt(next)
            };
            let Some(result) = result else {
                out.rejected += 1;
                continue;
            };
            let result = result.as_ref().map(|()| &*next);
            // The edge's checks: `Level::check_step`, but at the standard level without
            // `check_state` on the session after an accepted step; that verdict depends
            // on the session alone, so it is asked below, once for each successor not
            // stored yet and for each pruned one.
            let checked = match result {
                Ok(step) if opts.level == Level::Standard => invariants::check_transition(before, input, step),
                _ => opts.level.check_outcome(opts.step, before, input, result),
            };
            if let Err(v) = checked {
                out.violation = fail(v);
                return out;
            }
            if result.is_err() {
                out.rejected += 1;
                continue;
            }
            let step = &mut *next;
            canonical_ids(&mut step.session);
            // The standard level's `always` invariants on a successor never stored (the
            // full level checked them on the edge; they read no command id, so the
            // renaming above does not change their verdict).
            let check_state = |s: &Session| match opts.level {
                Level::Standard => invariants::check_state(s),
                Level::Full => Ok(()),
            };
            if step.session.next_leg > u64::from(opts.bounds.max_legs) + 1 {
                if let Err(v) = check_state(&step.session) {
                    out.violation = fail(v);
                    return out;
                }
                out.pruned += 1;
                continue;
            }
            out.coverage.observe(before, input, step);
            out.edges += 1;
            let fp = fingerprints.of(&step.session);
            match store.find(&fp) {
                Some(n) if n != at => out.known.push(n),
                Some(_) => {}
                None => {
                    // A state this chunk already made a candidate of needs no check and no
                    // encoding: the merge stores the first and finds it for this one.
                    let first_in_chunk = seen.find(&fp, |p| &out.candidates[p as usize].fp).is_none();
                    if first_in_chunk {
                        if let Err(v) = check_state(&step.session) {
                            out.violation = fail(v);
                            return out;
                        }
                        if opts.level == Level::Full {
                            if let Some(Err(detail)) = opts.state_check.map(|c| c(&step.session)) {
                                out.violation = fail(Violation { invariant: Invariant::SerdeRoundTrip, detail });
                                return out;
                            }
                        }
                        if let Err(detail) = encode(&step.session, settings, parent, &mut out.encoded) {
                            out.violation = fail(Violation { invariant: Invariant::SerdeRoundTrip, detail });
                            return out;
                        }
                        // Its position: the candidate is pushed next.
                        seen.insert(&fp, out.candidates.len() as u32, |p| &out.candidates[p as usize].fp);
                    }
                    let (end, idle) = (out.encoded.len() as u32, step.session.is_idle());
                    out.candidates.push(Candidate { fp, end, parent: at, input: k, idle });
                }
            }
        }
        (*stream, *bytes) = fingerprints.into_buffers();
        let mine = &mut out.known[known_from..];
        mine.sort_unstable();
        let mut kept = 0;
        for r in 0..mine.len() {
            if r == 0 || mine[r] != mine[kept - 1] {
                mine[kept] = mine[r];
                kept += 1;
            }
        }
        out.known.truncate(known_from + kept);
        out.known_ends.push(out.known.len() as u32);
        out.new_ends.push(out.candidates.len() as u32);
    }
    out
}

/// Expands the whole `frontier` batch on one thread per alphabet copy and hands each
/// chunk's result to `merge` on this thread, in chunk order, as soon as it and every
/// earlier chunk are done: the merge of a level runs beside the expansion of its later
/// chunks. `merge` returns `true` to stop (a violation); every chunk before the one that
/// stopped is merged.
fn expand_all(
    frontier: &Frontier,
    first: u32,
    alphabets: &[Alphabet],
    opts: &Options,
    store: &Settled,
    settings: &Settings,
    mut merge: impl FnMut(ChunkOut) -> bool,
) {
    let chunks = frontier.len().div_ceil(CHUNK);
    let range = |c: usize| c * CHUNK..frontier.len().min((c + 1) * CHUNK);
    let ctx = |alphabet| Ctx { alphabet, opts, store, settings };
    if alphabets.len() <= 1 || chunks <= 1 {
        for c in 0..chunks {
            if merge(expand(frontier, range(c), first + (c * CHUNK) as u32, ctx(&alphabets[0]))) {
                return;
            }
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    // One chunk for whichever thread asks next (chunks go out in order, so every chunk
    // before a violating one was taken before it and completes).
    let take = || {
        let c = next.fetch_add(1, Ordering::Relaxed);
        (c < chunks && !failed.load(Ordering::Relaxed)).then_some(c)
    };
    let work = |c: usize, alphabet| {
        let out = expand(frontier, range(c), first + (c * CHUNK) as u32, ctx(alphabet));
        if out.violation.is_some() || out.too_many_inputs {
            failed.store(true, Ordering::Relaxed);
        }
        out
    };
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, ChunkOut)>();
        for alphabet in &alphabets[1..] {
            let tx = tx.clone();
            scope.spawn(move || {
                while let Some(c) = take() {
                    if tx.send((c, work(c, alphabet))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // This thread is a worker too: it merges every chunk that is due and otherwise
        // expands the next one, so the threads asked for are the threads busy.
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut mine_left = true;
        while due < chunks {
            while let Ok((c, out)) = rx.try_recv() {
                waiting.insert(c, out);
            }
            if let Some(out) = waiting.remove(&due) {
                due += 1;
                if merge(out) {
                    failed.store(true, Ordering::Relaxed);
                    return;
                }
                continue;
            }
            if mine_left {
                if let Some(c) = take() {
                    waiting.insert(c, work(c, &alphabets[0]));
                    continue;
                }
                mine_left = false;
            }
            match rx.recv() {
                Ok((c, out)) => {
                    waiting.insert(c, out);
                }
                // Every worker has stopped and the due chunk never came: a violation
                // stopped the hand-out after it (the violating chunk was merged above).
                Err(_) => return,
            }
        }
    });
}

/// Replays a chain of input indices from an initial session: the inputs and the final
/// state (the path is exact because exploration is deterministic).
fn replay(initial: &Session, chain: &[u16], alphabet: &Alphabet, f: StepFn) -> (Vec<Input>, Session) {
    let mut s = initial.clone();
    let mut inputs = Vec::with_capacity(chain.len());
    for &k in chain {
        let input = alphabet.inputs(&s).swap_remove(k as usize);
        if let Ok(mut next) = f(&s, input.clone()) {
            canonical_ids(&mut next.session);
            s = next.session;
        }
        inputs.push(input);
    }
    (inputs, s)
}

struct Run<'a> {
    roots: Vec<&'a Session>,
    alphabet: &'a Alphabet,
    opts: &'a Options,
    visited: Visited,
    store: Store,
    report: Report,
}

/// Merges one chunk's result: new states are numbered in order and queued in `next`.
fn merge(
    report: &mut Report,
    opts: &Options,
    fresh: &mut Fresh,
    store: &mut Store,
    out: ChunkOut,
    next: &mut Vec<Frontier>,
) {
    report.edges += out.edges;
    report.rejected += out.rejected;
    report.pruned += out.pruned;
    for (t, n) in out.coverage.hits {
        *report.coverage.hits.entry(t).or_default() += n;
    }
    let (mut known, mut new, mut start) = (0, 0, 0);
    for (&known_end, &new_end) in out.known_ends.iter().zip(&out.new_ends) {
        let from = store.succ.len();
        store.succ.extend_from_slice(&out.known[known..known_end as usize]);
        known = known_end as usize;
        // A candidate is in no level up to this one (the worker looked); an earlier merge
        // of this level may have stored it, so it may repeat a known successor or another
        // candidate.
        for c in &out.candidates[new..new_end as usize] {
            let n = match fresh.find(&c.fp) {
                Some(n) => Some(n),
                None if store.len() >= opts.bounds.state_limit().0 => {
                    report.halt(opts.bounds.state_limit().1);
                    None
                }
                None => {
                    let batch = match next.last_mut().filter(|b| b.len() < BATCH) {
                        Some(batch) => batch,
                        None => {
                            next.push(Frontier::default());
                            next.last_mut().expect("just pushed")
                        }
                    };
                    batch.push(&out.encoded[start..c.end as usize]);
                    Some(store.insert(fresh, c.fp, c.parent, c.input, c.idle))
                }
            };
            start = c.end as usize;
            if let Some(n) = n.filter(|n| !store.succ[from..].contains(n)) {
                store.succ.push(n);
            }
        }
        new = new_end as usize;
        store.degree.push((store.succ.len() - from) as u16);
    }
}

impl Run<'_> {
    /// The path to state `at`: (position of its initial session, inputs, the state).
    fn path(&self, at: u32) -> (usize, Vec<Input>, Session) {
        let (root, chain) = self.store.chain(at);
        let (inputs, s) = replay(self.roots[root], &chain, self.alphabet, self.opts.step);
        (root, inputs, s)
    }

    fn fail(&mut self, at: u32, k: u16, violation: Violation) {
        let (root, mut inputs, s) = self.path(at);
        if k != u16::MAX {
            inputs.push(self.alphabet.inputs(&s).swap_remove(k as usize));
        }
        self.report.violation = Some(Counterexample { violation, initial: self.roots[root].clone(), inputs });
    }
}

/// Explores from `initial` with `alphabet`.
pub fn explore(initial: &[Session], alphabet: &Alphabet, opts: &Options) -> Report {
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let alphabets: Vec<Alphabet> = (0..threads).map(|_| alphabet.private_copy()).collect();
    let mut run = Run {
        roots: Vec::new(),
        alphabet,
        opts,
        visited: Visited::default(),
        store: Store::default(),
        report: Report::default(),
    };
    if initial.len() > MAX_INPUTS {
        run.report.halt(Stop::InitialSessions(initial.len()));
        return run.report;
    }
    let mut level = vec![Frontier::default()];
    let (mut buf, mut encoded) = (Vec::new(), Vec::new());
    let mut settings = Settings::default();
    run.store.levels.push(0);
    for (position, s) in initial.iter().enumerate() {
        let fp = fingerprint(s, &mut buf);
        if run.visited.find(&fp).is_some() {
            continue;
        }
        let checked = invariants::check_state(s).and_then(|()| {
            encoded.clear();
            let parent = Parent { config: &s.config, position: settings.add(&s.config) };
            encode(s, &settings, parent, &mut encoded)
                .map_err(|detail| Violation { invariant: Invariant::SerdeRoundTrip, detail })
        });
        if let Err(violation) = checked {
            run.report.violation = Some(Counterexample { violation, initial: s.clone(), inputs: Vec::new() });
            return run.report;
        }
        run.store.insert(&mut run.visited.fresh, fp, ROOT, position as u16, s.is_idle());
        run.roots.resize(position + 1, s);
        run.roots[position] = s;
        level[0].push(&encoded);
    }
    run.store.levels.push(run.store.len() as u32);
    run.visited.settle();
    let mut depth = 0;
    while level.iter().any(|b| b.len() > 0) {
        run.report.depth = depth;
        if opts.bounds.max_depth.is_some_and(|m| depth >= m) {
            run.report.halt(Stop::Depth(depth));
            break;
        }
        let mut first = run.store.levels[depth as usize];
        let mut next = Vec::new();
        // Each batch is dropped once expanded: about one level is held at a time.
        for batch in std::mem::take(&mut level) {
            let (mut violation, mut too_many_inputs) = (None, false);
            let (Visited { settled, fresh }, store, report) = (&mut run.visited, &mut run.store, &mut run.report);
            expand_all(&batch, first, &alphabets, opts, settled, &settings, |out| {
                violation = out.violation.clone();
                too_many_inputs = out.too_many_inputs;
                merge(report, opts, fresh, store, out, &mut next);
                if too_many_inputs {
                    report.halt(Stop::Inputs);
                }
                violation.is_some() || too_many_inputs
            });
            if let Some((src, k, v)) = violation {
                run.fail(src, k, v);
                run.report.states = run.store.len();
                return run.report;
            }
            first += batch.len() as u32;
            if too_many_inputs {
                run.report.states = run.store.len();
                run.report.store_bytes = run.store.bytes(&run.visited);
                return run.report;
            }
            if let Some(Monitor(m)) = &opts.monitor {
                let progress = Progress {
                    states: run.store.len(),
                    edges: run.report.edges,
                    depth,
                    store_bytes: run.store.bytes(&run.visited),
                };
                if let Err(why) = m(&progress) {
                    run.report.halt(Stop::Monitor(why));
                    run.report.states = run.store.len();
                    run.report.store_bytes = run.store.bytes(&run.visited);
                    return run.report;
                }
            }
        }
        run.store.levels.push(run.store.len() as u32);
        run.visited.settle();
        level = next;
        depth += 1;
    }
    finish(run, initial)
}

/// Counts, leaf paths and liveness once the search is over.
fn finish(mut run: Run<'_>, initial: &[Session]) -> Report {
    let n = run.store.len();
    run.report.states = n;
    run.report.store_bytes = run.store.bytes(&run.visited);
    if run.opts.leaf_paths > 0 {
        let mut inner = vec![false; n];
        for &p in run.store.parent.iter().filter(|p| **p != ROOT) {
            inner[p as usize] = true;
        }
        let mut leaves: Vec<u32> = (0..n as u32).filter(|i| !inner[*i as usize]).collect();
        leaves.sort_by_key(|&i| std::cmp::Reverse(run.store.depth(i)));
        for leaf in leaves.into_iter().take(run.opts.leaf_paths) {
            let (root, inputs, _) = run.path(leaf);
            let first = initial.iter().position(|s| s == run.roots[root]).unwrap_or(0);
            run.report.leaf_paths.push((first, inputs));
        }
    }
    // Liveness on the finite graph: which states can still reach an idle one.
    if !run.report.truncated {
        let alive = run.store.can_reach_idle();
        run.report.stuck = alive.iter().filter(|a| !**a).count();
        run.report.stuck_example = alive.iter().position(|a| !*a).map(|i| run.path(i as u32).1);
    }
    run.report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state bound above what 32-bit state indices hold stops at the index limit, and
    /// says so rather than naming a bound that was never reached.
    #[test]
    fn the_state_bound_is_capped_by_the_state_index() {
        let limit = |max_states| Bounds { max_states, ..Bounds::default() }.state_limit();
        assert_eq!(limit(5000), (5000, Stop::States(5000)));
        assert_eq!(limit(MAX_STATES), (MAX_STATES, Stop::States(MAX_STATES)));
        assert_eq!(limit(MAX_STATES + 1), (MAX_STATES, Stop::StateIndex));
        assert_eq!(limit(usize::MAX), (MAX_STATES, Stop::StateIndex));
        assert!(Stop::StateIndex.to_string().contains("4294967294 states"));
    }
}
