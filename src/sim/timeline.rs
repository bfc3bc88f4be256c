//! Per-customer timelines of a run, rendered as a Mermaid Gantt chart.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Where each customer was, and when.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    customers: BTreeMap<u64, Vec<(u64, String)>>,
}

impl Timeline {
    /// Customer `c` is at `label` from `t` on.
    pub(crate) fn enter(&mut self, c: u64, t: u64, label: String) {
        self.customers.entry(c).or_default().push((t, label));
    }

    /// Customer `c`'s call ended at `t`.
    pub(crate) fn end(&mut self, c: u64, t: u64, how: String) {
        self.customers.entry(c).or_default().push((t, format!("end: {how}")));
    }

    /// The places of customer `c`, in order, with their start times.
    pub fn of(&self, c: u64) -> &[(u64, String)] {
        self.customers.get(&c).map_or(&[], |v| v.as_slice())
    }

    /// A Mermaid Gantt chart of the first `limit` customers: one section per customer,
    /// one bar per place (times in virtual milliseconds).
    pub fn mermaid(&self, limit: usize) -> String {
        let mut out = String::from("gantt\n  title Customer legs\n  dateFormat x\n  axisFormat %M:%S\n");
        for (c, places) in self.customers.iter().take(limit) {
            let _ = writeln!(out, "  section customer {c}");
            for (i, (t, label)) in places.iter().enumerate() {
                let label = label.replace([':', '#', ';'], " ");
                match places.get(i + 1) {
                    Some((next, _)) => {
                        let _ = writeln!(out, "  {label} :{t}, {}", (*next).max(t + 1));
                    }
                    None if label.starts_with("end ") => {
                        // A duration, not a bare `0`: with `dateFormat x` a bare number is
                        // an end date (epoch 0), and Mermaid draws a milestone at the middle
                        // of its span, so it landed at half its time.
                        let _ = writeln!(out, "  {label} :milestone, {t}, 0ms");
                    }
                    None => {
                        let _ = writeln!(out, "  {label} (still up) :{t}, {}", t + 1);
                    }
                }
            }
        }
        out
    }
}
