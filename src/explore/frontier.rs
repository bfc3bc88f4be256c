//! The frontier: the states of a level waiting to be expanded, each held as a compact
//! encoding back to back instead of as an 800-byte [`Session`].
//!
//! A state's settings ([`Config`], a third of its postcard encoding) are named by their
//! position in the run's [`Settings`], the distinct settings of the initial sessions (no
//! input changes them); the other fields follow as postcard. Settings outside the table
//! (never seen from the real `step`, which keeps them) are written out after the fields.
//! Decoding runs [`Session::validate`], as loading a session from JSON does.

use crate::config::Config;
use crate::ids::RoomId;
use crate::leg::Legs;
use crate::session::{AgentState, LeftRoom, Screen, Session};
use crate::slot::Slots;
use smallvec::SmallVec;

/// The settings position that says "written out after the fields".
const INLINE: u32 = u32::MAX;

/// The distinct settings of a run's initial sessions, in order of first appearance.
#[derive(Default)]
pub(crate) struct Settings(Vec<Config>);

impl Settings {
    /// The position of `config`, added if it is new.
    pub(crate) fn add(&mut self, config: &Config) -> u32 {
        self.position(config).unwrap_or_else(|| {
            self.0.push(config.clone());
            self.0.len() as u32 - 1
        })
    }

    fn position(&self, config: &Config) -> Option<u32> {
        self.0.iter().position(|c| c == config).map(|p| p as u32)
    }
}

/// A state's settings as the encoder sees them: the position of its parent's settings,
/// which a successor almost always shares.
#[derive(Clone, Copy)]
pub(crate) struct Parent<'a> {
    pub(crate) config: &'a Config,
    pub(crate) position: u32,
}

/// States waiting to be expanded, back to back.
#[derive(Default)]
pub(crate) struct Frontier {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Frontier {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    pub(crate) fn push(&mut self, encoded: &[u8]) {
        self.bytes.extend_from_slice(encoded);
        self.ends.push(self.bytes.len() as u32);
    }
}

/// The fields after the settings, borrowed for encoding, in declaration order.
type Fields<'a> = (u32, &'a AgentState, RoomId, &'a Screen, &'a Slots, &'a Legs, &'a [LeftRoom], bool, u64);

/// The same fields, owned, as decoded.
type Owned = (u32, AgentState, RoomId, Screen, Slots, Legs, SmallVec<[LeftRoom; 4]>, bool, u64);

/// Appends the encoding of `s` to `out`; `parent` names the settings it most likely has.
pub(crate) fn encode(s: &Session, settings: &Settings, parent: Parent<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    let Session { config, agent, room, screen, slots, legs, left, free_conferences, next_leg } = s;
    let position = if config == parent.config { parent.position } else { settings.position(config).unwrap_or(INLINE) };
    let fields: Fields<'_> = (position, agent, *room, screen, slots, legs, left, *free_conferences, *next_leg);
    let failed = |e: postcard::Error| format!("postcard encoding failed: {e}");
    let mut taken = postcard::to_extend(&fields, std::mem::take(out)).map_err(failed)?;
    if position == INLINE {
        taken = postcard::to_extend(config, taken).map_err(failed)?;
    }
    *out = taken;
    Ok(())
}

/// Decodes `bytes` into `into` (its settings are replaced only when they differ) and
/// returns the position of its settings.
pub(crate) fn decode(bytes: &[u8], settings: &Settings, into: &mut Session) -> Result<u32, String> {
    let failed = |e: postcard::Error| format!("postcard decoding failed: {e}");
    let (fields, rest): (Owned, &[u8]) = postcard::take_from_bytes(bytes).map_err(failed)?;
    let (position, agent, room, screen, slots, legs, left, free_conferences, next_leg) = fields;
    match settings.0.get(position as usize) {
        Some(config) if *config != into.config => into.config.clone_from(config),
        Some(_) => {}
        None if position == INLINE => into.config = postcard::from_bytes(rest).map_err(failed)?,
        None => return Err(format!("settings position {position} is not in the run's table")),
    }
    (into.agent, into.room, into.screen, into.slots, into.legs) = (agent, room, screen, slots, legs);
    (into.left, into.free_conferences, into.next_leg) = (left, free_conferences, next_leg);
    into.validate().map_err(|e| format!("a decoded state is invalid: {e}"))?;
    Ok(position)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::{initial_sessions, Alphabet};

    /// Every initial session and its successors decode to themselves, with their settings
    /// in the table, shared with the parent or not, and outside the table.
    #[test]
    fn encodings_decode_to_the_same_session() {
        let sessions = initial_sessions();
        let mut settings = Settings::default();
        let positions: Vec<u32> = sessions.iter().map(|s| settings.add(&s.config)).collect();
        let (mut buf, mut into) = (Vec::new(), Session::default());
        let mut odd = Session::default();
        odd.config.consult_delay = 9;
        for (s, &position) in sessions.iter().zip(&positions) {
            for parent in &sessions {
                let parent = Parent { config: &parent.config, position: settings.add(&parent.config) };
                let mut states = vec![s.clone(), odd.clone()];
                states.extend(
                    Alphabet::standard()
                        .inputs(s)
                        .into_iter()
                        .filter_map(|i| crate::step(s, i).ok())
                        .map(|t| t.session),
                );
                for state in states {
                    buf.clear();
                    encode(&state, &settings, parent, &mut buf).expect("encodes");
                    let got = decode(&buf, &settings, &mut into).expect("decodes");
                    assert_eq!(into, state);
                    let expect = if state.config == odd.config { INLINE } else { position };
                    assert_eq!(got, expect);
                }
            }
        }
    }
}
