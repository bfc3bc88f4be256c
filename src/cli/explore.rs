//! `vicixfer explore`: the exhaustive exploration, with timing.

use std::process::ExitCode;
use std::time::Instant;
use vicixfer::explore::{explore, initial_sessions, Alphabet, Bounds, Options};
use vicixfer::{step, Session};

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

pub fn run(
    max_legs: u32,
    max_depth: Option<u32>,
    full: bool,
    racing: bool,
    seeds: Option<(&std::path::Path, usize)>,
    max_states: usize,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let alphabet = if full { Alphabet::full() } else { Alphabet::standard() };
    let alphabet = if racing { alphabet } else { alphabet.sequential() };
    let bounds = Bounds { max_legs, max_depth, max_states };
    let leaf_paths = seeds.map_or(0, |(_, n)| n);
    let opts = Options { bounds, state_check: Some(serde_round_trip), leaf_paths, ..Options::new(step) };
    let initial = initial_sessions();
    let started = Instant::now();
    let report = explore(&initial, &alphabet, &opts);
    let secs = started.elapsed().as_secs_f64();
    println!("initial sessions   {}", initial.len());
    println!("alphabet           {} fixed inputs + per-leg events", alphabet.fixed.len());
    println!("unique states      {}", report.states);
    println!("edges (accepted)   {}", report.edges);
    println!("rejected inputs    {}", report.rejected);
    println!("pruned (max legs)  {}", report.pruned);
    println!("depth              {}", report.depth);
    println!("truncated          {}", report.truncated);
    println!("time               {secs:.2} s ({:.0} states/s)", report.states as f64 / secs.max(1e-9));
    println!("stuck states       {}", report.stuck);
    let missing: Vec<_> = report.coverage.missing().into_iter().filter(|t| alphabet.targets().contains(t)).collect();
    println!(
        "coverage           {} of {} targets hit, missing: {missing:?}",
        report.coverage.hits.len(),
        alphabet.targets().len()
    );
    if let Some(path) = &report.stuck_example {
        println!("a stuck state is reached by:");
        for i in path {
            println!("  {i}");
        }
    }
    if let Some((dir, _)) = seeds {
        std::fs::create_dir_all(dir)?;
        for (i, (config, inputs)) in report.leaf_paths.iter().enumerate() {
            let mut text = format!("config {config}\n");
            for input in inputs {
                text.push_str(&input.to_string());
                text.push('\n');
            }
            std::fs::write(dir.join(format!("path-{i:05}")), text)?;
        }
        println!("seeds              {} shortest paths written to {}", report.leaf_paths.len(), dir.display());
    }
    match &report.violation {
        Some(c) => {
            println!("VIOLATION {}", c.violation);
            println!("shortest trace (vicixfer drive script):\n{}", c.script());
            Ok(ExitCode::from(1))
        }
        None if report.truncated => {
            println!("no violation in the {} states explored, but the search was cut short by a bound", report.states);
            println!("(raise --max-states or drop --max-depth to exhaust the space; liveness is not computed)");
            Ok(ExitCode::from(2))
        }
        None if report.stuck > 0 || !missing.is_empty() => Ok(ExitCode::from(1)),
        None => {
            println!(
                "all {} invariants hold on every reachable state and edge",
                vicixfer::invariants::Invariant::ALL.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
