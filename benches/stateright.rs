//! Side by side: stateright 0.31 and `vicixfer::explore` on the same model, alphabet,
//! initial states, bounds and checks. Each engine runs in a child process of this binary
//! (so that peak memory is its own); the parent asserts equal state and edge counts and
//! prints the ratios of unique states per second and of bytes per state.
//!
//! `cargo bench --bench stateright`: the two-leg configuration (628,347 states), 1 and 2
//! threads, about half a minute. `VICIXFER_BENCH_CONFIGS="two-leg campaigns"` adds the
//! default space of `vicixfer explore` (38,530,963 states: about 12 minutes and 11 GB for
//! stateright on one thread); `VICIXFER_BENCH_THREADS=1` runs one thread count only. The
//! ratio of each thread count is printed as soon as both engines have run it.
//! docs/performance.md quotes the output.
//!
//! The stateright model: `State = Session`, `Action = Input`, `actions` = the inputs of the
//! explorer's alphabet in that state that `Session::accepts` allows, tried by reference and
//! copied only when allowed (as the explorer's
//! standard level, which steps only those), `next_state` = `step` followed by the same
//! per-edge checks as the explorer's standard level (`invariants::check_transition`, and
//! `invariants::check_state` on a successor the leg bound prunes; a violation is counted
//! and asserted to be zero), the same id canonicalisation and leg bound, and an `always`
//! property running `invariants::check_state` on every state (the explorer's standard
//! level checks each state once, too). The explorer does more on
//! top (panics caught, coverage, liveness); stateright does neither.
//!
//! On two-leg a third child, `floor`, times the model's own work alone on one thread: the
//! states are first collected (untimed), then each is put through exactly the work both
//! engines do for it (its `check_state`, `accepts` on each input of the alphabet, and
//! `step`, `check_transition`, the renaming and the leg bound on each input allowed), with
//! no visited set, hashing or queue. No engine can take less time than that, so
//! stateright's time over the floor's is the most any engine could be faster than
//! stateright on this model (at two threads, against half the floor's time).

use stateright::{Checker, Model, Property};
use std::cell::{Cell, RefCell};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use vicixfer::explore::{canonical_ids, explore, initial_sessions, Alphabet, Bounds, Level, Options};
use vicixfer::{invariants, step, step_into, Input, Session, Step};

/// The explored model as stateright sees it.
struct Xfer {
    initial: Vec<Session>,
    alphabet: Alphabet,
    max_legs: u32,
    violations: AtomicUsize,
}

/// Edges counted per thread (one shared counter would put an atomic write on a line the
/// other core holds on every edge), added to [`ALL_EDGES`] when the thread ends.
struct Edges(Cell<usize>);

impl Drop for Edges {
    fn drop(&mut self) {
        ALL_EDGES.fetch_add(self.0.get(), Ordering::Relaxed);
    }
}

thread_local! {
    static EDGES: Edges = const { Edges(Cell::new(0)) };
    /// Each thread's buffer for a state's events ([`Alphabet::each`]).
    static EVENTS: RefCell<Vec<Input>> = const { RefCell::new(Vec::new()) };
}

static ALL_EDGES: AtomicUsize = AtomicUsize::new(0);

impl Model for Xfer {
    type State = Session;
    type Action = Input;

    fn init_states(&self) -> Vec<Session> {
        self.initial.clone()
    }

    fn actions(&self, state: &Session, actions: &mut Vec<Input>) {
        // The explorer's standard level: an input `accepts` refuses is not stepped (nor
        // copied: the inputs are tried by reference, as the explorer and the floor do).
        EVENTS.with_borrow_mut(|events| {
            actions.extend(self.alphabet.each(state, events).filter(|i| state.accepts(i).is_ok()).cloned())
        });
    }

    fn next_state(&self, state: &Session, input: Input) -> Option<Session> {
        // The explorer's standard level on an edge: every transition property (the input
        // was one `accepts` allows, so a rejection is a violation too).
        let result = step(state, input.clone());
        let checked = match &result {
            Ok(next) => invariants::check_transition(state, &input, next).is_ok(),
            Err(_) => false,
        };
        if !checked {
            self.violations.fetch_add(1, Ordering::Relaxed);
        }
        let mut next = result.ok()?.session;
        canonical_ids(&mut next);
        if next.next_leg > u64::from(self.max_legs) + 1 {
            // Never stored, so its state invariants are checked here (as the explorer does).
            if invariants::check_state(&next).is_err() {
                self.violations.fetch_add(1, Ordering::Relaxed);
            }
            return None;
        }
        EDGES.with(|n| n.0.set(n.0.get() + 1));
        Some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        // The state invariants, once on every state stored (as the explorer's standard level).
        vec![Property::always("every state invariant", |_, s: &Session| invariants::check_state(s).is_ok())]
    }
}

/// A configuration: its initial sessions, alphabet and leg bound.
fn config(name: &str) -> (Vec<Session>, Alphabet, u32) {
    match name {
        "two-leg" => (vec![Session::default()], Alphabet::standard().sequential(), 2),
        "campaigns" => (initial_sessions(), Alphabet::standard().sequential(), 2),
        other => panic!("unknown configuration {other}"),
    }
}

/// Peak and current resident memory of this process, in bytes (`/proc/self/status`).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The successors of `s` as both engines see them: the inputs `accepts` allows, stepped,
/// renamed and within the leg bound.
fn successors(s: &Session, alphabet: &Alphabet, max_legs: u32) -> Vec<Session> {
    let within = |n: &Session| n.next_leg <= u64::from(max_legs) + 1;
    let stepped = alphabet.inputs(s).into_iter().filter_map(|i| step(s, i).ok()).map(|next| next.session);
    stepped
        .map(|mut n| {
            canonical_ids(&mut n);
            n
        })
        .filter(within)
        .collect()
}

/// Every state reachable from `initial` (a plain breadth-first search, untimed).
fn every_state(initial: &[Session], alphabet: &Alphabet, max_legs: u32) -> Vec<Session> {
    let mut seen: std::collections::HashSet<Session> = initial.iter().cloned().collect();
    let mut states: Vec<Session> = Vec::new();
    for s in initial {
        if !states.contains(s) {
            states.push(s.clone());
        }
    }
    let mut next = 0;
    while next < states.len() {
        for n in successors(&states[next], alphabet, max_legs) {
            if seen.insert(n.clone()) {
                states.push(n);
            }
        }
        next += 1;
    }
    states
}

/// The model's own work on every state of `states`, as both engines do it (see the
/// module's comment): `(edges, violations)`.
fn model_work(states: &[Session], alphabet: &Alphabet, max_legs: u32) -> (usize, usize) {
    let (mut edges, mut violations) = (0, 0);
    let (mut events, mut next) = (Vec::new(), Step::default());
    for s in states {
        violations += usize::from(invariants::check_state(s).is_err());
        for input in alphabet.each(s, &mut events) {
            if s.accepts(input).is_err() {
                continue;
            }
            let stepped = step_into(s, input.clone(), &mut next).is_ok();
            violations += usize::from(!stepped || invariants::check_transition(s, input, &next).is_err());
            canonical_ids(&mut next.session);
            if next.session.next_leg > u64::from(max_legs) + 1 {
                violations += usize::from(invariants::check_state(&next.session).is_err());
            } else {
                edges += 1;
            }
        }
    }
    (edges, violations)
}

/// Runs one engine in this process and prints `RESULT states edges seconds bytes`.
fn child(engine: &str, name: &str, threads: usize) {
    let (initial, alphabet, max_legs) = config(name);
    if engine == "floor" {
        let states = every_state(&initial, &alphabet, max_legs);
        let started = Instant::now();
        let (edges, violations) = model_work(std::hint::black_box(&states), &alphabet, max_legs);
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(violations, 0, "an invariant failed");
        println!("RESULT {} {edges} {secs} 0", states.len());
        return;
    }
    let (_, baseline) = memory();
    let started = Instant::now();
    let (states, edges) = match engine {
        "stateright" => {
            let model = Xfer { initial, alphabet, max_legs, violations: AtomicUsize::new(0) };
            let checker = model.checker().threads(threads).spawn_bfs().join();
            checker.assert_properties();
            let model = checker.model();
            assert_eq!(model.violations.load(Ordering::Relaxed), 0, "an edge invariant failed");
            // The workers have ended (their counts are in); this thread may have worked too.
            let edges = ALL_EDGES.load(Ordering::Relaxed) + EDGES.with(|n| n.0.get());
            (checker.unique_state_count(), edges)
        }
        _ => {
            let opts = Options {
                bounds: Bounds { max_legs, ..Bounds::default() },
                level: Level::Standard,
                threads,
                ..Options::new(step)
            };
            let r = explore(&initial, &alphabet, &opts);
            assert!(r.violation.is_none() && !r.truncated && r.stuck == 0);
            (r.states, r.edges)
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let (peak, _) = memory();
    println!("RESULT {states} {edges} {secs} {}", peak.saturating_sub(baseline));
}

struct Run {
    states: usize,
    edges: usize,
    secs: f64,
    bytes: u64,
}

impl Run {
    fn rate(&self) -> f64 {
        self.states as f64 / self.secs
    }
    fn per_state(&self) -> f64 {
        self.bytes as f64 / self.states as f64
    }
}

fn spawn(engine: &str, name: &str, threads: usize) -> Run {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .env("VICIXFER_BENCH_CHILD", format!("{engine} {name} {threads}"))
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{engine} {name} failed: {text}\n{}", String::from_utf8_lossy(&out.stderr));
    let line = text.lines().find_map(|l| l.strip_prefix("RESULT ")).expect("a RESULT line");
    let f: Vec<&str> = line.split_whitespace().collect();
    Run {
        states: f[0].parse().expect("states"),
        edges: f[1].parse().expect("edges"),
        secs: f[2].parse().expect("seconds"),
        bytes: f[3].parse().expect("bytes"),
    }
}

fn main() {
    if let Ok(spec) = std::env::var("VICIXFER_BENCH_CHILD") {
        let f: Vec<&str> = spec.split_whitespace().collect();
        child(f[0], f[1], f[2].parse().expect("threads"));
        return;
    }
    let configs = std::env::var("VICIXFER_BENCH_CONFIGS").unwrap_or_else(|_| "two-leg".into());
    let thread_counts: Vec<usize> = std::env::var("VICIXFER_BENCH_THREADS")
        .unwrap_or_else(|_| "1 2".into())
        .split_whitespace()
        .map(|t| t.parse().expect("VICIXFER_BENCH_THREADS: thread counts"))
        .collect();
    for name in configs.split_whitespace() {
        let mut runs: Vec<((&str, usize), Run)> = Vec::new();
        for &threads in &thread_counts {
            for engine in ["stateright", "vicixfer"] {
                let r = spawn(engine, name, threads);
                println!(
                    "{name:<10} {engine:<10} {threads} thread(s): {} states, {} edges, {:.2} s, {:.0} states/s, {:.0} bytes/state",
                    r.states,
                    r.edges,
                    r.secs,
                    r.rate(),
                    r.per_state()
                );
                if let Some((_, first)) = runs.first() {
                    assert_eq!((r.states, r.edges), (first.states, first.edges), "{name}: the engines disagree");
                }
                runs.push(((engine, threads), r));
            }
            let get = |engine: &str| &runs.iter().find(|(k, _)| *k == (engine, threads)).expect("run").1;
            let (s, v) = (get("stateright"), get("vicixfer"));
            println!(
                "{name:<10} ratio at {threads} thread(s): states/s vicixfer/stateright {:.2}x; \
                 bytes/state vicixfer {:.0} vs stateright {:.0} ({:.2}x less)",
                v.rate() / s.rate(),
                v.per_state(),
                s.per_state(),
                s.per_state() / v.per_state()
            );
        }
        let get = |engine: &str, threads: usize| runs.iter().find(|(k, _)| *k == (engine, threads)).map(|(_, r)| r);
        // The floor holds every state as a session at once: two-leg only.
        if let (Some(s1), true) = (get("stateright", 1), name == "two-leg") {
            let f = spawn("floor", name, 1);
            assert_eq!((f.states, f.edges), (s1.states, s1.edges), "{name}: the floor disagrees");
            println!(
                "{name:<10} floor: the model's own work alone {:.2} s at 1 thread; stateright / floor {:.2}x \
                 (the most any engine could be faster than stateright on this model), vicixfer / floor {:.2}x",
                f.secs,
                s1.secs / f.secs,
                get("vicixfer", 1).map_or(f64::NAN, |v| v.secs / f.secs)
            );
            if let Some(s2) = get("stateright", 2) {
                // Two threads cannot do the model's work in less than half the floor's time.
                println!(
                    "{name:<10} floor at 2 threads (half the floor's time, perfect scaling): stateright / floor {:.2}x",
                    s2.secs / (f.secs / 2.0)
                );
            }
        }
        if let (Some(s1), Some(s2), Some(v1), Some(v2)) =
            (get("stateright", 1), get("stateright", 2), get("vicixfer", 1), get("vicixfer", 2))
        {
            let best = if s1.rate() > s2.rate() { s1 } else { s2 };
            println!(
                "{name:<10} ratio: best vs best {:.2}x; 2 threads / 1 thread: vicixfer {:.2}x, stateright {:.2}x",
                v1.rate().max(v2.rate()) / best.rate(),
                v2.rate() / v1.rate(),
                s2.rate() / s1.rate()
            );
        }
    }
}
