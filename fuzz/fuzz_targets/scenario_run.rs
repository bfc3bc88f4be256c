//! A scenario file (JSON) as `vicixfer simulate --scenario` reads it: loading never
//! panics, and a scenario that loads runs without panicking, bounded here to a small
//! world (8 agents, 20 calls, 64 steps, 10 virtual minutes at 100 ms polls or slower).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::sim::{run, Options, Scenario};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mut scenario) = Scenario::from_json(text) else { return };
    scenario.world.agents.truncate(8);
    scenario.steps.truncate(64);
    if let Some(t) = scenario.traffic.as_mut() {
        t.calls = t.calls.min(20);
    }
    let timing = &mut scenario.world.timing;
    timing.poll_ms = timing.poll_ms.max(100);
    timing.cleanup_ms = timing.cleanup_ms.max(100);
    timing.max_ms = timing.max_ms.min(600_000);
    if scenario.validate().is_err() {
        return; // the bounds above removed something a step or an expectation names
    }
    let report = run(&scenario, Options { hash: false, shrink: false, ..Options::default() });
    assert!(report.virtual_ms <= 600_000 + 1, "ran past max_ms: {}", report.virtual_ms);
});
