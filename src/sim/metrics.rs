//! Counters of a run, keyed `group.name` (no allocation per count).

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Named counters, grouped (`api`, `screen`, `races`, `xfer`, `customers`, ...).
///
/// A counter is bumped on every session step, so the counts live in a hash map with a
/// cheap hasher (a few multiplications for the two short names) rather than an ordered
/// map (string comparisons per level); everything that shows them sorts them first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metrics {
    counts: HashMap<(&'static str, &'static str), u64, BuildHasherDefault<NameHasher>>,
}

/// FNV-1a over the names' bytes, eight at a time: the keys are a few dozen fixed names,
/// so neither quality against adversaries nor randomisation matters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(c);
            self.0 = (self.0 ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
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

    /// The counters in `group.name` order.
    fn sorted(&self) -> BTreeMap<(&'static str, &'static str), u64> {
        self.counts.iter().map(|(k, v)| (*k, *v)).collect()
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
        self.sorted().into_iter().filter(move |((g, _), _)| *g == group).map(|((_, n), v)| (n, v))
    }

    /// Every counter as `(group, name, value)`, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, u64)> + '_ {
        self.sorted().into_iter().map(|((g, n), v)| (g, n, v))
    }
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.counts.len()))?;
        for ((group, name), value) in &self.sorted() {
            map.serialize_entry(&format!("{group}.{name}"), value)?;
        }
        map.end()
    }
}

impl fmt::Display for Metrics {
    /// One line per group: `group: name=value name=value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = "";
        for ((group, name), value) in &self.sorted() {
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
