//! Typed requests: what a caller means, both ways. [`Request::from_query`] reads a
//! query the way api.php does and says what api.php would silently accept or ignore
//! ([`Warning`]); [`Request::to_query`] writes a query api.php accepts as meant.

use super::force_fronter::FRONTER_VALUES;
use super::park_call::PARK_WORDS;
use super::query::{url_encode, Charset, Param, Params};
use super::response::Function;
use super::transfer_conference::{accepted_numbers, path, Path};
use crate::slot::{HangupSlot, ParkSlot};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use thiserror::Error;

/// Who is calling: `source`, `user`, `pass`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Auth {
    /// `source` (at least 2 characters).
    pub source: String,
    /// API user.
    pub user: String,
    /// Password.
    pub pass: String,
}

/// Which agent: by login, or by `custom_three` (`alt_user`, which wins when it matches).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgentRef {
    /// `agent_user` (may be empty when `alt_user` is given).
    pub agent_user: String,
    /// `alt_user`, empty for none.
    pub alt_user: String,
}

/// The screen's dial-override checkbox as a command sets it (§6.3, §6.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Override {
    /// Parameter omitted: the checkbox keeps its state (sticky).
    #[default]
    Keep,
    /// `YES`: tick it.
    Yes,
    /// `NO`: untick it (PARK_CUSTOMER_DIAL does not untick, §6.7).
    No,
}

/// The in-group of a path-A command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InGroupChoice {
    /// A named in-group.
    Named(String),
    /// `DEFAULTINGROUP`: the call's in-group's or campaign's default transfer group.
    Default,
    /// An AGENTDIRECT in-group (`AGENTDIRECT` itself, or any id containing it in any case:
    /// the dialplan hands those calls to the agent in the number field, §6.5) to this agent
    /// (`phone_number`).
    AgentDirect {
        /// The in-group id as sent.
        group: String,
        /// The receiving agent's login.
        agent: String,
    },
}

/// Caller-id choices of a 3-way dial (§3.4); empty strings for none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CallerIdChoice {
    /// `group_alias`.
    pub group_alias: String,
    /// `cid_choice` (`CAMPAIGN`, `AGENT_PHONE`, `CUSTOMER`, `CUSTOM_CID`).
    pub cid_choice: String,
}

/// Where a dialling command dials.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dial {
    /// A number (path B).
    Number {
        /// `phone_number`.
        number: String,
        /// `dial_override`.
        dial_override: Override,
        /// Caller id.
        caller_id: CallerIdChoice,
    },
    /// Consultative: an in-group (path A, `consultative=YES`).
    Consultative {
        /// The in-group.
        to: InGroupChoice,
        /// Caller id.
        caller_id: CallerIdChoice,
    },
}

/// The eight `transfer_conference` values with the parameters each one uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransferCommand {
    /// Hang up the third party.
    HangupXfer,
    /// Hang up customer and third party.
    HangupBoth,
    /// Leave customer and third party together.
    Leave3WayCall,
    /// Send the customer to a number.
    BlindTransfer {
        /// `phone_number`.
        number: String,
        /// `dial_override`.
        dial_override: Override,
    },
    /// Send the customer to the campaign's voicemail message.
    LeaveVm,
    /// Send the customer to an in-group.
    LocalCloser(InGroupChoice),
    /// Dial a third party into the session with the customer.
    DialWithCustomer(Dial),
    /// Park the customer and dial a third party.
    ParkCustomerDial(Dial),
}

/// The press-1 and 3-way checks any transfer_conference value may carry (§3.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Extras {
    /// `multi_dial_phones`, one entry per number.
    pub multi_dial_phones: Vec<String>,
    /// `md_check=YES`.
    pub md_check: bool,
    /// `tw_check=YES`.
    pub tw_check: bool,
}

/// force_fronter_leave_3way's three values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FronterMode {
    /// Only a fronter on this cluster.
    LocalOnly,
    /// This cluster, else forward over cross-cluster communication.
    LocalAndCcc,
    /// The forwarded request on the remote cluster, for this lead.
    CccRemote {
        /// `lead_id`.
        lead_id: u64,
    },
}

/// The call, by function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Call {
    /// `transfer_conference`.
    TransferConference {
        /// The value and its targets.
        command: TransferCommand,
        /// Press-1 and 3-way checks.
        extras: Extras,
    },
    /// `park_call` (an `Other` value is stored but never acted on).
    ParkCall(ParkSlot),
    /// `external_hangup` (the screen acts only on a value equal to 1).
    ExternalHangup(HangupSlot),
    /// `force_fronter_leave_3way`.
    ForceFronterLeave3Way(FronterMode),
}

/// One typed api.php request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Request {
    /// Credentials.
    pub auth: Auth,
    /// The agent.
    pub agent: AgentRef,
    /// The function and its parameters.
    pub call: Call,
}

/// Something api.php accepts silently that a careful caller wants to know about
/// (strict mode turns these into an error).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Error)]
#[non_exhaustive]
pub enum Warning {
    /// Characters were stripped by sanitising.
    #[error("{param}: api.php keeps {used:?} of {sent:?}")]
    Sanitised {
        /// Which parameter.
        param: Param,
        /// As sent (decoded).
        sent: String,
        /// As used.
        used: String,
    },
    /// A parameter was given more than once; the last one counts.
    #[error("{0} given more than once; the last one counts")]
    Repeated(Param),
    /// A park_call value api.php accepts by substring but the screen never executes.
    #[error("park_call value {0:?} is accepted but the screen acts on none but the nine exact values")]
    UnknownParkValue(String),
    /// AGENTDIRECT without `phone_number`: the call is dropped after 1 s (Q3).
    #[error("AGENTDIRECT without an agent in phone_number: the customer is dropped")]
    AgentDirectWithoutAgent,
    /// BLIND_TRANSFER without a number: the screen refuses and nothing happens.
    #[error("BLIND_TRANSFER without phone_number: the screen does nothing")]
    BlindTransferWithoutNumber,
    /// A number dial without a number.
    #[error("dial without phone_number")]
    DialWithoutNumber,
    /// `consultative=YES` on a value that does not dial an in-group: stored as `NO` or
    /// forced off by the screen.
    #[error("consultative=YES has no effect on {0}")]
    ConsultativeIgnored(String),
    /// `ingroup_choices` on a dial without `consultative=YES`: the number is dialled and
    /// the in-group ignored.
    #[error("ingroup_choices without consultative=YES is ignored")]
    IngroupWithoutConsultative,
    /// A parameter this value does not use.
    #[error("{param} is not used by {value}")]
    Ignored {
        /// The parameter.
        param: Param,
        /// The value.
        value: String,
    },
    /// An external_hangup value the screen does not act on (only `1` hangs up).
    #[error("external_hangup value {0:?} is stored but the screen hangs up only on 1")]
    ExternalHangupNotOne(String),
    /// A multi_dial_phones entry api.php drops (length, or substring of an earlier one).
    #[error("multi_dial_phones entry {0:?} is dropped")]
    MultiDialDropped(String),
    /// More than the 10 numbers the documentation promises (api.php does not cap).
    #[error("{0} multi_dial_phones numbers: the documentation says up to 10")]
    MultiDialOverTen(u32),
    /// A group_alias of one character is not looked up.
    #[error("group_alias {0:?} is too short to be looked up")]
    ShortGroupAlias(String),
    /// `key[]=…`: PHP made the parameter an array, which api.php cannot use as a string
    /// (a PHP 8 `TypeError` where it reaches `strlen`, `Array` where it is printed).
    #[error("{0} was sent as an array ({0}[]=…): api.php fails on it or reads it as `Array`")]
    ArrayParameter(Param),
    /// A key api.php does not read at all (as PHP named it).
    #[error("unknown parameter {0:?}: api.php does not read it")]
    UnknownKey(String),
    /// A presentation switch (`close_window_link`, `DB`, `format`) the typed request does
    /// not carry: the answer's outcome is the same, its body may hold more (§15.5).
    #[error("{0} changes only the presentation of the answer; the typed request drops it")]
    Presentation(Param),
    /// Variables past PHP's `max_input_vars` were dropped.
    #[error("{0} variables past max_input_vars (1000) were dropped by PHP")]
    DroppedVariables(usize),
}

/// A query the typed layer cannot represent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RequestError {
    /// `function` is not one of the four.
    #[error(
        "function {0:?} is not modelled (transfer_conference, park_call, external_hangup, force_fronter_leave_3way)"
    )]
    UnknownFunction(String),
    /// api.php rejects this value for this function whatever the directory says.
    #[error("{function}: value {value:?} is not valid")]
    InvalidValue {
        /// The function.
        function: Function,
        /// The value.
        value: String,
    },
    /// Neither `agent_user` nor an `alt_user` of 2+ characters.
    #[error("no agent_user (or alt_user)")]
    MissingAgent,
    /// `CCC_REMOTE` needs `lead_id`.
    #[error("CCC_REMOTE needs lead_id")]
    MissingLeadId,
    /// Strict mode: api.php would accept this, but not as one probably meant.
    #[error("api.php would accept this silently: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Strict(Vec<Warning>),
}

/// A request read from a query, with what api.php would do silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Parsed {
    /// The request as meant.
    pub request: Request,
    /// What api.php accepts silently; empty for a clean query.
    pub warnings: Vec<Warning>,
}

/// Builds typed values from parameters, collecting warnings.
struct Reader<'a> {
    p: &'a Params,
    value: &'a str,
    warnings: Vec<Warning>,
}

impl Reader<'_> {
    fn get(&self, param: Param) -> String {
        self.p.get(param).to_string()
    }

    /// A parameter this value does not use: warn if it was given.
    fn unused(&mut self, params: &[Param]) {
        for &param in params {
            let given = self.p.get(param);
            let default = given.is_empty() || (param == Param::Consultative && given == "NO");
            if !default {
                let w = if param == Param::Consultative {
                    Warning::ConsultativeIgnored(self.value.into())
                } else {
                    Warning::Ignored { param, value: self.value.into() }
                };
                self.warnings.push(w);
            }
        }
    }

    fn dial_override(&self) -> Override {
        match self.p.get(Param::DialOverride) {
            "YES" => Override::Yes,
            "NO" => Override::No,
            _ => Override::Keep,
        }
    }

    fn caller_id(&mut self) -> CallerIdChoice {
        let group_alias = self.get(Param::GroupAlias);
        if group_alias.len() == 1 {
            self.warnings.push(Warning::ShortGroupAlias(group_alias.clone()));
        }
        CallerIdChoice { group_alias, cid_choice: self.get(Param::CidChoice) }
    }

    fn in_group(&mut self) -> InGroupChoice {
        let ingroup = self.get(Param::IngroupChoices);
        if ingroup.contains("DEFAULTINGROUP") {
            self.unused(&[Param::PhoneNumber]);
            InGroupChoice::Default
        } else if ingroup.to_ascii_uppercase().contains("AGENTDIRECT") {
            let agent = self.get(Param::PhoneNumber);
            if agent.is_empty() {
                self.warnings.push(Warning::AgentDirectWithoutAgent);
            }
            InGroupChoice::AgentDirect { group: ingroup, agent }
        } else {
            self.unused(&[Param::PhoneNumber]);
            InGroupChoice::Named(ingroup)
        }
    }

    fn dial(&mut self, consultative: bool) -> Dial {
        if consultative {
            self.unused(&[Param::DialOverride]);
            let to = self.in_group();
            Dial::Consultative { to, caller_id: self.caller_id() }
        } else {
            if !self.p.get(Param::IngroupChoices).is_empty() {
                self.warnings.push(Warning::IngroupWithoutConsultative);
            }
            let number = self.get(Param::PhoneNumber);
            if number.is_empty() {
                self.warnings.push(Warning::DialWithoutNumber);
            }
            Dial::Number { number, dial_override: self.dial_override(), caller_id: self.caller_id() }
        }
    }

    fn transfer(&mut self) -> Result<Call, RequestError> {
        let value = self.value;
        let consultative = self.p.get(Param::Consultative) == "YES";
        let path = path(value, consultative).filter(|_| value.len() >= 8).ok_or_else(|| {
            RequestError::InvalidValue { function: Function::TransferConference, value: value.into() }
        })?;
        use Param::{
            CidChoice, Consultative, DialOverride, GroupAlias, IngroupChoices, MdCheck, MultiDialPhones, PhoneNumber,
            TwCheck,
        };
        let command = match value {
            "HANGUP_XFER" | "HANGUP_BOTH" | "LEAVE_3WAY_CALL" => {
                self.unused(&[PhoneNumber, IngroupChoices, GroupAlias, CidChoice, DialOverride, Consultative]);
                match value {
                    "HANGUP_XFER" => TransferCommand::HangupXfer,
                    "HANGUP_BOTH" => TransferCommand::HangupBoth,
                    _ => TransferCommand::Leave3WayCall,
                }
            }
            "BLIND_TRANSFER" => {
                self.unused(&[IngroupChoices, GroupAlias, CidChoice, Consultative]);
                let number = self.get(PhoneNumber);
                if number.is_empty() {
                    self.warnings.push(Warning::BlindTransferWithoutNumber);
                }
                TransferCommand::BlindTransfer { number, dial_override: self.dial_override() }
            }
            "LEAVE_VM" => {
                self.unused(&[PhoneNumber, IngroupChoices, GroupAlias, CidChoice, DialOverride, Consultative]);
                TransferCommand::LeaveVm
            }
            "LOCAL_CLOSER" => {
                self.unused(&[GroupAlias, CidChoice, DialOverride, Consultative]);
                TransferCommand::LocalCloser(self.in_group())
            }
            "DIAL_WITH_CUSTOMER" => TransferCommand::DialWithCustomer(self.dial(path == Path::InGroup)),
            _ => {
                // The screen ignores field 8 for PARK_CUSTOMER_DIAL (§6.7); kept as stored.
                if !self.p.get(CidChoice).is_empty() {
                    self.warnings.push(Warning::Ignored { param: CidChoice, value: value.into() });
                }
                TransferCommand::ParkCustomerDial(self.dial(path == Path::InGroup))
            }
        };
        let phones = self.p.get(MultiDialPhones);
        let mut multi_dial_phones = Vec::new();
        if !phones.is_empty() {
            let (kept, sent) = accepted_numbers(phones);
            for entry in phones.split(',') {
                if !kept.contains(&entry) || multi_dial_phones.contains(&entry.to_string()) {
                    self.warnings.push(Warning::MultiDialDropped(entry.into()));
                } else {
                    multi_dial_phones.push(entry.to_string());
                }
            }
            if phones.len() <= 4 {
                // api.php reads nothing shorter than 5 characters.
                multi_dial_phones.clear();
            }
            if sent > 10 {
                self.warnings.push(Warning::MultiDialOverTen(sent));
            }
        }
        let yes = |p: Param| self.p.get(p).to_ascii_uppercase().contains("YES");
        let extras = Extras { multi_dial_phones, md_check: yes(MdCheck), tw_check: yes(TwCheck) };
        Ok(Call::TransferConference { command, extras })
    }
}

impl Request {
    /// Reads a query string as api.php does (latin sanitising).
    pub fn from_query(query: &str) -> Result<Parsed, RequestError> {
        Request::from_query_in(query, Charset::Latin)
    }

    /// Reads a query string as api.php does under the world's charset
    /// ([`System::charset`](crate::api::System::charset)).
    pub fn from_query_in(query: &str, charset: Charset) -> Result<Parsed, RequestError> {
        Request::from_params(&Params::from_query(query, charset))
    }

    /// Strict mode: any [`Warning`] is an error.
    pub fn from_query_strict(query: &str) -> Result<Request, RequestError> {
        Request::from_query_strict_in(query, Charset::Latin)
    }

    /// Strict mode under the world's charset.
    pub fn from_query_strict_in(query: &str, charset: Charset) -> Result<Request, RequestError> {
        let parsed = Request::from_query_in(query, charset)?;
        if parsed.warnings.is_empty() {
            Ok(parsed.request)
        } else {
            Err(RequestError::Strict(parsed.warnings))
        }
    }

    /// Reads already parsed parameters.
    pub fn from_params(p: &Params) -> Result<Parsed, RequestError> {
        let function = Function::parse(p.get(Param::Function))
            .ok_or_else(|| RequestError::UnknownFunction(p.get(Param::Function).into()))?;
        let value = p.get(Param::Value);
        let mut r = Reader { p, value, warnings: Vec::new() };
        for (param, f) in p.sanitised() {
            r.warnings.push(Warning::Sanitised {
                param,
                sent: f.sent.clone().unwrap_or_default(),
                used: f.value.clone(),
            });
        }
        r.warnings.extend(p.repeated.iter().map(|&param| Warning::Repeated(param)));
        r.warnings.extend(p.arrays().map(Warning::ArrayParameter));
        // `close_window_link` whenever sent; `DB` when it would print (with the system's
        // `allow_web_debug`), `format` when it is `debug`.
        let db = p.field(Param::Db);
        let presentation = [
            (Param::CloseWindowLink, p.field(Param::CloseWindowLink).sent.is_some()),
            (Param::Db, db.array || !matches!(db.value.as_str(), "" | "0")),
            (Param::Format, !p.field(Param::Format).array && p.get(Param::Format) == "debug"),
        ];
        r.warnings
            .extend(presentation.into_iter().filter(|(_, on)| *on).map(|(param, _)| Warning::Presentation(param)));
        r.warnings.extend(p.unknown.iter().map(|k| Warning::UnknownKey(k.clone())));
        if p.dropped > 0 {
            r.warnings.push(Warning::DroppedVariables(p.dropped));
        }
        let agent = AgentRef { agent_user: r.get(Param::AgentUser), alt_user: r.get(Param::AltUser) };
        if agent.agent_user.is_empty() && agent.alt_user.len() < 2 {
            return Err(RequestError::MissingAgent);
        }
        let invalid = || RequestError::InvalidValue { function, value: value.into() };
        let call = match function {
            Function::TransferConference => r.transfer()?,
            Function::ParkCall => {
                if !PARK_WORDS.iter().any(|w| value.contains(w)) {
                    return Err(invalid());
                }
                let slot = ParkSlot::decode(value);
                if let ParkSlot::Other(v) = &slot {
                    r.warnings.push(Warning::UnknownParkValue(v.to_string()));
                }
                Call::ParkCall(slot)
            }
            Function::ExternalHangup => {
                if value.is_empty() {
                    return Err(invalid());
                }
                let slot = HangupSlot(value.into());
                if !slot.is_one() {
                    r.warnings.push(Warning::ExternalHangupNotOne(value.into()));
                }
                Call::ExternalHangup(slot)
            }
            Function::ForceFronterLeave3Way => {
                let mode = match FRONTER_VALUES.iter().position(|v| *v == value) {
                    Some(0) => FronterMode::LocalOnly,
                    Some(1) => FronterMode::LocalAndCcc,
                    Some(_) => {
                        let lead = p.get(Param::LeadId);
                        if lead.is_empty() {
                            return Err(RequestError::MissingLeadId);
                        }
                        FronterMode::CccRemote { lead_id: lead.parse().unwrap_or(u64::MAX) }
                    }
                    None => return Err(invalid()),
                };
                Call::ForceFronterLeave3Way(mode)
            }
        };
        if !matches!(call, Call::ForceFronterLeave3Way(FronterMode::CccRemote { .. }))
            && !p.get(Param::LeadId).is_empty()
        {
            r.warnings.push(Warning::Ignored { param: Param::LeadId, value: value.into() });
        }
        let auth = Auth { source: r.get(Param::Source), user: r.get(Param::User), pass: r.get(Param::Pass) };
        Ok(Parsed { request: Request { auth, agent, call }, warnings: r.warnings })
    }

    /// The function this request calls.
    pub fn function(&self) -> Function {
        match self.call {
            Call::TransferConference { .. } => Function::TransferConference,
            Call::ParkCall(_) => Function::ParkCall,
            Call::ExternalHangup(_) => Function::ExternalHangup,
            Call::ForceFronterLeave3Way(_) => Function::ForceFronterLeave3Way,
        }
    }

    /// The `value` parameter.
    pub fn value(&self) -> String {
        match &self.call {
            Call::TransferConference { command, .. } => command.value().into(),
            Call::ParkCall(ParkSlot::Known(v)) => v.as_str().into(),
            Call::ParkCall(ParkSlot::Other(v)) => v.to_string(),
            Call::ExternalHangup(HangupSlot(v)) => v.to_string(),
            Call::ForceFronterLeave3Way(m) => match m {
                FronterMode::LocalOnly => FRONTER_VALUES[0],
                FronterMode::LocalAndCcc => FRONTER_VALUES[1],
                FronterMode::CccRemote { .. } => FRONTER_VALUES[2],
            }
            .into(),
        }
    }

    /// A query string api.php reads back as this request (empty parameters omitted).
    pub fn to_query(&self) -> String {
        let mut q = Vec::<(Param, String)>::new();
        let a = &self.auth;
        q.push((Param::Source, a.source.clone()));
        q.push((Param::User, a.user.clone()));
        q.push((Param::Pass, a.pass.clone()));
        q.push((Param::Function, self.function().as_str().into()));
        q.push((Param::AgentUser, self.agent.agent_user.clone()));
        q.push((Param::AltUser, self.agent.alt_user.clone()));
        q.push((Param::Value, self.value()));
        match &self.call {
            Call::TransferConference { command, extras } => {
                command.params(&mut q);
                q.push((Param::MultiDialPhones, extras.multi_dial_phones.join(",")));
                q.push((Param::MdCheck, if extras.md_check { "YES".into() } else { String::new() }));
                q.push((Param::TwCheck, if extras.tw_check { "YES".into() } else { String::new() }));
            }
            Call::ForceFronterLeave3Way(FronterMode::CccRemote { lead_id }) => {
                q.push((Param::LeadId, lead_id.to_string()));
            }
            _ => {}
        }
        let mut out = String::new();
        for (p, v) in q.iter().filter(|(_, v)| !v.is_empty()) {
            let sep = if out.is_empty() { "" } else { "&" };
            let _ = write!(out, "{sep}{}={}", p.as_str(), url_encode(v));
        }
        out
    }
}

impl TransferCommand {
    /// The `value` spelling.
    pub fn value(&self) -> &'static str {
        match self {
            TransferCommand::HangupXfer => "HANGUP_XFER",
            TransferCommand::HangupBoth => "HANGUP_BOTH",
            TransferCommand::Leave3WayCall => "LEAVE_3WAY_CALL",
            TransferCommand::BlindTransfer { .. } => "BLIND_TRANSFER",
            TransferCommand::LeaveVm => "LEAVE_VM",
            TransferCommand::LocalCloser(_) => "LOCAL_CLOSER",
            TransferCommand::DialWithCustomer(_) => "DIAL_WITH_CUSTOMER",
            TransferCommand::ParkCustomerDial(_) => "PARK_CUSTOMER_DIAL",
        }
    }

    fn params(&self, q: &mut Vec<(Param, String)>) {
        let ov = |o: &Override| match o {
            Override::Keep => String::new(),
            Override::Yes => "YES".into(),
            Override::No => "NO".into(),
        };
        let in_group = |g: &InGroupChoice, q: &mut Vec<(Param, String)>| match g {
            InGroupChoice::Named(n) => q.push((Param::IngroupChoices, n.clone())),
            InGroupChoice::Default => q.push((Param::IngroupChoices, "DEFAULTINGROUP".into())),
            InGroupChoice::AgentDirect { group, agent } => {
                q.push((Param::IngroupChoices, group.clone()));
                q.push((Param::PhoneNumber, agent.clone()));
            }
        };
        match self {
            TransferCommand::BlindTransfer { number, dial_override } => {
                q.push((Param::PhoneNumber, number.clone()));
                q.push((Param::DialOverride, ov(dial_override)));
            }
            TransferCommand::LocalCloser(g) => in_group(g, q),
            TransferCommand::DialWithCustomer(d) | TransferCommand::ParkCustomerDial(d) => {
                let caller_id = match d {
                    Dial::Number { number, dial_override, caller_id } => {
                        q.push((Param::PhoneNumber, number.clone()));
                        q.push((Param::DialOverride, ov(dial_override)));
                        caller_id
                    }
                    Dial::Consultative { to, caller_id } => {
                        q.push((Param::Consultative, "YES".into()));
                        in_group(to, q);
                        caller_id
                    }
                };
                q.push((Param::GroupAlias, caller_id.group_alias.clone()));
                q.push((Param::CidChoice, caller_id.cid_choice.clone()));
            }
            TransferCommand::HangupXfer
            | TransferCommand::HangupBoth
            | TransferCommand::Leave3WayCall
            | TransferCommand::LeaveVm => {}
        }
    }
}

/// [`Request::from_query_strict`]: the text form of a request is its query string
/// ([`Request::to_query`]), and a query api.php would read other than as written is an error.
impl std::str::FromStr for Request {
    type Err = RequestError;

    fn from_str(query: &str) -> Result<Self, Self::Err> {
        Request::from_query_strict(query)
    }
}
