//! The conservation ledger: every customer who enters ends exactly once.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Where a customer was when his call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// In an agent's session (with the agent, possibly in a 3-way).
    Agent,
    /// On the park extension.
    Parked,
    /// In the campaign's park IVR.
    ParkIvr,
    /// In a left-3way conference, without the agent.
    LeftConference,
    /// Waiting in a campaign or in-group queue.
    Queue,
}

/// How a customer's call ended: exactly one per customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerEnd {
    /// He hung up.
    HungUpItself(Place),
    /// An agent's screen hung him up.
    HungUpByAgent(Place),
    /// The server hung him up (end-of-call cleanup, left-3way cleanup).
    HungUpByServer(Place),
    /// Blind-transferred to an outside number.
    TransferredToNumber,
    /// Sent to the voicemail message (LEAVE_VM).
    Voicemail,
    /// Sent to the campaign's agent hangup route.
    HangupRoute,
    /// Dropped by the dialplan (AGENTDIRECT without an agent, unknown in-group).
    Dropped,
}

impl CustomerEnd {
    /// Every outcome, in order.
    pub fn all() -> impl Iterator<Item = CustomerEnd> {
        let places = [Place::Agent, Place::Parked, Place::ParkIvr, Place::LeftConference, Place::Queue];
        let at = |f: fn(Place) -> CustomerEnd| places.into_iter().map(f);
        at(CustomerEnd::HungUpItself)
            .chain(at(CustomerEnd::HungUpByAgent))
            .chain(at(CustomerEnd::HungUpByServer))
            .chain([
                CustomerEnd::TransferredToNumber,
                CustomerEnd::Voicemail,
                CustomerEnd::HangupRoute,
                CustomerEnd::Dropped,
            ])
    }

    /// The short name used in scenario expectations and metrics, e.g. `hung_up_itself.parked`.
    pub fn name(self) -> String {
        let place = |p: Place| match p {
            Place::Agent => "agent",
            Place::Parked => "parked",
            Place::ParkIvr => "park_ivr",
            Place::LeftConference => "left_conference",
            Place::Queue => "queue",
        };
        match self {
            CustomerEnd::HungUpItself(p) => format!("hung_up_itself.{}", place(p)),
            CustomerEnd::HungUpByAgent(p) => format!("hung_up_by_agent.{}", place(p)),
            CustomerEnd::HungUpByServer(p) => format!("hung_up_by_server.{}", place(p)),
            CustomerEnd::TransferredToNumber => "transferred_to_number".into(),
            CustomerEnd::Voicemail => "voicemail".into(),
            CustomerEnd::HangupRoute => "hangup_route".into(),
            CustomerEnd::Dropped => "dropped".into(),
        }
    }
}

impl fmt::Display for CustomerEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Things that happened to a customer on the way (any number of each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Milestone {
    /// Queued in an in-group (LOCAL_CLOSER, inbound).
    Queued,
    /// Answered by a closer from an in-group queue.
    AnsweredByCloser,
    /// A closer joined his call through a consultative dial.
    ConsultedCloser,
    /// His agent left the 3-way: he stayed with the third party.
    LeftInThreeWay,
    /// Parked.
    Parked,
}

/// The ledger: live customers, final outcomes, milestones.
#[derive(Debug, Default)]
pub struct Ledger {
    live: HashMap<u64, u64>,
    entered: u64,
    ends: BTreeMap<CustomerEnd, u64>,
    milestones: BTreeMap<Milestone, u64>,
    outcome_of: BTreeMap<u64, CustomerEnd>,
    keep_outcomes: bool,
}

/// A ledger entry that breaks conservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LedgerError {
    /// A customer ended twice, or ended without entering.
    NotLive(u64),
}

impl Ledger {
    /// A ledger; `keep_outcomes` remembers each customer's outcome (for expectations).
    pub(crate) fn new(keep_outcomes: bool) -> Self {
        Ledger { keep_outcomes, ..Ledger::default() }
    }

    pub(crate) fn enter(&mut self, customer: u64, now: u64) {
        self.entered += 1;
        self.live.insert(customer, now);
    }

    pub(crate) fn end(&mut self, customer: u64, end: CustomerEnd) -> Result<(), LedgerError> {
        self.live.remove(&customer).ok_or(LedgerError::NotLive(customer))?;
        *self.ends.entry(end).or_default() += 1;
        if self.keep_outcomes {
            self.outcome_of.insert(customer, end);
        }
        Ok(())
    }

    pub(crate) fn mark(&mut self, milestone: Milestone) {
        *self.milestones.entry(milestone).or_default() += 1;
    }

    /// Customers who entered.
    pub fn entered(&self) -> u64 {
        self.entered
    }

    /// Customers whose call has not ended.
    pub fn live(&self) -> u64 {
        self.live.len() as u64
    }

    /// Customers still live, lowest number first.
    pub fn live_customers(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.live.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Final outcomes with their counts.
    pub fn ends(&self) -> &BTreeMap<CustomerEnd, u64> {
        &self.ends
    }

    /// Milestones with their counts.
    pub fn milestones(&self) -> &BTreeMap<Milestone, u64> {
        &self.milestones
    }

    /// The outcome of one customer (when outcomes are kept).
    pub fn outcome(&self, customer: u64) -> Option<CustomerEnd> {
        self.outcome_of.get(&customer).copied()
    }

    /// Conservation: entered = ended + live.
    pub fn balanced(&self) -> bool {
        self.entered == self.ends.values().sum::<u64>() + self.live()
    }
}
