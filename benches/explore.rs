//! Explorer throughput: unique states per second on a complete (small) exploration.
//!
//! `cargo bench --bench explore`; docs/performance.md records the figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vicixfer::explore::{explore, Alphabet, Bounds, Level, Options};
use vicixfer::{step, Session};

fn bench_explore(c: &mut Criterion) {
    let alphabet = Alphabet::standard().sequential();
    let initial = [Session::default()];
    let opts = |full: bool| Options {
        bounds: Bounds { max_legs: 1, ..Bounds::default() },
        level: if full { Level::Full } else { Level::Standard },
        ..Options::new(step)
    };
    let states = explore(&initial, &alphabet, &opts(true)).states as u64;
    let mut g = c.benchmark_group("explore");
    g.sample_size(10);
    g.throughput(Throughput::Elements(states));
    g.bench_function("default_campaign_one_leg_states", |b| b.iter(|| explore(&initial, &alphabet, &opts(true))));
    g.bench_function("default_campaign_one_leg_states_standard_level", |b| {
        b.iter(|| explore(&initial, &alphabet, &opts(false)))
    });
    g.finish();
}

criterion_group!(benches, bench_explore);
criterion_main!(benches);
