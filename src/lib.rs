//! # vicixfer
//!
//! VICIdial's agent-side call transfers (`transfer_conference`, `park_call`,
//! `external_hangup`, `force_fronter_leave_3way`) as a pure, sans-I/O state machine:
//! what happens to the customer, third-party and agent legs, command by command, race by
//! race, as the real agent screen does it.
//!
//! # Design
//!
//! * **One transition function.** [`step`]`(&Session, Input) -> Result<Step, Rejection>`
//!   is pure and total. A [`Session`] is one logged-in agent: the screen's variables, the
//!   server row with its three pending-command [`Slots`], and the live [`Legs`]. An
//!   [`Input`] is anything that can happen, grouped by origin: an api.php slot write
//!   ([`ApiWrite`], stage 1), the screen's refresh tick ([`ScreenInput`], stage 2),
//!   telephony events ([`NetEvent`]) and agent clicks ([`AgentAction`]).
//! * **Effects are data.** A [`Step`] carries the new session, the [`Effect`]s a driver
//!   performs (originate, redirect, park, grab, hang up, ...) and the [`Event`]s it
//!   observed (executed, dropped by the cooldown, duplicate, leg ended with its
//!   [`Outcome`], ...). No I/O, no clock, no globals: time is the [`ScreenInput::Tick`] input.
//! * **Illegal states are unrepresentable.** Each leg has exactly one location
//!   ([`CustomerAt`], [`XferAt`]). A leg that ends leaves the table with one
//!   [`Event::LegEnded`]. The agent's screen is an enum ([`AgentState`]).
//! * **One module per command.** What HANGUP_XFER does is in `src/transfer/hangup_xfer.rs`,
//!   built from the screen's shared primitives (`src/primitives.rs`, docs/vicidial.md §7).
//! * **Stage 1 is a pure function too.** [`api::answer`] is api.php: a query string and a
//!   [`api::Directory`] (the server-side tables) in, the exact `SUCCESS:`/`ERROR:` body and
//!   the slot write out; the write's [`ApiWrite`] is the session's input.
//! * **Proven, not only tested.** [`invariants`] names every property (HANGUP_XFER never
//!   drops the customer, legs are conserved, ...); [`explore`] checks them on every
//!   reachable state; the property tests, fuzz targets and simulator call the same checks.
//! * **Faithful.** Duplicate suppression by command id, the 3-tick cooldown, park commands
//!   repeating until cleared, blind clears erasing newer commands: see `docs/decisions.md`
//!   for the choices where VICIdial's source leaves a question open.
//!
//! # Run loop
//!
//! A driver owns the session, feeds it inputs, performs the effects and reports what the
//! network did, much like str0m's `Rtc` or quinn-proto's `Connection`:
//!
//! ```
//! use vicixfer::*;
//!
//! let mut session = Session::default();
//! // The dialer hands the agent a call.
//! session.handle(NetEvent::CallArrives { lead: LeadId(42) })?;
//! // Stage 1: api.php stored DIAL_WITH_CUSTOMER in the agent's slot.
//! let dial = TransferSlot::decode("DIAL_WITH_CUSTOMER------5551234---NO------------1700000000---")
//!     .expect("a command");
//! session.handle(ApiWrite::TransferConference(dial))?;
//! // Stage 2: the screen's next tick executes it.
//! let (effects, _events) = session.handle(ScreenInput::Tick)?;
//! for effect in effects {
//!     match effect {
//!         // The driver places the call, and later reports that it was answered.
//!         Effect::Originate { leg, .. } => {
//!             session.handle(NetEvent::Answered(leg))?;
//!         }
//!         other => println!("perform {other:?}"),
//!     }
//! }
//! // The screen's own requests are asynchronous: the Originate's answer starts its look
//! // for the new channel, and the next tick's channel look finds it.
//! session.handle(ScreenInput::OriginateCompleted)?;
//! session.handle(ScreenInput::Tick)?;
//! session.handle(ScreenInput::LookCompleted)?;
//! let x = session.screen.xfer_channel.expect("the screen knows the third party");
//! assert_eq!(session.legs.xfer(x).map(|l| l.at), Some(XferAt::Room(session.room)));
//! # Ok::<(), Rejection>(())
//! ```
//!
//! [`Session::handle`] applies an input in place; [`step`] returns a new session and leaves
//! the old one untouched, which is what property tests and the explorer use.
//!
//! # Errors and panics
//!
//! An input the session cannot take now (a transfer without a live call, an event for a
//! leg that is not ringing, ...) returns a [`Rejection`]: the [`Reason`] and the
//! [`InputKinds`] that would be accepted. The session is then exactly as it was: nothing
//! lost, nothing half-applied. [`Session::accepts`] makes the same check without
//! stepping. No input panics; a panic is a bug (the fuzz targets and the explorer look
//! for them). The API layer ([`api`]) answers bad queries with api.php's own `ERROR:`
//! lines, never a panic.
//!
//! # Stability
//!
//! Inputs, effects, events, errors and api.php answers are `#[non_exhaustive]` (match them
//! with a `_ =>` arm); the session's state, VICIdial's closed spellings and the data you
//! build with struct literals ([`Config`], [`api::Directory`], [`api::Request`]) are not.
//! `docs/api-policy.md` gives the full policy; `CHANGELOG.md` every change.
//!
//! # Features
//!
//! * `cli` (default): the `vicixfer` command line. Library users who only link the model
//!   can set `default-features = false` and get `serde`, `thiserror` and `smallvec` only.
//! * `sim` (with `cli`): the simulator ([`sim`]) and the [`hub`] that keeps api.php's
//!   tables and the agents' sessions in step.
//! * `json` (part of `sim`): `api::Directory::from_json`, reading the server-side tables
//!   from a JSON file without the simulator (adds `serde_json`).
//! * `client`: [`client::Client`], a typed api.php client over HTTP (adds `ureq`).
//! * `schema`: [`schema`], the JSON Schemas of the scenario, world, config and trace
//!   formats (adds `schemars`; implies `sim`).
//! * `serve` (with `cli`): the `vicixfer serve` HTTP server (tokio and axum).
//! * `arbitrary`: `Arbitrary` for inputs and configs, for fuzzing.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The crate docs link to the modules of every feature; a build without some of them
// has nothing to link to (CI checks the links with every feature on).
#![cfg_attr(
    not(all(feature = "sim", feature = "explore", feature = "client", feature = "schema")),
    allow(rustdoc::broken_intra_doc_links)
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod spelled;

pub mod api;
mod config;
mod effect;
#[cfg(feature = "explore")]
#[cfg_attr(docsrs, doc(cfg(feature = "explore")))]
pub mod explore;
mod ids;
mod input;
pub mod invariants;
mod leg;
mod look;
mod reject;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub mod schema;
mod script;
mod session;
mod slot;
mod step;
mod validate;

mod agent;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
mod external_hangup;
#[cfg(feature = "sim")]
pub mod hub;
mod network;
mod park;
pub mod poll;
mod primitives;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "sim")]
#[cfg_attr(docsrs, doc(cfg(feature = "sim")))]
pub mod sim;
mod store;
mod transfer;
mod words;

pub use config::{Build, CidSource, Config, HangupRoute, TransferNoDispo};
pub use effect::{Alert, Effect, Effects, Event, Events, Executed, Leave3WayRefusal, Step};
pub use ids::{CommandId, LeadId, LegId, RoomId, Text};
pub use input::{AgentAction, ApiWrite, Input, InputKind, InputKinds, NetEvent, ScreenInput};
pub use leg::{CustomerAt, CustomerLeg, Destination, DialTarget, LegAt, Legs, Outcome, XferAt, XferLeg};
pub use reject::{Reason, Rejection};
pub use script::ScriptError;
pub use session::{
    AgentState, CallerId, Consult, DialTrack, LeavingConference, LeftRoom, LookInFlight, OriginateInFlight,
    PendingDial, PollHandle, Screen, Session, XdChannel,
};
pub use slot::{
    truncate_chars, Checkbox, Clearing, HangupSlot, ParkSlot, ParkValue, Slot, SlotFunction, SlotName, Slots,
    TransferFunction, TransferSlot,
};
pub use spelled::ParseTextError;
pub use step::{step, step_into};
pub use validate::InvalidSession;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
