//! The visited set: one 128-bit fingerprint per state, never the state itself.
//!
//! A state is named by the xxh3-128 hash of the byte stream its `Hash` implementation
//! writes (the derived `Hash` of [`Session`] writes every field, with lengths and enum
//! discriminants, so different sessions give different streams). Two different states
//! share a fingerprint with probability at most n²/2¹²⁹ for n states: below 10⁻²¹ for
//! a billion states. The visited set has two tiers: the states of the levels already
//! reached, which workers read without a lock while a level is expanded, and the next
//! level's states, which only the merge touches until the level is done. Each tier keeps
//! its fingerprints in one array in state order, and a hash table of 4-byte state indices
//! into it. With the parent pointer, the input index, the idle bit and the successor
//! lists the store costs about 33 bytes a state plus 4 bytes a distinct successor.

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

/// Fingerprints one state and its successors. A successor keeps most of its parent's
/// fields (always its settings), so the parent's stream is written once with the end of
/// each field's part, and a successor's stream copies the part of every field equal to
/// the parent's and writes only the others: the stream, and so the fingerprint, is
/// exactly [`fingerprint`]'s.
pub(crate) struct Fingerprinter<'a> {
    parent: &'a Session,
    /// The parent's stream, and where each field's part of it ends (declaration order).
    stream: Vec<u8>,
    ends: [usize; FIELDS],
    buf: Vec<u8>,
}

/// The fields of [`Session`].
const FIELDS: usize = 9;

/// A parent whose stream a successor's copies from.
#[derive(Clone, Copy)]
struct ParentStream<'p> {
    session: &'p Session,
    stream: &'p [u8],
    ends: &'p [usize; FIELDS],
}

impl ParentStream<'_> {
    /// Where field `i`'s part of the stream starts.
    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1]
        }
    }
}

/// A stream being written field by field, each field equal to the parent's (if there is
/// one) copied from the parent's stream.
struct Writer<'p, 'o> {
    parent: Option<ParentStream<'p>>,
    out: &'o mut Vec<u8>,
    /// Where each written field's part of `out` ends: every field's, for a stream
    /// written without a parent (a copied field's end is not kept).
    ends: [usize; FIELDS],
    /// The first of the fields equal to the parent's whose part is still to be copied.
    copy_from: Option<usize>,
}

impl Writer<'_, '_> {
    /// Field `i`: copied from the parent's stream if `same`, else written. Always inlined,
    /// as is [`write_stream`]: out of line they cost the explorer 2% more instructions.
    #[inline(always)]
    fn field(&mut self, i: usize, same: bool, write: impl FnOnce(&mut Bytes<'_>)) {
        if same {
            self.copy_from.get_or_insert(i);
        } else {
            self.copy_until(i);
            write(&mut Bytes(self.out));
            self.ends[i] = self.out.len();
        }
    }

    /// Copies the parent's parts of the pending equal fields, up to field `i`.
    #[inline]
    fn copy_until(&mut self, i: usize) {
        if let (Some(from), Some(p)) = (self.copy_from.take(), self.parent) {
            self.out.extend_from_slice(&p.stream[p.start(from)..p.start(i)]);
        }
    }
}

/// Writes the stream of `s` into `out` (the same bytes as its derived `Hash` writes),
/// copying each field equal to `parent`'s; without a parent, returns where each field's
/// part ends.
#[inline(always)]
fn write_stream(s: &Session, parent: Option<ParentStream<'_>>, out: &mut Vec<u8>) -> [usize; FIELDS] {
    // Every field, in declaration order (as the derived `Hash`); naming them all makes a
    // new field a compile error here.
    let Session { config, agent, room, screen, slots, legs, left, free_conferences, next_leg } = s;
    let p = parent.map(|p| p.session);
    let mut w = Writer { parent, out, ends: [0; FIELDS], copy_from: None };
    w.field(0, p.is_some_and(|p| p.config == *config), |h| config.hash(h));
    w.field(1, p.is_some_and(|p| p.agent == *agent), |h| agent.hash(h));
    w.field(2, p.is_some_and(|p| p.room == *room), |h| room.hash(h));
    w.field(3, p.is_some_and(|p| p.screen == *screen), |h| screen.hash(h));
    w.field(4, p.is_some_and(|p| p.slots == *slots), |h| slots.hash(h));
    w.field(5, p.is_some_and(|p| p.legs == *legs), |h| legs.hash(h));
    w.field(6, p.is_some_and(|p| p.left == *left), |h| left.hash(h));
    w.field(7, p.is_some_and(|p| p.free_conferences == *free_conferences), |h| free_conferences.hash(h));
    w.field(8, p.is_some_and(|p| p.next_leg == *next_leg), |h| next_leg.hash(h));
    w.copy_until(FIELDS);
    w.ends
}

impl<'a> Fingerprinter<'a> {
    pub(crate) fn new(parent: &'a Session, mut stream: Vec<u8>, buf: Vec<u8>) -> Fingerprinter<'a> {
        stream.clear();
        let ends = write_stream(parent, None, &mut stream);
        Fingerprinter { parent, stream, ends, buf }
    }

    /// The parent's fingerprint.
    pub(crate) fn parent(&self) -> Fingerprint {
        digest(&self.stream)
    }

    /// [`fingerprint`] of `s`.
    pub(crate) fn of(&mut self, s: &Session) -> Fingerprint {
        let parent = ParentStream { session: self.parent, stream: &self.stream, ends: &self.ends };
        self.buf.clear();
        write_stream(s, Some(parent), &mut self.buf);
        digest(&self.buf)
    }

    /// The buffers back, for the next state.
    pub(crate) fn into_buffers(self) -> (Vec<u8>, Vec<u8>) {
        (self.stream, self.buf)
    }
}

/// The parent of a root state.
pub(crate) const ROOT: u32 = u32::MAX;

/// The most states one search stores: state indices are 32 bits, one value reserved (it
/// marks an initial state's parent).
pub const MAX_STATES: usize = u32::MAX as usize - 1;

/// Shards of the settled tier's index (a power of two): the index grows a shard at a
/// time, so that no growth rehashes the whole set at once.
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

/// A hash index over fingerprints kept elsewhere: it holds only 4-byte keys (a state's
/// index, or a position in the caller's array), and `fp` gives a key's fingerprint.
/// Keeping the fingerprints in one array the index points into, instead of in entries
/// per table, costs 16 bytes a state in a single allocation that grows by `realloc`
/// alone, where many small tables' arrays leave freed blocks behind in the heap.
#[derive(Default)]
pub(crate) struct Index(HashTable<u32>);

impl Index {
    /// The key whose fingerprint is `want`, if any.
    pub(crate) fn find<'f>(&self, want: &Fingerprint, fp: impl Fn(u32) -> &'f Fingerprint) -> Option<u32> {
        self.0.find(want[0], |&k| fp(k) == want).copied()
    }

    /// Adds `key`, whose fingerprint `want` the caller found absent.
    pub(crate) fn insert<'f>(&mut self, want: &Fingerprint, key: u32, fp: impl Fn(u32) -> &'f Fingerprint) {
        self.0.insert_unique(want[0], key, |&k| fp(k)[0]);
    }

    /// Empties the index, keeping its memory.
    fn clear(&mut self) {
        self.0.clear();
    }

    /// Bytes held (the table's capacity: a key and a control byte a slot).
    fn bytes(&self) -> usize {
        self.0.capacity() * 5
    }
}

/// The settled tier: every settled state's fingerprint at its state index, and an index
/// over them sharded by the fingerprint's second word.
pub(crate) struct Settled {
    fps: Vec<Fingerprint>,
    shards: Box<[Index]>,
}

/// The fresh tier: the fingerprints of the states from `first` on, in index order, and
/// an index over them.
#[derive(Default)]
pub(crate) struct Fresh {
    first: u32,
    fps: Vec<Fingerprint>,
    index: Index,
}

impl Default for Settled {
    fn default() -> Self {
        Settled { fps: Vec::new(), shards: (0..SHARDS).map(|_| Index::default()).collect() }
    }
}

impl Settled {
    /// The index of the state with this fingerprint, if it is in the settled tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.shards[Settled::shard(fp)].find(fp, |k| &self.fps[k as usize])
    }

    /// The shard of a fingerprint: its second word's top bits.
    fn shard(fp: &Fingerprint) -> usize {
        (fp[1] >> 58) as usize % SHARDS
    }

    fn bytes(&self) -> usize {
        self.fps.len() * std::mem::size_of::<Fingerprint>() + self.shards.iter().map(Index::bytes).sum::<usize>()
    }
}

impl Fresh {
    /// The index of the state with this fingerprint, if it is in the fresh tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.index.find(fp, |k| &self.fps[(k - self.first) as usize])
    }

    /// Adds the next state, `n`, which the caller found in neither tier.
    fn insert(&mut self, fp: Fingerprint, n: u32) {
        debug_assert_eq!(n - self.first, self.fps.len() as u32, "fresh states are added in index order");
        self.fps.push(fp);
        let Fresh { first, fps, index } = self;
        index.insert(&fp, n, |k| &fps[(k - *first) as usize]);
    }

    fn bytes(&self) -> usize {
        self.fps.len() * std::mem::size_of::<Fingerprint>() + self.index.bytes()
    }
}

impl Visited {
    /// The index of the state with this fingerprint, if it is stored in either tier.
    pub(crate) fn find(&self, fp: &Fingerprint) -> Option<u32> {
        self.settled.find(fp).or_else(|| self.fresh.find(fp))
    }

    /// Moves the fresh states into the settled tier (between levels); the fresh tier
    /// keeps its memory for the next level.
    pub(crate) fn settle(&mut self) {
        let Settled { fps, shards } = &mut self.settled;
        debug_assert_eq!(fps.len(), self.fresh.first as usize, "the fresh tier follows the settled one");
        for fp in self.fresh.fps.drain(..) {
            let n = fps.len() as u32;
            fps.push(fp);
            shards[Settled::shard(&fp)].insert(&fp, n, |k| &fps[k as usize]);
        }
        self.fresh.index.clear();
        self.fresh.first = fps.len() as u32;
    }

    /// Bytes held by both tiers.
    fn bytes(&self) -> usize {
        self.settled.bytes() + self.fresh.bytes()
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
    /// Successor lists of the expanded states (distinct, without self loops), back to
    /// back in index order: state `i` has `degree[i]` of them, right after state `i - 1`'s.
    /// A degree is at most the inputs tried in a state, which input indices (`u16`) bound.
    pub(crate) degree: Vec<u16>,
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
        fresh.insert(fp, n);
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
            + self.degree.len() * 2
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
        loop {
            let mut changed = false;
            let mut end = self.succ.len();
            for (i, &degree) in self.degree.iter().enumerate().rev() {
                let start = end - usize::from(degree);
                if !alive[i] && self.succ[start..end].iter().any(|&j| alive[j as usize]) {
                    alive[i] = true;
                    changed = true;
                }
                end = start;
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

    /// Liveness finds exactly the states with no path to an idle one: a cycle through
    /// the idle state (alive), a pair that only reach each other (stuck), a chain to
    /// idle, and a chain that runs back to lower indices (found only on a later sweep).
    #[test]
    fn can_reach_idle_finds_the_stuck_states() {
        let store = |idle: Vec<bool>, degree: Vec<u16>, succ: Vec<u32>| Store {
            parent: vec![ROOT; idle.len()],
            input: vec![0; idle.len()],
            levels: vec![0, idle.len() as u32],
            idle,
            degree,
            succ,
        };
        // 0 -> 1, 3; 1 -> 2; 2 -> 0; 3 -> 4; 4 -> 3; 5 -> 6; 6 -> 0.
        let mut idle = vec![false; 7];
        idle[0] = true;
        let graph = store(idle, vec![2, 1, 1, 1, 1, 1, 1], vec![1, 3, 2, 0, 4, 3, 6, 0]);
        assert_eq!(graph.can_reach_idle(), [true, true, true, false, false, true, true]);
        // 1 -> 0 (idle); 2 -> 1: the sweep from the last state down meets 2 before 1 is
        // known to be alive, so 2 is found on the second sweep.
        let graph = store(vec![true, false, false], vec![0, 1, 1], vec![0, 1]);
        assert_eq!(graph.can_reach_idle(), [true, true, true]);
    }

    /// The successor fingerprints equal the whole-state ones, for successors that keep
    /// some of their parent's fields and for other sessions (other settings among them),
    /// from parents at depth 0 to 2.
    #[test]
    fn fingerprinter_agrees_with_fingerprint() {
        let sessions = initial_sessions();
        let alphabet = Alphabet::standard();
        let successors = |s: &Session| -> Vec<Session> {
            let mut v: Vec<Session> =
                alphabet.inputs(s).into_iter().filter_map(|i| crate::step(s, i).ok()).map(|t| t.session).collect();
            v.push(s.clone());
            v
        };
        let mut buf = Vec::new();
        let mut parents = sessions.clone();
        for s in &sessions {
            for next in successors(s) {
                parents.extend(successors(&next));
            }
        }
        let (mut checked, mut copied) = (0, 0);
        for parent in &parents {
            let mut f = Fingerprinter::new(parent, Vec::new(), Vec::new());
            assert_eq!(f.parent(), fingerprint(parent, &mut buf));
            for s in sessions.iter().cloned().chain(successors(parent)) {
                assert_eq!(f.of(&s), fingerprint(&s, &mut buf));
                checked += 1;
                copied += usize::from(s.screen == parent.screen && s.legs != parent.legs);
            }
        }
        assert!(checked > 10_000 && copied > 1000, "{checked} checked, {copied} with some fields copied");
    }
}
