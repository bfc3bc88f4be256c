//! `vicixfer api`: one api.php request answered from a directory file.

use crate::cli::files;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use vicixfer::api::{answer, redact, with_post_fallback, Answer, Directory, Param, Request, Warning, Write};

/// The longest query or form body read from a file or standard input (PHP's default
/// `post_max_size` is 8 MB).
const MAX_REQUEST_BYTES: usize = 8 << 20;

/// The answer as shown: the password api.php echoes in a failed-login line (twice: the
/// field and the SQL) and the `pass=` of a URL in its debug output are
/// [`vicixfer::api::REDACTED`] ([`vicixfer::api::Line::redacted`]); so is the `pass=` of
/// a forwarded request's URL.
fn shown(a: &Answer) -> Answer {
    let mut a = a.clone();
    for line in &mut a.lines {
        *line = line.redacted();
    }
    for w in &mut a.writes {
        *w = w.redacted();
    }
    a
}

/// Standard error with the echoed secrets hidden, line by line.
struct Hidden<'a, W: std::io::Write> {
    to: W,
    secrets: &'a [String],
}

impl<W: std::io::Write> std::io::Write for Hidden<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.to.write_all(redact::hide(&String::from_utf8_lossy(buf), self.secrets).as_bytes())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.to.flush()
    }
}

/// A warning as shown: what sanitising did to the password is not printed.
fn shown_warning(w: &Warning) -> String {
    match w {
        Warning::Sanitised { param: Param::Pass, .. } => format!("{}: api.php strips characters of it", Param::Pass),
        w => w.to_string(),
    }
}

/// Answers `query` (and the form body `post`, if any) from the directory in `world`: the
/// exact body on standard output, then (on standard error) what was stored and what
/// api.php accepted silently.
pub fn run(
    world: &Path,
    query: &str,
    post: Option<&str>,
    epoch: u64,
    json: bool,
    save: bool,
    strict: bool,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut dir: Directory = files::read_json(world)?;
    let query = if query == "-" { "@-".to_string() } else { query.to_string() };
    let query = files::text_arg(&query, MAX_REQUEST_BYTES)?;
    let post = post.map(|p| files::text_arg(p, MAX_REQUEST_BYTES)).transpose()?;
    let query = query.strip_prefix('?').unwrap_or(&query);
    let merged = post.map(|body| with_post_fallback(query, &body));
    let query = merged.as_deref().unwrap_or(query);
    if strict {
        // Strict mode: refuse before asking api.php what it would accept silently.
        if let Err(e) = Request::from_query_strict_in(query, dir.system.charset) {
            let why = match &e {
                vicixfer::api::RequestError::Strict(ws) => ws.iter().map(shown_warning).collect::<Vec<_>>().join("; "),
                e => e.to_string(),
            };
            super::output::diag(format!("strict: {why}"));
            return Ok(ExitCode::from(3));
        }
    }
    let a = answer(&dir, query, epoch);
    let show = shown(&a);
    // A password api.php echoes as `value` (docs/vicidial.md D15) is hidden in every output.
    let secrets = redact::echoed_secrets(query);
    if json {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", redact::hide(&serde_json::to_string_pretty(&show)?, &secrets))?;
        out.flush()?;
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(redact::hide(&show.body(), &secrets).as_bytes())?;
        out.flush()?;
        let mut err = Hidden { to: std::io::stderr().lock(), secrets: &secrets };
        for w in &a.writes {
            match w {
                Write::Slot(s) => writeln!(err, "stored: {} {} = {}", s.agent_user, s.slot.column(), s.raw)?,
                Write::PressMulti(r) => writeln!(
                    err,
                    "stored: {} vicidial_3way_press_multi = {} (phone_numbers_ct {}, status {})",
                    r.user, r.phone_numbers, r.phone_numbers_ct, r.status
                )?,
                Write::Remote { container_id, lead_id, .. } => {
                    writeln!(err, "forwarded: lead {lead_id} to {container_id} (CCC_REMOTE)")?
                }
                // A write a later version models (Write is non_exhaustive).
                other => writeln!(err, "wrote: {other:?}")?,
            }
        }
        match Request::from_query_in(query, dir.system.charset) {
            Ok(parsed) => {
                for w in parsed.warnings {
                    writeln!(err, "warning: {}", shown_warning(&w))?;
                }
            }
            Err(e) => writeln!(err, "note: {e}")?,
        }
    }
    if save {
        dir.apply(&a);
        files::write_atomic(world, (serde_json::to_string_pretty(&dir)? + "\n").as_bytes())?;
    }
    Ok(if a.succeeded() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
