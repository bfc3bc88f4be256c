//! Timelines of a run: where each customer was (a Mermaid Gantt chart), and every leg of
//! every agent's session as a lane along virtual time with the commands and outcomes
//! marked on it (a self-contained SVG, [`Timeline::svg`]).
//!
//! [`Format::of_path`] picks the picture from a file name, as `--timeline FILE` does:
//! `.svg` is SVG, anything else (`.mmd`, `.md`, ...) Mermaid.

mod svg;

use crate::effect::Event;
use crate::ids::LegId;
use crate::input::{ApiWrite, Input};
use crate::leg::{CustomerAt, LegAt, XferAt};
use crate::session::{AgentState, Session};
use crate::slot::ParkSlot;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Lanes an SVG timeline records at most; the recording stops (and the picture says so)
/// when a run would need more.
pub const MAX_LANES: usize = 64;
/// Marks an SVG timeline records at most (the recording stops beyond).
pub const MAX_MARKS: usize = 4000;

/// A picture of a [`Timeline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A self-contained SVG: one lane per agent and per leg, commands and outcomes marked.
    Svg,
    /// A Mermaid Gantt chart of the first customers (`.mmd`: the chart alone).
    Mermaid,
    /// The Mermaid chart in a fenced ```` ```mermaid ```` block, which Markdown viewers draw (`.md`).
    MermaidMarkdown,
}

impl Format {
    /// The format a file name asks for: `.svg` SVG, `.md` Mermaid in a Markdown fence,
    /// anything else (`.mmd`, no extension) the Mermaid chart (any letter case).
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => Format::Svg,
            Some("md" | "markdown") => Format::MermaidMarkdown,
            _ => Format::Mermaid,
        }
    }
}

/// Where each customer was, and when; and every agent's legs, commands and outcomes.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    customers: BTreeMap<u64, Vec<(u64, String)>>,
    /// Lanes in order of first appearance.
    lanes: Vec<Lane>,
    /// Per agent (its `user`): the agent's lane and its legs' lanes.
    agents: BTreeMap<String, AgentLanes>,
    marks: Vec<Mark>,
    /// The end of the run (or of the recording, when it stopped early).
    end: u64,
    /// When the recording stopped because a limit was reached.
    truncated: Option<u64>,
}

#[derive(Debug, Clone, Default)]
struct AgentLanes {
    agent: usize,
    legs: BTreeMap<LegId, usize>,
    /// Leg lanes not closed yet.
    open: Vec<(LegId, usize)>,
}

/// One lane: an agent's screen, or one leg of its session.
#[derive(Debug, Clone)]
struct Lane {
    agent: String,
    /// `None` for the agent's own lane.
    leg: Option<LegId>,
    /// What the leg is, in the model's words ("customer, lead 1", "third party, ...").
    role: String,
    /// From when the lane is in which place, in order.
    spans: Vec<(u64, Place)>,
    /// When the leg ended.
    closed: Option<u64>,
}

/// Where a leg (or the agent's screen) is: the colours of the lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Waiting,
    InCall,
    Dispo,
    Ringing,
    Conference,
    LeftConference,
    Parked,
    ParkIvr,
}

impl Place {
    const ALL: [Place; 8] = [
        Place::Waiting,
        Place::InCall,
        Place::Dispo,
        Place::Ringing,
        Place::Conference,
        Place::LeftConference,
        Place::Parked,
        Place::ParkIvr,
    ];

    fn of_agent(state: &AgentState) -> Place {
        match state {
            AgentState::Waiting => Place::Waiting,
            AgentState::InCall { .. } => Place::InCall,
            AgentState::Dispo { .. } => Place::Dispo,
        }
    }

    fn of_leg(at: LegAt, session: &Session) -> Place {
        let room = |r| if session.left.iter().any(|l| l.room == r) { Place::LeftConference } else { Place::Conference };
        match at {
            LegAt::Customer(CustomerAt::Room(r)) | LegAt::Xfer(XferAt::Room(r)) => room(r),
            LegAt::Xfer(XferAt::Ringing(_)) => Place::Ringing,
            LegAt::Customer(CustomerAt::Parked) | LegAt::Xfer(XferAt::Parked) => Place::Parked,
            LegAt::Customer(CustomerAt::ParkedIvr) => Place::ParkIvr,
        }
    }

    /// The CSS class and the legend's words.
    fn name(self) -> (&'static str, &'static str) {
        match self {
            Place::Waiting => ("waiting", "agent waiting"),
            Place::InCall => ("incall", "agent on a call"),
            Place::Dispo => ("dispo", "agent on the disposition screen"),
            Place::Ringing => ("ringing", "leg ringing"),
            Place::Conference => ("conference", "leg in the agent's conference"),
            Place::LeftConference => ("left", "leg in a left 3-way conference"),
            Place::Parked => ("parked", "leg parked"),
            Place::ParkIvr => ("parkivr", "leg in the park IVR"),
        }
    }
}

/// A moment marked on a lane.
#[derive(Debug, Clone)]
struct Mark {
    t: u64,
    lane: usize,
    kind: MarkKind,
    /// The words next to the mark (`None`: shown by another mark at the same place).
    label: Option<String>,
    /// The tooltip: everything known about it (passwords redacted).
    detail: String,
}

/// What a mark is: its shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkKind {
    /// An api.php request the answer of which was `SUCCESS`.
    Request,
    /// An api.php request answered with `ERROR` (or nothing api.php would say).
    RequestFailed,
    /// api.php stored a command in the agent's slot (stage 1).
    Stored,
    /// The screen executed a command (stage 2).
    Executed,
    /// A command consumed without running: duplicate, cooldown, erased, overwritten, ...
    Dropped,
    /// Something the agent did (hang up, fill the fields, disposition).
    Action,
    /// An alert on the agent's screen.
    Alert,
    /// A leg ended: its outcome.
    Ended,
    /// An input the session refused.
    Rejected,
}

impl MarkKind {
    const ALL: [MarkKind; 9] = [
        MarkKind::Request,
        MarkKind::RequestFailed,
        MarkKind::Stored,
        MarkKind::Executed,
        MarkKind::Dropped,
        MarkKind::Action,
        MarkKind::Alert,
        MarkKind::Ended,
        MarkKind::Rejected,
    ];

    /// The CSS class and the legend's words.
    fn name(self) -> (&'static str, &'static str) {
        match self {
            MarkKind::Request => ("request", "api.php request: SUCCESS"),
            MarkKind::RequestFailed => ("request failed", "api.php request: ERROR"),
            MarkKind::Stored => ("stored", "command stored (stage 1)"),
            MarkKind::Executed => ("executed", "command executed by the screen (stage 2)"),
            MarkKind::Dropped => ("dropped", "command consumed without running"),
            MarkKind::Action => ("action", "agent action"),
            MarkKind::Alert => ("alert", "screen alert"),
            MarkKind::Ended => ("ended", "leg ended (its outcome)"),
            MarkKind::Rejected => ("rejected", "input refused by the session"),
        }
    }
}

impl Timeline {
    /// Customer `c` is at `label` from `t` on.
    pub(crate) fn enter(&mut self, c: u64, t: u64, label: String) {
        self.customers.entry(c).or_default().push((t, label));
    }

    /// Customer `c`'s call ended at `t`.
    pub(crate) fn end(&mut self, c: u64, t: u64, how: String) {
        self.customers.entry(c).or_default().push((t, format!("end: {how}")));
    }

    /// The places of customer `c`, in order, with their start times.
    pub fn of(&self, c: u64) -> &[(u64, String)] {
        self.customers.get(&c).map_or(&[], |v| v.as_slice())
    }

    /// Whether the lane recording goes on at `t`; stops it (for good) when a limit is hit.
    fn recording(&mut self, t: u64, lanes: usize, marks: usize) -> bool {
        if self.truncated.is_some() {
            return false;
        }
        if self.lanes.len() + lanes > MAX_LANES || self.marks.len() + marks > MAX_MARKS {
            self.truncated = Some(t);
            self.end = t;
            return false;
        }
        self.end = self.end.max(t);
        true
    }

    /// The lane of `agent`'s screen, created (waiting since 0) if new.
    fn agent_lane(&mut self, agent: &str) -> usize {
        if let Some(lanes) = self.agents.get(agent) {
            return lanes.agent;
        }
        let lane = self.lanes.len();
        self.lanes.push(Lane {
            agent: agent.to_string(),
            leg: None,
            role: "agent screen".into(),
            spans: vec![(0, Place::Waiting)],
            closed: None,
        });
        self.agents.insert(agent.to_string(), AgentLanes { agent: lane, ..AgentLanes::default() });
        lane
    }

    fn mark(&mut self, t: u64, lane: usize, kind: MarkKind, label: Option<String>, detail: String) {
        self.marks.push(Mark { t, lane, kind, label, detail });
    }

    /// An api.php request for `agent` (its `agent_user`) at `t`: `what` is its function and
    /// value, `detail` the query and answer with passwords already redacted.
    pub(crate) fn request(&mut self, t: u64, agent: &str, what: &str, succeeded: bool, detail: String) {
        let new_lane = usize::from(!self.agents.contains_key(agent));
        if !self.recording(t, new_lane, 1) {
            return;
        }
        let lane = self.agent_lane(agent);
        let kind = if succeeded { MarkKind::Request } else { MarkKind::RequestFailed };
        self.mark(t, lane, kind, Some(what.to_string()), detail);
    }

    /// An input `agent`'s session refused at `t`.
    pub(crate) fn rejected(&mut self, t: u64, agent: &str, input: &Input, why: &str) {
        let new_lane = usize::from(!self.agents.contains_key(agent));
        if !self.recording(t, new_lane, 1) {
            return;
        }
        let lane = self.agent_lane(agent);
        self.mark(
            t,
            lane,
            MarkKind::Rejected,
            Some(format!("refused {}", input_word(input))),
            format!("{input}: {why}"),
        );
    }

    /// One accepted step of `agent`'s session at `t`: the lanes follow the legs of
    /// `after`, and the step's command, action, executions and leg ends are marked.
    pub(crate) fn step(
        &mut self,
        t: u64,
        agent: &str,
        input: &Input,
        before: &Session,
        after: &Session,
        events: &[Event],
    ) {
        let quiet = events.is_empty()
            && before.agent == after.agent
            && before.legs == after.legs
            && before.left == after.left
            && !matches!(input, Input::Api(_) | Input::Agent(_));
        let known = self.agents.get(agent);
        if quiet && known.is_some() {
            return;
        }
        let new_legs = after.legs.all().filter(|(id, _)| known.is_none_or(|k| !k.legs.contains_key(id))).count();
        let new_lanes = new_legs + usize::from(known.is_none());
        if !self.recording(t, new_lanes, events.len() + 1) {
            return;
        }
        let lane = self.agent_lane(agent);
        self.place(lane, t, Place::of_agent(&after.agent));
        match input {
            Input::Api(write) => {
                // The request that stored it is marked already on this lane, with the words.
                let shown = self.marks.last().is_some_and(|m| {
                    m.t == t && m.lane == lane && matches!(m.kind, MarkKind::Request | MarkKind::RequestFailed)
                });
                let word = write_word(write);
                self.mark(t, lane, MarkKind::Stored, (!shown).then(|| word.clone()), format!("stored {input}"));
            }
            Input::Agent(_) => self.mark(t, lane, MarkKind::Action, Some(input.to_string()), input.to_string()),
            _ => {}
        }
        for (id, at) in after.legs.all() {
            let leg_lane = self.leg_lane(agent, id, after);
            self.place(leg_lane, t, Place::of_leg(at, after));
        }
        for event in events {
            let (kind, label) = match event {
                Event::Executed(command) => (MarkKind::Executed, command.to_string()),
                Event::Duplicate(_) => (MarkKind::Dropped, "duplicate".to_string()),
                Event::DroppedByCooldown(function) => (MarkKind::Dropped, format!("{function} (cooldown)")),
                Event::Erased(_) => (MarkKind::Dropped, "erased".to_string()),
                Event::Overwrote(_) => (MarkKind::Dropped, "overwritten".to_string()),
                Event::UnknownFunction(_) => (MarkKind::Dropped, "unknown function".to_string()),
                Event::Leave3WayRefused(_) => (MarkKind::Dropped, "leave refused".to_string()),
                Event::HangupBlocked => (MarkKind::Dropped, "hangup blocked".to_string()),
                Event::Alert(alert) => (MarkKind::Alert, alert.to_string()),
                Event::LegEnded { leg, outcome } => {
                    let Some(&leg_lane) = self.agents.get(agent).and_then(|k| k.legs.get(leg)) else { continue };
                    self.close(agent, *leg, t);
                    self.mark(t, leg_lane, MarkKind::Ended, Some(outcome.to_string()), event.to_string());
                    continue;
                }
                _ => continue,
            };
            self.mark(t, lane, kind, Some(label), event.to_string());
        }
        // A leg gone without an event (never, by the model's invariants) still ends its lane.
        let gone: Vec<LegId> = self.agents.get(agent).map_or_else(Vec::new, |k| {
            k.open.iter().map(|(id, _)| *id).filter(|id| after.legs.at(*id).is_none()).collect()
        });
        for id in gone {
            self.close(agent, id, t);
        }
    }

    /// The lane of `agent`'s leg `id` (live in `session`), created if new.
    fn leg_lane(&mut self, agent: &str, id: LegId, session: &Session) -> usize {
        if let Some(&lane) = self.agents.get(agent).and_then(|k| k.legs.get(&id)) {
            return lane;
        }
        let role = if let Some(c) = session.legs.customer(id) {
            format!("customer, {}", c.lead)
        } else if let Some(x) = session.legs.xfer(id) {
            format!("third party, {}", x.target)
        } else {
            "leg".to_string()
        };
        let lane = self.lanes.len();
        self.lanes.push(Lane { agent: agent.to_string(), leg: Some(id), role, spans: Vec::new(), closed: None });
        if let Some(k) = self.agents.get_mut(agent) {
            k.legs.insert(id, lane);
            k.open.push((id, lane));
        }
        lane
    }

    /// Lane `lane` is at `place` from `t` on.
    fn place(&mut self, lane: usize, t: u64, place: Place) {
        let spans = &mut self.lanes[lane].spans;
        match spans.last_mut() {
            Some((_, p)) if *p == place => {}
            Some((from, p)) if *from == t => {
                // A place held for no time at all is replaced, not drawn.
                *p = place;
                if spans.len() > 1 && spans[spans.len() - 2].1 == place {
                    spans.pop();
                }
            }
            _ => spans.push((t, place)),
        }
    }

    fn close(&mut self, agent: &str, id: LegId, t: u64) {
        let Some(k) = self.agents.get_mut(agent) else { return };
        if let Some(i) = k.open.iter().position(|(leg, _)| *leg == id) {
            let (_, lane) = k.open.swap_remove(i);
            self.lanes[lane].closed = Some(t);
        }
    }

    /// The run ended at `t`: lanes still open are drawn up to it.
    pub(crate) fn finish(&mut self, t: u64) {
        if self.truncated.is_none() {
            self.end = self.end.max(t);
        }
    }

    /// The lanes, in the order drawn: each agent's screen, then its legs by id.
    fn drawn_lanes(&self) -> Vec<usize> {
        let mut agents: Vec<&AgentLanes> = self.agents.values().collect();
        agents.sort_by_key(|k| k.agent);
        agents.iter().flat_map(|k| std::iter::once(k.agent).chain(k.legs.values().copied())).collect()
    }

    /// The picture in `format`: `title` heads an SVG, `customers` limits a Mermaid chart.
    pub fn render(&self, format: Format, title: &str, customers: usize) -> String {
        match format {
            Format::Svg => self.svg(title),
            Format::Mermaid => self.mermaid(customers),
            Format::MermaidMarkdown => format!("```mermaid\n{}```\n", self.mermaid(customers)),
        }
    }

    /// A Mermaid Gantt chart of the first `limit` customers: one section per customer,
    /// one bar per place (times in virtual milliseconds).
    pub fn mermaid(&self, limit: usize) -> String {
        let mut out = String::from("gantt\n  title Customer legs\n  dateFormat x\n  axisFormat %M:%S\n");
        for (c, places) in self.customers.iter().take(limit) {
            let _ = writeln!(out, "  section customer {c}");
            for (i, (t, label)) in places.iter().enumerate() {
                let label = label.replace([':', '#', ';'], " ");
                match places.get(i + 1) {
                    Some((next, _)) => {
                        let _ = writeln!(out, "  {label} :{t}, {}", (*next).max(t + 1));
                    }
                    None if label.starts_with("end ") => {
                        // A duration, not a bare `0`: with `dateFormat x` a bare number is
                        // an end date (epoch 0), and Mermaid draws a milestone at the middle
                        // of its span, so it landed at half its time.
                        let _ = writeln!(out, "  {label} :milestone, {t}, 0ms");
                    }
                    None => {
                        let _ = writeln!(out, "  {label} (still up) :{t}, {}", t + 1);
                    }
                }
            }
        }
        out
    }
}

/// The command a slot write carries, as one types it: `DIAL_WITH_CUSTOMER`, `PARK_CUSTOMER`.
fn write_word(write: &ApiWrite) -> String {
    match write {
        ApiWrite::TransferConference(slot) => match &slot.function {
            crate::slot::SlotFunction::Known(f) => f.to_string(),
            crate::slot::SlotFunction::Unknown(f) => f.to_string(),
        },
        ApiWrite::ParkCall(ParkSlot::Known(v)) => v.to_string(),
        ApiWrite::ParkCall(ParkSlot::Other(v)) => v.to_string(),
        ApiWrite::ExternalHangup(_) => "external_hangup".to_string(),
        ApiWrite::ForcedLeave3Way(_) => "LEAVE_3WAY_CALL (forced)".to_string(),
    }
}

/// An input's first word (`transfer`, `tick`, `agent-hangup`), for a short label.
fn input_word(input: &Input) -> String {
    let shown = input.to_string();
    shown.split(' ').next().unwrap_or_default().to_string()
}
