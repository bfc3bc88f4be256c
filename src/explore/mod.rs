//! Exhaustive exploration of the reachable state space: breadth-first, level by level,
//! over a step function from a set of initial sessions and the whole input alphabet.
//! Every state and edge is checked against [`crate::invariants`] at the chosen
//! [`Level`]; the result is a [`Report`] with exact counts, coverage, liveness and the
//! shortest counterexample.
//!
//! States are stored as 128-bit fingerprints with a parent pointer (about 30 bytes a
//! state, see `store`), never in full: only the current level's states are held, and
//! a counterexample is rebuilt by replaying its inputs from the initial session. Each
//! level is expanded by [`Options::threads`] threads in chunks and merged in chunk order,
//! so the counts, the report and the counterexample do not depend on the thread count.
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
mod store;

pub use alphabet::{canonical_ids, initial_sessions, Alphabet};

use crate::effect::Step;
use crate::input::Input;
use crate::invariants::{self, Coverage, Invariant, Violation};
use crate::reject::Rejection;
use crate::session::Session;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use store::{fingerprint, Fingerprint, Store, ROOT};

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
    /// Stop after this many states (a safety net; the report says if it was hit).
    pub max_states: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { max_legs: 3, max_depth: None, max_states: 500_000_000 }
    }
}

/// How much is checked on every state and edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Every model invariant: [`invariants::check_state`] on every state reached and
    /// [`invariants::check_step`] on every accepted step; on every rejected input,
    /// `accepts` refuses it too ([`Invariant::RejectionIsPure`]); no panic on any input
    /// ([`Invariant::NeverPanics`]); liveness. Not run: the second `step` of each input
    /// ([`Invariant::Deterministic`]), the `Session::handle` replay of each rejected
    /// input (`handle` returns before assigning when `step` fails, and `step` takes
    /// `&Session`, so a rejection cannot change the state) and [`Options::state_check`]
    /// ([`Invariant::SerdeRoundTrip`] in the CLI).
    #[default]
    Standard,
    /// Everything in `Standard`, plus: each step is run twice and must give the same
    /// result ([`Invariant::Deterministic`]); every rejected input is checked by
    /// [`invariants::check_step`] (`accepts` refuses it too, `handle` leaves the session
    /// unchanged: [`Invariant::RejectionIsPure`]); [`Options::state_check`] runs on every
    /// new state (the CLI's serde round trip: [`Invariant::SerdeRoundTrip`]).
    Full,
}

impl Level {
    /// The checks of this level on one tried input (`result` is `step(before, input)`).
    pub fn check_step(
        self,
        f: StepFn,
        before: &Session,
        input: &Input,
        result: &Result<Step, Rejection>,
    ) -> Result<(), Violation> {
        if self == Level::Full && f(before, input.clone()) != *result {
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
            _ => invariants::check_step(before, input, result),
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
pub struct Monitor(pub Arc<dyn Fn(&Progress) -> Result<(), String> + Send + Sync>);

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

/// Why a search stopped before exhausting the space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// [`Bounds::max_depth`] was reached.
    Depth(u32),
    /// [`Bounds::max_states`] was reached.
    States(usize),
    /// The [`Monitor`] stopped it (e.g. a memory limit), with its reason.
    Monitor(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Depth(d) => write!(f, "the depth bound ({d}) was reached"),
            Stop::States(n) => write!(f, "the state limit ({n}) was reached"),
            Stop::Monitor(why) => f.write_str(why),
        }
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
    fn stop(&mut self, why: Stop) {
        self.truncated = true;
        self.stop.get_or_insert(why);
    }
}

/// A successor found by a worker: a state already stored, or a new candidate.
#[derive(Clone, Copy)]
enum Succ {
    Known(u32),
    New(u32),
}

/// A state not in the store when its chunk was expanded.
struct Candidate {
    fp: Fingerprint,
    session: Session,
    parent: u32,
    input: u16,
}

/// One worker's result for a chunk of consecutive sources.
#[derive(Default)]
struct ChunkOut {
    /// Successors of every source, back to back; `ends[i]` closes source `i`'s.
    succ: Vec<Succ>,
    ends: Vec<u32>,
    candidates: Vec<Candidate>,
    edges: usize,
    rejected: usize,
    pruned: usize,
    coverage: Coverage,
    /// The first violation in the chunk: (source index, input index, violation).
    violation: Option<(u32, u16, Violation)>,
}

/// Sources a worker takes at once, and states per batch between monitor calls.
const CHUNK: usize = 64;
const BATCH: usize = 1 << 15;

/// Expands `sources` (store indices from `first`) into one [`ChunkOut`].
fn expand(sources: &[Session], first: u32, alphabet: &Alphabet, opts: &Options, store: &Store) -> ChunkOut {
    let mut out = ChunkOut::default();
    let mut buf = Vec::with_capacity(512);
    for (i, before) in sources.iter().enumerate() {
        let at = first + i as u32;
        for (k, input) in alphabet.inputs(before).into_iter().enumerate() {
            let k = k as u16;
            let fail = |v: Violation| Some((at, k, v));
            let result = match catch_unwind(AssertUnwindSafe(|| (opts.step)(before, input.clone()))) {
                Ok(r) => r,
                Err(_) => {
                    let detail = format!("step panicked on `{input}`");
                    out.violation = fail(Violation { invariant: Invariant::NeverPanics, detail });
                    return out;
                }
            };
            if let Err(v) = opts.level.check_step(opts.step, before, &input, &result) {
                out.violation = fail(v);
                return out;
            }
            let Ok(mut step) = result else {
                out.rejected += 1;
                continue;
            };
            canonical_ids(&mut step.session);
            if step.session.next_leg > opts.bounds.max_legs + 1 {
                out.pruned += 1;
                continue;
            }
            out.coverage.observe(before, &input, &step);
            out.edges += 1;
            let fp = fingerprint(&step.session, &mut buf);
            match store.find(&fp) {
                Some(n) => out.succ.push(Succ::Known(n)),
                None => {
                    if opts.level == Level::Full {
                        if let Some(Err(detail)) = opts.state_check.map(|c| c(&step.session)) {
                            out.violation = fail(Violation { invariant: Invariant::SerdeRoundTrip, detail });
                            return out;
                        }
                    }
                    out.succ.push(Succ::New(out.candidates.len() as u32));
                    out.candidates.push(Candidate { fp, session: step.session, parent: at, input: k });
                }
            }
        }
        out.ends.push(out.succ.len() as u32);
    }
    out
}

/// Expands `sources` on `threads` threads; the chunks come back in order.
fn expand_all(
    sources: &[Session],
    first: u32,
    alphabet: &Alphabet,
    opts: &Options,
    store: &Store,
    threads: usize,
) -> Vec<ChunkOut> {
    let chunks = sources.len().div_ceil(CHUNK);
    if threads <= 1 || chunks <= 1 {
        return sources
            .chunks(CHUNK)
            .enumerate()
            .map(|(c, part)| expand(part, first + (c * CHUNK) as u32, alphabet, opts, store))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut done: Vec<(usize, ChunkOut)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        let Some(part) = sources.chunks(CHUNK).nth(c) else { break };
                        let out = expand(part, first + (c * CHUNK) as u32, alphabet, opts, store);
                        if out.violation.is_some() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        mine.push((c, out));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    done.sort_by_key(|(c, _)| *c);
    // After a violation, later chunks may be missing: keep the prefix up to the first
    // violating chunk, which every earlier chunk completed.
    let mut ordered = Vec::with_capacity(done.len());
    for (expected, (c, out)) in done.into_iter().enumerate() {
        if c != expected {
            break;
        }
        let stop = out.violation.is_some();
        ordered.push(out);
        if stop {
            break;
        }
    }
    ordered
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
    store: Store,
    report: Report,
}

impl Run<'_> {
    /// The path to state `at`: (position of its initial session, inputs).
    fn path(&self, at: u32) -> (usize, Vec<Input>, Session) {
        let (root, chain) = self.store.chain(at);
        let (inputs, s) = replay(self.roots[root], &chain, self.alphabet, self.opts.step);
        (root, inputs, s)
    }

    /// Merges one chunk's result: new states are numbered in order and queued.
    fn merge(&mut self, out: ChunkOut, next: &mut Vec<Session>, first: u32) {
        let r = &mut self.report;
        r.edges += out.edges;
        r.rejected += out.rejected;
        r.pruned += out.pruned;
        for (t, n) in out.coverage.hits {
            *r.coverage.hits.entry(t).or_default() += n;
        }
        let mut candidates: Vec<Option<Candidate>> = out.candidates.into_iter().map(Some).collect();
        let mut begin = 0;
        for (i, &end) in out.ends.iter().enumerate() {
            let at = first + i as u32;
            let from = self.store.succ.len();
            for s in &out.succ[begin..end as usize] {
                let target = match *s {
                    Succ::Known(n) => Some(n),
                    Succ::New(c) => {
                        let fp = candidates[c as usize].as_ref().map(|c| c.fp).unwrap_or_default();
                        match self.store.find(&fp) {
                            Some(n) => Some(n),
                            None if self.store.len() >= self.opts.bounds.max_states => {
                                self.report.stop(Stop::States(self.opts.bounds.max_states));
                                None
                            }
                            None => candidates[c as usize].take().map(|c| {
                                let n = self.store.insert(c.fp, c.parent, c.input, c.session.is_idle());
                                next.push(c.session);
                                n
                            }),
                        }
                    }
                };
                if let Some(n) = target.filter(|&n| n != at) {
                    self.store.succ.push(n);
                }
            }
            let mine = &mut self.store.succ[from..];
            mine.sort_unstable();
            let kept = {
                let mut w = 0;
                for r in 0..mine.len() {
                    if r == 0 || mine[r] != mine[w - 1] {
                        mine[w] = mine[r];
                        w += 1;
                    }
                }
                w
            };
            self.store.succ.truncate(from + kept);
            self.store.succ_start.push(self.store.succ.len() as u64);
            begin = end as usize;
        }
    }

    fn fail(&mut self, at: u32, k: u16, violation: Violation) {
        let (root, mut inputs, s) = self.path(at);
        inputs.push(self.alphabet.inputs(&s).swap_remove(k as usize));
        self.report.violation = Some(Counterexample { violation, initial: self.roots[root].clone(), inputs });
    }
}

/// Explores from `initial` with `alphabet`.
pub fn explore(initial: &[Session], alphabet: &Alphabet, opts: &Options) -> Report {
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let mut run = Run { roots: Vec::new(), alphabet, opts, store: Store::default(), report: Report::default() };
    let mut level: Vec<Session> = Vec::new();
    let mut buf = Vec::new();
    run.store.levels.push(0);
    for (position, s) in initial.iter().enumerate() {
        let fp = fingerprint(s, &mut buf);
        if run.store.find(&fp).is_some() {
            continue;
        }
        if let Err(violation) = invariants::check_state(s) {
            run.report.violation = Some(Counterexample { violation, initial: s.clone(), inputs: Vec::new() });
            return run.report;
        }
        run.store.insert(fp, ROOT, position as u16, s.is_idle());
        run.roots.resize(position + 1, s);
        run.roots[position] = s;
        level.push(s.clone());
    }
    run.store.levels.push(run.store.len() as u32);
    run.store.succ_start.push(0);
    let mut depth = 0;
    while !level.is_empty() {
        run.report.depth = depth;
        if opts.bounds.max_depth.is_some_and(|m| depth >= m) {
            run.report.stop(Stop::Depth(depth));
            break;
        }
        let mut first = run.store.levels[depth as usize];
        let mut next = Vec::new();
        for batch in level.chunks(BATCH) {
            let outs = expand_all(batch, first, alphabet, opts, &run.store, threads);
            let mut at = first;
            for out in outs {
                let sources = out.ends.len() as u32;
                if let Some((src, k, v)) = out.violation.clone() {
                    run.merge(out, &mut next, at);
                    run.fail(src, k, v);
                    run.report.states = run.store.len();
                    return run.report;
                }
                run.merge(out, &mut next, at);
                at += sources;
            }
            first += batch.len() as u32;
            if let Some(Monitor(m)) = &opts.monitor {
                let progress = Progress {
                    states: run.store.len(),
                    edges: run.report.edges,
                    depth,
                    store_bytes: run.store.bytes(),
                };
                if let Err(why) = m(&progress) {
                    run.report.stop(Stop::Monitor(why));
                    run.report.states = run.store.len();
                    run.report.store_bytes = run.store.bytes();
                    return run.report;
                }
            }
        }
        run.store.levels.push(run.store.len() as u32);
        level = next;
        depth += 1;
    }
    finish(run, initial)
}

/// Counts, leaf paths and liveness once the search is over.
fn finish(mut run: Run<'_>, initial: &[Session]) -> Report {
    let n = run.store.len();
    run.report.states = n;
    run.report.store_bytes = run.store.bytes();
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
