//! api.php's answer lines as typed values: rendered byte-exactly, parsed back (§3.8, §4).

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

spelled! {
    /// The four functions this crate models, by their `function=` spelling.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[non_exhaustive]
    pub enum Function {
        /// `transfer_conference`.
        TransferConference = "transfer_conference",
        /// `park_call`.
        ParkCall = "park_call",
        /// `external_hangup`.
        ExternalHangup = "external_hangup",
        /// `force_fronter_leave_3way`.
        ForceFronterLeave3Way = "force_fronter_leave_3way",
    }
}

impl Function {
    /// The function's first check on `value` (before the agent check): at least 8 bytes
    /// (transfer_conference), a park word (park_call), not empty (external_hangup), one
    /// of the three values exactly (force_fronter_leave_3way). park_call's test depends on
    /// the build (§17).
    pub(crate) fn value_passes(self, value: &str, build: crate::config::Build) -> bool {
        match self {
            Function::TransferConference => value.len() >= 8,
            Function::ParkCall => super::park_call::park_value_valid(build, value),
            Function::ExternalHangup => !value.is_empty(),
            Function::ForceFronterLeave3Way => super::force_fronter::FRONTER_VALUES.contains(&value),
        }
    }
}

/// The press-1 suffix `|Multi-phones: <vp> <mp> <affected>` (§3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MultiPhones {
    /// Numbers accepted.
    pub accepted: u32,
    /// Entries sent.
    pub sent: u32,
    /// MySQL affected rows of the upsert (1 insert, 2 update, 0 unchanged or none).
    pub affected: u32,
}

/// Every `ERROR:` line of the four functions. Fields are in the order api.php prints them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ApiError {
    /// `ERROR: Invalid Source - <source>`
    InvalidSource {
        /// The sanitised source.
        source: String,
    },
    /// `ERROR: Invalid Username/Password: |<user>|<pass>|<auth>|<auth_api>|<auth_message>|`
    InvalidLogin {
        /// API user.
        user: String,
        /// Password as sent (sanitised).
        pass: String,
        /// 1 when authentication said `GOOD`.
        auth: u32,
        /// Active users with this login and agent API access.
        auth_api: u32,
        /// `GOOD` (login valid, no agent API access), `LOCK`, `ERRSERVERS` or
        /// `BAD|0|api|<the login's SQL>` (§15.1).
        auth_message: String,
    },
    /// `ERROR: System API NOT ACTIVE`
    ApiNotActive,
    /// `ERROR: <function> not valid - <value>|<agent_user>`
    NotValid {
        /// Which function's first check failed.
        function: Function,
        /// The value.
        value: String,
        /// The agent user.
        agent_user: String,
    },
    /// `ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - <value>|<user>|<function>|<user_group>`
    NoPermission {
        /// The value.
        value: String,
        /// The API user.
        user: String,
        /// The function.
        function: Function,
        /// The API user's group.
        user_group: String,
    },
    /// `ERROR: no user found - <alt_user>` (not terminal: another line follows).
    NoUserFound {
        /// The alt_user that matched no `custom_three`.
        alt_user: String,
    },
    /// `ERROR: agent_user is not logged in - <agent_user>`
    NotLoggedIn {
        /// The agent user.
        agent_user: String,
    },
    /// `ERROR: agent_user does not have a live call - <agent_user>` (transfer_conference)
    NoLiveCall {
        /// The agent user.
        agent_user: String,
    },
    /// `ERROR: agent_user does not have a lead on their screen - <agent_user>` (park_call)
    NoLead {
        /// The agent user.
        agent_user: String,
    },
    /// `ERROR: agent_user is not on a phone call - <agent_user>` (force_fronter_leave_3way)
    NotOnPhoneCall {
        /// The agent user.
        agent_user: String,
    },
    /// `ERROR: ingroup is not valid - <ingroup_choices>`
    IngroupNotValid {
        /// The in-group after DEFAULTINGROUP resolution.
        ingroup: String,
    },
    /// `ERROR: group_alias is not valid - <agent_user>|<group_alias>`
    GroupAliasNotValid {
        /// The agent user.
        agent_user: String,
        /// The alias id.
        group_alias: String,
    },
    /// `ERROR: caller_id_number from group_alias is not valid - <agent_user>|<group_alias>|<caller_id_number>`
    AliasCallerIdNotValid {
        /// The agent user.
        agent_user: String,
        /// The alias id.
        group_alias: String,
        /// Its caller id number.
        caller_id_number: String,
    },
    /// `ERROR: cid_choice is not valid - <agent_user>|<cid_choice>`
    CidChoiceNotValid {
        /// The agent user.
        agent_user: String,
        /// The cid_choice.
        cid_choice: String,
    },
    /// `ERROR: value is not valid - <value>|<user>` (the API user, not the agent).
    ValueNotValid {
        /// The value.
        value: String,
        /// The API user.
        user: String,
    },
    /// `ERROR: agent_user has previous active 3-way calls - <agent_user>|<count>|0|<md_check>`
    PreviousActive3Way {
        /// The agent user.
        agent_user: String,
        /// Active press-1 rows.
        count: u32,
        /// The md_check parameter.
        md_check: String,
    },
    /// `ERROR: agent_user has current active 3-way call - <agent_user>|<count>|0|<tw_check>`
    CurrentActive3Way {
        /// The agent user.
        agent_user: String,
        /// `DC…W` channels on the session.
        count: u32,
        /// The tw_check parameter.
        tw_check: String,
    },
    /// `ERROR: no fronter found - <agent_user>`
    NoFronterFound {
        /// The agent user.
        agent_user: String,
    },
}

/// The kind of an [`ApiError`], without its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`ApiError::InvalidSource`]
    InvalidSource,
    /// [`ApiError::InvalidLogin`]
    InvalidLogin,
    /// [`ApiError::ApiNotActive`]
    ApiNotActive,
    /// [`ApiError::NotValid`]
    NotValid,
    /// [`ApiError::NoPermission`]
    NoPermission,
    /// [`ApiError::NoUserFound`]
    NoUserFound,
    /// [`ApiError::NotLoggedIn`]
    NotLoggedIn,
    /// [`ApiError::NoLiveCall`]
    NoLiveCall,
    /// [`ApiError::NoLead`]
    NoLead,
    /// [`ApiError::NotOnPhoneCall`]
    NotOnPhoneCall,
    /// [`ApiError::IngroupNotValid`]
    IngroupNotValid,
    /// [`ApiError::GroupAliasNotValid`]
    GroupAliasNotValid,
    /// [`ApiError::AliasCallerIdNotValid`]
    AliasCallerIdNotValid,
    /// [`ApiError::CidChoiceNotValid`]
    CidChoiceNotValid,
    /// [`ApiError::ValueNotValid`]
    ValueNotValid,
    /// [`ApiError::PreviousActive3Way`]
    PreviousActive3Way,
    /// [`ApiError::CurrentActive3Way`]
    CurrentActive3Way,
    /// [`ApiError::NoFronterFound`]
    NoFronterFound,
}

impl ApiError {
    /// The kind, for matching without fields.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::InvalidSource { .. } => ErrorKind::InvalidSource,
            ApiError::InvalidLogin { .. } => ErrorKind::InvalidLogin,
            ApiError::ApiNotActive => ErrorKind::ApiNotActive,
            ApiError::NotValid { .. } => ErrorKind::NotValid,
            ApiError::NoPermission { .. } => ErrorKind::NoPermission,
            ApiError::NoUserFound { .. } => ErrorKind::NoUserFound,
            ApiError::NotLoggedIn { .. } => ErrorKind::NotLoggedIn,
            ApiError::NoLiveCall { .. } => ErrorKind::NoLiveCall,
            ApiError::NoLead { .. } => ErrorKind::NoLead,
            ApiError::NotOnPhoneCall { .. } => ErrorKind::NotOnPhoneCall,
            ApiError::IngroupNotValid { .. } => ErrorKind::IngroupNotValid,
            ApiError::GroupAliasNotValid { .. } => ErrorKind::GroupAliasNotValid,
            ApiError::AliasCallerIdNotValid { .. } => ErrorKind::AliasCallerIdNotValid,
            ApiError::CidChoiceNotValid { .. } => ErrorKind::CidChoiceNotValid,
            ApiError::ValueNotValid { .. } => ErrorKind::ValueNotValid,
            ApiError::PreviousActive3Way { .. } => ErrorKind::PreviousActive3Way,
            ApiError::CurrentActive3Way { .. } => ErrorKind::CurrentActive3Way,
            ApiError::NoFronterFound { .. } => ErrorKind::NoFronterFound,
        }
    }
}

/// Every `SUCCESS:` line of the four functions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Success {
    /// `SUCCESS: transfer_conference function set - <value>|<ingroup>|<phone>|<consultative>|<agent_user>|<callerid><multi>|`
    TransferConference {
        /// The value.
        value: String,
        /// Resolved in-group on path A, the sanitised parameter otherwise.
        ingroup: String,
        /// The phone number.
        phone: String,
        /// The normalised consultative parameter (`YES`/`NO`).
        consultative: String,
        /// The agent user (after alt_user).
        agent_user: String,
        /// The agent's call id.
        callerid: String,
        /// The press-1 suffix, when multi_dial_phones was given.
        multi: Option<MultiPhones>,
    },
    /// `SUCCESS: park_call function set - <value>|<agent_user>`
    ParkCall {
        /// The value.
        value: String,
        /// The agent user.
        agent_user: String,
    },
    /// `SUCCESS: external_hangup function set - <value>|<agent_user>`
    ExternalHangup {
        /// The value.
        value: String,
        /// The agent user.
        agent_user: String,
    },
    /// `SUCCESS: force_fronter_leave_3way SENT - <other_user>` (no trailing newline).
    FronterSent {
        /// The fronter that received LEAVE_3WAY_CALL.
        fronter: String,
    },
    /// `SUCCESS: force_fronter_leave_3way command sent over CCC - <container_id>`
    SentOverCcc {
        /// The remote container.
        container_id: String,
    },
}

/// The link `close_window_link` appends (api.php, "optional close window link").
pub const CLOSE_WINDOW_LINK: &str = "<a href=\"javascript:window.opener='x';window.close();\">Close This Window</a>";

/// One answer line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Line {
    /// An `ERROR:` line.
    Error(ApiError),
    /// A `SUCCESS:` line.
    Success(Success),
    /// `\n<a href=…>Close This Window</a>\n`, after the answer on the paths that reach the
    /// end of the script (§15.5): presentation, not an outcome.
    CloseWindowLink,
    /// api.php's debug output (§15.5), exactly as printed, line ends included: a
    /// statement `DB` prints (`<stmt>\n` or `|<stmt>|\n`), a `format=debug` comment
    /// (`\n<!-- <stmt> -->`), the `format=debug` page's head or tail. Presentation, not an
    /// outcome; [`Line::parse_body`] does not read it back (a body with debug output is
    /// HTML and SQL, not answer lines).
    Debug(String),
    /// A line of another api.php function (or of api.php's debug output): a capitalised
    /// tag and `": "` (`NOTICE: ...`, `VERSION: ...`, `ERROR: recording not valid - ...`)
    /// or a `|...|` debug line, kept as text without its newline. A malformed line that
    /// claims to be one of the four functions' (its message starts like one of theirs) is
    /// an error, not `Other`.
    Other(String),
    /// `Coffee: <function>|Error 418 I'm a teapot`, printed without a newline and with
    /// HTTP status 418, for `coffee`, `start_coffee`, `make_coffee` and `brew_coffee`
    /// before any check (api.php lines 588-597). The text is the function as sent.
    Teapot(String),
}

/// A text that is not an answer line of the four functions.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not an api.php answer line (line {number} of the body): {excerpt:?}")]
#[non_exhaustive]
pub struct ParseLineError {
    /// The offending line (at most [`ParseLineError::EXCERPT`] bytes of it).
    pub excerpt: String,
    /// Its 1-based number among the body's text lines.
    pub number: usize,
}

impl ParseLineError {
    /// How much of an offending line an error keeps.
    pub const EXCERPT: usize = 200;

    pub(crate) fn new(line: &str, number: usize) -> ParseLineError {
        let mut end = line.len().min(Self::EXCERPT);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        ParseLineError { excerpt: line[..end].to_string(), number }
    }
}

/// The line's text without its line end (`\n` or `\r\n`).
fn without_line_end(line: &str) -> &str {
    // Every carriage return before the end: a line whose text ended in one would render
    // back (with `\n`) to a CRLF line end and lose it (docs/decisions.md).
    line.strip_suffix('\n').unwrap_or(line).trim_end_matches('\r')
}

/// Whether a text line starts a new answer line: a capitalised tag and `": "`, or a
/// `|` debug line. A piece that does not is the continuation of a field holding a newline.
fn starts_line(piece: &str) -> bool {
    if piece.starts_with('|') {
        return true;
    }
    let tag_len = piece.bytes().take_while(|b| b.is_ascii_uppercase() || *b == b'_').count();
    tag_len > 0 && piece[tag_len..].starts_with(": ")
}

/// What a redacted line prints in place of the password.
pub const REDACTED: &str = "[REDACTED]";

/// Text with every password value it shows replaced by [`REDACTED`]: after `pass` (any
/// case) and `=` (spaces around it allowed), a quoted value (`pass='…'`, `PASS = "…"`: SQL)
/// up to its closing quote; and, where `pass=` starts a parameter (at the start or after
/// `?`, `&` or a space), an unquoted URL value up to `&`, a quote, `<`, `|`, `;` or white
/// space (none of which api.php's password filter keeps).
pub(crate) fn redact_debug(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let (mut at, mut from) = (0, 0);
    while let Some(i) = lower[from..].find("pass").map(|i| i + from) {
        from = i + "pass".len();
        let after = &lower[from..];
        let before_eq = after.len() - after.trim_start_matches(' ').len();
        if !after[before_eq..].starts_with('=') {
            continue;
        }
        let eq = from + before_eq + 1;
        let start = eq + (lower[eq..].len() - lower[eq..].trim_start_matches(' ').len());
        let rest = &text[start..];
        let (open, len) = match rest.as_bytes().first() {
            Some(&q @ (b'\'' | b'"')) => (1, rest[1..].find(q as char).unwrap_or(rest.len() - 1)),
            _ if start == i + "pass=".len() && (i == 0 || matches!(lower.as_bytes()[i - 1], b'?' | b'&' | b' ')) => (
                0,
                rest.find(|c: char| matches!(c, '&' | '\'' | '"' | '<' | '|' | ';') || c.is_whitespace())
                    .unwrap_or(rest.len()),
            ),
            _ => continue,
        };
        out.push_str(&text[at..start + open]);
        out.push_str(REDACTED);
        at = start + open + len;
        from = at;
    }
    out.push_str(&text[at..]);
    out
}

impl ApiError {
    /// Whether api.php `exit`s right after printing this line, so that nothing (not the
    /// close-window link) follows: the common checks, the permission error, and
    /// transfer_conference's alias, cid_choice and 3-way errors.
    pub fn exits(&self) -> bool {
        matches!(
            self,
            ApiError::InvalidSource { .. }
                | ApiError::InvalidLogin { .. }
                | ApiError::ApiNotActive
                | ApiError::NoPermission { .. }
                | ApiError::GroupAliasNotValid { .. }
                | ApiError::AliasCallerIdNotValid { .. }
                | ApiError::CidChoiceNotValid { .. }
                | ApiError::PreviousActive3Way { .. }
                | ApiError::CurrentActive3Way { .. }
        )
    }

    /// Whether the line echoes the password (the failed-login line does, twice: §15.1).
    pub fn carries_password(&self) -> bool {
        matches!(self, ApiError::InvalidLogin { pass, .. } if !pass.is_empty())
    }

    /// The same error with the password replaced by [`REDACTED`], in the `pass` field and
    /// in the `pass='…'` of the login's SQL: what a log or trace may show.
    pub fn redacted(&self) -> ApiError {
        match self {
            ApiError::InvalidLogin { user, pass, auth, auth_api, auth_message } if !pass.is_empty() => {
                ApiError::InvalidLogin {
                    user: user.clone(),
                    pass: REDACTED.into(),
                    auth: *auth,
                    auth_api: *auth_api,
                    auth_message: auth_message.replace(&format!("pass='{pass}'"), &format!("pass='{REDACTED}'")),
                }
            }
            other => other.clone(),
        }
    }
}

impl Line {
    /// The line with any echoed password replaced by [`REDACTED`] ([`ApiError::redacted`];
    /// in debug output, the value of a `pass=` URL parameter, such as a settings
    /// container's remote API URL, and of SQL's `pass='…'`); [`Display`](fmt::Display) of
    /// a line stays api.php's exact bytes.
    pub fn redacted(&self) -> Line {
        match self {
            Line::Error(e) => Line::Error(e.redacted()),
            Line::Debug(text) => Line::Debug(redact_debug(text)),
            other => other.clone(),
        }
    }

    /// Whether the line is presentation ([`Line::CloseWindowLink`], [`Line::Debug`])
    /// rather than an answer.
    pub fn is_presentation(&self) -> bool {
        matches!(self, Line::CloseWindowLink | Line::Debug(_))
    }

    /// Whether api.php ends this line with `\n` (all but force_fronter's `SENT`, and
    /// debug output, which holds its own line ends).
    pub fn has_newline(&self) -> bool {
        !matches!(self, Line::Success(Success::FronterSent { .. }) | Line::Debug(_) | Line::Teapot(_))
    }

    /// Parses one line (with or without its `\n` or `\r\n`). Fields are split from the
    /// right, so a `value` containing `|` (api.php keeps it) reads back whole. Linear in
    /// the line's length.
    pub fn parse(line: &str) -> Result<Line, ParseLineError> {
        let text = without_line_end(line);
        parse_line(text).or_else(|| other_line(text)).ok_or_else(|| ParseLineError::new(line, 1))
    }

    /// Parses a whole body (one or more lines as api.php prints them, `\n` or `\r\n`).
    ///
    /// A field may itself contain a newline (not one api.php took from the request, all
    /// sanitised, but one from the directory, such as a caller id, or of a line built by
    /// hand): a text line that does not start like an answer line (a capitalised tag and
    /// `": "`, or `|`) continues the line before it. One pass, no recursion: linear time
    /// in the body's length, memory linear in the number of lines.
    pub fn parse_body(body: &str) -> Result<Vec<Line>, ParseLineError> {
        // The close-window link (§15.5) is the body's end, after a blank line.
        let before_link = body.strip_suffix('\n').unwrap_or(body).strip_suffix(CLOSE_WINDOW_LINK);
        let (body, link_line) = match before_link.and_then(|b| b.strip_suffix('\n')) {
            Some(answer) => (answer, Some(Line::CloseWindowLink)),
            None => (body, None),
        };
        let mut lines = Line::parse_answer_lines(body)?;
        lines.extend(link_line);
        Ok(lines)
    }

    /// [`Line::parse_body`] for a body without the close-window link.
    fn parse_answer_lines(body: &str) -> Result<Vec<Line>, ParseLineError> {
        let mut lines = Vec::new();
        if body.is_empty() {
            return Ok(lines);
        }
        // The current line starts at byte `start`, on text line `start_number`.
        let (mut start, mut start_number, mut offset) = (0, 1, 0);
        let line_at = |text: &str, number: usize| Self::parse(text).map_err(|e| ParseLineError { number, ..e });
        for (number, piece) in (1..).zip(body.split_inclusive('\n')) {
            if offset > start && starts_line(piece) {
                lines.push(line_at(&body[start..offset], start_number)?);
                (start, start_number) = (offset, number);
            }
            offset += piece.len();
        }
        if offset > start {
            lines.push(line_at(&body[start..], start_number)?);
        }
        Ok(lines)
    }
}

/// Every message prefix of the four functions' lines: a line that starts like one of them
/// but does not parse is malformed, not another function's.
const CLAIMED: &[&str] = &[
    "Invalid Source",
    "Invalid Username/Password",
    "System API NOT ACTIVE",
    "auth USER DOES NOT HAVE PERMISSION",
    "no user found",
    "agent_user ",
    "ingroup is not valid",
    "group_alias is not valid",
    "caller_id_number from group_alias",
    "cid_choice is not valid",
    "value is not valid",
    "no fronter found",
    "transfer_conference",
    "park_call",
    "external_hangup",
    "force_fronter_leave_3way",
];

/// A line of another function, or `None` for text that is no api.php line at all (or a
/// malformed line of the four functions).
fn other_line(text: &str) -> Option<Line> {
    if text.starts_with('|') {
        return Some(Line::Other(text.to_string()));
    }
    if !starts_line(text) {
        return None;
    }
    let (tag, message) = text.split_once(": ")?;
    if message.is_empty() || (matches!(tag, "ERROR" | "SUCCESS") && CLAIMED.iter().any(|c| message.starts_with(c))) {
        return None;
    }
    Some(Line::Other(text.to_string()))
}

fn fields<const N: usize>(s: &str) -> Option<[String; N]> {
    // The first field takes whatever `|` is left over.
    let mut parts: Vec<&str> = s.rsplitn(N, '|').collect();
    if parts.len() != N {
        return None;
    }
    parts.reverse();
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (o, p) in out.iter_mut().zip(parts) {
        *o = p.to_string();
    }
    Some(out)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The end of api.php's coffee line (api.php line 591).
const TEAPOT: &str = "|Error 418 I'm a teapot";

fn parse_line(t: &str) -> Option<Line> {
    // Its own leading newline, or (after a line printed without one) the line's.
    if t.strip_prefix('\n').unwrap_or(t) == CLOSE_WINDOW_LINK {
        return Some(Line::CloseWindowLink);
    }
    if let Some(function) = t.strip_prefix("Coffee: ").and_then(|r| r.strip_suffix(TEAPOT)) {
        return Some(Line::Teapot(function.into()));
    }
    if let Some(rest) = t.strip_prefix("SUCCESS: ") {
        return parse_success(rest).map(Line::Success);
    }
    let rest = t.strip_prefix("ERROR: ")?;
    let e = if let Some(s) = rest.strip_prefix("Invalid Source - ") {
        ApiError::InvalidSource { source: s.into() }
    } else if let Some(s) = rest.strip_prefix("Invalid Username/Password: |") {
        invalid_login(s.strip_suffix('|')?)?
    } else if rest == "System API NOT ACTIVE" {
        ApiError::ApiNotActive
    } else if let Some(s) = rest.strip_prefix("auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - ") {
        let [value, user, function, user_group] = fields::<4>(s)?;
        ApiError::NoPermission { value, user, function: Function::parse(&function)?, user_group }
    } else if let Some(s) = rest.strip_prefix("no user found - ") {
        ApiError::NoUserFound { alt_user: s.into() }
    } else if let Some(s) = rest.strip_prefix("agent_user is not logged in - ") {
        ApiError::NotLoggedIn { agent_user: s.into() }
    } else if let Some(s) = rest.strip_prefix("agent_user does not have a live call - ") {
        ApiError::NoLiveCall { agent_user: s.into() }
    } else if let Some(s) = rest.strip_prefix("agent_user does not have a lead on their screen - ") {
        ApiError::NoLead { agent_user: s.into() }
    } else if let Some(s) = rest.strip_prefix("agent_user is not on a phone call - ") {
        ApiError::NotOnPhoneCall { agent_user: s.into() }
    } else if let Some(s) = rest.strip_prefix("ingroup is not valid - ") {
        ApiError::IngroupNotValid { ingroup: s.into() }
    } else if let Some(s) = rest.strip_prefix("group_alias is not valid - ") {
        let (agent_user, group_alias) = s.split_once('|')?;
        ApiError::GroupAliasNotValid { agent_user: agent_user.into(), group_alias: group_alias.into() }
    } else if let Some(s) = rest.strip_prefix("caller_id_number from group_alias is not valid - ") {
        let (agent_user, s) = s.split_once('|')?;
        let (group_alias, caller_id_number) = s.split_once('|')?;
        ApiError::AliasCallerIdNotValid {
            agent_user: agent_user.into(),
            group_alias: group_alias.into(),
            caller_id_number: caller_id_number.into(),
        }
    } else if let Some(s) = rest.strip_prefix("cid_choice is not valid - ") {
        let (agent_user, cid_choice) = s.split_once('|')?;
        ApiError::CidChoiceNotValid { agent_user: agent_user.into(), cid_choice: cid_choice.into() }
    } else if let Some(s) = rest.strip_prefix("value is not valid - ") {
        let [value, user] = fields::<2>(s)?;
        ApiError::ValueNotValid { value, user }
    } else if let Some(s) = rest.strip_prefix("agent_user has previous active 3-way calls - ") {
        let (agent_user, count, md_check) = active_3way(s)?;
        ApiError::PreviousActive3Way { agent_user, count, md_check }
    } else if let Some(s) = rest.strip_prefix("agent_user has current active 3-way call - ") {
        let (agent_user, count, tw_check) = active_3way(s)?;
        ApiError::CurrentActive3Way { agent_user, count, tw_check }
    } else if let Some(s) = rest.strip_prefix("no fronter found - ") {
        ApiError::NoFronterFound { agent_user: s.into() }
    } else {
        let (function, s) = rest.split_once(" not valid - ")?;
        let [value, agent_user] = fields::<2>(s)?;
        ApiError::NotValid { function: Function::parse(function)?, value, agent_user }
    };
    Some(Line::Error(e))
}

/// `<user>|<pass>|<auth>|<auth_api>|<auth_message>`, where the message may be
/// `BAD|<bcrypt>|<source>|<sql>` (§15.1): a pipe-free message splits from the right as
/// before; otherwise the message is the first `BAD|` after two numeric fields.
fn invalid_login(s: &str) -> Option<ApiError> {
    let (user, s) = s.split_once('|')?;
    let login = |pass: String, auth: &str, auth_api: &str, auth_message: String| {
        Some(ApiError::InvalidLogin {
            user: user.into(),
            pass,
            auth: num(auth)?,
            auth_api: num(auth_api)?,
            auth_message,
        })
    };
    if let Some([pass, auth, auth_api, message]) = fields::<4>(s) {
        if let Some(e) = login(pass, &auth, &auth_api, message) {
            return Some(e);
        }
    }
    s.match_indices("|BAD|").find_map(|(at, _)| {
        let [pass, auth, auth_api] = fields::<3>(&s[..at])?;
        login(pass, &auth, &auth_api, s[at + 1..].into())
    })
}

fn active_3way(s: &str) -> Option<(String, u32, String)> {
    let (agent_user, s) = s.split_once('|')?;
    let (count, s) = s.split_once('|')?;
    let check = s.strip_prefix("0|")?;
    Some((agent_user.into(), num(count)?, check.into()))
}

fn parse_success(rest: &str) -> Option<Success> {
    if let Some(s) = rest.strip_prefix("transfer_conference function set - ") {
        let s = s.strip_suffix('|')?;
        let (s, multi) = match s.rsplit_once("|Multi-phones: ") {
            Some((head, m)) => {
                let mut it = m.split(' ');
                let m = MultiPhones { accepted: num(it.next()?)?, sent: num(it.next()?)?, affected: num(it.next()?)? };
                if it.next().is_some() {
                    return None;
                }
                (head, Some(m))
            }
            None => (s, None),
        };
        let [value, ingroup, phone, consultative, agent_user, callerid] = fields::<6>(s)?;
        return Some(Success::TransferConference { value, ingroup, phone, consultative, agent_user, callerid, multi });
    }
    if let Some(s) = rest.strip_prefix("park_call function set - ") {
        let [value, agent_user] = fields::<2>(s)?;
        return Some(Success::ParkCall { value, agent_user });
    }
    if let Some(s) = rest.strip_prefix("external_hangup function set - ") {
        let [value, agent_user] = fields::<2>(s)?;
        return Some(Success::ExternalHangup { value, agent_user });
    }
    if let Some(s) = rest.strip_prefix("force_fronter_leave_3way SENT - ") {
        return Some(Success::FronterSent { fronter: s.into() });
    }
    let s = rest.strip_prefix("force_fronter_leave_3way command sent over CCC - ")?;
    Some(Success::SentOverCcc { container_id: s.into() })
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ERROR: ")?;
        match self {
            ApiError::InvalidSource { source } => write!(f, "Invalid Source - {source}"),
            ApiError::InvalidLogin { user, pass, auth, auth_api, auth_message } => {
                write!(f, "Invalid Username/Password: |{user}|{pass}|{auth}|{auth_api}|{auth_message}|")
            }
            ApiError::ApiNotActive => f.write_str("System API NOT ACTIVE"),
            ApiError::NotValid { function, value, agent_user } => {
                write!(f, "{function} not valid - {value}|{agent_user}")
            }
            ApiError::NoPermission { value, user, function, user_group } => write!(
                f,
                "auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - {value}|{user}|{function}|{user_group}"
            ),
            ApiError::NoUserFound { alt_user } => write!(f, "no user found - {alt_user}"),
            ApiError::NotLoggedIn { agent_user } => write!(f, "agent_user is not logged in - {agent_user}"),
            ApiError::NoLiveCall { agent_user } => write!(f, "agent_user does not have a live call - {agent_user}"),
            ApiError::NoLead { agent_user } => {
                write!(f, "agent_user does not have a lead on their screen - {agent_user}")
            }
            ApiError::NotOnPhoneCall { agent_user } => write!(f, "agent_user is not on a phone call - {agent_user}"),
            ApiError::IngroupNotValid { ingroup } => write!(f, "ingroup is not valid - {ingroup}"),
            ApiError::GroupAliasNotValid { agent_user, group_alias } => {
                write!(f, "group_alias is not valid - {agent_user}|{group_alias}")
            }
            ApiError::AliasCallerIdNotValid { agent_user, group_alias, caller_id_number } => write!(
                f,
                "caller_id_number from group_alias is not valid - {agent_user}|{group_alias}|{caller_id_number}"
            ),
            ApiError::CidChoiceNotValid { agent_user, cid_choice } => {
                write!(f, "cid_choice is not valid - {agent_user}|{cid_choice}")
            }
            ApiError::ValueNotValid { value, user } => write!(f, "value is not valid - {value}|{user}"),
            ApiError::PreviousActive3Way { agent_user, count, md_check } => {
                write!(f, "agent_user has previous active 3-way calls - {agent_user}|{count}|0|{md_check}")
            }
            ApiError::CurrentActive3Way { agent_user, count, tw_check } => {
                write!(f, "agent_user has current active 3-way call - {agent_user}|{count}|0|{tw_check}")
            }
            ApiError::NoFronterFound { agent_user } => write!(f, "no fronter found - {agent_user}"),
        }
    }
}

impl fmt::Display for Success {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SUCCESS: ")?;
        match self {
            Success::TransferConference { value, ingroup, phone, consultative, agent_user, callerid, multi } => {
                write!(f, "transfer_conference function set - {value}|{ingroup}|{phone}|{consultative}|{agent_user}|{callerid}")?;
                if let Some(m) = multi {
                    write!(f, "|Multi-phones: {} {} {}", m.accepted, m.sent, m.affected)?;
                }
                f.write_str("|")
            }
            Success::ParkCall { value, agent_user } => write!(f, "park_call function set - {value}|{agent_user}"),
            Success::ExternalHangup { value, agent_user } => {
                write!(f, "external_hangup function set - {value}|{agent_user}")
            }
            Success::FronterSent { fronter } => write!(f, "force_fronter_leave_3way SENT - {fronter}"),
            Success::SentOverCcc { container_id } => {
                write!(f, "force_fronter_leave_3way command sent over CCC - {container_id}")
            }
        }
    }
}

/// Renders the line exactly as api.php prints it, newline included where api.php prints one.
impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Error(e) => write!(f, "{e}")?,
            Line::Success(s) => write!(f, "{s}")?,
            Line::CloseWindowLink => write!(f, "\n{CLOSE_WINDOW_LINK}")?,
            Line::Other(text) | Line::Debug(text) => f.write_str(text)?,
            Line::Teapot(function) => write!(f, "Coffee: {function}{TEAPOT}")?,
        }
        if self.has_newline() {
            f.write_str("\n")?;
        }
        Ok(())
    }
}

/// An `ERROR:` line is an error a caller can propagate with `?`. Its `Display` is the
/// line as api.php prints it, `ERROR: ` included, without the newline; note that
/// [`ApiError::InvalidLogin`]'s line echoes the password as api.php does, so log
/// [`ApiError::kind`] (or the typed client's error, which leaves it out) rather than the
/// line where passwords must not appear.
impl std::error::Error for ApiError {}

/// [`Line::parse`].
impl std::str::FromStr for Line {
    type Err = ParseLineError;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        Line::parse(line)
    }
}
