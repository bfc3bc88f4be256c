//! `vicixfer drive`: a session driven by hand, line by line.

use super::output::{self, Mode, Origin};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use vicixfer::{step, Config, Input, Session};

pub fn run(script: Option<&Path>, config: Option<&Path>, mode: Mode) -> Result<ExitCode, Box<dyn std::error::Error>> {
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
    if mode == Mode::Text {
        writeln!(out, "  {session}")?;
    }
    let mut failed = false;
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let input: Input = match line.parse() {
            Ok(input) => input,
            Err(err) => {
                output::input(&mut out, mode, Origin::Line(n + 1), line, &session, Err(err.to_string()))?;
                failed = true;
                continue;
            }
        };
        let result = step(&session, input);
        output::input(&mut out, mode, Origin::Line(n + 1), line, &session, Ok(&result))?;
        match result {
            Ok(next) => session = next.session,
            Err(_) => failed = true,
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
