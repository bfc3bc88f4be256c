//! vicixfer: VICIdial's agent-side call transfers as a pure, sans-I/O state machine.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
