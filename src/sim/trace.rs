//! The JSON-lines trace of a run and its hash.
//!
//! Every observable record (API answers, session steps that did something, customer
//! outcomes, violations) is serialised to one JSON line; the FNV-1a hash of all lines is
//! the run's fingerprint: same scenario and seed, same hash. Passwords never reach a line.

use serde::Serialize;
use std::io::Write;

/// One trace record.
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
        customer: u32,
        /// Where.
        entry: &'a str,
    },
    /// A customer's call ended.
    End {
        /// Virtual time (ms).
        t: u64,
        /// Customer number.
        customer: u32,
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

/// Where trace lines go: hashed always (unless disabled), written if a sink is given.
pub(crate) struct Trace {
    hash: Fnv,
    enabled: bool,
    sink: Option<Box<dyn Write>>,
    lines: u64,
}

impl Trace {
    pub(crate) fn new(enabled: bool, sink: Option<Box<dyn Write>>) -> Self {
        Trace { hash: Fnv::default(), enabled: enabled || sink.is_some(), sink, lines: 0 }
    }

    /// Whether records are serialised at all (skip building them when not).
    pub(crate) fn on(&self) -> bool {
        self.enabled
    }

    pub(crate) fn record(&mut self, record: &Record<'_>) {
        if !self.enabled {
            return;
        }
        let Ok(line) = serde_json::to_string(record) else { return };
        self.hash.write(line.as_bytes());
        self.hash.write(b"\n");
        self.lines += 1;
        if let Some(sink) = self.sink.as_mut() {
            if writeln!(sink, "{line}").is_err() {
                self.sink = None;
            }
        }
    }

    pub(crate) fn hash(&self) -> u64 {
        self.hash.finish()
    }

    pub(crate) fn lines(&self) -> u64 {
        self.lines
    }

    pub(crate) fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            let _ = sink.flush();
        }
    }
}

/// The query with the value of every `pass` parameter replaced by `***`.
pub fn redact(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_pass_key(k) => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether a raw key names the password however it is spelled: percent- or
/// `+`-encoded, in any case, with PHP's leading spaces or an array suffix (`pass[]`).
fn is_pass_key(raw: &str) -> bool {
    let key = crate::api::url_decode(raw);
    let key = key.trim_start_matches(' ');
    let name = key.split_once('[').map_or(key, |(name, _)| name);
    name.eq_ignore_ascii_case("pass")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_every_password_and_nothing_else() {
        assert_eq!(redact("user=6666&pass=1234&agent_user=1001"), "user=6666&pass=***&agent_user=1001");
        assert_eq!(redact("PASS=x&pass=y&passage=z"), "PASS=***&pass=***&passage=z");
        assert_eq!(redact("noequals"), "noequals");
        assert_eq!(
            redact("p%61ss=1&%50ASS=2&+pass=3&pass[]=4&pass%5B0%5D=5"),
            "p%61ss=***&%50ASS=***&+pass=***&pass[]=***&pass%5B0%5D=***"
        );
    }

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
