//! The JSON Schemas under docs/schema/ (feature `schema`): they are what the types
//! generate today, every shipped example names its schema with `"$schema"` and follows it,
//! the loaders accept the key, and a simulator trace follows the trace-record schema.
//!
//! After changing a file format: `VICIXFER_BLESS=1 cargo test --features schema --test schema`
//! rewrites the committed schemas.

use jsonschema::Validator;
use serde_json::Value;
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use vicixfer::api::Directory;
use vicixfer::sim::{self, Scenario};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> Validator {
    let schema: Value = serde_json::from_str(&read(&Path::new("docs/schema").join(name))).expect("a schema");
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn errors(v: &Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn committed_schemas_are_current() {
    let bless = std::env::var_os("VICIXFER_BLESS").is_some();
    for (name, schema) in vicixfer::schema::all() {
        let path = Path::new("docs/schema").join(name);
        let fresh = vicixfer::schema::render(&schema);
        if bless {
            std::fs::create_dir_all("docs/schema").expect("docs/schema");
            std::fs::write(&path, &fresh).expect("write the schema");
        }
        assert!(
            std::fs::read_to_string(&path).ok().as_deref() == Some(fresh.as_str()),
            "{} is stale: run VICIXFER_BLESS=1 cargo test --features schema --test schema",
            path.display()
        );
    }
}

/// Every shipped JSON example, with the schema it must follow.
fn shipped() -> Vec<(PathBuf, &'static str)> {
    let mut files = vec![
        (PathBuf::from("examples/world.json"), "world.schema.json"),
        (PathBuf::from("src/sim/default_scenario.json"), "scenario.schema.json"),
    ];
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir("examples/scenarios")
        .expect("examples/scenarios")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    scenarios.sort();
    assert!(!scenarios.is_empty());
    files.extend(scenarios.into_iter().map(|p| (p, "scenario.schema.json")));
    files
}

#[test]
fn every_shipped_example_names_and_follows_its_schema() {
    for (path, schema) in shipped() {
        let instance: Value = serde_json::from_str(&read(&path)).expect("JSON");
        let named =
            instance.get("$schema").and_then(Value::as_str).unwrap_or_else(|| panic!("{}: no $schema", path.display()));
        // The reference is relative to the file and lands on the committed schema.
        let target = path.parent().expect("a directory").join(named);
        assert_eq!(
            std::fs::canonicalize(&target).ok(),
            std::fs::canonicalize(Path::new("docs/schema").join(schema)).ok(),
            "{}: $schema {named:?} is not docs/schema/{schema}",
            path.display()
        );
        let found = errors(&validator(schema), &instance);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_loaders_accept_the_schema_key() {
    for (path, schema) in shipped() {
        let text = read(&path);
        match schema {
            "world.schema.json" => {
                drop(Directory::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
            }
            _ => drop(Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))),
        }
    }
    assert!(Scenario::default_scenario().schema.is_some(), "the built-in scenario parses with its $schema");
}

#[test]
fn the_schemas_reject_what_the_loaders_reject() {
    let world = validator("world.schema.json");
    let bad: Value = serde_json::json!({ "users": [{ "user": "6666", "passwd": "x" }] });
    assert!(Directory::from_json(&bad.to_string()).is_err());
    assert!(!errors(&world, &bad).is_empty(), "an unknown field is an error in both");
    let scenario = validator("scenario.schema.json");
    let bad: Value = serde_json::json!({ "name": "x", "steps": [{ "at": "soon", "call": { "entry": "outbound" } }] });
    assert!(Scenario::from_json(&bad.to_string()).is_err());
    assert!(!errors(&scenario, &bad).is_empty(), "a string time is an error in both");
    let config = validator("config.schema.json");
    assert!(errors(&config, &serde_json::to_value(vicixfer::Config::default()).expect("JSON")).is_empty());
    assert!(!errors(&config, &serde_json::json!({ "consult_delay": -1 })).is_empty());
}

/// A `Write` the test can read back after the simulator dropped its box.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_trace_line_follows_the_trace_record_schema() {
    let trace = Shared::default();
    let options = sim::Options { calls: Some(40), trace: Some(Box::new(trace.clone())), ..sim::Options::default() };
    let report = sim::run(&Scenario::default_scenario(), options);
    assert!(report.passed());
    let text = String::from_utf8(trace.0.borrow().clone()).expect("utf-8");
    let records = validator("trace-record.schema.json");
    let mut kinds = std::collections::BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let record: Value = serde_json::from_str(line).expect("a JSON line");
        kinds.insert(record["kind"].as_str().unwrap_or_default().to_string());
        let found = errors(&records, &record);
        assert!(found.is_empty(), "trace line {}: {found:#?}\n{line}", n + 1);
    }
    assert!(kinds.len() >= 3, "the run exercised several record kinds: {kinds:?}");
}
