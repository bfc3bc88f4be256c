//! The `vicixfer` command line: drive a session by hand, and (with the simulator,
//! explorer and API layer) run the bigger jobs.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(err.as_ref()) => ExitCode::SUCCESS,
        Err(err) if err.is::<std::io::Error>() => {
            // Every file error names its path; a bare I/O error is a write to the terminal.
            cli::diag(format!("vicixfer: standard output: {err}"));
            ExitCode::from(2)
        }
        Err(err) => {
            cli::diag(format!("vicixfer: {err}"));
            ExitCode::from(2)
        }
    }
}
