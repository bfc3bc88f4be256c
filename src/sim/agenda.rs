//! The virtual clock: a priority queue of timed items with a total, reproducible order.
//!
//! Items due at the same millisecond run by class (scripted stimuli first, then the
//! world's own reactions, landing clears, ticks, cleanup runs), then in the order they
//! were scheduled. Stimuli are always scheduled for a later millisecond than the one
//! being processed, so a recorded run replays in exactly the same order.

use crate::ids::{LeadId, LegId};
use crate::input::Input;
use crate::sim::scenario::Stimulus;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Index of an agent in the world.
pub(crate) type AgentIx = usize;

/// Something due at a virtual time.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A scripted or generated stimulus.
    Stim(Stimulus),
    /// The world's own reaction: an input for one agent's session, if the guard holds.
    React(AgentIx, Input, Guard),
    /// The agent screen's clear requests reach the server.
    ClearsLand(AgentIx),
    /// The agent screen's refresh.
    Tick(AgentIx),
    /// The leave-3way cleanup run over every agent's left conferences.
    Cleanup,
}

impl Item {
    fn class(&self) -> u8 {
        match self {
            Item::Stim(_) => 0,
            Item::React(..) => 1,
            Item::ClearsLand(_) => 2,
            Item::Tick(_) => 3,
            Item::Cleanup => 4,
        }
    }

    /// Periodic items run forever and do not keep a run alive.
    pub(crate) fn periodic(&self) -> bool {
        matches!(self, Item::Tick(_) | Item::Cleanup)
    }
}

/// When a world reaction still applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Always.
    Always,
    /// The agent still has this lead on screen.
    Lead(LeadId),
    /// The leg is still ringing.
    Ringing(LegId),
    /// The leg is still live and answered.
    Live(LegId),
}

/// A heap entry: the order key and where its item waits. Items (a stimulus or an input
/// is over a hundred bytes) stay put in [`Agenda::items`] while the 24-byte entries sift
/// through the heap.
struct Entry {
    at: u64,
    seq: u64,
    class: u8,
    periodic: bool,
    slot: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so the max-heap pops the earliest entry.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.class, other.seq).cmp(&(self.at, self.class, self.seq))
    }
}

/// The queue of due items and the current time.
#[derive(Default)]
pub(crate) struct Agenda {
    heap: BinaryHeap<Entry>,
    /// The items of the heap's entries, by slot; `None` is a free slot.
    items: Vec<Option<Item>>,
    /// Free slots of `items`, reused first (so `items` is as long as the most items
    /// ever due at once).
    free: Vec<u32>,
    seq: u64,
    now: u64,
    /// Items that keep a run alive (everything but ticks and cleanup runs).
    pending: usize,
}

impl Agenda {
    pub(crate) fn now(&self) -> u64 {
        self.now
    }

    pub(crate) fn push(&mut self, at: u64, item: Item) {
        self.seq += 1;
        if !item.periodic() {
            self.pending += 1;
        }
        let (class, periodic) = (item.class(), item.periodic());
        let slot = match self.free.pop() {
            Some(slot) => {
                self.items[slot as usize] = Some(item);
                slot
            }
            None => {
                // More than u32::MAX items due at once would have exhausted memory first.
                let slot = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
                self.items.push(Some(item));
                slot
            }
        };
        self.heap.push(Entry { at: at.max(self.now), seq: self.seq, class, periodic, slot });
    }

    pub(crate) fn pop(&mut self) -> Option<Item> {
        let entry = self.heap.pop()?;
        self.now = entry.at;
        if !entry.periodic {
            self.pending -= 1;
        }
        self.free.push(entry.slot);
        self.items.get_mut(entry.slot as usize).and_then(Option::take)
    }

    /// Moves the clock forward to `t` without running anything (a driver's clock).
    #[cfg(feature = "serve")]
    pub(crate) fn advance(&mut self, t: u64) {
        self.now = self.now.max(t);
    }

    /// Time of the next item.
    pub(crate) fn peek_at(&self) -> Option<u64> {
        self.heap.peek().map(|e| e.at)
    }

    /// Items that keep the run alive.
    pub(crate) fn pending(&self) -> usize {
        self.pending
    }

    /// Time of the next item that keeps the run alive (a scan: call it rarely).
    pub(crate) fn next_pending_at(&self) -> Option<u64> {
        self.heap.iter().filter(|e| !e.periodic).map(|e| e.at).min()
    }

    /// Skips idle virtual time: every periodic item due before `until` moves forward by
    /// whole periods (`period` of its kind) to its last occurrence before `until`, so
    /// each keeps its phase and its order with the others. Only for a world in which
    /// those items change nothing.
    pub(crate) fn skip_periodic(&mut self, until: u64, period: impl Fn(&Item) -> u64) {
        let entries = std::mem::take(&mut self.heap).into_vec();
        let items = &self.items;
        self.heap = entries
            .into_iter()
            .map(|mut e| {
                if let (true, Some(item)) = (e.periodic && e.at < until, items[e.slot as usize].as_ref()) {
                    let p = period(item).max(1);
                    e.at += (until - 1 - e.at) / p * p;
                }
                e
            })
            .collect();
    }
}
