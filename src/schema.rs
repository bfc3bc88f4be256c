//! JSON Schemas of the crate's file formats (feature `schema`), generated from the types
//! with schemars and committed under `docs/schema/` (`tests/schema.rs` checks that they
//! are current and that every shipped example follows its schema).
//!
//! | file | type | read by |
//! |---|---|---|
//! | `scenario.schema.json` | [`sim::Scenario`](crate::sim::Scenario) | `vicixfer run`, `vicixfer simulate --scenario` |
//! | `world.schema.json` | [`api::Directory`](crate::api::Directory) | `vicixfer api --world`, [`Directory::from_json`](crate::api::Directory::from_json) |
//! | `config.schema.json` | [`Config`](crate::Config) | `vicixfer drive --config` |
//! | `trace-record.schema.json` | one line of a `--trace` file | tools reading traces |
//!
//! A file names its schema with a `"$schema"` key (a path relative to the file), which the
//! loaders accept and ignore.

use schemars::{schema_for, Schema};

/// Every schema: its file name under `docs/schema/` and the schema.
pub fn all() -> Vec<(&'static str, Schema)> {
    vec![
        ("scenario.schema.json", schema_for!(crate::sim::Scenario)),
        ("world.schema.json", schema_for!(crate::api::Directory)),
        ("config.schema.json", schema_for!(crate::Config)),
        ("trace-record.schema.json", schema_for!(crate::sim::trace::Record<'static>)),
    ]
}

/// A schema as committed: pretty-printed JSON with a final newline.
pub fn render(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
