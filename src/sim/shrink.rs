//! Shrinking a failing run to a minimal scripted scenario (delta debugging).

use crate::sim::scenario::{Scenario, Stimulus};
use crate::sim::{play, Check, Options};

/// The part of a violation that identifies it across runs: its kind and, for an
/// invariant, the invariant's name (`invariant: hangup_xfer_keeps_customer`).
fn kind(detail: &str) -> &str {
    let mut cut = detail.len();
    for (i, c) in detail.char_indices() {
        if c == '(' || c == '`' {
            cut = i;
            break;
        }
    }
    let head = &detail[..cut];
    let colons = if head.starts_with("invariant:") { 1 } else { 0 };
    match head.match_indices(':').nth(colons) {
        Some((i, _)) => &head[..i],
        None => head.trim_end(),
    }
}

/// Reduces `scenario`'s scripted steps to a small subset that still fails with the same
/// kind of violation as `detail`, within `budget` replays. Returns the smallest failing
/// scenario found (the input itself if nothing smaller fails).
pub fn shrink(scenario: &Scenario, detail: &str, check: Check, budget: usize) -> Scenario {
    let target = kind(detail).to_string();
    let runs = std::cell::Cell::new(0usize);
    let fails = |steps: &[Stimulus]| -> bool {
        runs.set(runs.get() + 1);
        let mut candidate = scenario.clone();
        candidate.traffic = None;
        candidate.steps = steps.to_vec();
        let options = Options { record: false, shrink: false, hash: false, check, ..Options::default() };
        let (report, _) = play(&candidate, options);
        report.violation.is_some_and(|v| kind(&v.detail) == target)
    };
    let mut steps = scenario.steps.clone();
    if !fails(&steps) {
        return scenario.clone();
    }
    // ddmin: try dropping ever smaller chunks while the failure persists.
    let mut chunks = 2usize;
    while steps.len() >= 2 && runs.get() < budget {
        let size = steps.len().div_ceil(chunks);
        let mut reduced = false;
        let mut start = 0;
        while start < steps.len() && runs.get() < budget {
            let end = (start + size).min(steps.len());
            let candidate: Vec<Stimulus> = steps[..start].iter().chain(&steps[end..]).cloned().collect();
            if !candidate.is_empty() && fails(&candidate) {
                steps = candidate;
                reduced = true;
            } else {
                start = end;
            }
        }
        if reduced {
            chunks = chunks.saturating_sub(1).max(2);
        } else if size == 1 {
            break;
        } else {
            chunks = (chunks * 2).min(steps.len());
        }
    }
    let mut out = scenario.clone();
    out.traffic = None;
    out.steps = steps;
    out
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn kind_keeps_the_category_and_the_invariant_name() {
        assert_eq!(
            kind("invariant: hangup_xfer_keeps_customer: moved (agent 1001, input `tick`)"),
            "invariant: hangup_xfer_keeps_customer"
        );
        assert_eq!(kind("ledger: customer 3 ended twice"), "ledger");
        assert_eq!(kind("driver: the session of 1001 rejected `tick`: x"), "driver");
    }
}
