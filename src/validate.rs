//! Sessions from outside the model (read from JSON, built by hand) are checked before
//! use: [`Session::validate`] and the validating `Deserialize` of [`Session`].
//!
//! This module sits above both [`crate::session`] (the data) and [`crate::invariants`]
//! (the named predicates every state satisfies), so imports point downward: the session
//! knows nothing of the invariants, and the invariants stay in one module, reused here,
//! by the explorer, the simulator's hub and the property tests.

use crate::ids::LegId;
use crate::session::{Consult, DialTrack, Session};
use serde::Deserialize;

/// A session that no sequence of inputs could reach (read from JSON, or built by hand).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("impossible session: {0}")]
pub struct InvalidSession(pub String);

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let session = Session::deserialize(deserializer)?;
        session.validate().map_err(serde::de::Error::custom)?;
        Ok(session)
    }
}

impl Session {
    /// Checks what the types cannot: leg ids below `next_leg` (no id handed out twice)
    /// and every screen reference to a leg among them, consult ticks within the delay,
    /// and every `always` invariant of [`crate::invariants::check_state`] (legs in one
    /// known place, cooldown, distinct left rooms, ...).
    pub fn validate(&self) -> Result<(), InvalidSession> {
        let fail = |what: String| Err(InvalidSession(what));
        if self.next_leg == 0 {
            return fail("next_leg is 0 (leg ids start at 1)".into());
        }
        let known = |leg: LegId| leg.0 >= 1 && (leg.0 < self.next_leg || self.next_leg == u64::MAX);
        if let Some((id, _)) = self.legs.all().find(|(id, _)| !known(*id)) {
            return fail(format!("{id} was never handed out (next_leg {})", self.next_leg));
        }
        let referenced = [
            self.customer_channel(),
            self.screen.xfer_channel,
            match self.screen.dial {
                DialTrack::Looking(leg) => Some(leg),
                _ => None,
            },
            self.screen.originate.map(|o| o.leg),
            self.screen.look.map(|l| l.leg),
            self.screen.xd_channel.leg(),
        ];
        if let Some(leg) = referenced.into_iter().flatten().find(|l| !known(*l)) {
            return fail(format!("the screen refers to {leg}, which was never handed out"));
        }
        if let Consult::Delaying { ticks_left, .. } = self.screen.consult {
            if ticks_left > self.config.consult_delay {
                return fail(format!("{ticks_left} consult ticks left, more than consult_delay"));
            }
        }
        crate::invariants::check_state(self).map_err(|v| InvalidSession(v.to_string()))
    }
}
