//! The request parameters exactly as api.php reads them: URL-decoded the way PHP fills
//! `$_GET`, then sanitised per parameter (spec §2).

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
            Param::AltUser | Param::GroupAlias | Param::Source => keep(&alnum),
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
}

/// All parameters of one request as api.php sees them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Params {
    fields: Vec<Field>,
    /// Keys that appeared more than once (PHP keeps the last).
    pub repeated: Vec<Param>,
}

impl Params {
    /// Parses a query string (without the leading `?`) the way PHP fills `$_GET`: split
    /// on `&`, percent- and `+`-decoding, `.` and space in keys read as `_`, the last
    /// occurrence of a key wins. Keys with `[` (PHP arrays) are not read by api.php's
    /// string handling and are ignored here.
    pub fn from_query(query: &str, charset: Charset) -> Params {
        let mut sent: Vec<Option<String>> = vec![None; Param::ALL.len()];
        let mut repeated = Vec::new();
        for pair in pairs(query) {
            let Some(param) = param_of(pair) else { continue };
            let v = pair.split_once('=').map_or("", |(_, v)| v);
            let slot = &mut sent[param as usize];
            if slot.is_some() && !repeated.contains(&param) {
                repeated.push(param);
            }
            *slot = Some(url_decode(v));
        }
        let fields = Param::ALL
            .into_iter()
            .zip(sent)
            .map(|(p, sent)| Field { value: p.sanitise(sent.as_deref().unwrap_or_default(), charset), sent })
            .collect();
        Params { fields, repeated }
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

/// The parameter a raw pair's key names, as PHP reads keys: decoded, `.` and space as `_`.
fn param_of(pair: &str) -> Option<Param> {
    let raw_key = pair.split_once('=').map_or(pair, |(k, _)| k);
    let key: String = url_decode(raw_key).chars().map(|c| if c == '.' || c == ' ' { '_' } else { c }).collect();
    Param::parse(&key)
}

/// api.php reads every parameter from GET, falling back to POST (§2): per parameter the
/// query string's value when its key is there (PHP's `isset`, an empty value included),
/// else the form body's. Returns one query string that reads exactly that way, to pass
/// to [`answer`](crate::api::answer) or [`Request::from_query`](crate::api::Request::from_query).
///
/// ```
/// use vicixfer::api::{with_post_fallback, Charset, Param, Params};
/// let q = with_post_fallback("agent_user=1001&value=", "value=PARK_CUSTOMER&function=park_call");
/// let p = Params::from_query(&q, Charset::Latin);
/// assert_eq!(p.get(Param::Value), ""); // GET's empty value wins
/// assert_eq!(p.get(Param::Function), "park_call"); // from POST
/// ```
pub fn with_post_fallback(query: &str, body: &str) -> String {
    let in_query: Vec<Param> = pairs(query).filter_map(param_of).collect();
    let from_body = pairs(body).filter(|p| param_of(p).is_some_and(|k| !in_query.contains(&k)));
    pairs(query).chain(from_body).collect::<Vec<_>>().join("&")
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
