//! Step throughput next to the cost of only copying the session state.
//!
//! `cargo bench --bench step`; docs/performance.md records the ratios.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use vicixfer::*;

fn bench_step(c: &mut Criterion) {
    let busy = common::busy_session();
    let mut g = c.benchmark_group("step");
    g.throughput(Throughput::Elements(1));
    g.bench_function("clone_only", |b| b.iter(|| black_box(black_box(&busy).clone())));
    g.bench_function("tick_busy", |b| b.iter(|| step(black_box(&busy), Input::Screen(ScreenInput::Tick))));
    let rejected = Input::Agent(AgentAction::SubmitDisposition);
    g.bench_function("rejected", |b| b.iter(|| step(black_box(&busy), black_box(rejected.clone()))));
    g.finish();

    let cycle = common::call_cycle(10, 1);
    let mut g = c.benchmark_group("call_cycle");
    g.throughput(Throughput::Elements(cycle.len() as u64));
    g.bench_function("step", |b| {
        b.iter_batched(
            || (Session::default(), cycle.clone()),
            |(mut s, inputs)| {
                for input in inputs {
                    s = step(&s, input).expect("cycle input accepted").session;
                }
                s
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_step);
criterion_main!(benches);
