//! The request parameters exactly as api.php reads them: URL-decoded the way PHP fills
//! `$_GET`, then sanitised per parameter (docs/vicidial.md §2).

use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Which letters a sanitiser keeps: ASCII only (`latin`) or any Unicode letter
/// (`non_latin`, PHP's `\p{L}`), as the system setting selects.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    /// `[a-zA-Z]` (the default).
    #[default]
    Latin,
    /// `\p{L}`.
    NonLatin,
}

spelled! {
    /// A request parameter api.php reads for the four functions, spelled as its query key,
    /// in query order.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Param {
        /// `source`: who is calling (at least 2 characters).
        Source = "source",
        /// `user`: the API user.
        User = "user",
        /// `pass`: the API user's password.
        Pass = "pass",
        /// `function`: which API function.
        Function = "function",
        /// `agent_user`: the agent the command is for.
        AgentUser = "agent_user",
        /// `alt_user`: find the agent by its `custom_three` instead.
        AltUser = "alt_user",
        /// `value`: the command.
        Value = "value",
        /// `phone_number`: the number to dial or transfer to, or the AGENTDIRECT agent.
        PhoneNumber = "phone_number",
        /// `ingroup_choices`: the in-group (path A).
        IngroupChoices = "ingroup_choices",
        /// `group_alias`: caller-id alias for the 3-way dial.
        GroupAlias = "group_alias",
        /// `cid_choice`: caller-id source for the 3-way dial.
        CidChoice = "cid_choice",
        /// `dial_override`: the screen's dial-override checkbox.
        DialOverride = "dial_override",
        /// `consultative`: `YES` for a consultative in-group transfer.
        Consultative = "consultative",
        /// `multi_dial_phones`: press-1 numbers dialled by the AGI.
        MultiDialPhones = "multi_dial_phones",
        /// `md_check`: refuse while earlier press-1 calls are active.
        MdCheck = "md_check",
        /// `tw_check`: refuse while a 3-way call is active.
        TwCheck = "tw_check",
        /// `lead_id`: the lead of a `CCC_REMOTE` force_fronter_leave_3way.
        LeadId = "lead_id",
        /// `close_window_link`: append the "Close This Window" link (§15.5).
        CloseWindowLink = "close_window_link",
        /// `DB`: print api.php's debug statements, when the system's `allow_web_debug`
        /// is on (§15.5).
        Db = "DB",
        /// `format`: `debug` wraps the answer in an HTML page and turns `DB` on (§15.5).
        Format = "format",
    }
}

impl Param {
    /// Keeps what api.php keeps of a decoded value (§2).
    pub fn sanitise(self, raw: &str, charset: Charset) -> String {
        let letter = |c: char| match charset {
            Charset::Latin => c.is_ascii_alphabetic(),
            // PCRE's `\p{L}` is the general category L, not the wider Alphabetic property:
            // combining vowel signs, letter-like numerals and circled letters are dropped.
            Charset::NonLatin => c.general_category_group() == GeneralCategoryGroup::Letter,
        };
        let alnum = |c: char| c.is_ascii_digit() || letter(c);
        let keep = |f: &dyn Fn(char) -> bool| raw.chars().filter(|c| f(*c)).collect::<String>();
        match self {
            Param::Value => keep(&|c| alnum(c) || matches!(c, '-' | '|' | '_')),
            Param::User | Param::AgentUser | Param::CidChoice | Param::Function => {
                keep(&|c| alnum(c) || matches!(c, '-' | '_'))
            }
            Param::Pass => keep(&|c| alnum(c) || matches!(c, '-' | '.' | '+' | '/' | '=' | '_')),
            Param::AltUser | Param::GroupAlias | Param::Source | Param::Format => keep(&alnum),
            // Filtered before api.php's latin/non-latin branch: ASCII in both modes.
            Param::MdCheck | Param::TwCheck => keep(&|c| c.is_ascii_alphanumeric()),
            Param::PhoneNumber => keep(&|c| c.is_ascii_digit() || matches!(c, '*' | '#')),
            Param::IngroupChoices => {
                raw.replace('+', " ").chars().filter(|c| alnum(*c) || matches!(c, '-' | ' ' | '_')).collect()
            }
            Param::DialOverride => keep(&|c| c.is_ascii_uppercase()),
            Param::Consultative => {
                if keep(&|c| c.is_ascii_uppercase()) == "YES" {
                    "YES".into()
                } else {
                    "NO".into()
                }
            }
            Param::MultiDialPhones => keep(&|c| c.is_ascii_digit() || c == ','),
            Param::LeadId => keep(&|c| c.is_ascii_digit()),
            // Filtered before the latin/non-latin branch: ASCII in both modes.
            Param::CloseWindowLink => keep(&|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')),
            // api.php line 303, before the latin/non-latin branch.
            Param::Db => keep(&|c| c.is_ascii_alphanumeric()),
        }
    }
}

/// One parameter as sent (decoded) and as api.php uses it (sanitised).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Field {
    /// The decoded value, before sanitising; `None` when the key was absent.
    pub sent: Option<String>,
    /// What api.php works with. An absent parameter is the empty string (except
    /// `consultative`, which is then `NO`).
    pub value: String,
    /// PHP made it an array (`key[]=…`, `key[i]=…`): api.php's filters keep it an array
    /// (`preg_replace` maps over one), and its first `strlen` or `preg_match` on it is a
    /// PHP 8 `TypeError` (§15.6).
    #[serde(default)]
    pub array: bool,
}

/// All parameters of one request as api.php sees them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Params {
    fields: Vec<Field>,
    /// Keys that appeared more than once (PHP keeps the last).
    pub repeated: Vec<Param>,
    /// Keys api.php does not read at all, as PHP named them, in query order.
    #[serde(default)]
    pub unknown: Vec<String>,
    /// Variables PHP dropped past [`MAX_INPUT_VARS`].
    #[serde(default)]
    pub dropped: usize,
}

impl Params {
    /// Parses a query string (without the leading `?`) the way PHP fills `$_GET`: split
    /// on `&`, percent- and `+`-decoding, `.` and space in keys read as `_`, the last
    /// occurrence of a key wins. Keys with `[` (PHP arrays) are not read by api.php's
    /// string handling and are ignored here.
    pub fn from_query(query: &str, charset: Charset) -> Params {
        let mut sent: Vec<Option<String>> = vec![None; Param::ALL.len()];
        let mut arrays = vec![false; Param::ALL.len()];
        let (mut repeated, mut unknown, mut dropped) = (Vec::new(), Vec::new(), 0);
        for (i, pair) in pairs(query).enumerate() {
            if i >= MAX_INPUT_VARS {
                dropped += 1;
                continue;
            }
            let (raw_key, v) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(key) = php_key(raw_key) else { continue };
            let Some(param) = Param::parse(&key.name) else {
                if !OTHER_API_KEYS.contains(&key.name.as_str()) && !unknown.contains(&key.name) {
                    unknown.push(key.name);
                }
                continue;
            };
            let slot = &mut sent[param as usize];
            if slot.is_some() && !repeated.contains(&param) {
                repeated.push(param);
            }
            // An array's elements are not modelled; the variable holds the last one sent.
            *slot = Some(url_decode(v));
            arrays[param as usize] = key.array;
        }
        let fields = Param::ALL
            .into_iter()
            .zip(sent)
            .zip(arrays)
            .map(|((p, sent), array)| {
                // An array is no string: it matches, keeps and prints nothing as one.
                let value = if array {
                    p.sanitise("", charset)
                } else {
                    p.sanitise(sent.as_deref().unwrap_or_default(), charset)
                };
                Field { value, sent, array }
            })
            .collect();
        Params { fields, repeated, unknown, dropped }
    }

    /// The parameters PHP made arrays (`value[]=…`), in query order.
    pub fn arrays(&self) -> impl Iterator<Item = Param> + '_ {
        Param::ALL.into_iter().filter(|&p| self.field(p).array)
    }

    /// The sanitised value api.php works with.
    pub fn get(&self, p: Param) -> &str {
        &self.fields[p as usize].value
    }

    /// The value as sent and as used.
    pub fn field(&self, p: Param) -> &Field {
        &self.fields[p as usize]
    }

    /// Parameters whose sent value lost characters to sanitising.
    pub fn sanitised(&self) -> impl Iterator<Item = (Param, &Field)> {
        Param::ALL.into_iter().map(|p| (p, self.field(p))).filter(|(p, f)| match &f.sent {
            None => false,
            Some(s) if *p == Param::Consultative => s != &f.value && !(s.is_empty() && f.value == "NO"),
            Some(s) => s != &f.value,
        })
    }
}

/// The `key=value` pairs of a query string or form body.
fn pairs(s: &str) -> impl Iterator<Item = &str> {
    s.split('&').filter(|p| !p.is_empty())
}

/// The parameter a raw pair's key names, as PHP reads keys ([`php_key`]).
fn param_of(pair: &str) -> Option<Param> {
    let raw_key = pair.split_once('=').map_or(pair, |(k, _)| k);
    php_key(raw_key).and_then(|k| Param::parse(&k.name))
}

/// A request key as PHP registers it (`php_register_variable_ex`, §15.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhpKey {
    /// The variable name.
    pub name: String,
    /// `name[…]`: the variable is an array.
    pub array: bool,
}

/// Reads a raw (still encoded) key the way PHP does: URL-decoded, cut at a NUL, leading
/// spaces dropped, then spaces and dots become `_` up to the first `[`; a `[` with a `]`
/// after it makes an array of the name before it, an unmatched `[` becomes `_` (and the
/// rest of the name stays as it is). An empty name is no variable (`None`).
///
/// ```
/// use vicixfer::api::php_key;
/// assert_eq!(php_key("%20agent.user").unwrap().name, "agent_user");
/// assert!(php_key("value[]").unwrap().array);
/// assert_eq!(php_key("value[x.y").unwrap().name, "value_x.y");
/// assert_eq!(php_key("user%00junk").unwrap().name, "user");
/// assert_eq!(php_key("+"), None);
/// ```
pub fn php_key(raw: &str) -> Option<PhpKey> {
    let decoded = url_decode(raw);
    let cut = decoded.split('\0').next().unwrap_or_default();
    let key = cut.trim_start_matches(' ');
    let mut name = String::with_capacity(key.len());
    let mut array = false;
    for (i, c) in key.char_indices() {
        match c {
            ' ' | '.' => name.push('_'),
            '[' if key[i + 1..].contains(']') => {
                array = true;
                break;
            }
            '[' => {
                name.push('_');
                name.push_str(&key[i + 1..]);
                break;
            }
            c => name.push(c),
        }
    }
    (!name.is_empty()).then_some(PhpKey { name, array })
}

/// PHP's `max_input_vars`: variables after the first 1000 of the query string (or of
/// the form body) are dropped.
pub const MAX_INPUT_VARS: usize = 1000;

/// The other request keys api.php reads (its variable intake, `www/agc/api.php` lines
/// 146-301): not modelled, but not unknown either.
const OTHER_API_KEYS: [&str; 59] = [
    "address1",
    "address2",
    "address3",
    "agent_debug",
    "alt_dial",
    "alt_phone",
    "blended",
    "callback_comments",
    "callback_datetime",
    "callback_type",
    "campaign_dnc_check",
    "city",
    "close_window_link",
    "comments",
    "country_code",
    "date_of_birth",
    "dial_ingroup",
    "dial_prefix",
    "dnc_check",
    "duration",
    "email",
    "first_name",
    "focus",
    "gender",
    "gmt_offset_now",
    "last_name",
    "maxParticleCount",
    "middle_initial",
    "notes",
    "notification_date",
    "notification_retry",
    "notification_text",
    "outbound_cid",
    "owner",
    "particleSpeed",
    "phone_code",
    "postal_code",
    "preview",
    "province",
    "qm_dispo_code",
    "rank",
    "recipient",
    "recipient_type",
    "search",
    "security_phrase",
    "set_as_default",
    "show_confetti",
    "source_id",
    "stage",
    "state",
    "status",
    "text_color",
    "text_font",
    "text_size",
    "text_weight",
    "title",
    "vendor_id",
    "vendor_lead_code",
    "vtiger_callback",
];

/// api.php reads every parameter from GET, falling back to POST (§2): per parameter the
/// query string's value when its key is there (PHP's `isset`, an empty value included),
/// else the form body's. Returns one query string that reads exactly that way, to pass
/// to [`answer`](crate::api::answer) or [`Request::from_query`](crate::api::Request::from_query).
///
/// When neither part has `value`, a non-empty form body gives `value` its **last**
/// variable's value (D15): api.php's POST log loop (`foreach($_POST as $key=>$value)`,
/// api.php lines 134-135) leaves its loop variable set to it, and nothing overwrites it
/// (lines 154-155 only assign when a `value` key is there). The last variable is the one
/// PHP's array holds last: variables keep the place of their first occurrence and the
/// value of their last.
///
/// ```
/// use vicixfer::api::{with_post_fallback, Charset, Param, Params};
/// let q = with_post_fallback("agent_user=1001&value=", "value=PARK_CUSTOMER&function=park_call");
/// let p = Params::from_query(&q, Charset::Latin);
/// assert_eq!(p.get(Param::Value), ""); // GET's empty value wins
/// assert_eq!(p.get(Param::Function), "park_call"); // from POST
///
/// // No `value` anywhere: the last POST variable's value is `value`.
/// let q = with_post_fallback("", "function=external_hangup&agent_user=1001&x=1");
/// assert_eq!(Params::from_query(&q, Charset::Latin).get(Param::Value), "1");
/// ```
pub fn with_post_fallback(query: &str, body: &str) -> String {
    // Each part keeps its first MAX_INPUT_VARS variables (PHP counts them separately).
    let query: Vec<&str> = pairs(query).take(MAX_INPUT_VARS).collect();
    let in_query: Vec<Param> = query.iter().copied().filter_map(param_of).collect();
    let body: Vec<&str> = pairs(body).take(MAX_INPUT_VARS).collect();
    let from_body = body.iter().copied().filter(|p| param_of(p).is_some_and(|k| !in_query.contains(&k)));
    let mut merged: Vec<String> = query.iter().copied().chain(from_body).map(String::from).collect();
    let has_value = in_query.contains(&Param::Value) || body.iter().any(|p| param_of(p) == Some(Param::Value));
    if !has_value {
        merged.extend(last_post_value(&body));
    }
    merged.join("&")
}

/// The `value=` pair api.php's POST loop leaves behind (D15): the value of the variable
/// `$_POST` holds last (ordered by first occurrence, holding its last occurrence's
/// value), as an array when that occurrence made it one.
fn last_post_value(body: &[&str]) -> Option<String> {
    // (name, index of its last occurrence), in order of first occurrence.
    let mut vars: Vec<(String, usize)> = Vec::new();
    for (i, pair) in body.iter().enumerate() {
        let raw_key = pair.split_once('=').map_or(*pair, |(k, _)| k);
        let Some(key) = php_key(raw_key) else { continue };
        match vars.iter_mut().find(|(name, _)| *name == key.name) {
            Some(var) => var.1 = i,
            None => vars.push((key.name, i)),
        }
    }
    let &(_, last) = vars.last()?;
    let pair = body[last];
    let (raw_key, v) = pair.split_once('=').unwrap_or((pair, ""));
    let array = php_key(raw_key).is_some_and(|k| k.array);
    Some(format!("value{}={v}", if array { "[]" } else { "" }))
}

/// PHP's `urldecode`: `+` is a space, `%XX` a byte; a malformed escape stays as it is.
/// Bytes that are not UTF-8 become U+FFFD (no sanitiser keeps them).
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes a value for a query string: unreserved characters stay, space is `+`.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_follows_php() {
        assert_eq!(url_decode("a+b%2Bc%zz%4"), "a b+c%zz%4");
        assert_eq!(url_decode("%41%"), "A%");
    }

    #[test]
    fn encoding_round_trips() {
        for s in ["SALES LINE", "a|b", "#*12", "ä", "%+&="] {
            assert_eq!(url_decode(&url_encode(s)), s);
        }
    }
}
