//! The visited set: one 128-bit fingerprint per state, never the state itself.
//!
//! A state is named by the xxh3-128 hash of the byte stream its `Hash` implementation
//! writes (the derived `Hash` of [`Session`] writes every field, with lengths and enum
//! discriminants, so different sessions give different streams). Two different states
//! share a fingerprint with probability at most n²/2¹²⁹ for n states: below 10⁻²¹ for
//! a billion states. The visited set has two tiers: the states of the levels already
//! reached, which workers read without a lock while a level is expanded, and the next
//! level's states, which only the merge touches until the level is done; a table holds
//! only 4-byte positions into its array of fingerprints and indices. With the parent
//! pointer, the input index, the idle bit and the successor lists the store costs about
//! 35 bytes a state plus 4 bytes a distinct successor.

use crate::config::Config;
use crate::session::Session;
use hashbrown::HashTable;
use std::hash::{Hash, Hasher};

/// A state's 128-bit fingerprint (two words, so that it packs with 8-byte alignment).
pub(crate) type Fingerprint = [u64; 2];

/// A `Hasher` that only collects the bytes written to it, compactly: integers (lengths,
/// enum discriminants, ids) as LEB128 varints, which are prefix-free like the fixed-width
/// words they replace, so the stream stays an injective encoding of the state but is a
/// third as long. The fingerprint is the xxh3-128 hash of the whole stream.
struct Bytes<'a>(&'a mut Vec<u8>);

impl Bytes<'_> {
    #[inline]
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
}

impl Hasher for Bytes<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    #[inline]
    fn write_u8(&mut self, v: u8) {
        self.0.push(v);
    }

    #[inline]
    fn write_u16(&mut self, v: u16) {
        self.varint(u64::from(v));
    }

    #[inline]
    fn write_u32(&mut self, v: u32) {
        self.varint(u64::from(v));
    }

    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.varint(v);
    }

    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.varint(v as u64);
    }

    #[inline]
    fn write_isize(&mut self, v: isize) {
        // Discriminants: small and non-negative; a negative one still encodes uniquely.
        self.varint(v as u64);
    }

    fn finish(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(self.0)
    }
}

/// The fingerprint of `s` (`buf` is scratch space, reused between calls).
pub(crate) fn fingerprint(s: &Session, buf: &mut Vec<u8>) -> Fingerprint {
    buf.clear();
    s.hash(&mut Bytes(buf));
    digest(buf)
}

fn digest(stream: &[u8]) -> Fingerprint {
    let h = xxhash_rust::xxh3::xxh3_128(stream);
    [h as u64, (h >> 64) as u64]
}

/// Fingerprints the successors of one state. Successors almost always keep their
/// parent's settings, so the stream of the parent's `config` (the first field `Hash`
/// writes) is written once and copied; the fingerprints are exactly [`fingerprint`]'s.
pub(crate) struct Fingerprinter<'a> {
    config: &'a Config,
    /// The stream of `config` alone.
    prefix: Vec<u8>,
    buf: Vec<u8>,
}

impl<'a> Fingerprinter<'a> {
    pub(crate) fn new(config: &'a Config, mut prefix: Vec<u8>, buf: Vec<u8>) -> Fingerprinter<'a> {
        prefix.clear();
        config.hash(&mut Bytes(&mut prefix));
        Fingerprinter { config, prefix, buf }
    }

    /// [`fingerprint`] of `s`.
    pub(crate) fn of(&mut self, s: &Session) -> Fingerprint {
        // Every field, in declaration order (as the derived `Hash`); naming them all
        // makes a new field a compile error here.
        let Session { config, agent, room, screen, slots, legs, left, free_conferences, next_leg } = s;
        let buf = &mut self.buf;
        buf.clear();
        if config == self.config {
            buf.extend_from_slice(&self.prefix);
        } else {
            config.hash(&mut Bytes(buf));
        }
        let mut h = Bytes(buf);
        agent.hash(&mut h);
        room.hash(&mut h);
        screen.hash(&mut h);
        slots.hash(&mut h);
        legs.hash(&mut h);
        left.hash(&mut h);
        free_conferences.hash(&mut h);
        next_leg.hash(&mut h);
        digest(buf)
    }

    /// The buffers back, for the next state.
    pub(crate) fn into_buffers(self) -> (Vec<u8>, Vec<u8>) {
        (self.prefix, self.buf)
    }
}

/// The parent of a root state.
pub(crate) const ROOT: u32 = u32::MAX;

/// Shards of the settled tier (a power of two): the table grows a shard at a time, so
/// that no growth copies the whole set at once.
const SHARDS: usize = 64;

/// The visited set, fingerprint to state index, in two tiers: `settled`, the states of
/// the levels up to the one being expanded, which nothing changes while a level is
/// expanded, so every worker reads it without a lock; and `fresh`, the next level's states
/// found so far, which only the merge reads and writes. [`Visited::settle`] moves the
/// fresh states into the settled tier once a level is done.
#[derive(Default)]
pub(crate) struct Visited {
    pub(crate) settled: Settled,
    pub(crate) fresh: Fresh,
}

/// The settled tier, sharded by the fingerprint's second word.
pub(crate) struct Settled {
    shards: Box<[Shard]>,
}

/// The fresh tier: one shard.
#[derive(Default)]
pub(crate) struct Fresh(Shard);

/// A map from fingerprint to a `u32` (a state's index; a chunk's candidate position in
/// the explorer): an index-only table over its entries.
#[derive(Default)]
pub(crate) struct Shard {
    table: HashTable<u32>,
    entries: Vec<Entry>,
}

/// A stored fingerprint and its state index side by side, 20 bytes with no padding, so
/// that a lookup that finds its position reads one more cache line (two for the quarter
/// of entries that straddle a line), not two or three.
#[derive(Clone, Copy)]
struct Entry([u32; 5]);

impl Entry {
    fn new(fp: &Fingerprint, id: u32) -> Entry {
        let [a, b] = *fp;
        Entry([a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32, id])
    }

    fn fp(&self) -> Fingerprint {
        let w = |lo: u32, hi: u32| u64::from(lo) | u64::from(hi) << 32;
        [w(self.0[0], self.0[1]), w(self.0[2], self.0[3])]
    }

    fn id(&self) -> u32 {
        self.0[4]
    }
}

impl Shard {
    /// The value stored for this fingerprint, if any.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        let p = self.table.find(fp[0], |&p| self.entries[p as usize].fp() == *fp)?;
        Some(self.entries[*p as usize].id())
    }

    /// Stores `id` for a fingerprint the caller found absent.
    pub(crate) fn insert(&mut self, fp: &Fingerprint, id: u32) {
        self.insert_entry(Entry::new(fp, id));
    }

    fn insert_entry(&mut self, entry: Entry) {
        let p = self.entries.len() as u32;
        let entries = &self.entries;
        self.table.insert_unique(entry.fp()[0], p, |&q| entries[q as usize].fp()[0]);
        self.entries.push(entry);
    }

    /// Bytes held (lengths of the entries, capacity of the table).
    fn bytes(&self) -> usize {
        self.entries.len() * std::mem::size_of::<Entry>() + self.table.capacity() * 5
    }
}

impl Default for Settled {
    fn default() -> Self {
        Settled { shards: (0..SHARDS).map(|_| Shard::default()).collect() }
    }
}

impl Settled {
    /// The index of the state with this fingerprint, if it is in the settled tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.shards[Settled::shard(fp)].find(fp)
    }

    /// The shard of a fingerprint: its second word's top bits.
    fn shard(fp: &Fingerprint) -> usize {
        (fp[1] >> 58) as usize % SHARDS
    }
}

impl Fresh {
    /// The index of the state with this fingerprint, if it is in the fresh tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.0.find(fp)
    }
}

impl Visited {
    /// The index of the state with this fingerprint, if it is stored in either tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.settled.find(fp).or_else(|| self.fresh.find(fp))
    }

    /// Moves the fresh states into the settled tier (between levels).
    pub(crate) fn settle(&mut self) {
        for entry in std::mem::take(&mut self.fresh.0).entries {
            self.settled.shards[Settled::shard(&entry.fp())].insert_entry(entry);
        }
    }

    /// Bytes held by both tiers.
    fn bytes(&self) -> usize {
        self.settled.shards.iter().map(Shard::bytes).sum::<usize>() + self.fresh.0.bytes()
    }
}

/// Visited states in breadth-first order (index = discovery order), with their graph.
#[derive(Default)]
pub(crate) struct Store {
    /// Parent index ([`ROOT`] for an initial state; then `input` is the initial session's position).
    pub(crate) parent: Vec<u32>,
    /// Index of the input, in the parent's [`super::Alphabet::inputs`], that led here.
    pub(crate) input: Vec<u16>,
    /// The state is idle ([`Session::is_idle`]).
    pub(crate) idle: Vec<bool>,
    /// First index of each breadth-first level (and one past the last level).
    pub(crate) levels: Vec<u32>,
    /// Successor lists of the expanded states (distinct, without self loops), in
    /// compressed form: state `i`'s are `succ[succ_start[i]..succ_start[i + 1]]`.
    pub(crate) succ_start: Vec<u64>,
    pub(crate) succ: Vec<u32>,
}

impl Store {
    pub(crate) fn len(&self) -> usize {
        self.parent.len()
    }

    /// Inserts a new state into the fresh tier and the graph (the caller found it in
    /// neither tier).
    pub(crate) fn insert(&mut self, fresh: &mut Fresh, fp: Fingerprint, parent: u32, input: u16, idle: bool) -> u32 {
        let n = self.parent.len() as u32;
        fresh.0.insert(&fp, n);
        self.parent.push(parent);
        self.input.push(input);
        self.idle.push(idle);
        n
    }

    /// Bytes held by the visited set and the graph (lengths, not capacities).
    pub(crate) fn bytes(&self, visited: &Visited) -> usize {
        visited.bytes()
            + self.parent.len() * 4
            + self.input.len() * 2
            + self.idle.len()
            + self.succ_start.len() * 8
            + self.succ.len() * 4
    }

    /// The depth of state `i`.
    pub(crate) fn depth(&self, i: u32) -> u32 {
        self.levels.partition_point(|&start| start <= i) as u32 - 1
    }

    /// The chain of input indices from the root to `at`, and the root's initial position.
    pub(crate) fn chain(&self, mut at: u32) -> (usize, Vec<u16>) {
        let mut ks = Vec::new();
        while self.parent[at as usize] != ROOT {
            ks.push(self.input[at as usize]);
            at = self.parent[at as usize];
        }
        ks.reverse();
        (self.input[at as usize] as usize, ks)
    }

    /// For each expanded state, whether an idle state is reachable from it: a fixpoint
    /// over the successor lists, swept from the deepest states up (most paths to idle
    /// lead deeper, so a few sweeps suffice).
    pub(crate) fn can_reach_idle(&self) -> Vec<bool> {
        let mut alive = self.idle.clone();
        let expanded = self.succ_start.len().saturating_sub(1);
        loop {
            let mut changed = false;
            for i in (0..expanded).rev() {
                if alive[i] {
                    continue;
                }
                let (a, b) = (self.succ_start[i] as usize, self.succ_start[i + 1] as usize);
                if self.succ[a..b].iter().any(|&j| alive[j as usize]) {
                    alive[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return alive;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::{initial_sessions, Alphabet};

    /// The successor fingerprints equal the whole-state ones, with the parent's settings
    /// and with another's.
    #[test]
    fn fingerprinter_agrees_with_fingerprint() {
        let sessions = initial_sessions();
        let alphabet = Alphabet::standard();
        let mut buf = Vec::new();
        for parent in &sessions {
            let mut f = Fingerprinter::new(&parent.config, Vec::new(), Vec::new());
            for s in &sessions {
                assert_eq!(f.of(s), fingerprint(s, &mut buf));
                for input in alphabet.inputs(s) {
                    if let Ok(next) = crate::step(s, input) {
                        assert_eq!(f.of(&next.session), fingerprint(&next.session, &mut buf));
                    }
                }
            }
        }
    }
}
