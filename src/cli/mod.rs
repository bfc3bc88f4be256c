//! Subcommands of the `vicixfer` binary.

mod api;
mod drive;
mod explore;
mod serve;
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
    /// Explore every reachable state of one session breadth-first, checking every
    /// invariant on every state and edge; prints counts, coverage, liveness and the
    /// shortest counterexample (as a `drive` script) if one exists.
    Explore {
        /// Prune successors that allocated more than this many legs.
        #[arg(long, default_value_t = 3)]
        max_legs: u32,
        /// Stop at this depth.
        #[arg(long)]
        max_depth: Option<u32>,
        /// The full alphabet (duplicate ids, unknown values, every target variant)
        /// instead of the standard one.
        #[arg(long)]
        full: bool,
        /// Racing mode: api.php writes in every state (default: only when the slots are
        /// empty, a CRM that waits for each command to run).
        #[arg(long)]
        racing: bool,
        /// Write the shortest paths to the deepest states (as `drive` scripts with a
        /// `config N` first line) into this directory: the fuzz seed corpus.
        #[arg(long)]
        seeds: Option<PathBuf>,
        /// How many seed paths to write (deepest leaves of the search tree first; every
        /// state lies on the path to some leaf, so a count of at least the number of
        /// leaves covers every reachable state).
        #[arg(long, default_value_t = 4000)]
        seed_count: usize,
        /// Stop after this many unique states (about 0.7 KB of memory each).
        #[arg(long, default_value_t = 20_000_000)]
        max_states: usize,
    },
    /// Answer one api.php request from a directory file (JSON, `vicixfer::api::Directory`):
    /// prints the exact body; what was stored and any warnings go to standard error.
    Api {
        /// The directory: users, logged-in agents, in-groups, ... (e.g. examples/world.json).
        #[arg(long)]
        world: PathBuf,
        /// The query string, e.g. 'source=crm&user=6666&pass=1234&function=park_call&...'.
        query: String,
        /// A form body (POST) too: api.php takes each parameter from the query string when
        /// its key is there, else from the body.
        #[arg(long, value_name = "BODY")]
        post: Option<String>,
        /// The server's clock in epoch seconds (the command id).
        #[arg(long, default_value_t = 1_764_000_000)]
        epoch: u64,
        /// Print the whole answer (lines and writes) as JSON.
        #[arg(long)]
        json: bool,
        /// Write the answer's writes back into the directory file.
        #[arg(long)]
        save: bool,
        /// Refuse (exit status 3) a query api.php would accept only silently: unknown park
        /// value, AGENTDIRECT without an agent, BLIND_TRANSFER without a number, ...
        #[arg(long)]
        strict: bool,
    },
    /// Serve api.php over HTTP on a live world (default http://127.0.0.1:8080/agc/api.php),
    /// with a JSON control API, an event stream and a live page at `/` (docs/serve.md).
    Serve(serve::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Simulate { scenario, seed, calls, no_hash, common } => {
            simulate::simulate(scenario.as_deref(), seed, calls, no_hash, &common)
        }
        Command::Run { file, common } => simulate::run_file(&file, &common),
        Command::Drive { script, config } => drive::run(script.as_deref(), config.as_deref()),
        Command::Explore { max_legs, max_depth, full, racing, seeds, seed_count, max_states } => {
            explore::run(max_legs, max_depth, full, racing, seeds.as_deref().map(|d| (d, seed_count)), max_states)
        }
        Command::Api { world, query, post, epoch, json, save, strict } => {
            api::run(&world, &query, post.as_deref(), epoch, json, save, strict)
        }
        Command::Serve(args) => serve::run(args),
    }
}
