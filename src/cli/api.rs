//! `vicixfer api`: one api.php request answered from a directory file.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use vicixfer::api::{answer, with_post_fallback, Directory, Request, Write};

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
    let text = std::fs::read_to_string(world).map_err(|e| format!("{}: {e}", world.display()))?;
    let mut dir: Directory = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", world.display()))?;
    let query = query.strip_prefix('?').unwrap_or(query);
    let merged = post.map(|body| with_post_fallback(query, body));
    let query = merged.as_deref().unwrap_or(query);
    if strict {
        // Strict mode: refuse before asking api.php what it would accept silently.
        if let Err(e) = Request::from_query_strict_in(query, dir.system.charset) {
            eprintln!("strict: {e}");
            return Ok(ExitCode::from(3));
        }
    }
    let a = answer(&dir, query, epoch);
    if json {
        println!("{}", serde_json::to_string_pretty(&a)?);
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(a.body().as_bytes())?;
        out.flush()?;
        let mut err = std::io::stderr().lock();
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
                    writeln!(err, "warning: {w}")?;
                }
            }
            Err(e) => writeln!(err, "note: {e}")?,
        }
    }
    if save {
        dir.apply(&a);
        std::fs::write(world, serde_json::to_string_pretty(&dir)? + "\n")?;
    }
    Ok(if a.succeeded() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
