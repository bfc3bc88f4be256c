//! Stage 1: api.php's validation and answers, as a pure function.
//!
//! [`answer`] takes a query string, the server-side world ([`Directory`]) and the
//! server's clock (epoch seconds) and returns exactly what api.php prints and what it
//! writes: the command string stored in an agent's slot (with its typed reading, the
//! [`ApiWrite`] the core [`Session`](crate::Session) takes as input) and the press-1
//! multi-dial row. Nothing is performed; [`Directory::apply`] applies the writes.
//!
//! ```
//! use vicixfer::api::{answer, Directory, LiveAgent, User};
//!
//! let mut dir = Directory::default();
//! dir.users.push(User { user: "6666".into(), pass: "1234".into(), agent_api_access: true, ..User::default() });
//! dir.agents.push(LiveAgent {
//!     user: "1001".into(),
//!     lead_id: 7,
//!     callerid: "M2141842580000000044".into(),
//!     ..LiveAgent::default()
//! });
//! let query = "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference\
//!              &value=DIAL_WITH_CUSTOMER&phone_number=5551234";
//! let a = answer(&dir, query, 1_700_000_000);
//! assert_eq!(
//!     a.body(),
//!     "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|M2141842580000000044|\n"
//! );
//! let stored = a.stored().expect("stored");
//! assert_eq!(stored.raw, "DIAL_WITH_CUSTOMER------5551234---NO------------1700000000---");
//! ```

mod collation;
mod collation_table;
mod debug;
mod directory;
mod force_fronter;
mod login;
mod park_call;
mod php;
mod query;
pub mod redact;
mod remedy;
mod request;
mod response;
mod transfer_conference;

pub use collation::{collation_cmp, collation_eq};
pub use directory::{
    AutoCall, CallType, Campaign, CccRecord, Directory, GroupAlias, InGroup, LiveAgent, PressLive, PressMulti, Server,
    SettingsContainer, SipChannel, System, User,
};
pub use query::{
    php_key, url_decode, url_encode, with_post_fallback, Charset, Field, Param, Params, PhpKey, MAX_INPUT_VARS,
};
pub use remedy::Remedy;
pub use request::{
    AgentRef, Auth, Call, CallerIdChoice, Dial, Extras, FronterMode, InGroupChoice, Override, Parsed, Request,
    RequestError, TransferCommand, Warning,
};
pub use response::{
    ApiError, ErrorKind, Function, Line, MultiPhones, ParseLineError, Success, CLOSE_WINDOW_LINK, REDACTED,
};

use crate::input::ApiWrite;
use crate::slot::SlotName;
pub use login::LoginUpdate;
use serde::{Deserialize, Serialize};

/// Everything one api.php request printed and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Answer {
    /// The lines printed, in order (usually one; `no user found` adds one before).
    pub lines: Vec<Line>,
    /// The writes performed, in order (a write can precede an error line: R9).
    pub writes: Vec<Write>,
    /// The failed-login bookkeeping the login wrote on the API user's row (§15.1), which
    /// precedes every other write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<LoginUpdate>,
    /// The script died instead of answering: PHP's HTTP 500 (§15.7). The body is what
    /// was printed before (normally nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatal: Option<Fatal>,
}

/// A PHP fatal error that ends api.php with HTTP 500 and no answer line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fatal {
    /// A parameter PHP made an array reached `strlen` or `preg_match`: PHP 8's
    /// `TypeError` (§15.6).
    ArrayParameter {
        /// Which parameter.
        param: Param,
    },
    /// `file('')` on an empty settings container entry (PHP 8's `ValueError: Path cannot
    /// be empty`), in force_fronter_leave_3way's `LOCAL_AND_CCC` forwarding.
    EmptyContainerEntry {
        /// The container whose entry is empty.
        container_id: String,
    },
}

/// One write api.php performs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Write {
    /// A pending command stored in an agent's slot.
    Slot(SlotWrite),
    /// The agent's `vicidial_3way_press_multi` row, inserted or updated.
    PressMulti(PressMulti),
    /// force_fronter_leave_3way forwarded the lead to another cluster (`CCC_REMOTE`).
    Remote {
        /// The remote container.
        container_id: String,
        /// The lead forwarded: the record's `remote_lead_id` (§15.7).
        lead_id: u64,
        /// The URL fetched: the container entry with `ccc_lead_info` and the
        /// `non_agent_` paths rewritten.
        url: String,
    },
}

impl Write {
    /// The write with the password of a forwarded request's URL (its `pass=` value)
    /// replaced by [`REDACTED`]: what a log or trace may show.
    pub fn redacted(&self) -> Write {
        match self {
            Write::Remote { container_id, lead_id, url } => Write::Remote {
                container_id: container_id.clone(),
                lead_id: *lead_id,
                url: response::redact_debug(url),
            },
            other => other.clone(),
        }
    }
}

/// A command stored in one of an agent's slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SlotWrite {
    /// Whose slot: the `vicidial_live_agents` row found (after alt_user resolution; for
    /// force_fronter, the fronter), spelled as the database has it.
    pub agent_user: String,
    /// Which slot.
    pub slot: SlotName,
    /// The exact column value: what the column keeps (cut at its width, §15.4).
    pub raw: String,
    /// The same, as the core model's input: what the screen will execute.
    pub write: ApiWrite,
}

impl Answer {
    /// The exact response body api.php prints.
    pub fn body(&self) -> String {
        self.lines.iter().map(ToString::to_string).collect()
    }

    /// The body without api.php's debug output ([`Line::Debug`]): the answer lines,
    /// which [`Line::parse_body`] reads back.
    pub fn plain_body(&self) -> String {
        self.lines.iter().filter(|l| !matches!(l, Line::Debug(_))).map(ToString::to_string).collect()
    }

    /// The body with any echoed password replaced ([`Line::redacted`]): what a driver
    /// logs. [`Answer::body`] is what api.php prints, password included.
    pub fn redacted_body(&self) -> String {
        self.lines.iter().map(|l| l.redacted().to_string()).collect()
    }

    /// The HTTP status api.php answers with: 500 after a [`Fatal`] error, 418 for the
    /// coffee functions ([`Line::Teapot`]), else 200.
    pub fn http_status(&self) -> u16 {
        if self.fatal.is_some() {
            500
        } else if matches!(self.outcome(), Some(Line::Teapot(_))) {
            418
        } else {
            200
        }
    }

    /// The slot write, if the request stored a command.
    pub fn stored(&self) -> Option<&SlotWrite> {
        self.writes.iter().find_map(|w| match w {
            Write::Slot(s) => Some(s),
            _ => None,
        })
    }

    /// The last answer line, which decides the outcome (a `no user found` line may
    /// precede it; presentation lines are skipped).
    pub fn outcome(&self) -> Option<&Line> {
        self.lines.iter().rev().find(|l| !l.is_presentation())
    }

    /// Whether api.php answered `SUCCESS`.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome(), Some(Line::Success(_)))
    }
}

impl Directory {
    /// Performs the writes of an answer (slot columns, press-1 row). Writes for agents
    /// not in the directory are skipped, as an SQL UPDATE matching no row would be.
    pub fn apply(&mut self, answer: &Answer) {
        if let Some(l) = &answer.login {
            if let Some(u) = self.user_mut(&l.user) {
                u.failed_login_count = l.failed_login_count;
                u.last_login_date = l.last_login_date;
                u.locked = false;
            }
        }
        for w in &answer.writes {
            match w {
                Write::Slot(s) => {
                    if let Some(a) = self.agent_mut(&s.agent_user) {
                        let column = match s.slot {
                            SlotName::TransferConf => &mut a.external_transferconf,
                            SlotName::Park => &mut a.external_park,
                            SlotName::Hangup => &mut a.external_hangup,
                        };
                        column.clone_from(&s.raw);
                    }
                }
                Write::PressMulti(row) => {
                    match self.press_multi.iter_mut().find(|r| collation_eq(&r.user, &row.user)) {
                        Some(r) => *r = row.clone(),
                        None => self.press_multi.push(row.clone()),
                    }
                }
                Write::Remote { .. } => {}
            }
        }
    }
}

/// Answers one api.php request: `query` is the query string (without `?`), `epoch` the
/// server's time in seconds (the command id). Pure and total: any input gets api.php's
/// answer; functions other than the four modelled ones (and `version`) print nothing
/// after the common checks.
pub fn answer(dir: &Directory, query: &str, epoch: u64) -> Answer {
    let params = Params::from_query(query, dir.system.charset);
    answer_params(dir, &params, epoch)
}

/// [`answer`] for already parsed parameters.
pub fn answer_params(dir: &Directory, params: &Params, epoch: u64) -> Answer {
    answer_timed(dir, params, epoch, 0)
}

/// [`answer_params`] for a request that took `runtime` seconds from start to end: the
/// `format=debug` page's runtime comment prints it (api.php lines 5555-5557; `0` in
/// [`answer`]). Time stays an input: nothing here reads a clock.
///
/// ```
/// use vicixfer::api::{answer_timed, Charset, Directory, Params};
/// let p = Params::from_query("function=version", Charset::Latin);
/// let a = answer_timed(&Directory::default(), &p, 1_700_000_000, 0);
/// assert_eq!(a.body(), "VERSION: 2.14-81|BUILD: 240429-2220|DATE: 2023-11-14 22:13:20|EPOCH: 1700000000\n");
/// ```
pub fn answer_timed(dir: &Directory, params: &Params, epoch: u64, runtime: u64) -> Answer {
    let mut cx = Cx { dir, p: params, epoch, db: debug::Db::default(), out: Answer::default() };
    let reached_end = match cx.run() {
        Ok(()) => cx.out.fatal.is_none(),
        Err(Halt::Line(e)) => {
            let exits = e.exits();
            cx.out.lines.push(Line::Error(e));
            !exits
        }
        Err(Halt::Fatal(f)) => {
            cx.out.fatal = Some(f);
            false
        }
        Err(Halt::Exit) => false,
    };
    if reached_end {
        // `$close_window_link > 0`: an array is greater than any number.
        let link = params.field(Param::CloseWindowLink);
        if link.array || php::greater_than_zero(&link.value) {
            cx.out.lines.push(Line::CloseWindowLink);
        }
        if cx.db.page {
            cx.out.lines.push(Line::Debug(debug::page_tail(runtime)));
        }
    }
    cx.out
}

/// How a request stops early: an error line, a PHP fatal error, or an `exit` after a
/// line already printed.
pub(crate) enum Halt {
    Line(ApiError),
    Fatal(Fatal),
    Exit,
}

impl From<ApiError> for Halt {
    fn from(e: ApiError) -> Halt {
        Halt::Line(e)
    }
}

/// One request being answered. `Err` is the terminal error line.
pub(crate) struct Cx<'a> {
    pub(crate) dir: &'a Directory,
    pub(crate) p: &'a Params,
    pub(crate) epoch: u64,
    /// How `$DB` and `$format` read at this point of the script (§15.5).
    pub(crate) db: debug::Db,
    pub(crate) out: Answer,
}

impl<'a> Cx<'a> {
    fn run(&mut self) -> Result<(), Halt> {
        self.db = debug::Db::from_request(self.p, self.dir.system.allow_web_debug);
        // api.php lines 339-341: the API user's settings row, read with `user` after the
        // generic filter, before anything else.
        let user = self.generic_user();
        self.db_bars(format!(
            "SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='{user}';"
        ));
        if self.p.get(Param::Function) == "version" {
            let system = &self.dir.system;
            self.out.lines.push(Line::Other(debug::version_line(system.build, self.epoch, system.utc_offset)));
            return Err(Halt::Exit);
        }
        if let f @ ("coffee" | "start_coffee" | "make_coffee" | "brew_coffee") = self.p.get(Param::Function) {
            self.out.lines.push(Line::Teapot(f.to_string()));
            return Err(Halt::Exit);
        }
        self.preamble()?;
        if debug::wants_page(self.p) {
            self.db = debug::Db::debug_page();
            self.out.lines.push(Line::Debug(debug::page_head(self.dir.system.build, self.p.get(Param::User))));
        }
        let Some(function) = Function::parse(self.p.get(Param::Function)) else { return Ok(()) };
        self.arrays(function)?;
        match function {
            Function::TransferConference => transfer_conference::answer(self),
            Function::ParkCall => park_call::answer(self, Function::ParkCall),
            Function::ExternalHangup => park_call::answer(self, Function::ExternalHangup),
            Function::ForceFronterLeave3Way => force_fronter::answer(self),
        }
    }

    /// `if ($DB) {echo "$stmt\n";}`.
    pub(crate) fn db(&mut self, stmt: String) {
        if self.db.on {
            self.out.lines.push(Line::Debug(stmt + "\n"));
        }
    }

    /// `if ($DB) {echo "|$stmt|\n";}`.
    pub(crate) fn db_bars(&mut self, stmt: String) {
        if self.db.on {
            self.out.lines.push(Line::Debug(format!("|{stmt}|\n")));
        }
    }

    /// `if ($DB > 0) {echo "$text<BR>\n";}`.
    pub(crate) fn db_br(&mut self, text: &str) {
        if self.db.positive {
            self.out.lines.push(Line::Debug(format!("{text}<BR>\n")));
        }
    }

    /// `if ($format=='debug') {echo "\n<!-- $stmt -->";}`.
    pub(crate) fn page_comment(&mut self, stmt: &str) {
        if self.db.page {
            self.out.lines.push(Line::Debug(format!("\n<!-- {stmt} -->")));
        }
    }

    /// A PHP 8 `TypeError` on an array parameter (§15.6).
    pub(crate) fn die_on_array(&self, param: Param) -> Result<(), Halt> {
        if self.p.field(param).array {
            Err(Halt::Fatal(Fatal::ArrayParameter { param }))
        } else {
            Ok(())
        }
    }

    /// The array parameters the function's first check reaches, in PHP's evaluation
    /// order: `value` (`strlen`/`preg_match`, but a plain `!=` in force_fronter), then
    /// `strlen($agent_user)`, `strlen($alt_user)` (short-circuited), and after the
    /// permission check `strlen($alt_user)>1`. The other parameters die later, where the
    /// function first measures them (`die_on_array`), or print as `Array` ([`Cx::text`]).
    fn arrays(&self, function: Function) -> Result<(), Halt> {
        let field = |p: Param| self.p.field(p);
        if field(Param::Value).array {
            if function != Function::ForceFronterLeave3Way {
                return Err(Halt::Fatal(Fatal::ArrayParameter { param: Param::Value }));
            }
            return Err(self.not_valid(function).into());
        }
        if !function.value_passes(self.p.get(Param::Value), self.dir.system.build) {
            return Ok(());
        }
        self.die_on_array(Param::AgentUser)?;
        if self.p.get(Param::AgentUser).is_empty() {
            self.die_on_array(Param::AltUser)?;
        }
        if self.permission(function).is_ok() {
            self.die_on_array(Param::AltUser)?;
        }
        Ok(())
    }

    /// `user` after the generic filter only (api.php line 316), as a string prints it.
    fn generic_user(&self) -> String {
        if self.p.field(Param::User).array {
            "Array".into()
        } else {
            login::generic_filter(self.p.field(Param::User).sent.as_deref())
        }
    }

    /// Source, login and the system switch (§2), for every function.
    fn preamble(&mut self) -> Result<(), Halt> {
        self.die_on_array(Param::Source)?;
        let source = self.p.get(Param::Source);
        if source.len() < 2 {
            return Err(ApiError::InvalidSource { source: source.into() }.into());
        }
        // An array `user` or `pass` reaches the login as the string `Array`.
        let (user, pass) = (self.text(Param::User), self.text(Param::Pass));
        let (auth_message, update) = login::authorize(self.dir, &user, &pass, self.epoch);
        self.out.login = update;
        let auth = u32::from(auth_message == "GOOD");
        // `SELECT count(*) … where user=… and vdc_agent_api_access='1'`: active or not.
        let auth_api =
            self.dir.users.iter().filter(|u| collation_eq(&u.user, &user) && u.agent_api_access).count() as u32;
        self.db_bars(format!("SELECT count(*) from vicidial_users where user='{user}' and vdc_agent_api_access='1';"));
        // `strlen($user)`, `strlen($pass)` on an array: the login ran (as `Array`) first.
        // `or` short-circuits: a short `user` refuses before `pass` is measured.
        self.die_on_array(Param::User)?;
        if user.len() >= 2 {
            self.die_on_array(Param::Pass)?;
        }
        if user.len() < 2 || pass.len() < 2 || auth == 0 || auth_api == 0 {
            return Err(ApiError::InvalidLogin { user, pass, auth, auth_api, auth_message }.into());
        }
        self.db_bars("SELECT count(*) from system_settings where vdc_agent_api_active='1';".into());
        if !self.dir.system.api_active {
            return Err(ApiError::ApiNotActive.into());
        }
        Ok(())
    }

    /// The first check of every function: `agent_user` or a usable `alt_user` present.
    pub(crate) fn has_agent(&self) -> bool {
        !self.p.get(Param::AgentUser).is_empty() || self.p.get(Param::AltUser).len() >= 2
    }

    /// A parameter as a PHP string prints it: `Array` for an array (§15.6).
    pub(crate) fn text(&self, p: Param) -> String {
        if self.p.field(p).array {
            "Array".into()
        } else {
            self.p.get(p).into()
        }
    }

    /// The `<function> not valid - <value>|<agent_user>` line.
    pub(crate) fn not_valid(&self, function: Function) -> ApiError {
        ApiError::NotValid { function, value: self.text(Param::Value), agent_user: self.text(Param::AgentUser) }
    }

    /// The API user may call `function` (§2): its row is read with `user` after the
    /// generic filter only (§15.2).
    fn permission(&self, function: Function) -> Result<(), ApiError> {
        let api_user = self.dir.user(&login::generic_filter(self.p.field(Param::User).sent.as_deref()));
        let allowed = api_user.map(|u| u.api_allowed_functions.as_str()).unwrap_or_default();
        if !allowed.contains(&format!(" {function} ")) && !allowed.contains("ALL_FUNCTIONS") {
            return Err(ApiError::NoPermission {
                value: self.p.get(Param::Value).into(),
                user: self.p.get(Param::User).into(),
                function,
                user_group: api_user.map(|u| u.user_group.clone()).unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// The API user may call `function` ([`Cx::permission`]), then `alt_user` resolution,
    /// which may print a non-terminal `no user found` line. Returns the agent user to act on.
    pub(crate) fn permitted_agent(&mut self, function: Function) -> Result<String, ApiError> {
        self.permission(function)?;
        let alt = self.p.get(Param::AltUser);
        let mut agent_user = self.p.get(Param::AgentUser).to_string();
        if alt.len() > 1 {
            self.db(format!("select count(*) from vicidial_users where custom_three='{alt}';"));
            match self.dir.user_by_custom_three(alt) {
                Some(u) => {
                    self.db(format!("select user from vicidial_users where custom_three='{alt}' order by user;"));
                    agent_user.clone_from(&u.user);
                }
                None => self.out.lines.push(Line::Error(ApiError::NoUserFound { alt_user: alt.into() })),
            }
        }
        Ok(agent_user)
    }

    /// The logged-in agent row (after the `select count(*)` debug statement), or `agent_user
    /// is not logged in`.
    pub(crate) fn logged_in(&mut self, agent_user: &str) -> Result<&'a LiveAgent, ApiError> {
        self.db(format!("select count(*) from vicidial_live_agents where user='{agent_user}';"));
        let dir = self.dir;
        dir.agent(agent_user).ok_or_else(|| ApiError::NotLoggedIn { agent_user: agent_user.into() })
    }

    /// Records a slot write: the column keeps what fits ([`SlotName::stored`], §15.4), and
    /// `write` reads the kept value as the screen will; `agent_user` is the row found.
    pub(crate) fn store(
        &mut self,
        agent_user: &str,
        slot: SlotName,
        raw: &str,
        write: impl FnOnce(&str) -> Option<ApiWrite>,
    ) {
        let raw = slot.stored(raw);
        if let Some(write) = write(raw) {
            self.out.writes.push(Write::Slot(SlotWrite {
                agent_user: agent_user.into(),
                slot,
                raw: raw.into(),
                write,
            }));
        }
    }

    /// Prints a success line.
    pub(crate) fn success(&mut self, s: Success) {
        self.out.lines.push(Line::Success(s));
    }
}
