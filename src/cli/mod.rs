//! Subcommands of the `vicixfer` binary.

mod drive;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// VICIdial agent-side transfers as a pure state machine.
#[derive(Debug, Parser)]
#[command(name = "vicixfer", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Drive one session by hand: one input per line (`call 42`, `transfer <slot>`, `tick`,
    /// `answer 2`, `dispo`, ...), from FILE or standard input. Prints effects, events and legs.
    Drive {
        /// A script of inputs, one per line (`#` starts a comment). Standard input if absent.
        script: Option<PathBuf>,
        /// Campaign settings as JSON (fields of `vicixfer::Config`; missing ones default).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Drive { script, config } => drive::run(script.as_deref(), config.as_deref()),
    }
}
