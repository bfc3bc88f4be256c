//! Identifiers shared by every part of the model.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Immutable text (numbers, in-group ids, alias ids): up to 23 bytes inline, longer
/// text shared by reference count. Cloning it never allocates, and cloning the short
/// text every session holds touches no shared counter, so cloning a
/// [`Session`](crate::Session) is a plain copy that threads can do without contention.
pub type Text = smol_str::SmolStr;

/// One call leg (customer or third party) for the life of a session. Allocated in
/// increasing order and never reused, so a driver can key its channels by it.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LegId(pub u64);

/// A conference room (VICIdial's `conf_exten`, e.g. `8600051`): the agent's session or
/// a former session left behind by "leave 3-way".
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoomId(pub u64);

/// A lead (`vicidial_list.lead_id`); VICIdial's "lead on screen" means `lead_id > 0`.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LeadId(pub u64);

/// Field 7 of a stored transferconf command: the API server's epoch, compared as text
/// by the screen. `Undefined` is a command with fewer than 8 fields (race R11).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommandId {
    /// Field 7 absent (JavaScript `undefined`); all such commands compare equal.
    Undefined,
    /// Field 7 as text, normally epoch seconds.
    Id(Text),
}

impl CommandId {
    /// The id of a command stored at `epoch` seconds, as api.php writes it.
    pub fn epoch(epoch: u64) -> Self {
        CommandId::Id(epoch.to_string().into())
    }
}

impl fmt::Display for LegId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "leg {}", self.0)
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "room {}", self.0)
    }
}

impl fmt::Display for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lead {}", self.0)
    }
}

impl fmt::Display for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandId::Undefined => f.write_str("undefined"),
            CommandId::Id(id) => f.write_str(id),
        }
    }
}
