//! Counters of a run, keyed `group.name` (no allocation per count).

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Named counters, grouped (`api`, `screen`, `races`, `xfer`, `customers`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metrics {
    counts: BTreeMap<(&'static str, &'static str), u64>,
}

impl Metrics {
    /// Adds one to `group.name`.
    pub fn bump(&mut self, group: &'static str, name: &'static str) {
        *self.counts.entry((group, name)).or_default() += 1;
    }

    /// Adds `n` to `group.name`.
    pub fn add(&mut self, group: &'static str, name: &'static str, n: u64) {
        *self.counts.entry((group, name)).or_default() += n;
    }

    /// The value of `group.name` (0 if never counted).
    pub fn get(&self, group: &str, name: &str) -> u64 {
        self.counts.iter().find(|((g, n), _)| *g == group && *n == name).map_or(0, |(_, v)| *v)
    }

    /// The value of a dotted key `group.name`.
    pub fn get_dotted(&self, key: &str) -> u64 {
        key.split_once('.').map_or(0, |(g, n)| self.get(g, n))
    }

    /// Sum of a group.
    pub fn total(&self, group: &str) -> u64 {
        self.group(group).map(|(_, v)| v).sum()
    }

    /// The counters of one group, by name.
    pub fn group<'a>(&'a self, group: &'a str) -> impl Iterator<Item = (&'static str, u64)> + 'a {
        self.counts.iter().filter(move |((g, _), _)| *g == group).map(|((_, n), v)| (*n, *v))
    }

    /// Every counter as `(group, name, value)`, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, u64)> + '_ {
        self.counts.iter().map(|((g, n), v)| (*g, *n, *v))
    }
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.counts.len()))?;
        for ((group, name), value) in &self.counts {
            map.serialize_entry(&format!("{group}.{name}"), value)?;
        }
        map.end()
    }
}

impl fmt::Display for Metrics {
    /// One line per group: `group: name=value name=value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = "";
        for ((group, name), value) in &self.counts {
            if *group != last {
                if !last.is_empty() {
                    writeln!(f)?;
                }
                write!(f, "  {group:<10}")?;
                last = group;
            }
            write!(f, " {name}={value}")?;
        }
        if !last.is_empty() {
            writeln!(f)?;
        }
        Ok(())
    }
}
