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

/// The query with the value of every `pass` parameter replaced by `***`, whatever the
/// spelling of its key: percent-encoded (`p%61ss`), `+` or `.` for `_` as PHP normalises
/// keys, a leading space, an array suffix (`pass[]`), any letter case.
pub fn redact(query: &str) -> String {
    replace_pass(query, |_| "***")
}

/// The query with the value of every `pass` parameter replaced by `with(value)`.
pub(crate) fn replace_pass<'a>(query: &str, with: impl Fn(&str) -> &'a str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if is_pass_key(k) => format!("{k}={}", with(v)),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether PHP reads this raw key as `pass` (`$_GET["pass"]`, or an array of that name).
fn is_pass_key(raw: &str) -> bool {
    let key = crate::api::url_decode(raw);
    let key = key.trim_start_matches(' ');
    let key = match key.split_once('[') {
        Some((name, rest)) if rest.contains(']') => name,
        _ => key,
    };
    let normalised: String = key.chars().map(|c| if matches!(c, ' ' | '.' | '[') { '_' } else { c }).collect();
    normalised.eq_ignore_ascii_case("pass")
}

/// An api.php answer with the passwords it echoes replaced by `***`: the password field of
/// `ERROR: Invalid Username/Password: |user|pass|...|` lines, and `pass='...'` in debug
/// lines showing SQL.
pub fn redact_answer(body: &str) -> String {
    const LOGIN: &str = "ERROR: Invalid Username/Password: |";
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let line = match line.strip_prefix(LOGIN).and_then(|rest| rest.split_once('|')) {
            Some((user, rest)) => {
                // The password is what comes before the last three fields (auth|auth_api|message|).
                let tail = rest.rmatch_indices('|').nth(3).map_or("", |(i, _)| &rest[i..]);
                format!("{LOGIN}{user}|***{tail}")
            }
            None => line.to_string(),
        };
        out.push_str(&redact_sql(&line));
    }
    out
}

/// `pass='...'` (any case, with or without spaces around `=`) becomes `pass='***'`.
fn redact_sql(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    while let Some(i) = lower[at..].find("pass").map(|i| i + at) {
        let after = &lower[i + 4..];
        let gap = after.len() - after.trim_start_matches([' ', '=']).len();
        let open = i + 4 + gap;
        if after[..gap].contains('=') && lower[open..].starts_with(['\'', '"']) {
            let quote = &line[open..=open];
            let close = line[open + 1..].find(quote).map_or(line.len(), |j| open + 1 + j);
            out.push_str(&line[at..=open]);
            out.push_str("***");
            at = close;
        } else {
            out.push_str(&line[at..i + 4]);
            at = i + 4;
        }
    }
    out.push_str(&line[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_every_password_and_nothing_else() {
        assert_eq!(redact("user=6666&pass=1234&agent_user=1001"), "user=6666&pass=***&agent_user=1001");
        assert_eq!(redact("PASS=x&pass=y&passage=z"), "PASS=***&pass=***&passage=z");
        assert_eq!(redact("noequals"), "noequals");
        assert_eq!(redact("p%61ss=x&pa%73s=y&pass[]=z&+pass=w"), "p%61ss=***&pa%73s=***&pass[]=***&+pass=***");
        assert_eq!(redact("pass_=x&pas=y"), "pass_=x&pas=y");
    }

    #[test]
    fn failed_login_echoes_and_sql_lose_their_password() {
        assert_eq!(
            redact_answer("ERROR: Invalid Username/Password: |6666|se|cr|et|0|1|BAD|\nERROR: no user found - x\n"),
            "ERROR: Invalid Username/Password: |6666|***|0|1|BAD|\nERROR: no user found - x\n"
        );
        assert_eq!(
            redact_answer("|SELECT count(*) from vicidial_users where user='6666' and pass='s3cret';|\n"),
            "|SELECT count(*) from vicidial_users where user='6666' and pass='***';|\n"
        );
        assert_eq!(redact_answer("PASS = \"x\" passage"), "PASS = \"***\" passage");
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
