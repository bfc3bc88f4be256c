//! Every session step of a run, as it happens: what [`Options::observe`](crate::sim::Options::observe)
//! is called with (`vicixfer run --verbose` and `run --json` are built on it).

use crate::{Input, Rejection, Session, Step};

/// One input fed to one agent's session during a run, and what came of it.
#[derive(Debug)]
pub struct Observed<'a> {
    /// Virtual time (ms).
    pub t: u64,
    /// The agent (its `user`).
    pub agent: &'a str,
    /// The input.
    pub input: &'a Input,
    /// The session before the input (also the session after a rejection).
    pub before: &'a Session,
    /// The step (with the session after it) or the rejection.
    pub result: Result<&'a Step, &'a Rejection>,
}

impl Observed<'_> {
    /// The session after the input: the step's, or the unchanged one after a rejection.
    pub fn after(&self) -> &Session {
        self.result.map_or(self.before, |step| &step.session)
    }
}

/// The callback of [`Options::observe`](crate::sim::Options::observe).
pub type Observer = Box<dyn FnMut(&Observed<'_>)>;
