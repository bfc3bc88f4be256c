//! One simulation split into shards run on several threads, merged into one report.
//!
//! `vicixfer simulate --jobs N` plays N independent worlds of the same scenario at once,
//! each with its own seed and share of the calls, and adds their reports up. The split
//! is fixed by the seed and N alone, so the same seed and job count always give the same
//! merged report and hash, whatever the machine's scheduling:
//!
//! - **seeds**: shard 0 runs the run's own seed (so `--jobs 1` is exactly the unsharded
//!   run); shard `i > 0` runs [`shard_seed`]`(seed, i)`, SplitMix64 of
//!   `seed + i * 0x9E37_79B9_7F4A_7C15`;
//! - **calls**: `calls / N` each, the first `calls % N` shards one more;
//! - **merged hash**: with one shard, that shard's trace hash; with more, the 64-bit
//!   FNV-1a of the shards' trace hashes, each as 8 little-endian bytes, in shard order;
//! - **counts** (customers, outcomes, milestones, counters, trace records) are sums,
//!   virtual time the longest shard's; the violation reported is the lowest shard's, with
//!   that shard's seed, so `--seed S --calls C` replays it alone.
//!
//! Each shard's memory is that of one run (independent of its calls), so N shards hold N
//! worlds. Only traffic-only scenarios shard: scripted steps and expectations name
//! customers and times of one world.
//!
//! ```
//! use vicixfer::sim::{run_sharded, Scenario, Shards};
//!
//! let scenario = Scenario::default_scenario();
//! let plan = Shards { jobs: 2, calls: Some(40), ..Shards::default() };
//! let a = run_sharded(&scenario, &plan, |_, _| {}).expect("a traffic-only scenario");
//! let b = run_sharded(&scenario, &plan, |_, _| {}).expect("a traffic-only scenario");
//! assert_eq!(a.ledger_entered, 40);
//! assert_eq!(a.trace_hash, b.trace_hash); // same seed and job count, same merged run
//! ```

use super::{invariant_check, run, Check, Metrics, Options, Report, Scenario};
use crate::sim::trace::Fnv;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The most shards one run may have.
pub const MAX_JOBS: usize = 256;

/// How to split a run into shards.
#[derive(Debug, Clone, Copy)]
pub struct Shards {
    /// Shards, each on its own thread (1 to [`MAX_JOBS`]).
    pub jobs: usize,
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    /// Overrides the scenario's number of random calls (the total over all shards).
    pub calls: Option<u64>,
    /// Compute the trace hashes.
    pub hash: bool,
    /// The per-step check of every shard.
    pub check: Check,
}

impl Default for Shards {
    fn default() -> Self {
        Shards { jobs: 1, seed: None, calls: None, hash: true, check: invariant_check }
    }
}

/// Why a run cannot be sharded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// Zero shards, or more than [`MAX_JOBS`].
    #[error("--jobs must be 1 to {MAX_JOBS}, not {0}")]
    Jobs(usize),
    /// More than one shard of a scenario with scripted steps, expectations or no random
    /// traffic: its steps name the customers and times of one world.
    #[error("scenario `{0}` has scripted steps, expectations or no random traffic: it runs with one job only")]
    NotTrafficOnly(String),
}

/// The seed of shard `shard` of a run seeded `seed` (see the [module](self) docs).
pub fn shard_seed(seed: u64, shard: usize) -> u64 {
    if shard == 0 {
        return seed;
    }
    // SplitMix64 (Steele, Lea, Flood 2014): neighbouring inputs give unrelated outputs.
    let mut z = seed.wrapping_add((shard as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The calls of shard `shard` out of `jobs` for `calls` in all.
pub fn shard_calls(calls: u64, jobs: usize, shard: usize) -> u64 {
    let jobs = jobs.max(1) as u64;
    calls / jobs + u64::from((shard as u64) < calls % jobs)
}

/// Runs `scenario` as `plan.jobs` shards on as many threads and merges their reports
/// (see the [module](self) docs for the split). `progress` is called on this thread now
/// and then with (calls entered over all shards, calls planned). A violation is shrunk
/// within its shard.
pub fn run_sharded(
    scenario: &Scenario,
    plan: &Shards,
    mut progress: impl FnMut(u64, u64),
) -> Result<Report, ShardError> {
    let jobs = plan.jobs;
    if jobs == 0 || jobs > MAX_JOBS {
        return Err(ShardError::Jobs(jobs));
    }
    let traffic_only = scenario.traffic.is_some()
        && scenario.steps.is_empty()
        && scenario.expect.outcomes.is_empty()
        && scenario.expect.metrics.is_empty()
        && !scenario.expect.all_ended;
    if jobs > 1 && !traffic_only {
        return Err(ShardError::NotTrafficOnly(scenario.name.clone()));
    }
    let seed = plan.seed.unwrap_or(scenario.seed);
    let calls = plan.calls.or(scenario.traffic.as_ref().map(|t| t.calls)).unwrap_or(0);
    let entered: Vec<Arc<AtomicU64>> = (0..jobs).map(|_| Arc::new(AtomicU64::new(0))).collect();
    let reports = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs)
            .map(|i| {
                let counter = Arc::clone(&entered[i]);
                scope.spawn(move || {
                    let options = Options {
                        seed: Some(shard_seed(seed, i)),
                        calls: Some(shard_calls(calls, jobs, i)),
                        hash: plan.hash,
                        check: plan.check,
                        progress: Some(Box::new(move |done, _| counter.store(done, Ordering::Relaxed))),
                        ..Options::default()
                    };
                    run(scenario, options)
                })
            })
            .collect();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(50));
            progress(entered.iter().map(|e| e.load(Ordering::Relaxed)).sum(), calls);
        }
        // A shard's panic is a defect of the simulator: pass it on as the unsharded run would.
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect::<Vec<_>>()
    });
    merge(seed, plan.hash, reports).ok_or(ShardError::Jobs(0))
}

/// The shards' reports added up (see the [module](self) docs).
fn merge(seed: u64, hash: bool, reports: Vec<Report>) -> Option<Report> {
    let mut reports = reports.into_iter();
    let mut merged = reports.next()?;
    let mut hashes = Fnv::default();
    hashes.write(&merged.trace_hash.to_le_bytes());
    let mut shards = 1;
    for (i, r) in reports.enumerate() {
        shards += 1;
        hashes.write(&r.trace_hash.to_le_bytes());
        merged.virtual_ms = merged.virtual_ms.max(r.virtual_ms);
        merged.ledger_entered += r.ledger_entered;
        merged.ledger_live += r.ledger_live;
        for (k, n) in r.outcomes {
            *merged.outcomes.entry(k).or_default() += n;
        }
        for (k, n) in r.milestones {
            *merged.milestones.entry(k).or_default() += n;
        }
        merged.metrics.merge(&r.metrics);
        merged.trace_lines += r.trace_lines;
        merged.output_error = merged.output_error.or(r.output_error);
        merged.violation = merged.violation.or(r.violation);
        let shard = i + 1;
        merged.unmet.extend(r.unmet.into_iter().map(|u| format!("shard {shard}: {u}")));
        merged.leftovers.extend(r.leftovers.into_iter().map(|l| format!("shard {shard}: {l}")));
    }
    if shards > 1 {
        merged.seed = seed;
        merged.trace_hash = if hash { hashes.finish() } else { 0 };
        merged.timeline = None;
    }
    Some(merged)
}

impl Metrics {
    /// Adds every counter of `other`.
    pub(crate) fn merge(&mut self, other: &Metrics) {
        for (group, name, n) in other.iter() {
            self.add(group, name, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_split_exactly_and_shard_zero_keeps_the_seed() {
        for (calls, jobs) in [(10, 3), (0, 4), (7, 7), (5, 8), (1_000_001, 2)] {
            let parts: Vec<u64> = (0..jobs).map(|i| shard_calls(calls, jobs, i)).collect();
            assert_eq!(parts.iter().sum::<u64>(), calls, "{calls} over {jobs}: {parts:?}");
            assert!(parts.iter().max().unwrap_or(&0) - parts.iter().min().unwrap_or(&0) <= 1, "{parts:?}");
        }
        assert_eq!(shard_seed(42, 0), 42);
        let seeds: std::collections::BTreeSet<u64> = (0..64).map(|i| shard_seed(42, i)).collect();
        assert_eq!(seeds.len(), 64);
    }

    #[test]
    fn one_job_is_the_unsharded_run_and_two_jobs_add_up() {
        let scenario = Scenario::default_scenario();
        let plain = run(&scenario, Options { calls: Some(30), ..Options::default() });
        let one = run_sharded(&scenario, &Shards { calls: Some(30), ..Shards::default() }, |_, _| {}).expect("shards");
        assert_eq!((one.trace_hash, one.ledger_entered, one.seed), (plain.trace_hash, 30, plain.seed));
        let plan = Shards { jobs: 2, calls: Some(31), ..Shards::default() };
        let two = run_sharded(&scenario, &plan, |_, _| {}).expect("shards");
        assert_eq!((two.ledger_entered, two.ledger_ended(), two.ledger_live), (31, 31, 0));
        assert_ne!(two.trace_hash, one.trace_hash);
        let again = run_sharded(&scenario, &plan, |_, _| {}).expect("shards");
        assert_eq!((again.trace_hash, again.trace_lines), (two.trace_hash, two.trace_lines));
        assert_eq!(again.metrics, two.metrics);
        assert!(two.passed(), "{two}");
    }

    #[test]
    fn scripted_scenarios_and_bad_job_counts_are_refused() {
        let scenario = Scenario::default_scenario();
        assert_eq!(
            run_sharded(&scenario, &Shards { jobs: 0, ..Shards::default() }, |_, _| {}).err(),
            Some(ShardError::Jobs(0))
        );
        let mut scripted = scenario.clone();
        scripted.traffic = None;
        let err = run_sharded(&scripted, &Shards { jobs: 2, ..Shards::default() }, |_, _| {}).err();
        assert!(matches!(err, Some(ShardError::NotTrafficOnly(_))), "{err:?}");
    }
}
