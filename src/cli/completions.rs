//! `vicixfer completions SHELL` and `vicixfer man`: shell completions and the man page,
//! generated from the command line's own definition so they never drift from it.

use super::Cli;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// Writes the completion script for `shell` to standard output. The script is built in
/// memory first: `clap_complete::generate` panics on a failed write, so it never sees
/// standard output, whose writes are checked here.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "vicixfer", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the man page (roff, section 1) to standard output.
pub fn man() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
