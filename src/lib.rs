//! vicixfer: VICIdial's agent-side call transfers as a pure, sans-I/O state machine.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
mod config;
mod effect;
mod ids;
mod input;
mod leg;
mod reject;
mod session;
mod slot;
mod step;

mod agent;
mod external_hangup;
mod network;
mod park;
pub mod poll;
mod primitives;
mod store;
mod transfer;

pub use config::{CidSource, Config, HangupRoute, TransferNoDispo};
pub use effect::{Alert, Effect, Effects, Event, Events, Executed, Leave3WayRefusal, Step};
pub use ids::{CommandId, LeadId, LegId, RoomId, Text};
pub use input::{AgentAction, ApiWrite, Input, InputKind, InputKinds, NetEvent, ScreenInput};
pub use leg::{CustomerAt, CustomerLeg, Destination, DialTarget, LegAt, Legs, Outcome, XferAt, XferLeg};
pub use reject::{Reason, Rejection};
pub use session::{AgentState, CallerId, Consult, DialTrack, LeftRoom, PendingDial, Screen, Session};
pub use slot::{
    Checkbox, Clearing, HangupSlot, ParkSlot, ParkValue, Slot, SlotFunction, SlotName, Slots, TransferFunction,
    TransferSlot,
};
pub use step::step;
