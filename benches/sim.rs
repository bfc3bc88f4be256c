//! Simulator throughput: calls per second on the default scenario.
//!
//! `cargo bench --bench sim`; docs/performance.md records the figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vicixfer::sim::{run, Options, Scenario};

fn bench_sim(c: &mut Criterion) {
    let scenario = Scenario::default_scenario();
    let calls = 500;
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.throughput(Throughput::Elements(calls));
    let opts = |hash| Options { calls: Some(calls), hash, record: false, shrink: false, ..Options::default() };
    g.bench_function("default_scenario_calls", |b| b.iter(|| run(&scenario, opts(false))));
    g.bench_function("default_scenario_calls_hashed", |b| b.iter(|| run(&scenario, opts(true))));
    g.finish();
}

criterion_group!(benches, bench_sim);
criterion_main!(benches);
