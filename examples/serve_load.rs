//! Load on `vicixfer serve`: many concurrent keep-alive clients on loopback for a bounded
//! time, then requests/s, p50/p99 latency, and the command ledger (every stored
//! transfer_conference command executed or dropped with a reason, or still pending).
//!
//! ```sh
//! cargo run --release --example serve_load -- [--seconds 10] [--clients 32] [--url http://127.0.0.1:8080]
//! ```
//!
//! Without `--url` it starts a server of its own (real clock, the built-in default world)
//! on an ephemeral port. Exits 1 if the ledger is unbalanced or an invariant broke.

use std::time::{Duration, Instant};
use vicixfer::serve::{Clock, LogTo, Options, Server};
use vicixfer::sim::Scenario;

const AUTH: &str = "source=crm&user=6666&pass=1234";
const AGENTS: [&str; 9] = ["1001", "1002", "1003", "1004", "1005", "1006", "2001", "2002", "2003"];
const VALUES: [&str; 6] = [
    "function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234",
    "function=transfer_conference&value=HANGUP_XFER",
    "function=transfer_conference&value=LEAVE_3WAY_CALL",
    "function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=SUPPORT",
    "function=park_call&value=PARK_CUSTOMER",
    "function=park_call&value=GRAB_CUSTOMER",
];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// CPU seconds (user + system) so far of this process's threads: the server's engine
/// thread, its HTTP threads (tokio workers and the accept thread), and everything else
/// (the clients, whose threads may have ended: the process's total less the server's).
/// Linux only (`/proc/self`), `None` elsewhere.
fn thread_cpu() -> Option<[f64; 3]> {
    let ticks_of = |stat: &str| -> Option<f64> {
        let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        Some((ticks(11) + ticks(12)) as f64 / 100.0)
    };
    let total = ticks_of(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
    let mut sums = [0.0; 3];
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let Ok(stat) = std::fs::read_to_string(task.ok()?.path().join("stat")) else { continue };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let group = match &stat[open + 1..close] {
            "vicixfer-engine" => 0,
            c if c.starts_with("tokio-rt") || c == "vicixfer-http" => 1,
            _ => continue,
        };
        sums[group] += ticks_of(&stat).unwrap_or(0.0);
    }
    sums[2] = total - sums[0] - sums[1];
    Some(sums)
}

/// A keep-alive HTTP/1.1 client of the least possible cost (one write, reads until the
/// `Content-Length` body is in), so that the clients' own work does not crowd the server
/// out of the two cores it shares with them. Reconnects after an error.
struct Conn {
    host: String,
    stream: Option<std::net::TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    fn new(host: &str) -> Conn {
        Conn { host: host.to_string(), stream: None, buf: Vec::with_capacity(4096) }
    }

    /// The body of `GET path`, or `None` on any error.
    fn get(&mut self, path: &str) -> Option<&[u8]> {
        use std::io::{Read, Write};
        if self.stream.is_none() {
            let stream = std::net::TcpStream::connect(&self.host).ok()?;
            stream.set_nodelay(true).ok()?;
            stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
            self.stream = Some(stream);
        }
        let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host);
        let result = (|| {
            let stream = self.stream.as_mut()?;
            stream.write_all(request.as_bytes()).ok()?;
            self.buf.clear();
            let mut chunk = [0u8; 4096];
            let (head, length) = loop {
                let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
                self.buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = std::str::from_utf8(&self.buf[..end]).ok()?;
                    let length = head.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
                    })?;
                    break (end + 4, length);
                }
            };
            while self.buf.len() < head + length {
                let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
                self.buf.extend_from_slice(&chunk[..n]);
            }
            Some(head..head + length)
        })();
        match result {
            Some(body) => Some(&self.buf[body]),
            None => {
                self.stream = None;
                None
            }
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = arg(&args, "--seconds").map_or(Ok(10), |s| s.parse())?;
    let clients: usize = arg(&args, "--clients").map_or(Ok(32), |s| s.parse())?;
    let (server, base) = match arg(&args, "--url") {
        Some(url) => (None, url.trim_end_matches('/').to_string()),
        None => {
            let mut scenario = Scenario::default_scenario();
            scenario.traffic = None;
            let mut options = Options::new(scenario, Clock::Real);
            options.log = LogTo::Off;
            let server = Server::start(std::net::TcpListener::bind("127.0.0.1:0")?, options)?;
            let base = format!("http://{}", server.addr());
            (Some(server), base)
        }
    };
    let http = agent();
    for user in AGENTS {
        let body = format!(r#"{{"action":"call","agent":"{user}"}}"#);
        http.post(&format!("{base}/control/inject")).header("Content-Type", "application/json").send(&body)?;
    }
    let cpu_before = thread_cpu();
    let until = Instant::now() + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let host = base.trim_start_matches("http://").to_string();
            std::thread::spawn(move || {
                let mut conn = Conn::new(&host);
                let mut latencies = Vec::with_capacity(1 << 16);
                let mut failures = 0u64;
                let mut i = c;
                while Instant::now() < until {
                    i = i.wrapping_mul(31).wrapping_add(7);
                    let user = AGENTS[i % AGENTS.len()];
                    let rest = VALUES[(i / 9) % VALUES.len()];
                    let path = format!("/agc/api.php?{AUTH}&agent_user={user}&{rest}");
                    let t = Instant::now();
                    let ok = conn.get(&path);
                    latencies.push(t.elapsed().as_micros() as u32);
                    if ok.is_none_or(|b| !b.starts_with(b"SUCCESS") && !b.starts_with(b"ERROR")) {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut failures = 0;
    for t in threads {
        let (l, f) = t.join().map_err(|_| "a client thread panicked")?;
        all.extend(l);
        failures += f;
    }
    let cpu_after = thread_cpu();
    all.sort_unstable();
    let pct =
        |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0);
    println!("clients   {clients} keep-alive connections, {seconds} s");
    println!("requests  {} ({} failed), {:.0} requests/s", all.len(), failures, all.len() as f64 / seconds as f64);
    println!(
        "latency   p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0,
        pct(1.0) as f64 / 1000.0
    );
    if let (Some(b), Some(a)) = (cpu_before, cpu_after) {
        // On a machine shared with other work, requests/s measures the share of the cores
        // this process got; the CPU time per request is what the server itself costs.
        let per = |s: f64| s * 1e6 / all.len().max(1) as f64;
        let (engine, http, clients) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        println!(
            "cpu       server {:.1} us/request (engine thread {:.1}, http workers {:.1}), clients {:.1} us/request",
            per(engine + http),
            per(engine),
            per(http),
            per(clients)
        );
    }
    // Let every screen poll once more, so the last commands are read.
    std::thread::sleep(Duration::from_millis(2500));
    let state: serde_json::Value =
        serde_json::from_str(&http.get(&format!("{base}/control/state")).call()?.body_mut().read_to_string()?)?;
    let c = &state["commands"];
    println!("commands  {c}");
    println!("violations {}", state["violations"]);
    if let Some(server) = server {
        server.shutdown()?;
    }
    let balanced = c["balanced"] == true && state["violations"] == 0 && failures == 0;
    println!("{}", if balanced { "ledger balanced" } else { "LEDGER UNBALANCED OR FAILURES" });
    std::process::exit(if balanced { 0 } else { 1 });
}
