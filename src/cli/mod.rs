//! Subcommands of the `vicixfer` binary.

mod drive;
mod simulate;

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
    /// Run the simulator: the built-in default scenario, or SCENARIO's world with its
    /// random traffic. Prints a summary; on an invariant violation writes a shrunk scenario.
    Simulate {
        /// A scenario file (JSON); the built-in default if absent.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Seed of the random traffic (overrides the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Number of calls (overrides the scenario's).
        #[arg(long)]
        calls: Option<u64>,
        /// Skip the trace hash (fastest; for very long runs).
        #[arg(long)]
        no_hash: bool,
        #[command(flatten)]
        common: simulate::Common,
    },
    /// Run a scenario file, printing each API answer and every agent's legs after each step.
    Run {
        /// The scenario file (JSON), e.g. examples/scenarios/consultative_chain.json.
        file: PathBuf,
        #[command(flatten)]
        common: simulate::Common,
    },
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
        Command::Simulate { scenario, seed, calls, no_hash, common } => {
            simulate::simulate(scenario.as_deref(), seed, calls, no_hash, &common)
        }
        Command::Run { file, common } => simulate::run_file(&file, &common),
        Command::Drive { script, config } => drive::run(script.as_deref(), config.as_deref()),
    }
}
