//! `vicixfer explore`: the exhaustive exploration, with timing, a progress line on
//! standard error and limits that stop it cleanly.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use vicixfer::explore::{explore, initial_sessions, Alphabet, Bounds, Level, Monitor, Options, Progress, Stop};
use vicixfer::{step, Session};

/// Exit status when a bound or limit stopped the search before the space was exhausted
/// (1 is a violation, 2 a usage or I/O error).
pub const EXIT_LIMIT: u8 = 3;

/// The check level on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CheckLevel {
    /// Every model invariant on every state and accepted step, no panic, liveness; only
    /// the inputs `accepts` allows are stepped (step rejects exactly the others)
    Standard,
    /// Standard plus `step` on every refused input, determinism (each step run twice),
    /// rejection purity (every rejected input replayed through `handle`) and a serde JSON
    /// round trip of every new state
    Full,
}

/// The arguments of `vicixfer explore`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 every invariant holds on the exhausted space; 1 a violation, a stuck state \
or a coverage target missed; 2 a usage or I/O error; 3 a bound (--max-depth, --max-states, --max-memory) stopped \
the search first (no violation in what was explored; liveness not computed).")]
pub struct Args {
    /// Prune successors that allocated more than this many legs.
    #[arg(long, default_value_t = 2)]
    max_legs: u32,
    /// Stop at this depth.
    #[arg(long)]
    max_depth: Option<u32>,
    /// The full alphabet (duplicate ids, unknown values, every target variant)
    /// instead of the standard one.
    #[arg(long)]
    full: bool,
    /// Racing mode: api.php writes in every state (default: only when the slots are
    /// empty, a CRM that waits for each command to run).
    #[arg(long)]
    racing: bool,
    /// Write the shortest paths to the deepest states (as `drive` scripts with a
    /// `config N` first line) into this directory: the fuzz seed corpus.
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// How many seed paths to write (deepest leaves of the search tree first; every
    /// state lies on the path to some leaf, so a count of at least the number of
    /// leaves covers every reachable state).
    #[arg(long, default_value_t = 4000)]
    seed_count: usize,
    /// Stop after this many unique states (the store needs about 60 bytes each).
    #[arg(long, default_value_t = 200_000_000)]
    max_states: usize,
    /// Stop when the process's resident memory passes this many MiB.
    #[arg(long, default_value_t = 12 * 1024)]
    max_memory: u64,
    /// What is checked on every state and edge.
    #[arg(long, value_enum, default_value = "standard")]
    check: CheckLevel,
    /// Worker threads (0: one per core). The result does not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

/// A serde (JSON) round trip of a session must give it back unchanged.
pub fn serde_round_trip(s: &Session) -> Result<(), String> {
    let text = serde_json::to_string(s).map_err(|e| e.to_string())?;
    let back: Session = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if back == *s {
        Ok(())
    } else {
        Err(format!("round trip changed the session: {text}"))
    }
}

/// The process's resident set in bytes (Linux `/proc/self/statm`; `None` elsewhere).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// `explore: N states, E edges, depth D, R states/s, M MiB resident`.
fn progress_line(label: &str, states: usize, edges: usize, depth: u32, started: Instant, rss: u64) -> String {
    let rate = states as f64 / started.elapsed().as_secs_f64().max(1e-9);
    format!("{label}{states} states, {edges} edges, depth {depth}, {rate:.0} states/s, {} MiB resident", rss >> 20)
}

/// The progress line (at most once a second, on standard error) and the memory limit.
fn monitor(max_memory: u64, quiet: bool) -> Monitor {
    let started = Instant::now();
    let last = std::sync::Mutex::new(started);
    let limit = max_memory.saturating_mul(1 << 20);
    Monitor(Arc::new(move |p: &Progress| {
        let rss = resident_bytes().unwrap_or(0);
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if !quiet && last.elapsed() >= Duration::from_secs(1) {
            *last = Instant::now();
            super::output::diag(progress_line("explore: ", p.states, p.edges, p.depth, started, rss));
        }
        if rss > limit {
            return Err(format!("the memory limit (--max-memory {max_memory} MiB) was reached at {} MiB", rss >> 20));
        }
        Ok(())
    }))
}

/// Runs `vicixfer explore`.
/// `quiet` (the global `--quiet`): no progress line on standard error.
pub fn run(args: Args, quiet: bool) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let alphabet = if args.full { Alphabet::full() } else { Alphabet::standard() };
    let alphabet = if args.racing { alphabet } else { alphabet.sequential() };
    let bounds = Bounds { max_legs: args.max_legs, max_depth: args.max_depth, max_states: args.max_states };
    let leaf_paths = if args.seeds.is_some() { args.seed_count } else { 0 };
    let level = match args.check {
        CheckLevel::Standard => Level::Standard,
        CheckLevel::Full => Level::Full,
    };
    let opts = Options {
        bounds,
        level,
        state_check: Some(serde_round_trip),
        leaf_paths,
        threads: args.threads,
        monitor: Some(monitor(args.max_memory, quiet)),
        ..Options::new(step)
    };
    let initial = initial_sessions();
    let started = Instant::now();
    let report = explore(&initial, &alphabet, &opts);
    let secs = started.elapsed().as_secs_f64();
    let rss = resident_bytes().unwrap_or(0);
    if !quiet {
        super::output::diag(progress_line("explore: done: ", report.states, report.edges, report.depth, started, rss));
    }
    // Every line checked: a closed pipe (`vicixfer explore | head -1`) ends quietly.
    let mut out = std::io::stdout().lock();
    writeln!(out, "initial sessions   {}", initial.len())?;
    writeln!(out, "alphabet           {} fixed inputs + per-leg events", alphabet.fixed.len())?;
    writeln!(out, "check level        {:?}", args.check)?;
    writeln!(out, "unique states      {}", report.states)?;
    writeln!(out, "edges (accepted)   {}", report.edges)?;
    writeln!(out, "rejected inputs    {}", report.rejected)?;
    writeln!(out, "pruned (max legs)  {}", report.pruned)?;
    writeln!(out, "depth              {}", report.depth)?;
    writeln!(out, "truncated          {}", report.truncated)?;
    writeln!(out, "time               {secs:.2} s ({:.0} states/s)", report.states as f64 / secs.max(1e-9))?;
    writeln!(
        out,
        "memory             {} MiB resident, store {:.1} bytes/state",
        rss >> 20,
        report.store_bytes as f64 / report.states.max(1) as f64
    )?;
    writeln!(out, "stuck states       {}", report.stuck)?;
    let missing: Vec<_> = report.coverage.missing().into_iter().filter(|t| alphabet.targets().contains(t)).collect();
    writeln!(
        out,
        "coverage           {} of {} targets hit, missing: {missing:?}",
        report.coverage.hits.len(),
        alphabet.targets().len()
    )?;
    if let Some(path) = &report.stuck_example {
        writeln!(out, "a stuck state is reached by:")?;
        for i in path {
            writeln!(out, "  {i}")?;
        }
    }
    if let Some(dir) = &args.seeds {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (i, (config, inputs)) in report.leaf_paths.iter().enumerate() {
            let mut text = format!("config {config}\n");
            for input in inputs {
                text.push_str(&input.to_string());
                text.push('\n');
            }
            let path = dir.join(format!("path-{i:05}"));
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        writeln!(out, "seeds              {} shortest paths written to {}", report.leaf_paths.len(), dir.display())?;
    }
    match (&report.violation, &report.stop) {
        (Some(c), _) => {
            writeln!(out, "VIOLATION {}", c.violation)?;
            writeln!(out, "shortest trace (vicixfer drive script):\n{}", c.script())?;
            out.flush()?;
            Ok(ExitCode::from(1))
        }
        (None, Some(stop)) => {
            writeln!(
                out,
                "no violation in the {} states explored, but the search was cut short by a bound",
                report.states
            )?;
            let hint = match stop {
                Stop::Depth(_) => "drop --max-depth",
                Stop::States(_) => "raise --max-states",
                Stop::Monitor(_) => "raise --max-memory or lower --max-legs",
                Stop::StateIndex => "lower --max-legs or explore fewer settings",
                _ => "give fewer inputs or fewer initial sessions",
            };
            out.flush()?;
            super::output::diag(format!(
                "explore: stopped: {stop}; {hint} to exhaust the space (liveness is not computed)"
            ));
            Ok(ExitCode::from(EXIT_LIMIT))
        }
        (None, None) if report.stuck > 0 || !missing.is_empty() => Ok(ExitCode::from(1)),
        (None, None) => {
            let all = vicixfer::invariants::Invariant::ALL;
            match level {
                Level::Full => writeln!(out, "all {} invariants hold on every reachable state and edge", all.len()),
                Level::Standard => writeln!(
                    out,
                    "{} of the {} invariants hold on every reachable state and edge \
                     (not run at this level: determinism and the serde round trip, see --check full)",
                    all.len() - 2,
                    all.len()
                ),
            }?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
