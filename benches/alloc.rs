//! Heap allocations per step, counted by an instrumented global allocator.
//!
//! `cargo bench --bench alloc` prints allocations per input over a long run of whole
//! calls (aim: zero). docs/performance.md records the figures.

mod common;

use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use vicixfer::*;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    const CALLS: u64 = 1_000;
    let inputs: Vec<Vec<Input>> = (0..CALLS).map(|i| common::call_cycle(10 + 2 * i, 1 + 2 * i)).collect();
    let total: usize = inputs.iter().map(Vec::len).sum();
    let mut session = Session::default();
    let region = Region::new(GLOBAL);
    for cycle in inputs {
        for input in cycle {
            session = step(&session, input).expect("cycle input accepted").session;
        }
    }
    let stats = region.change();
    println!(
        "alloc/step: {:.2} allocations, {:.1} bytes per input over {total} inputs ({CALLS} calls)",
        stats.allocations as f64 / total as f64,
        stats.bytes_allocated as f64 / total as f64
    );
    per_input_allocations();
    let busy = common::busy_session();
    let region = Region::new(GLOBAL);
    let n = 10_000;
    for _ in 0..n {
        std::hint::black_box(step(&busy, Input::Screen(ScreenInput::Tick)).expect("tick"));
    }
    let stats = region.change();
    println!("alloc/tick_busy: {:.2} allocations per step", stats.allocations as f64 / n as f64);
    let region = Region::new(GLOBAL);
    for _ in 0..n {
        std::hint::black_box(busy.clone());
    }
    let stats = region.change();
    println!("alloc/clone_only: {:.2} allocations per clone", stats.allocations as f64 / n as f64);
}

/// Which inputs of a call cycle allocate, and how much.
fn per_input_allocations() {
    let mut session = Session::default();
    for _ in 0..2 {
        let first = session.next_leg;
        for input in common::call_cycle(first * 7, first) {
            let kind = input.kind();
            let region = Region::new(GLOBAL);
            session = step(&session, input).expect("cycle input accepted").session;
            let n = region.change().allocations;
            if n > 0 {
                println!("alloc/by_input: {kind} allocates {n}");
            }
        }
    }
}
