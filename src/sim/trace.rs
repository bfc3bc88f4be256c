//! The JSON-lines trace of a run and its hash.
//!
//! Every observable record (API answers, session steps that did something, customer
//! outcomes, violations) is serialised to one JSON line; the FNV-1a hash of all lines is
//! the run's fingerprint: same scenario and seed, same hash. Passwords never reach a line.

use serde::Serialize;
use std::io::Write;

/// One trace record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Record<'a> {
    /// An api.php request and its answer.
    Api {
        /// Virtual time (ms).
        t: u64,
        /// The query, password redacted.
        query: &'a str,
        /// The exact answer body.
        answer: &'a str,
        /// `user slot = value` when something was stored.
        #[serde(skip_serializing_if = "Option::is_none")]
        stored: Option<&'a str>,
    },
    /// A session step that produced effects or events (silent ticks are left out).
    Step {
        /// Virtual time (ms).
        t: u64,
        /// The agent.
        agent: &'a str,
        /// The input, in the `drive` text form.
        input: &'a str,
        /// Effects, in order.
        effects: &'a [crate::Effect],
        /// Events, in order.
        events: &'a [crate::Event],
    },
    /// An input the session rejected.
    Rejected {
        /// Virtual time (ms).
        t: u64,
        /// The agent.
        agent: &'a str,
        /// The input.
        input: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// A customer entered.
    Enter {
        /// Virtual time (ms).
        t: u64,
        /// Customer number.
        customer: u64,
        /// Where.
        entry: &'a str,
    },
    /// A customer's call ended.
    End {
        /// Virtual time (ms).
        t: u64,
        /// Customer number.
        customer: u64,
        /// How.
        end: &'a str,
    },
    /// A violation stopped the run.
    Violation {
        /// Virtual time (ms).
        t: u64,
        /// What broke.
        detail: &'a str,
    },
}

/// 64-bit FNV-1a: small, stable across platforms and compiler versions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

/// The longest line buffer kept between records (a rare huge record is not kept).
const MAX_KEPT_LINE: usize = 64 * 1024;

/// Where trace lines go: hashed always (unless disabled), written if a sink is given.
pub(crate) struct Trace {
    hash: Fnv,
    enabled: bool,
    sink: Option<Box<dyn Write>>,
    lines: u64,
    /// The first write error of the sink (which is then dropped).
    error: Option<String>,
    /// The line being built, reused from record to record (no allocation per record).
    line: Vec<u8>,
}

impl Trace {
    pub(crate) fn new(enabled: bool, sink: Option<Box<dyn Write>>) -> Self {
        Trace {
            hash: Fnv::default(),
            enabled: enabled || sink.is_some(),
            sink,
            lines: 0,
            error: None,
            line: Vec::new(),
        }
    }

    /// Whether records are serialised at all (skip building them when not).
    pub(crate) fn on(&self) -> bool {
        self.enabled
    }

    pub(crate) fn record(&mut self, record: &Record<'_>) {
        if !self.enabled {
            return;
        }
        self.line.clear();
        if serde_json::to_writer(&mut self.line, record).is_err() {
            return;
        }
        self.line.push(b'\n');
        self.hash.write(&self.line);
        self.lines += 1;
        if let Some(sink) = self.sink.as_mut() {
            if let Err(e) = sink.write_all(&self.line) {
                self.fail(e);
            }
        }
        if self.line.capacity() > MAX_KEPT_LINE {
            self.line = Vec::new();
        }
    }

    pub(crate) fn hash(&self) -> u64 {
        self.hash.finish()
    }

    pub(crate) fn lines(&self) -> u64 {
        self.lines
    }

    /// Flushes the sink; the first write error of the run, if any.
    pub(crate) fn flush(&mut self) -> Option<String> {
        if let Some(Err(e)) = self.sink.as_mut().map(|s| s.flush()) {
            self.fail(e);
        }
        self.error.clone()
    }

    fn fail(&mut self, e: std::io::Error) {
        self.sink = None;
        self.error.get_or_insert_with(|| format!("trace: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        let mut h = Fnv::default();
        assert_eq!(h.finish(), 0xcbf2_9ce4_8422_2325);
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut h = Fnv::default();
        h.write(b"foobar");
        assert_eq!(h.finish(), 0x8594_4171_f739_67e8);
    }
}
