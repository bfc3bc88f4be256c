//! Scenario files: a world, optional random traffic, scripted steps and expectations.
//!
//! The format is JSON (see `docs/simulator.md` for the full schema and the files in
//! `examples/scenarios/`). Every field but `name` and `world.agents` has a default, so a
//! scenario states only what it is about.

use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A complete simulation: who is logged in, what happens, what must come out.
///
/// Deserialising checks [`Scenario::validate`] (a scenario that cannot run as written is
/// refused, whichever way it is read); [`Scenario::from_json`] also types the error.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema the file names (`"$schema"`, for editors); read and ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A short name, printed in the summary.
    pub name: String,
    /// What the scenario shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seed of the random traffic (ignored without `traffic`).
    #[serde(default)]
    pub seed: u64,
    /// Agents, campaigns, in-groups and timings.
    pub world: WorldSpec,
    /// Random calls and a CRM acting on them; absent for purely scripted scenarios.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// Scripted stimuli, at absolute virtual times.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Stimulus>,
    /// What the run must end with.
    #[serde(default, skip_serializing_if = "Expect::is_empty")]
    pub expect: Expect,
}

impl Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Scenario::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let scenario = Unchecked::deserialize(deserializer)?.0;
        scenario.validate().map_err(serde::de::Error::custom)?;
        Ok(scenario)
    }
}

/// A scenario as read, before [`Scenario::validate`].
pub(crate) struct Unchecked(pub(crate) Scenario);

impl<'de> Deserialize<'de> for Unchecked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Scenario::deserialize(deserializer).map(Unchecked)
    }
}

/// The static world: the server's settings and who is logged in.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorldSpec {
    /// Unix time of virtual time 0 (command ids are epoch seconds).
    pub epoch: u64,
    /// Poll interval, latencies and agent reaction times.
    pub timing: Timing,
    /// The API user the CRM authenticates as.
    pub api_user: ApiUserSpec,
    /// Campaigns (fronters dial for them).
    pub campaigns: Vec<CampaignSpec>,
    /// In-groups (closers take calls from them).
    pub ingroups: Vec<InGroupSpec>,
    /// Group aliases (caller ids for 3-way dials).
    pub group_aliases: Vec<GroupAliasSpec>,
    /// Logged-in agents, in routing order.
    pub agents: Vec<AgentSpec>,
    /// The VICIdial build of the whole installation (§17): api.php and every agent's
    /// screen. It replaces the `build` of each campaign's config.
    pub build: crate::config::Build,
}

impl Default for WorldSpec {
    fn default() -> Self {
        WorldSpec {
            build: crate::config::Build::default(),
            epoch: 1_764_000_000,
            timing: Timing::default(),
            api_user: ApiUserSpec::default(),
            campaigns: Vec::new(),
            ingroups: Vec::new(),
            group_aliases: Vec::new(),
            agents: Vec::new(),
        }
    }
}

/// Virtual-time settings, in milliseconds.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Timing {
    /// The agent screen's refresh interval (one `Tick`).
    pub poll_ms: u64,
    /// Time for the screen's clear requests to reach the server (0: they land with the
    /// tick). While in flight, a new command can be erased by the blind clear (R3).
    pub clear_latency_ms: u64,
    /// Time from the CRM sending an API request to api.php storing it.
    pub api_latency_ms: u64,
    /// Time from the screen sending its 3WAY request (LEAVE_3WAY_CALL) to its answer
    /// handler running (`ScreenInput::LeaveCompleted`; docs/screen-requests.md row 6).
    /// Above `poll_ms`, later polls still see the old channels (scenario S16).
    pub leave_answer_ms: u64,
    /// Time from the screen sending a 3-way Originate to its answer handler arming the
    /// channel look (`ScreenInput::OriginateCompleted`; docs/screen-requests.md row 16).
    pub originate_answer_ms: u64,
    /// Time from a tick sending a channel look to its answer handler running
    /// (`ScreenInput::LookCompleted`; row 25). Above `poll_ms`, the next poll is handled
    /// before the look's answer (scenario S9).
    pub look_answer_ms: u64,
    /// Interval of the leave-3way conference cleanup.
    pub cleanup_ms: u64,
    /// The screen's dial timeout (`manual_dial_timeout`, at least 30 polls in VICIdial).
    pub dial_timeout_ms: u64,
    /// Delay before the carrier reports a rejected or impossible dial.
    pub reject_ms: u64,
    /// Agent: time on the disposition screen before submitting.
    pub wrap_ms: u64,
    /// Agent: time to notice a dead call and hang up.
    pub dead_ms: u64,
    /// Agent: time to fill the campaign's required fields after a call starts.
    pub fill_ms: u64,
    /// How long a bridge sent away by a closer keeps the fronter's leg up.
    pub away_ms: u64,
    /// A scripted run stops this long after its last step (random runs stop when every
    /// call has ended).
    pub settle_ms: u64,
    /// Hard stop: a random run still holding calls at this virtual time has lost legs.
    pub max_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll_ms: 1000,
            clear_latency_ms: 150,
            api_latency_ms: 120,
            leave_answer_ms: 60,
            originate_answer_ms: 80,
            look_answer_ms: 40,
            cleanup_ms: 1000,
            dial_timeout_ms: 30_000,
            reject_ms: 2000,
            wrap_ms: 4000,
            dead_ms: 3000,
            fill_ms: 2000,
            away_ms: 20_000,
            settle_ms: 60_000,
            max_ms: u64::MAX / 4,
        }
    }
}

/// The API user (`vicidial_users` with `vdc_agent_api_access = 1`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiUserSpec {
    /// Login.
    pub user: String,
    /// Password (redacted in traces).
    pub pass: String,
    /// The `source` parameter the CRM sends.
    pub source: String,
}

impl Default for ApiUserSpec {
    fn default() -> Self {
        ApiUserSpec { user: "6666".into(), pass: "1234".into(), source: "crm".into() }
    }
}

/// A campaign.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignSpec {
    /// Campaign id.
    pub id: String,
    /// `default_xfer_group` (DEFAULTINGROUP on outbound calls).
    #[serde(default)]
    pub default_xfer_group: String,
    /// The campaign, phone and server settings of its agents' sessions.
    #[serde(default)]
    pub config: Config,
}

/// An in-group with its queue.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InGroupSpec {
    /// Group id (`AGENTDIRECT` queues each call for the agent named in the number field).
    pub id: String,
    /// `active = 'Y'`.
    #[serde(default = "yes")]
    pub active: bool,
    /// `default_xfer_group` (DEFAULTINGROUP on calls that came in through this group).
    #[serde(default)]
    pub default_xfer_group: String,
}

fn yes() -> bool {
    true
}

/// A group alias: a caller id for 3-way dials.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupAliasSpec {
    /// `group_alias_id`.
    pub id: String,
    /// `caller_id_number`.
    pub caller_id_number: String,
}

/// A logged-in agent.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// User id (`agent_user`).
    pub user: String,
    /// The campaign it is logged into: its session settings, and its outbound calls.
    pub campaign: String,
    /// In-groups it takes calls from: a closer. Empty: a fronter taking campaign calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingroups: Vec<String>,
    /// `custom_three` (what `alt_user` matches).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub custom_three: String,
}

impl AgentSpec {
    /// A closer takes in-group calls; a fronter takes its campaign's calls.
    pub fn is_closer(&self) -> bool {
        !self.ingroups.is_empty()
    }
}

/// A range of milliseconds `[min, max]`, drawn uniformly.
pub type Span = [u64; 2];

/// Random calls, and how customers, third parties and the CRM behave.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Traffic {
    /// Number of customer calls to generate.
    pub calls: u64,
    /// Gap between two call arrivals.
    pub gap_ms: Span,
    /// Where calls come in, weighted: a campaign (outbound, to fronters) or an in-group.
    pub entry: Vec<Weighted<Entry>>,
    /// How long a customer stays before hanging up by himself, wherever he is.
    pub patience_ms: Span,
    /// How long an agent talks before the CRM acts on the call.
    pub talk_ms: Span,
    /// How long a consultation lasts before someone makes the agent leave the 3-way.
    pub confer_ms: Span,
    /// What the CRM does with a fronter's call, weighted.
    pub fronter_plans: Vec<Weighted<Plan>>,
    /// What the CRM does with a closer's call, weighted.
    pub closer_plans: Vec<Weighted<Plan>>,
    /// How outside numbers answer 3-way dials.
    pub third_party: ThirdParty,
    /// How the CRM's connection to api.php behaves.
    pub crm: CrmBehaviour,
}

impl Default for Traffic {
    fn default() -> Self {
        Traffic {
            calls: 100,
            gap_ms: [1000, 6000],
            entry: Vec::new(),
            patience_ms: [60_000, 900_000],
            talk_ms: [5_000, 60_000],
            confer_ms: [3_000, 20_000],
            fronter_plans: vec![Weighted { weight: 1, item: Plan::Hangup }],
            closer_plans: vec![Weighted { weight: 1, item: Plan::Hangup }],
            third_party: ThirdParty::default(),
            crm: CrmBehaviour::default(),
        }
    }
}

/// An item with a relative weight.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weighted<T> {
    /// Relative weight (0 disables it).
    #[serde(default = "one")]
    pub weight: u32,
    /// The item.
    #[serde(flatten)]
    pub item: T,
}

fn one() -> u32 {
    1
}

/// Where a new call enters.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Entry {
    /// An outbound call of this campaign, for its fronters.
    Campaign(String),
    /// An inbound call queued in this in-group, for its closers.
    Ingroup(String),
}

/// A CRM plan: what happens to a call after `talk_ms`. Every plan ends the agent's part
/// of the call one way or another; what the model does with it is the point.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "plan", rename_all = "snake_case", deny_unknown_fields)]
pub enum Plan {
    /// The agent hangs up on the screen.
    Hangup,
    /// The CRM sends `external_hangup=1`.
    ExternalHangup,
    /// The CRM sends HANGUP_BOTH.
    HangupBoth,
    /// BLIND_TRANSFER to a number.
    Blind {
        /// The number.
        number: String,
    },
    /// LEAVE_VM.
    Voicemail,
    /// LOCAL_CLOSER into an in-group (`DEFAULTINGROUP` resolves through the campaign).
    LocalCloser {
        /// `ingroup_choices`.
        group: String,
    },
    /// LOCAL_CLOSER to AGENTDIRECT with the first closer as the number.
    AgentDirect,
    /// A consultative dial into an in-group (PARK_CUSTOMER_DIAL if `park`), then
    /// LEAVE_3WAY_CALL sent for the fronter (`leave_by = fronter`) or
    /// force_fronter_leave_3way sent for the closer (`leave_by = closer`).
    Consult {
        /// `ingroup_choices`.
        group: String,
        /// PARK_CUSTOMER_DIAL instead of DIAL_WITH_CUSTOMER.
        #[serde(default)]
        park: bool,
        /// Who ends the fronter's part.
        #[serde(default)]
        leave_by: LeaveBy,
    },
    /// DIAL_WITH_CUSTOMER to a number, then HANGUP_XFER after a while, then hang up.
    ThreeWay {
        /// The number.
        number: String,
    },
    /// park_call PARK_CUSTOMER, then GRAB_CUSTOMER, then hang up.
    ParkGrab,
}

/// Who ends a consultation by making the fronter leave the 3-way.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveBy {
    /// The fronter's CRM sends LEAVE_3WAY_CALL.
    #[default]
    Fronter,
    /// The closer's CRM sends force_fronter_leave_3way.
    Closer,
}

/// How outside numbers answer 3-way dials.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThirdParty {
    /// Probability of answering.
    pub answer: f64,
    /// Probability of the carrier rejecting the dial (the rest ring until timeout).
    pub reject: f64,
    /// Ring time before answering.
    pub ring_ms: Span,
    /// How long an answered third party stays before hanging up.
    pub stay_ms: Span,
}

impl Default for ThirdParty {
    fn default() -> Self {
        ThirdParty { answer: 0.8, reject: 0.1, ring_ms: [2000, 15_000], stay_ms: [10_000, 300_000] }
    }
}

/// The CRM's side of the API: lost answers, retries, stray commands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrmBehaviour {
    /// Probability that an answer is lost and the CRM sends the request again.
    pub lost_answer: f64,
    /// Delay before that retry.
    pub retry_ms: Span,
    /// Probability that a plan step is followed by a stray second command (a double
    /// click, a second integration) shortly after.
    pub stray: f64,
    /// Delay of the stray command.
    pub stray_ms: Span,
    /// Probability that the request making a fronter leave a consultation goes out together
    /// with a park_call (PARK_CUSTOMER or PARK_XFER) or an external_hangup for the same
    /// agent, so that one poll carries both (scenarios S1, S2, S4 of
    /// docs/screen-requests.md).
    pub with_leave: f64,
    /// Probability that a three-way plan's DIAL_WITH_CUSTOMER goes out together with a
    /// park_call (GRAB_CUSTOMER or HANGUP_XFER_GRAB_CUSTOMER) or an external_hangup for the
    /// same agent, so that one poll carries both (scenarios S6-S8).
    pub with_dial: f64,
}

impl Default for CrmBehaviour {
    fn default() -> Self {
        CrmBehaviour {
            lost_answer: 0.05,
            retry_ms: [200, 1500],
            stray: 0.05,
            stray_ms: [0, 1500],
            with_leave: 0.1,
            with_dial: 0.1,
        }
    }
}

/// One scripted stimulus at a virtual time.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stimulus {
    /// Virtual time in milliseconds.
    pub at: u64,
    /// What happens.
    #[serde(flatten)]
    pub what: Stim,
    /// For `api`: the answer must start with this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<String>,
}

/// What a stimulus does.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stim {
    /// A customer call enters (customers are numbered 1, 2, ... in order of entry).
    Call(CallSpec),
    /// An api.php request (the query string, as the CRM sends it).
    Api(String),
    /// Customer `n` hangs up by himself, wherever he is.
    CustomerHangsUp(u64),
    /// An outside third party dialled by `agent` does something.
    ThirdParty(PartyStep),
    /// A raw input to one agent's session, in the `vicixfer drive` text form.
    Agent(AgentStep),
}

/// A customer call entering.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// Where it enters.
    pub entry: Entry,
}

/// A third party's action on the newest live dial of `agent` to an outside number.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyStep {
    /// The dialling agent.
    pub agent: String,
    /// The dial's leg id in that agent's session (0: its newest outside dial).
    #[serde(default)]
    pub leg: u64,
    /// What the party does.
    pub does: PartyAction,
}

/// What an outside party can do.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyAction {
    /// Picks up.
    Answer,
    /// The carrier rejects the dial.
    Reject,
    /// Hangs up (after answering).
    HangUp,
}

/// A raw input to one agent's session.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentStep {
    /// The agent.
    pub user: String,
    /// The input, e.g. `agent-hangup`, `dispo`, `tick`, `fill`.
    pub input: String,
    /// Only if the agent still has this lead on screen (stale actions are skipped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<u64>,
}

/// What a run must end with.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Expect {
    /// Final outcome of customer `n`, as its short name (see `CustomerEnd`), or `live`.
    pub outcomes: BTreeMap<u64, String>,
    /// Metric counters that must have exactly these values.
    pub metrics: BTreeMap<String, u64>,
    /// Every call must have ended and every agent be waiting when the run stops; anything
    /// left up is a lost leg (always on for random traffic).
    pub all_ended: bool,
}

impl Expect {
    fn is_empty(&self) -> bool {
        self.outcomes.is_empty() && self.metrics.is_empty() && !self.all_ended
    }
}

/// The most agents a world holds (each gets its own block of 1000 conference rooms).
pub const MAX_AGENTS: usize = 100_000;
/// The longest delay, interval or span of a timing or of random traffic: one day.
pub const MAX_DELAY_MS: u64 = 86_400_000;
/// The longest run: `max_ms` and every step's `at` are at most this (about 146 million
/// years of virtual time, far from any overflow of `u64` milliseconds).
pub const MAX_VIRTUAL_MS: u64 = u64::MAX / 4;
/// The metric groups a run counts (`expect.metrics` keys are `group.name`).
pub const METRIC_GROUPS: &[&str] =
    &["agent", "alerts", "api", "api_answers", "consult", "customers", "executed", "races", "sim", "xfer"];

/// A scenario that parses but cannot run as written: the field path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}`: {message}")]
pub struct InvalidScenario {
    /// The field, e.g. `world.agents[3].campaign`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> InvalidScenario {
    InvalidScenario { path: path.into(), message: message.into() }
}

fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), InvalidScenario> {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(invalid(format!("{what}[{i}]"), format!("{id:?} appears twice")));
        }
    }
    Ok(())
}

fn at_most(path: &str, value: u64, max: u64) -> Result<(), InvalidScenario> {
    if value > max {
        return Err(invalid(path, format!("{value} is more than the limit {max}")));
    }
    Ok(())
}

fn span(path: &str, s: Span) -> Result<(), InvalidScenario> {
    at_most(&format!("{path}[0]"), s[0], MAX_DELAY_MS)?;
    at_most(&format!("{path}[1]"), s[1], MAX_DELAY_MS)
}

fn probability(path: &str, p: f64) -> Result<(), InvalidScenario> {
    if !(0.0..=1.0).contains(&p) {
        return Err(invalid(path, format!("{p} is not a probability between 0 and 1")));
    }
    Ok(())
}

impl Timing {
    fn validate(&self) -> Result<(), InvalidScenario> {
        let delays = [
            ("poll_ms", self.poll_ms),
            ("clear_latency_ms", self.clear_latency_ms),
            ("api_latency_ms", self.api_latency_ms),
            ("cleanup_ms", self.cleanup_ms),
            ("dial_timeout_ms", self.dial_timeout_ms),
            ("reject_ms", self.reject_ms),
            ("wrap_ms", self.wrap_ms),
            ("dead_ms", self.dead_ms),
            ("fill_ms", self.fill_ms),
            ("away_ms", self.away_ms),
            ("settle_ms", self.settle_ms),
        ];
        for (name, value) in delays {
            at_most(&format!("world.timing.{name}"), value, MAX_DELAY_MS)?;
        }
        for (name, value) in [("poll_ms", self.poll_ms), ("cleanup_ms", self.cleanup_ms)] {
            if value == 0 {
                return Err(invalid(format!("world.timing.{name}"), "an interval of 0 ms never advances the clock"));
            }
        }
        at_most("world.timing.max_ms", self.max_ms, MAX_VIRTUAL_MS)
    }
}

impl Traffic {
    /// The entries calls come in through: `entry`, or when it is empty every campaign
    /// with a fronter and every in-group with a closer, weight 1 each (in file order).
    pub fn entries(&self, world: &WorldSpec) -> Vec<Weighted<Entry>> {
        if !self.entry.is_empty() {
            return self.entry.clone();
        }
        let campaigns = world
            .campaigns
            .iter()
            .filter(|c| world.agents.iter().any(|a| !a.is_closer() && a.campaign == c.id))
            .map(|c| Entry::Campaign(c.id.clone()));
        let ingroups = world
            .ingroups
            .iter()
            .filter(|g| world.agents.iter().any(|a| a.ingroups.contains(&g.id)))
            .map(|g| Entry::Ingroup(g.id.clone()));
        campaigns.chain(ingroups).map(|item| Weighted { weight: 1, item }).collect()
    }

    fn validate(&self, world: &WorldSpec) -> Result<(), InvalidScenario> {
        let entries = self.entries(world);
        if self.calls > 0 && entries.iter().all(|e| e.weight == 0) {
            let why = if self.entry.is_empty() {
                "empty, and no campaign has a fronter nor any in-group a closer to default to"
            } else {
                "every weight is 0: no call can enter"
            };
            return Err(invalid("traffic.entry", why));
        }
        for (i, e) in self.entry.iter().enumerate() {
            world.entry_exists(&format!("traffic.entry[{i}]"), &e.item)?;
        }
        for (name, s) in [
            ("gap_ms", self.gap_ms),
            ("patience_ms", self.patience_ms),
            ("talk_ms", self.talk_ms),
            ("confer_ms", self.confer_ms),
        ] {
            span(&format!("traffic.{name}"), s)?;
        }
        span("traffic.third_party.ring_ms", self.third_party.ring_ms)?;
        span("traffic.third_party.stay_ms", self.third_party.stay_ms)?;
        span("traffic.crm.retry_ms", self.crm.retry_ms)?;
        span("traffic.crm.stray_ms", self.crm.stray_ms)?;
        probability("traffic.third_party.answer", self.third_party.answer)?;
        probability("traffic.third_party.reject", self.third_party.reject)?;
        probability("traffic.crm.lost_answer", self.crm.lost_answer)?;
        probability("traffic.crm.stray", self.crm.stray)
    }
}

impl WorldSpec {
    fn entry_exists(&self, path: &str, entry: &Entry) -> Result<(), InvalidScenario> {
        let found = match entry {
            Entry::Campaign(id) => self.campaigns.iter().any(|c| &c.id == id),
            Entry::Ingroup(id) => self.ingroups.iter().any(|g| &g.id == id),
        };
        if !found {
            return Err(invalid(path, format!("{entry:?} is not in the world")));
        }
        Ok(())
    }

    fn agent_exists(&self, path: &str, user: &str) -> Result<(), InvalidScenario> {
        if !self.agents.iter().any(|a| a.user == user) {
            return Err(invalid(path, format!("no agent {user:?} in world.agents")));
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), InvalidScenario> {
        self.timing.validate()?;
        if self.agents.len() > MAX_AGENTS {
            return Err(invalid(
                "world.agents",
                format!("{} agents, more than the limit {MAX_AGENTS}", self.agents.len()),
            ));
        }
        unique("world.campaigns", self.campaigns.iter().map(|c| c.id.as_str()))?;
        unique("world.ingroups", self.ingroups.iter().map(|g| g.id.as_str()))?;
        unique("world.group_aliases", self.group_aliases.iter().map(|g| g.id.as_str()))?;
        unique("world.agents", self.agents.iter().map(|a| a.user.as_str()))?;
        for (i, a) in self.agents.iter().enumerate() {
            if a.user.is_empty() {
                return Err(invalid(format!("world.agents[{i}].user"), "empty"));
            }
            self.entry_exists(&format!("world.agents[{i}].campaign"), &Entry::Campaign(a.campaign.clone()))?;
            for (j, g) in a.ingroups.iter().enumerate() {
                self.entry_exists(&format!("world.agents[{i}].ingroups[{j}]"), &Entry::Ingroup(g.clone()))?;
            }
        }
        Ok(())
    }
}

impl Stimulus {
    fn validate(&self, path: &str, world: &WorldSpec) -> Result<(), InvalidScenario> {
        at_most(&format!("{path}.at"), self.at, world.timing.max_ms)?;
        match &self.what {
            Stim::Call(c) => world.entry_exists(&format!("{path}.call.entry"), &c.entry),
            Stim::Api(_) => Ok(()),
            Stim::CustomerHangsUp(0) => {
                Err(invalid(format!("{path}.customer_hangs_up"), "customers are numbered from 1"))
            }
            Stim::CustomerHangsUp(_) => Ok(()),
            Stim::ThirdParty(p) => world.agent_exists(&format!("{path}.third_party.agent"), &p.agent),
            Stim::Agent(a) => {
                world.agent_exists(&format!("{path}.agent.user"), &a.user)?;
                a.input
                    .parse::<crate::Input>()
                    .map(drop)
                    .map_err(|e| invalid(format!("{path}.agent.input"), e.to_string()))
            }
        }
    }
}

impl Scenario {
    /// Checks what the types cannot: unique ids, every reference resolves, random traffic
    /// can produce its calls, timings and steps within their limits ([`MAX_DELAY_MS`],
    /// [`MAX_VIRTUAL_MS`], ...), expectations name real customers, outcomes and metric
    /// groups. [`Scenario::from_json`] calls it; a scenario built in code should too.
    pub fn validate(&self) -> Result<(), InvalidScenario> {
        self.world.validate()?;
        if let Some(t) = &self.traffic {
            t.validate(&self.world)?;
        }
        for (i, s) in self.steps.iter().enumerate() {
            s.validate(&format!("steps[{i}]"), &self.world)?;
        }
        let calls = (self.steps.iter().filter(|s| matches!(s.what, Stim::Call(_))).count() as u64)
            .saturating_add(self.traffic.as_ref().map_or(0, |t| t.calls));
        let names: Vec<String> = crate::sim::ledger::CustomerEnd::all().map(|e| e.name()).collect();
        for (c, want) in &self.expect.outcomes {
            let path = format!("expect.outcomes.{c}");
            if *c == 0 || *c > calls {
                return Err(invalid(path, format!("no customer {c}: the run has {calls} calls")));
            }
            if want != "live" && want != "never entered" && !names.contains(want) {
                return Err(invalid(path, format!("{want:?} is not an outcome (one of live, {})", names.join(", "))));
            }
        }
        for key in self.expect.metrics.keys() {
            let known = key.split_once('.').is_some_and(|(g, n)| METRIC_GROUPS.contains(&g) && !n.is_empty());
            if !known {
                return Err(invalid(
                    format!("expect.metrics.{key}"),
                    format!("not a metric: `group.name` with group one of {}", METRIC_GROUPS.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// What a redacted scenario's API user has for a password, and its requests send.
pub const REDACTED_PASS: &str = "REDACTED";

impl Scenario {
    /// The scenario without its password, to be written out (a shrunk scenario): the API
    /// user's password becomes [`REDACTED_PASS`], and so does every request's `pass` that
    /// was the password; any other `pass` value (a deliberately wrong one) becomes `WRONG`,
    /// so each request still logs in, or fails to, as before.
    pub fn redacted(&self) -> Scenario {
        let mut out = self.clone();
        let real = &self.world.api_user.pass;
        out.world.api_user.pass = REDACTED_PASS.into();
        for s in &mut out.steps {
            if let Stim::Api(query) = &mut s.what {
                *query = crate::api::redact::replace_pass(query, |value| {
                    if crate::api::url_decode(value) == *real {
                        REDACTED_PASS
                    } else {
                        "WRONG"
                    }
                });
            }
        }
        out
    }
}
