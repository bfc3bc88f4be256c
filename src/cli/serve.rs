//! `vicixfer serve`: api.php over HTTP on a live world, with a control API and a page.

use super::files::{self, FileError};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vicixfer::serve::{Clock, LogTo, Options, Server};
use vicixfer::sim::scenario::WorldSpec;
use vicixfer::sim::Scenario;

/// Options of `vicixfer serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A world file (JSON, the `world` object of a scenario: agents, campaigns, in-groups,
    /// timing; its schema is the `world` property of docs/schema/scenario.schema.json). The
    /// built-in default world if neither this nor --scenario is given.
    #[arg(long, conflicts_with = "scenario", value_name = "FILE")]
    world: Option<PathBuf>,
    /// A scenario file (JSON, docs/schema/scenario.schema.json): its world is served, and
    /// its random traffic and scripted steps play against the clock, so a CRM sees live calls.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// The address to listen on (a non-loopback address exposes api.php to the network).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// `real`: screens poll every poll_ms of wall-clock time; `manual`: time moves only
    /// with POST /control/advance.
    #[arg(long, value_enum, default_value_t = ClockArg::Real)]
    clock: ClockArg,
    /// Append the request log to this file, one JSON object per line (standard error if
    /// absent).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
}

/// The clock, as spelled on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ClockArg {
    Real,
    Manual,
}

/// Serves until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let scenario = match (&args.world, &args.scenario) {
        (_, Some(path)) => Scenario::from_json(&read(path)?).map_err(|e| FileError::new(path, e))?,
        (Some(path), None) => {
            // Bounded, with the field path and line in errors, then validated like a
            // scenario's world (unique ids, references, timings).
            let world: WorldSpec = files::read_json(path)?;
            let scenario = world_only(world, &path.display().to_string());
            scenario.validate().map_err(|e| FileError::new(path, e))?;
            scenario
        }
        (None, None) => world_only(Scenario::default_scenario().world, "the built-in default world"),
    };
    if !args.listen.ip().is_loopback() {
        super::output::diag(format!(
            "vicixfer serve: warning: listening on {}, not a loopback address: anyone who can reach it can drive the agents",
            args.listen
        ));
    }
    let listener = std::net::TcpListener::bind(args.listen).map_err(|e| format!("listen on {}: {e}", args.listen))?;
    let clock = match args.clock {
        ClockArg::Real => Clock::Real,
        ClockArg::Manual => Clock::Manual,
    };
    let mut options = Options::new(scenario, clock);
    options.log = args.log.map_or(LogTo::Stderr, LogTo::File);
    options.stop_on_signal = true;
    // (a bare I/O error here is the log file's, which the message names, not stdout's)
    let server = Server::start(listener, options).map_err(|e| e.to_string())?;
    let addr = server.addr();
    let mut out = std::io::stdout().lock();
    writeln!(out, "vicixfer serve: listening on http://{addr}/ (api.php: http://{addr}/agc/api.php)")?;
    out.flush()?;
    drop(out);
    server.wait()?;
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<String, FileError> {
    files::read_text(path, vicixfer::sim::json::MAX_JSON_BYTES)
}

/// A scenario with this world and nothing happening.
fn world_only(world: WorldSpec, name: &str) -> Scenario {
    Scenario {
        schema: None,
        name: name.into(),
        description: String::new(),
        seed: 0,
        world,
        traffic: None,
        steps: Vec::new(),
        expect: Default::default(),
    }
}
