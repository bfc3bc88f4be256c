//! Simulator throughput: calls per second on the default scenario, on one core and as
//! shards on two.
//!
//! `cargo bench --bench sim`; docs/performance.md records the figures. After the criterion
//! groups it prints, from one run, the calls per minute on one thread and the ratio of
//! `--jobs 2` to `--jobs 1` on the same calls (`VICIXFER_BENCH_SIM_CALLS`, default 20,000),
//! every invariant checked on every step.

use criterion::{criterion_group, Criterion, Throughput};
use std::time::{Duration, Instant};
use vicixfer::sim::{run, run_sharded, Options, Scenario, Shards};

fn bench_sim(c: &mut Criterion) {
    let scenario = Scenario::default_scenario();
    let calls = 500;
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.throughput(Throughput::Elements(calls));
    let opts = |hash| Options { calls: Some(calls), hash, record: false, shrink: false, ..Options::default() };
    g.bench_function("default_scenario_calls", |b| b.iter(|| run(&scenario, opts(false))));
    g.bench_function("default_scenario_calls_hashed", |b| b.iter(|| run(&scenario, opts(true))));
    for jobs in [1, 2] {
        let plan = Shards { jobs, calls: Some(calls * 4), hash: false, ..Shards::default() };
        g.throughput(Throughput::Elements(calls * 4));
        g.bench_function(format!("jobs_{jobs}"), |b| b.iter(|| run_sharded(&scenario, &plan, |_, _| {})));
    }
    g.finish();
}

/// Wall time of one sharded run (best of `rounds`, the two job counts alternating).
fn ratio_report() {
    let calls = std::env::var("VICIXFER_BENCH_SIM_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000u64);
    let scenario = Scenario::default_scenario();
    let mut best = [Duration::MAX; 2];
    let mut best_cpu = f64::MAX;
    for _ in 0..3 {
        for (slot, jobs) in [1, 2].into_iter().enumerate() {
            let plan = Shards { jobs, calls: Some(calls), hash: true, ..Shards::default() };
            let (start, cpu) = (Instant::now(), cpu_seconds());
            let report = run_sharded(&scenario, &plan, |_, _| {}).expect("the default scenario is traffic-only");
            best[slot] = best[slot].min(start.elapsed());
            if let (1, Some(before), Some(after)) = (jobs, cpu, cpu_seconds()) {
                best_cpu = best_cpu.min(after - before);
            }
            assert!(report.passed() && report.ledger_entered == calls, "{report}");
        }
    }
    let per_min = |d: Duration| calls as f64 * 60.0 / d.as_secs_f64();
    println!(
        "sim ratio: {calls} calls, every invariant on every step, trace hashed: 1 job {:.2} s = {:.0} calls/min, \
         2 jobs {:.2} s = {:.0} calls/min; 2 jobs / 1 job {:.2}x",
        best[0].as_secs_f64(),
        per_min(best[0]),
        best[1].as_secs_f64(),
        per_min(best[1]),
        best[0].as_secs_f64() / best[1].as_secs_f64()
    );
    if best_cpu < f64::MAX {
        // On a shared machine the wall time of one job includes waiting for a core; its
        // CPU time is what one free core would take.
        println!(
            "sim one core: 1 job used {best_cpu:.2} s of CPU = {:.0} calls per CPU-minute",
            calls as f64 * 60.0 / best_cpu
        );
    }
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (Linux;
/// `None` elsewhere). Clock ticks of 1/100 s, the Linux `USER_HZ`.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

criterion_group!(benches, bench_sim);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratio_report();
}
