//! Subcommands of the `vicixfer` binary.

mod api;
mod completions;
mod drive;
mod explore;
mod files;
mod output;
mod serve;
mod simulate;

pub use output::diag;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// VICIdial agent-side transfers as a pure state machine.
#[derive(Debug, Parser)]
#[command(name = "vicixfer", version, about)]
pub struct Cli {
    /// Print less: `drive` prints only rejections and lines that do not parse, `run` no
    /// narration; reports, answers and JSON still print.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the simulator: the built-in default scenario, or SCENARIO's world with its
    /// random traffic. Prints a summary; on an invariant violation writes a shrunk scenario.
    Simulate {
        /// A scenario file (JSON, docs/schema/scenario.schema.json); the built-in default if
        /// absent.
        #[arg(long, value_name = "FILE")]
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
        /// Run the calls as N shards on N threads, merged into one report: shard 0 keeps
        /// the seed, shard i > 0 gets a SplitMix64 seed of it; same seed and N, same
        /// merged report and hash (docs/performance.md). Traffic-only scenarios; not
        /// with --trace or --timeline.
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        #[command(flatten)]
        common: simulate::Common,
    },
    /// Run a scenario file, printing each API answer and every agent's legs after each step.
    /// With `--json`: one JSON object per session input, then the report.
    Run {
        /// The scenario file (JSON, docs/schema/scenario.schema.json), e.g.
        /// examples/scenarios/consultative_chain.json.
        file: PathBuf,
        /// Also print every session step between the scripted ones (ticks, reactions,
        /// network events) that did something, with its effects and events.
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        common: simulate::Common,
    },
    /// Drive one session by hand: one input per line (`call 42`, `transfer <slot>`, `tick`,
    /// `answer 2`, `dispo`, ...), from FILE or standard input. Prints effects, events and legs.
    Drive {
        /// A script of inputs in the `drive` words, one per line (`#` starts a comment;
        /// docs/driving.md). Standard input if absent.
        script: Option<PathBuf>,
        /// Campaign settings, a JSON file (fields of `vicixfer::Config`, missing ones default;
        /// docs/schema/config.schema.json).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// One JSON object per input instead of text (schema:
        /// docs/schema/input-record.schema.json).
        #[arg(long)]
        json: bool,
    },
    /// Explore every reachable state of one session breadth-first, checking every
    /// invariant on every state and edge; prints counts, coverage, liveness and the
    /// shortest counterexample (as a `drive` script) if one exists.
    Explore(explore::Args),
    /// Answer one api.php request from a directory file (JSON, `vicixfer::api::Directory`):
    /// prints the exact body; what was stored and any warnings go to standard error.
    Api {
        /// The directory, a JSON file (`vicixfer::api::Directory`: users, logged-in agents,
        /// in-groups, ...; docs/schema/world.schema.json; e.g. examples/world.json).
        #[arg(long, value_name = "FILE")]
        world: PathBuf,
        /// The query string, e.g. 'source=crm&user=6666&pass=1234&function=park_call&...';
        /// `@FILE` reads it from FILE, `-` (or `@-`) from standard input (at most 8 MiB).
        query: String,
        /// A form body (POST) too: api.php takes each parameter from the query string when
        /// its key is there, else from the body. `@FILE` / `@-` read it from a file / stdin.
        #[arg(long, value_name = "BODY")]
        post: Option<String>,
        /// The server's clock in epoch seconds (the command id).
        #[arg(long, default_value_t = 1_764_000_000)]
        epoch: u64,
        /// Print the whole answer (lines and writes) as one JSON object instead of the body.
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
    /// Print a shell completion script, e.g. `vicixfer completions bash >
    /// ~/.local/share/bash-completion/completions/vicixfer`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `vicixfer man > ~/.local/share/man/man1/vicixfer.1`.
    Man,
    /// Serve api.php over HTTP on a live world (default http://127.0.0.1:8080/agc/api.php),
    /// with a JSON control API, an event stream and a live page at `/` (docs/serve.md).
    Serve(serve::Args),
}

/// Whether an error is a write to a closed pipe (`vicixfer ... | head -1`): the reader has
/// what it wanted, so the command ends quietly.
pub fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut e = Some(err);
    while let Some(cur) = e {
        if cur.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
            return true;
        }
        e = cur.source();
    }
    false
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Simulate { scenario, seed, calls, no_hash, jobs, common } => {
            simulate::simulate(scenario.as_deref(), seed, calls, no_hash, jobs, &common)
        }
        Command::Run { file, verbose, common } => simulate::run_file(&file, &common, verbose, cli.quiet),
        Command::Drive { script, config, json } => {
            let mode = match (json, cli.quiet) {
                (true, _) => output::Mode::Json,
                (false, true) => output::Mode::Quiet,
                (false, false) => output::Mode::Text,
            };
            drive::run(script.as_deref(), config.as_deref(), mode)
        }
        Command::Explore(args) => explore::run(args, cli.quiet),
        Command::Api { world, query, post, epoch, json, save, strict } => {
            api::run(&world, &query, post.as_deref(), epoch, json, save, strict)
        }
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
        Command::Serve(args) => serve::run(args),
    }
}
