//! `vicixfer serve`: api.php over HTTP, backed by live agent sessions (feature `serve`).
//!
//! A [`Server`] runs one simulated world (the simulator's, through its
//! [`Hub`](crate::hub::Hub)) on an engine thread and answers HTTP on a tokio runtime:
//!
//! * `GET` / `POST /agc/api.php`: exactly [`api::answer`](crate::api::answer)'s body, with
//!   api.php's status and headers; a form body fills what the query lacks, as PHP reads
//!   `$_GET` then `$_POST`.
//! * `/control/...`: inject network events and agent actions, advance a manual clock,
//!   reset, read the state, and a Server-Sent Events stream of every step.
//! * `/`: a live page of every agent and leg.
//!
//! See `docs/serve.md` for the paths and their JSON.
//!
//! ```no_run
//! use vicixfer::serve::{Clock, Options, Server};
//! use vicixfer::sim::Scenario;
//!
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! let server = Server::start(listener, Options::new(Scenario::default_scenario(), Clock::Manual))?;
//! println!("http://{}/agc/api.php", server.addr());
//! server.shutdown()?;
//! # Ok::<(), std::io::Error>(())
//! ```

mod engine;
mod form;
mod http;

pub use engine::{Action, Clock, ControlError, PartyDoes};

use crate::hub::Check;
use crate::sim::Scenario;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

/// Where the JSON-lines request log goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTo {
    /// Standard error.
    Stderr,
    /// Appended to this file.
    File(PathBuf),
    /// Nowhere.
    Off,
}

/// Request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (413 beyond).
    pub max_body: usize,
    /// Longest query string (414 beyond).
    pub max_query: usize,
    /// Longest a request may take, headers included (408 or 503 beyond).
    pub request_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 64 * 1024,
            max_query: 16 * 1024,
            request_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The world (agents, campaigns, in-groups, timings); its traffic and scripted steps,
    /// if any, play against the clock.
    pub scenario: Scenario,
    /// Real or manual time.
    pub clock: Clock,
    /// The request log.
    pub log: LogTo,
    /// Request limits.
    pub limits: Limits,
    /// Also stop on Ctrl-C (SIGINT) or SIGTERM.
    pub stop_on_signal: bool,
    /// The check run on every step of every session: the crate's invariants by default.
    /// A violation goes to the event stream and the log; the world goes on.
    pub check: Check,
}

impl Options {
    /// `scenario` on `clock`, logging to standard error, default limits, no signal handling.
    pub fn new(scenario: Scenario, clock: Clock) -> Options {
        Options {
            scenario,
            clock,
            log: LogTo::Stderr,
            limits: Limits::default(),
            stop_on_signal: false,
            check: crate::hub::invariant_check,
        }
    }
}

/// A running server. Dropping it without [`Server::shutdown`] leaves it running until
/// the process ends.
pub struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Starts serving on `listener` (already bound) on a thread of its own.
    pub fn start(listener: std::net::TcpListener, options: Options) -> io::Result<Server> {
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (log_tx, log_thread) = logger(&options.log)?;
        let (events, _) = tokio::sync::broadcast::channel(4096);
        let (cmd_tx, cmd_rx) = mpsc::channel();
        let (scenario, clock, feed_events, engine_log) =
            (options.scenario.clone(), options.clock, events.clone(), log_tx.clone());
        let check = options.check;
        let engine = std::thread::Builder::new().name("vicixfer-engine".into()).spawn(move || {
            engine::Engine::new(scenario, check, clock, feed_events, engine_log).run(cmd_rx);
        })?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let (stop_streams, stopping) = tokio::sync::watch::channel(false);
        let logging = options.log != LogTo::Off;
        let app = http::App { engine: cmd_tx, events, log: log_tx, logging, limits: options.limits, stopping };
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let signal = options.stop_on_signal;
        let thread = std::thread::Builder::new().name("vicixfer-http".into()).spawn(move || {
            let served = runtime.block_on(http::serve(listener, app, stop_streams, stopped, signal));
            drop(runtime);
            let _ = engine.join();
            let logged = log_thread.join().unwrap_or_else(|_| Err(io::Error::other("the log thread panicked")));
            served.and(logged)
        })?;
        Ok(Server { addr, stop: Some(stop), thread: Some(thread) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets open requests finish (2 s at most), stops the engine and
    /// flushes the log.
    pub fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.wait()
    }

    /// Waits until the server stops (on a signal, with [`Options::stop_on_signal`]).
    pub fn wait(mut self) -> io::Result<()> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(served)) => served,
            Some(Err(_)) => Err(io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

/// The log writer thread: JSON lines from a bounded queue (a full queue drops lines
/// rather than blocking a request). A failed write (a full disk, a closed standard error)
/// is said at once on standard error, ends the log (the server goes on serving) and is the
/// thread's result, so [`Server::wait`] and [`Server::shutdown`] return it, naming the log.
fn logger(to: &LogTo) -> io::Result<(mpsc::SyncSender<String>, JoinHandle<io::Result<()>>)> {
    let (mut out, name): (Box<dyn io::Write + Send>, String) = match to {
        LogTo::Stderr => (Box::new(io::stderr()), "standard error".into()),
        LogTo::File(path) => (
            Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| io::Error::new(e.kind(), format!("log {}: {e}", path.display())))?,
            ),
            path.display().to_string(),
        ),
        LogTo::Off => (Box::new(io::sink()), "nowhere".into()),
    };
    let (tx, rx) = mpsc::sync_channel::<String>(65_536);
    let thread = std::thread::Builder::new().name("vicixfer-log".into()).spawn(move || {
        let mut buf = io::BufWriter::new(&mut out);
        let written = (|| {
            while let Ok(line) = rx.recv() {
                writeln!(buf, "{line}")?;
                while let Ok(line) = rx.try_recv() {
                    writeln!(buf, "{line}")?;
                }
                buf.flush()?;
            }
            buf.flush()
        })();
        written.map_err(|e| {
            let e = io::Error::new(e.kind(), format!("log {name}: {e} (the request log stopped there)"));
            let _ = writeln!(io::stderr(), "vicixfer serve: {e}");
            e
        })
    })?;
    Ok((tx, thread))
}

/// A shared line of the event stream.
type Line = Arc<str>;
