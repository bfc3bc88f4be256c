//! Passwords out of every output: the one redaction of queries and answers that every
//! writer of logs, traces, narration, timelines, warnings and the CLI uses.
//!
//! A password is replaced by [`REDACTED`] (`[REDACTED]`). In a query, the value of every
//! key PHP reads as `pass`, whatever its spelling; in an answer, the password field of
//! api.php's failed-login line (typed through [`Line::redacted`], so the field is the one
//! the parser reads, not a guess) and any `pass='...'` of a line showing SQL (api.php's
//! `DB=1` debug lines and the login's SQL inside the failed-login line).
//!
//! ```
//! use vicixfer::api::redact;
//! assert_eq!(redact::query("user=6666&p%61ss=s3cret"), "user=6666&p%61ss=[REDACTED]");
//! let body = "ERROR: Invalid Username/Password: |6666|s3cret|0|0|BAD|\n";
//! assert!(!redact::answer(body).contains("s3cret"));
//! ```

use super::response::{redact_debug, Line, REDACTED};

/// The query with the value of every `pass` parameter replaced by [`REDACTED`], whatever
/// the spelling of its key: percent-encoded (`p%61ss`), `+`, `.` or space for `_` as PHP
/// normalises keys, a leading space, an array suffix (`pass[]`), any letter case.
pub fn query(query: &str) -> String {
    let q = replace_pass(query, |_| REDACTED);
    if !value_copies_pass(query) {
        return q;
    }
    // A `value` that is a copy of the password (docs/vicidial.md D15).
    q.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_value_key(k) => format!("{k}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// [`answer`] for the answer to `query`: also hides the password where api.php echoes it
/// as `value`. A POST without `value` takes the last POST variable's value, which can be
/// `pass` (docs/vicidial.md D15); the echo is the value after its class filter.
pub fn answer_for(body: &str, query: &str) -> String {
    hide(&answer(body), &echoed_secrets(query))
}

/// `text` with every occurrence of each secret replaced by [`REDACTED`].
pub fn hide(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_string(), |t, s| t.replace(s.as_str(), REDACTED))
}

/// The forms in which api.php may echo a password that `query` also sends as `value`:
/// the value as decoded and after either class filter of `value` (api.php lines 373 and
/// 466), longest first; empty when `value` is not a copy of a password.
pub fn echoed_secrets(query: &str) -> Vec<String> {
    if !value_copies_pass(query) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (_, v) in pairs(query).filter(|(k, _)| is_value_key(k)) {
        let decoded = super::url_decode(v);
        let latin: String =
            decoded.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '|' | '_')).collect();
        let utf8: String = decoded
            .chars()
            .filter(|c| c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '-' | '|' | '_'))
            .collect();
        out.extend([decoded, latin, utf8].into_iter().filter(|s| !s.is_empty()));
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The `key=value` pairs of a raw query.
fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> + Clone {
    query.split('&').filter_map(|p| p.split_once('='))
}

/// Whether a non-empty `value` of `query` is a copy of one of its `pass` values.
fn value_copies_pass(query: &str) -> bool {
    let all = pairs(query);
    all.clone()
        .filter(|(k, v)| is_value_key(k) && !v.is_empty())
        .any(|(_, v)| all.clone().any(|(k, p)| is_pass_key(k) && p == v))
}

/// Whether PHP reads this raw key as `value`.
fn is_value_key(raw: &str) -> bool {
    php_name_is(raw, "value")
}

/// The query with the value of every `pass` parameter replaced by `with(value)`.
pub(crate) fn replace_pass<'a>(query: &str, with: impl Fn(&str) -> &'a str) -> String {
    let mut out = String::with_capacity(query.len());
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((k, v)) if is_pass_key(k) => {
                out.push_str(k);
                out.push('=');
                out.push_str(with(v));
            }
            _ => out.push_str(pair),
        }
    }
    out
}

/// Whether PHP reads this raw key as `pass` (`$_GET["pass"]`, or an array of that name).
fn is_pass_key(raw: &str) -> bool {
    php_name_is(raw, "pass")
}

/// Whether the variable name PHP registers for a raw key (decoded, leading spaces
/// dropped, an array suffix cut, ` `, `.` and `[` read as `_`) is `name` (ASCII, any
/// case). Only a key with `%` or `+` is decoded into a new string: the redactor runs on
/// every request the simulator traces.
fn php_name_is(raw: &str, name: &str) -> bool {
    let decoded;
    let key = if raw.contains(['%', '+']) {
        decoded = super::url_decode(raw);
        decoded.as_str()
    } else {
        raw
    };
    let key = key.trim_start_matches(' ');
    let key = match key.split_once('[') {
        Some((base, rest)) if rest.contains(']') => base,
        _ => key,
    };
    let php = |c: u8| if matches!(c, b' ' | b'.' | b'[') { b'_' } else { c };
    key.len() == name.len() && key.bytes().zip(name.bytes()).all(|(c, n)| php(c).eq_ignore_ascii_case(&n))
}

/// An api.php answer body with every password it echoes replaced by [`REDACTED`]; every
/// other byte as it was. A failed-login line that does not parse keeps only its user
/// (the rest may hold the password).
pub fn answer(body: &str) -> String {
    const LOGIN: &str = "ERROR: Invalid Username/Password: |";
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let ending = &line[text.len()..];
        let text = match text.strip_prefix(LOGIN) {
            Some(rest) => match Line::parse(text) {
                Ok(parsed) => parsed.redacted().to_string().trim_end_matches('\n').to_string(),
                Err(_) => format!("{LOGIN}{}|{REDACTED}|", rest.split('|').next().unwrap_or("")),
            },
            None => text.to_string(),
        };
        out.push_str(&redact_debug(&text));
        out.push_str(ending);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_lose_every_spelling_of_pass_and_nothing_else() {
        assert_eq!(query("user=6666&pass=1234&agent_user=1001"), "user=6666&pass=[REDACTED]&agent_user=1001");
        assert_eq!(query("PASS=x&pass=y&passage=z"), "PASS=[REDACTED]&pass=[REDACTED]&passage=z");
        assert_eq!(query("noequals"), "noequals");
        let r = query("p%61ss=x&pa%73s=y&pass[]=z&+pass=w");
        assert_eq!(r, "p%61ss=[REDACTED]&pa%73s=[REDACTED]&pass[]=[REDACTED]&+pass=[REDACTED]");
        assert_eq!(query("pass_=x&pas=y"), "pass_=x&pas=y");
        // Decoded leading spaces go, an array suffix is cut, any case; a non-ASCII letter
        // or a `.` (read as `_`) makes another name.
        let r = query("%20pass=x&p%C3%A4ss=y&PaSs[a]=z&pass.=w&p.ss=v");
        assert_eq!(r, "%20pass=[REDACTED]&p%C3%A4ss=y&PaSs[a]=[REDACTED]&pass.=w&p.ss=v");
    }

    #[test]
    fn a_value_copied_from_the_password_is_hidden_too() {
        // D15: a POST whose last variable is `pass` gives `value` the password.
        let merged = "source=crm&user=6666&function=park_call&agent_user=1001&pass=s3cr%40t&value=s3cr%40t";
        assert!(!query(merged).contains("s3cr"), "{}", query(merged));
        let body = "ERROR: value is not valid - s3crt\n";
        assert_eq!(answer_for(body, merged), "ERROR: value is not valid - [REDACTED]\n");
        assert_eq!(echoed_secrets(merged), vec!["s3cr@t".to_string(), "s3crt".to_string()]);
        // An ordinary value stays.
        let plain = "pass=1234&value=PARK_CUSTOMER";
        assert_eq!(query(plain), "pass=[REDACTED]&value=PARK_CUSTOMER");
        assert!(echoed_secrets(plain).is_empty());
        assert_eq!(answer_for("SUCCESS: x - PARK_CUSTOMER\n", plain), "SUCCESS: x - PARK_CUSTOMER\n");
    }

    #[test]
    fn failed_login_echoes_and_sql_lose_their_password() {
        // A password with `|` in it: the old tail-counting guess kept part of it.
        let out = answer("ERROR: Invalid Username/Password: |6666|se|cr|et|0|1|BAD|\nERROR: no user found - x\n");
        assert!(!out.contains("cr") && !out.contains("et|"), "{out}");
        assert!(out.ends_with("|\nERROR: no user found - x\n"), "{out}");
        assert_eq!(
            answer("ERROR: Invalid Username/Password: |6666|s3cret|0|0|BAD|0|api|SELECT x where pass='s3cret';|\r\n"),
            "ERROR: Invalid Username/Password: |6666|[REDACTED]|0|0|BAD|0|api|SELECT x where pass='[REDACTED]';|\r\n"
        );
        assert_eq!(
            answer("|SELECT count(*) from vicidial_users where user='6666' and pass='s3cret';|\n"),
            "|SELECT count(*) from vicidial_users where user='6666' and pass='[REDACTED]';|\n"
        );
        assert_eq!(answer("PASS = \"x\" passage"), "PASS = \"[REDACTED]\" passage");
        let other = "SUCCESS: park_call function set - PARK_CUSTOMER|1001\r\n";
        assert_eq!(answer(other), other);
    }
}
