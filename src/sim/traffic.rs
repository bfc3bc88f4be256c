//! Random traffic: customers arriving, a CRM acting on each call through api.php, third
//! parties answering or not. Every decision becomes a timed [`Stimulus`] in the future,
//! so a random run is recorded as a scripted one and replays (and shrinks) exactly.

use crate::api::url_encode;
use crate::ids::LeadId;
use crate::sim::agenda::AgentIx;
use crate::sim::scenario::{
    AgentStep, ApiUserSpec, CallSpec, LeaveBy, PartyAction, PartyStep, Plan, Span, Stim, Stimulus, Traffic, Weighted,
};
use crate::sim::world::{Notice, World};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// The seeded source of random stimuli.
pub(crate) struct Generator {
    rng: ChaCha8Rng,
    traffic: Traffic,
    api: ApiUserSpec,
    api_latency: u64,
    dial_timeout: u64,
    generated: u64,
    /// How the consultation of a lead ends, by lead.
    consults: HashMap<LeadId, LeaveBy>,
}

impl Generator {
    pub(crate) fn new(seed: u64, traffic: Traffic, world: &World) -> Self {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            traffic: Traffic { entry: traffic.entries(&world.spec), ..traffic },
            api: world.spec.api_user.clone(),
            api_latency: world.spec.timing.api_latency_ms,
            dial_timeout: world.spec.timing.dial_timeout_ms,
            generated: 0,
            consults: HashMap::new(),
        }
    }

    /// All calls have been generated.
    pub(crate) fn done(&self) -> bool {
        self.generated >= self.traffic.calls
    }

    fn span(&mut self, span: Span) -> u64 {
        let (lo, hi) = (span[0].min(span[1]), span[0].max(span[1]));
        self.rng.random_range(lo..=hi).max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.random_bool(p.min(1.0))
    }

    fn pick<T: Clone>(&mut self, items: &[Weighted<T>]) -> Option<T> {
        let total: u64 = items.iter().map(|w| u64::from(w.weight)).sum();
        if total == 0 {
            return None;
        }
        let mut roll = self.rng.random_range(0..total);
        for w in items {
            if roll < u64::from(w.weight) {
                return Some(w.item.clone());
            }
            roll -= u64::from(w.weight);
        }
        None
    }

    /// The next call arrival after `now`, if any are left.
    pub(crate) fn next_call(&mut self, now: u64) -> Option<Stimulus> {
        if self.done() {
            return None;
        }
        let Some(entry) = self.pick(&self.traffic.entry.clone()) else {
            // No entry can take a call (refused at load; a scenario built in code may
            // still say so): no more calls, rather than a run that waits for them.
            self.generated = self.traffic.calls;
            return None;
        };
        self.generated += 1;
        let at = now + self.span(self.traffic.gap_ms);
        Some(Stimulus { at, what: Stim::Call(CallSpec { entry }), expect: None })
    }

    /// Customer `c` just entered: when he gives up.
    pub(crate) fn patience(&mut self, now: u64, c: u64) -> Stimulus {
        let at = now + self.span(self.traffic.patience_ms);
        Stimulus { at, what: Stim::CustomerHangsUp(c), expect: None }
    }

    /// An API request was answered: maybe the answer got lost and the CRM sends it again.
    pub(crate) fn after_api(&mut self, now: u64, query: &str) -> Option<Stimulus> {
        if !self.chance(self.traffic.crm.lost_answer) {
            return None;
        }
        let at = now + self.span(self.traffic.crm.retry_ms) + self.api_latency;
        Some(Stimulus { at, what: Stim::Api(query.to_string()), expect: None })
    }

    /// Reacts to what the world reported.
    pub(crate) fn on_notice(&mut self, now: u64, notice: &Notice, world: &World, out: &mut Vec<Stimulus>) {
        match *notice {
            Notice::CallStarted { agent, lead, closer, bridge_from } => {
                if let Some(fronter) = bridge_from {
                    self.consultation(now, agent, fronter, lead, world, out);
                }
                let plans = if closer { &self.traffic.closer_plans } else { &self.traffic.fronter_plans };
                if let Some(plan) = self.pick(&plans.clone()) {
                    self.plan(now, agent, lead, &plan, world, out);
                }
            }
            Notice::OutsideDial { agent, leg } => {
                let user = world.agents[agent].spec.user.clone();
                let third = self.traffic.third_party.clone();
                let does = if self.chance(third.answer) {
                    PartyAction::Answer
                } else if self.chance(third.reject / (1.0 - third.answer).max(f64::EPSILON)) {
                    PartyAction::Reject
                } else {
                    return;
                };
                let at = now + self.span(third.ring_ms);
                out.push(Stimulus {
                    at,
                    what: Stim::ThirdParty(PartyStep { agent: user, leg: leg.0, does }),
                    expect: None,
                });
            }
            Notice::OutsideAnswered { agent, leg } => {
                let user = world.agents[agent].spec.user.clone();
                let at = now + self.span(self.traffic.third_party.stay_ms);
                let does = PartyAction::HangUp;
                out.push(Stimulus {
                    at,
                    what: Stim::ThirdParty(PartyStep { agent: user, leg: leg.0, does }),
                    expect: None,
                });
            }
        }
    }

    /// A closer joined a consultation: someone makes the fronter leave after a while.
    fn consultation(
        &mut self,
        now: u64,
        closer: AgentIx,
        fronter: AgentIx,
        lead: LeadId,
        world: &World,
        out: &mut Vec<Stimulus>,
    ) {
        let Some(leave_by) = self.consults.remove(&lead) else { return };
        let at = now + self.span(self.traffic.confer_ms);
        let query = match leave_by {
            LeaveBy::Fronter => {
                let user = &world.agents[fronter].spec.user;
                self.query("transfer_conference", user, &[("value", "LEAVE_3WAY_CALL")])
            }
            LeaveBy::Closer => {
                let user = &world.agents[closer].spec.user;
                self.query("force_fronter_leave_3way", user, &[("value", "LOCAL_ONLY")])
            }
        };
        self.api_at(at, query, out);
        if self.chance(self.traffic.crm.with_leave) {
            let user = &world.agents[fronter].spec.user;
            let also = match self.rng.random_range(0..3) {
                0 => self.query("park_call", user, &[("value", "PARK_CUSTOMER")]),
                1 => self.query("park_call", user, &[("value", "PARK_XFER")]),
                _ => self.query("external_hangup", user, &[("value", "1")]),
            };
            self.api_at(at, also, out);
        }
    }

    /// The CRM's plan for a call that just started on `agent`.
    fn plan(&mut self, now: u64, agent: AgentIx, lead: LeadId, plan: &Plan, world: &World, out: &mut Vec<Stimulus>) {
        let user = world.agents[agent].spec.user.clone();
        let t0 = now + self.span(self.traffic.talk_ms);
        let tc = |g: &mut Self| t0 + g.span(g.traffic.confer_ms);
        let xfer = |g: &Self, params: &[(&str, &str)]| g.query("transfer_conference", &user, params);
        match plan {
            Plan::Hangup => {}
            Plan::ExternalHangup => {
                let q = self.query("external_hangup", &user, &[("value", "1")]);
                self.api_step(t0, q, &user, out);
            }
            Plan::HangupBoth => self.api_step(t0, xfer(self, &[("value", "HANGUP_BOTH")]), &user, out),
            Plan::Blind { number } => {
                self.api_step(t0, xfer(self, &[("value", "BLIND_TRANSFER"), ("phone_number", number)]), &user, out)
            }
            Plan::Voicemail => self.api_step(t0, xfer(self, &[("value", "LEAVE_VM")]), &user, out),
            Plan::LocalCloser { group } => {
                self.api_step(t0, xfer(self, &[("value", "LOCAL_CLOSER"), ("ingroup_choices", group)]), &user, out)
            }
            Plan::AgentDirect => {
                let closers: Vec<&str> =
                    world.agents.iter().filter(|a| a.spec.is_closer()).map(|a| a.spec.user.as_str()).collect();
                let to = if closers.is_empty() { "" } else { closers[self.rng.random_range(0..closers.len())] };
                let q =
                    xfer(self, &[("value", "LOCAL_CLOSER"), ("ingroup_choices", "AGENTDIRECT"), ("phone_number", to)]);
                self.api_step(t0, q, &user, out);
            }
            Plan::Consult { group, park, leave_by } => {
                self.consults.insert(lead, *leave_by);
                let value = if *park { "PARK_CUSTOMER_DIAL" } else { "DIAL_WITH_CUSTOMER" };
                let q = xfer(self, &[("value", value), ("ingroup_choices", group), ("consultative", "YES")]);
                self.api_step(t0, q, &user, out);
            }
            Plan::ThreeWay { number } => {
                let q = xfer(self, &[("value", "DIAL_WITH_CUSTOMER"), ("phone_number", number)]);
                self.api_step(t0, q, &user, out);
                if self.chance(self.traffic.crm.with_dial) {
                    // One poll carries the dial and a grab or hangup (scenarios S6-S8).
                    let also = match self.rng.random_range(0..3) {
                        0 => self.query("park_call", &user, &[("value", "GRAB_CUSTOMER")]),
                        1 => self.query("park_call", &user, &[("value", "HANGUP_XFER_GRAB_CUSTOMER")]),
                        _ => self.query("external_hangup", &user, &[("value", "1")]),
                    };
                    self.api_at(t0, also, out);
                }
                let t1 = tc(self);
                self.api_step(t1, xfer(self, &[("value", "HANGUP_XFER")]), &user, out);
            }
            Plan::ParkGrab => {
                let park = self.query("park_call", &user, &[("value", "PARK_CUSTOMER")]);
                self.api_step(t0, park, &user, out);
                let t1 = tc(self);
                let grab = self.query("park_call", &user, &[("value", "GRAB_CUSTOMER")]);
                self.api_step(t1, grab, &user, out);
            }
        }
        // Whatever happened to the plan, the agent hangs up in the end if still on it.
        let fallback = t0 + self.traffic.confer_ms[1] + self.traffic.talk_ms[1].min(60_000) + self.dial_timeout + 5000;
        let at = if matches!(plan, Plan::Hangup) { t0 } else { fallback };
        let step = AgentStep { user, input: "agent-hangup".into(), lead: Some(lead.0) };
        out.push(Stimulus { at, what: Stim::Agent(step), expect: None });
    }

    /// A plan's API request, possibly followed by a stray second command.
    fn api_step(&mut self, at: u64, query: String, user: &str, out: &mut Vec<Stimulus>) {
        self.api_at(at, query.clone(), out);
        if self.chance(self.traffic.crm.stray) {
            let stray = match self.rng.random_range(0..4) {
                0 => query,
                1 => self.query("transfer_conference", user, &[("value", "HANGUP_XFER")]),
                2 => self.query("park_call", user, &[("value", "PARK_CUSTOMER")]),
                _ => self.query("park_call", user, &[("value", "GRAB_CUSTOMER")]),
            };
            let later = at + self.span(self.traffic.crm.stray_ms);
            self.api_at(later, stray, out);
        }
    }

    fn api_at(&mut self, sent: u64, query: String, out: &mut Vec<Stimulus>) {
        out.push(Stimulus { at: sent + self.api_latency, what: Stim::Api(query), expect: None });
    }

    fn query(&self, function: &str, agent_user: &str, params: &[(&str, &str)]) -> String {
        let mut q = format!(
            "source={}&user={}&pass={}&agent_user={agent_user}&function={function}",
            url_encode(&self.api.source),
            url_encode(&self.api.user),
            url_encode(&self.api.pass)
        );
        for (k, v) in params {
            q.push('&');
            q.push_str(k);
            q.push('=');
            q.push_str(v);
        }
        q
    }
}
