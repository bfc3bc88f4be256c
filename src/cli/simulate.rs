//! `vicixfer simulate` and `vicixfer run`: the simulator on the command line.

use super::output::{self, Mode, Origin};
use crate::cli::files::{self, FileError, PathWriter};
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use vicixfer::sim::timeline::Format;
use vicixfer::sim::{run, run_sharded, Observed, Options, Report, Scenario, Shards};

/// Options shared by `simulate` and `run`.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Write the trace to this file: JSON lines, one record per API request, session step,
    /// customer entering or ending (docs/schema/trace-record.schema.json; passwords redacted).
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// Write a timeline picture of the run to this file, in the format its extension names:
    /// `.svg` a self-contained SVG (one lane per agent screen and per leg, commands and
    /// outcomes marked, a legend); `.md` a Mermaid Gantt chart of the first customers in a
    /// ```mermaid block; anything else (`.mmd`) the Mermaid chart alone.
    #[arg(long, value_name = "FILE")]
    timeline: Option<PathBuf>,
    /// Customers shown in a Mermaid timeline (an SVG shows every leg, up to 64 lanes).
    #[arg(long, default_value_t = 12, value_name = "N")]
    timeline_customers: usize,
    /// Print the report as JSON instead of text; `run` first writes one JSON object per
    /// session input (docs/schema/input-record.schema.json), then `{"report": ...}`.
    #[arg(long)]
    json: bool,
    /// Where to write the shrunk scenario of a violation: a scenario file (JSON,
    /// docs/schema/scenario.schema.json) that `vicixfer run FILE` replays.
    #[arg(long, value_name = "FILE")]
    shrunk_out: Option<PathBuf>,
}

/// `vicixfer simulate`: the built-in scenario, or a scenario file, with random traffic.
pub fn simulate(
    scenario: Option<&Path>,
    seed: Option<u64>,
    calls: Option<u64>,
    no_hash: bool,
    jobs: usize,
    common: &Common,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let scenario = load(scenario)?;
    let planned = calls.or(scenario.traffic.as_ref().map(|t| t.calls)).unwrap_or(0);
    let bar = ProgressBar::new(planned);
    bar.set_style(ProgressStyle::with_template("{spinner} {pos}/{len} calls [{elapsed_precise}] {bar:40} eta {eta}")?);
    if planned < 20_000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let progress = bar.clone();
    let report = if jobs == 1 {
        let mut options = options(common, seed, calls)?;
        options.hash = !no_hash;
        options.progress = Some(Box::new(move |done, _| progress.set_position(done)));
        run(&scenario, options)
    } else {
        if common.trace.is_some() || common.timeline.is_some() {
            return Err("--trace and --timeline record one world: use them with --jobs 1".into());
        }
        let plan = Shards { jobs, seed, calls, hash: !no_hash, ..Shards::default() };
        run_sharded(&scenario, &plan, |done, _| progress.set_position(done))?
    };
    bar.finish_and_clear();
    finish(&report, common, false)
}

/// `vicixfer run FILE`: a scenario file, narrated step by step; `verbose` adds every
/// eventful session step, `common.json` makes it one JSON record per input.
pub fn run_file(
    file: &Path,
    common: &Common,
    verbose: bool,
    quiet: bool,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let scenario = load(Some(file))?;
    let mut options = options(common, None, None)?;
    if !common.json && !quiet {
        options.narrate = Some(Box::new(std::io::stdout()));
    }
    let failed_write = Rc::new(RefCell::new(None));
    if common.json || verbose {
        let mode = if common.json { Mode::Json } else { Mode::Text };
        let failed = Rc::clone(&failed_write);
        let mut out = std::io::stdout();
        options.observe = Some(Box::new(move |o: &Observed<'_>| {
            if failed.borrow().is_some() || (mode == Mode::Text && !output::eventful(o.result)) {
                return;
            }
            let origin = Origin::Run(o.t, o.agent);
            if let Err(e) = output::input(&mut out, mode, origin, &o.input.to_string(), o.before, Ok(o.result)) {
                *failed.borrow_mut() = Some(e);
            }
        }));
    }
    let report = run(&scenario, options);
    if let Some(e) = failed_write.borrow_mut().take() {
        return Err(e.into());
    }
    finish(&report, common, true)
}

fn load(file: Option<&Path>) -> Result<Scenario, FileError> {
    Ok(match file {
        Some(path) => {
            let text = files::read_text(path, vicixfer::sim::json::MAX_JSON_BYTES)?;
            Scenario::from_json(&text).map_err(|e| FileError::new(path, format!("not a valid scenario: {e}")))?
        }
        None => Scenario::default_scenario(),
    })
}

fn options(common: &Common, seed: Option<u64>, calls: Option<u64>) -> Result<Options, Box<dyn std::error::Error>> {
    let trace: Option<Box<dyn Write>> = match &common.trace {
        Some(path) => Some(Box::new(PathWriter::create(path)?)),
        None => None,
    };
    Ok(Options { seed, calls, trace, timeline: common.timeline.is_some(), ..Options::default() })
}

/// Prints the report (`lines`: as the last JSON line, `{"report": ...}`, after the records).
fn finish(report: &Report, common: &Common, lines: bool) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut out = std::io::stdout().lock();
    if common.json && lines {
        writeln!(out, "{}", serde_json::json!({ "report": report }))?;
    } else if common.json {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
    } else {
        write!(out, "{report}")?;
    }
    out.flush()?;
    if let Some(e) = &report.output_error {
        return Err(format!("{e} (the run went on; this output is incomplete)").into());
    }
    if let (Some(path), Some(timeline)) = (&common.timeline, &report.timeline) {
        let title = format!("{} (seed {})", report.name, report.seed);
        let picture = timeline.render(Format::of_path(path), &title, common.timeline_customers);
        files::write_file(path, picture.as_bytes())?;
        output::diag(format!("timeline written to {}", path.display()));
    }
    if let Some(shrunk) = report.violation.as_ref().and_then(|v| v.shrunk.as_ref()) {
        let path =
            common.shrunk_out.clone().unwrap_or_else(|| format!("vicixfer-failure-seed{}.json", report.seed).into());
        files::write_file(&path, shrunk.to_json().as_bytes())?;
        output::diag(format!(
            "shrunk scenario ({} steps) written to {}; replay it with `vicixfer run {}`",
            shrunk.steps.len(),
            path.display(),
            path.display()
        ));
    }
    Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
