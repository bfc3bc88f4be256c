//! `vicixfer drive`: a session driven by hand, line by line.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use vicixfer::{step, Config, Input, Session};

pub fn run(script: Option<&Path>, config: Option<&Path>) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let config: Config = match config {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)?,
        None => Config::default(),
    };
    let reader: Box<dyn BufRead> = match script {
        Some(path) => Box::new(std::io::BufReader::new(std::fs::File::open(path)?)),
        None => Box::new(std::io::stdin().lock()),
    };
    let mut out = std::io::stdout().lock();
    let mut session = Session::new(config);
    writeln!(out, "  {session}")?;
    let mut failed = false;
    for line in reader.lines() {
        let line = line?;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        writeln!(out, "> {line}")?;
        let input: Input = match line.parse() {
            Ok(input) => input,
            Err(err) => {
                writeln!(out, "  ! {err}")?;
                failed = true;
                continue;
            }
        };
        match step(&session, input) {
            Ok(next) => {
                for effect in &next.effects {
                    writeln!(out, "  effect {effect}")?;
                }
                for event in &next.events {
                    writeln!(out, "  event  {event}")?;
                }
                session = next.session;
                writeln!(out, "  {session}")?;
            }
            Err(rejection) => {
                writeln!(out, "  rejected: {rejection}")?;
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
