//! The engine: one live simulated world on its own thread, driven by the HTTP handlers'
//! commands and by a clock (real or manual). Handlers never touch the world; they send
//! a [`Cmd`] and await the reply, so a slow client cannot hold up the screens' ticks.

use crate::hub::{Check, CommandLedger, Desk};
use crate::sim::scenario::{AgentStep, CallSpec, Entry, PartyAction, PartyStep, Stim, Stimulus};
use crate::sim::trace::Trace;
use crate::sim::{Live, Scenario};
use crate::{Input, LegId, NetEvent};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Write;
use std::rc::Rc;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{broadcast, oneshot};

/// How many trace lines the state keeps for the page.
const RECENT: usize = 40;

/// Which clock drives the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Wall-clock time: each screen polls every `poll_ms`, scenario traffic plays live,
    /// command ids are the current epoch seconds.
    Real,
    /// Time moves only through `POST /control/advance`; runs are reproducible.
    Manual,
}

/// Something that happens in the world, injected through `POST /control/inject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// A customer call arrives: for one agent (`agent`), or queued in a campaign
    /// (`campaign`, for its fronters) or an in-group (`ingroup`, for its closers).
    Call {
        /// The agent who gets it (as soon as it is waiting).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
        /// The campaign whose fronters take it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        campaign: Option<String>,
        /// The in-group whose closers take it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ingroup: Option<String>,
    },
    /// Customer `customer` hangs up, wherever he is.
    CustomerHangsUp {
        /// The customer's number (1, 2, ... in order of arrival; the lead id).
        customer: u64,
    },
    /// The outside party an agent dialled answers, is rejected, rings out or hangs up.
    ThirdParty {
        /// The dialling agent.
        agent: String,
        /// The leg (0: the agent's newest outside dial).
        #[serde(default)]
        leg: u64,
        /// What happens.
        does: PartyDoes,
    },
    /// The agent submits the disposition.
    Dispo {
        /// The agent.
        agent: String,
    },
    /// An agent click in `vicixfer drive` form: `agent-hangup`, `fill` or `dispo`.
    Agent {
        /// The agent.
        agent: String,
        /// The click.
        input: String,
    },
}

/// What an outside party does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyDoes {
    /// Picks up.
    Answer,
    /// The carrier rejects the dial.
    Reject,
    /// The dial rings out (the screen's dial timeout).
    Timeout,
    /// Hangs up.
    HangUp,
}

/// Why a control request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// The request names something that is not there (400).
    #[error("{0}")]
    Bad(String),
    /// The world cannot take it now (409): nothing changed.
    #[error("{0}")]
    Moot(String),
}

/// A request to the engine.
pub(crate) enum Cmd {
    /// api.php: the merged query; the reply is the status and the body.
    Api { query: String, reply: oneshot::Sender<(u16, String)> },
    /// The state as JSON.
    State { reply: oneshot::Sender<String> },
    /// Inject an action; the reply is a JSON object.
    Inject { action: Action, reply: oneshot::Sender<Result<String, ControlError>> },
    /// Advance the manual clock.
    Advance { ms: u64, reply: oneshot::Sender<Result<String, ControlError>> },
    /// Start over from the configured world.
    Reset { reply: oneshot::Sender<String> },
}

/// Where the trace lines go: the SSE stream and the page's recent events.
struct Feed {
    line: Vec<u8>,
    recent: VecDeque<Arc<str>>,
    tx: broadcast::Sender<Arc<str>>,
    log: mpsc::SyncSender<String>,
}

impl Feed {
    fn publish(&mut self, line: Arc<str>) {
        if line.contains("\"kind\":\"violation\"") {
            let _ = self.log.try_send(line.to_string());
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line.clone());
        let _ = self.tx.send(line);
    }
}

struct FeedSink(Rc<RefCell<Feed>>);

impl Write for FeedSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut feed = self.0.borrow_mut();
        let mut rest = buf;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let line: Arc<str> = if feed.line.is_empty() {
                String::from_utf8_lossy(&rest[..end]).into()
            } else {
                feed.line.extend_from_slice(&rest[..end]);
                let line = String::from_utf8_lossy(&feed.line).into();
                feed.line.clear();
                line
            };
            feed.publish(line);
            rest = &rest[end + 1..];
        }
        feed.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The engine's state on its thread.
pub(crate) struct Engine {
    scenario: Scenario,
    check: Check,
    clock: Clock,
    live: Live,
    start: Instant,
    feed: Rc<RefCell<Feed>>,
    violations: u64,
}

impl Engine {
    pub(crate) fn new(
        scenario: Scenario,
        check: Check,
        clock: Clock,
        tx: broadcast::Sender<Arc<str>>,
        log: mpsc::SyncSender<String>,
    ) -> Engine {
        let feed = Rc::new(RefCell::new(Feed { line: Vec::new(), recent: VecDeque::new(), tx, log }));
        let live = build(&scenario, check, clock, &feed);
        Engine { scenario, check, clock, live, start: Instant::now(), feed, violations: 0 }
    }

    /// Runs until every sender is gone.
    pub(crate) fn run(mut self, rx: mpsc::Receiver<Cmd>) {
        loop {
            let cmd = match self.clock {
                Clock::Manual => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Clock::Real => {
                    let now = self.wall_ms();
                    self.run_until(now);
                    let next = self.live.world.agenda.peek_at().unwrap_or(now + 1000);
                    rx.recv_timeout(Duration::from_millis(next.saturating_sub(now).clamp(1, 1000)))
                }
            };
            match cmd {
                Ok(cmd) => {
                    if self.clock == Clock::Real {
                        let now = self.wall_ms();
                        self.run_until(now);
                    }
                    self.handle(cmd);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    }

    fn wall_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Api { query, reply } => {
                let answer = self.live.world.api(&query);
                self.after();
                let _ = reply.send(answer);
            }
            Cmd::State { reply } => {
                let _ = reply.send(self.state());
            }
            Cmd::Inject { action, reply } => {
                let done = self.inject(action);
                self.after();
                let _ = reply.send(done);
            }
            Cmd::Advance { ms, reply } => {
                let done = if self.clock == Clock::Manual {
                    let to = self.live.world.now().saturating_add(ms);
                    self.run_until(to);
                    Ok(format!("{{\"now_ms\":{}}}", self.live.world.now()))
                } else {
                    Err(ControlError::Moot("the clock is real: start with --clock manual to advance it".into()))
                };
                let _ = reply.send(done);
            }
            Cmd::Reset { reply } => {
                self.live = build(&self.scenario, self.check, self.clock, &self.feed);
                self.start = Instant::now();
                self.violations = 0;
                let mut feed = self.feed.borrow_mut();
                feed.recent.clear();
                // On the stream only: a reset world's state equals a fresh one's.
                let _ = feed.tx.send("{\"kind\":\"reset\"}".into());
                let _ = reply.send("{\"reset\":true}".into());
            }
        }
    }

    /// Runs every item due up to `t`, then sets the clock to `t`.
    fn run_until(&mut self, t: u64) {
        while self.live.world.agenda.peek_at().is_some_and(|at| at <= t) {
            let Some(item) = self.live.world.agenda.pop() else { break };
            self.live.run_item(item, None, None);
            self.after();
        }
        self.live.world.agenda.advance(t);
    }

    /// A violation was recorded (on the stream and in the log, by the feed): count it and
    /// let the world go on.
    fn after(&mut self) {
        if self.live.world.violation.take().is_some() {
            self.violations += 1;
        }
    }

    fn agent(&self, user: &str) -> Result<usize, ControlError> {
        self.live.world.agent_ix(user).ok_or_else(|| ControlError::Bad(format!("no agent `{user}` is logged in")))
    }

    fn inject(&mut self, action: Action) -> Result<String, ControlError> {
        let world = &self.live.world;
        let what = match action {
            Action::Call { agent: Some(user), campaign: None, ingroup: None } => {
                let a = self.agent(&user)?;
                let c = self.live.world.call_for_agent(a);
                self.live.settle();
                return Ok(format!("{{\"customer\":{c}}}"));
            }
            Action::Call { agent: None, campaign: Some(id), ingroup: None } => {
                if !world.spec.campaigns.iter().any(|c| c.id == id) {
                    return Err(ControlError::Bad(format!("no campaign `{id}`")));
                }
                Stim::Call(CallSpec { entry: Entry::Campaign(id) })
            }
            Action::Call { agent: None, campaign: None, ingroup: Some(id) } => {
                if !world.spec.ingroups.iter().any(|g| g.id == id) {
                    return Err(ControlError::Bad(format!("no in-group `{id}`")));
                }
                Stim::Call(CallSpec { entry: Entry::Ingroup(id) })
            }
            Action::Call { .. } => {
                return Err(ControlError::Bad("call: give exactly one of `agent`, `campaign`, `ingroup`".into()))
            }
            Action::CustomerHangsUp { customer } => Stim::CustomerHangsUp(customer),
            Action::ThirdParty { agent, leg, does } => {
                let a = self.agent(&agent)?;
                let legs = world.outside_legs(a);
                let leg = if leg == 0 { legs.last().copied() } else { legs.iter().copied().find(|l| l.0 == leg) };
                let Some(leg) = leg else {
                    return Err(ControlError::Moot(format!("agent {agent} has no such outside dial")));
                };
                match does {
                    PartyDoes::Timeout => Stim::Agent(AgentStep {
                        user: agent,
                        input: Input::Net(NetEvent::DialTimeout(LegId(leg.0))).to_string(),
                        lead: None,
                    }),
                    PartyDoes::Answer | PartyDoes::Reject | PartyDoes::HangUp => {
                        let does = match does {
                            PartyDoes::Answer => PartyAction::Answer,
                            PartyDoes::Reject => PartyAction::Reject,
                            _ => PartyAction::HangUp,
                        };
                        Stim::ThirdParty(PartyStep { agent, leg: leg.0, does })
                    }
                }
            }
            Action::Dispo { agent } => {
                self.agent(&agent)?;
                Stim::Agent(AgentStep { user: agent, input: "dispo".into(), lead: None })
            }
            Action::Agent { agent, input } => {
                self.agent(&agent)?;
                match input.parse::<Input>() {
                    Ok(Input::Agent(_)) => Stim::Agent(AgentStep { user: agent, input, lead: None }),
                    _ => {
                        return Err(ControlError::Bad(format!(
                            "agent input `{input}`: expected `agent-hangup`, `fill` or `dispo`"
                        )))
                    }
                }
            }
        };
        let moot = |w: &crate::sim::world::World| w.metrics.get("sim", "moot_stimuli");
        let before = moot(&self.live.world);
        let customers = self.live.world.customers;
        let stimulus = Stimulus { at: self.live.world.now(), what, expect: None };
        self.live.stimulus(&stimulus, None);
        self.live.settle();
        if moot(&self.live.world) != before {
            return Err(ControlError::Moot("the world cannot take this now; nothing changed".into()));
        }
        Ok(match self.live.world.customers {
            c if c != customers => format!("{{\"customer\":{c}}}"),
            _ => "{\"done\":true}".into(),
        })
    }

    /// Every agent's legs, slots and screen, the queues, the command ledger, recent events.
    fn state(&self) -> String {
        let world = &self.live.world;
        let hub = &world.hub;
        let ledger = hub.ledger();
        let recent: Vec<serde_json::Value> =
            self.feed.borrow().recent.iter().filter_map(|l| serde_json::from_str(l).ok()).collect();
        let state = State {
            clock: self.clock,
            now_ms: world.now(),
            epoch: hub.epoch_at(world.now()),
            agents: hub.desks(),
            queued: world.queued(),
            customers_entered: world.ledger.entered(),
            customers_live: world.ledger.live(),
            commands: Commands { ledger, pending: hub.pending_commands(), balanced: hub.ledger_balanced() },
            violations: self.violations,
            recent,
        };
        serde_json::to_string(&state).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

#[derive(Serialize)]
struct State<'a> {
    clock: Clock,
    now_ms: u64,
    epoch: u64,
    agents: &'a [Desk],
    queued: usize,
    customers_entered: u64,
    customers_live: u64,
    commands: Commands,
    violations: u64,
    recent: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct Commands {
    #[serde(flatten)]
    ledger: CommandLedger,
    pending: u64,
    balanced: bool,
}

/// A fresh world for `scenario`; with the real clock its epoch is now.
fn build(scenario: &Scenario, check: Check, clock: Clock, feed: &Rc<RefCell<Feed>>) -> Live {
    let mut scenario = scenario.clone();
    if clock == Clock::Real {
        scenario.world.epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    }
    let trace = Trace::new(false, Some(Box::new(FeedSink(feed.clone()))));
    let mut live = Live::new(&scenario, scenario.seed, None, trace, false, false);
    live.world.hub.set_check(check);
    live
}
