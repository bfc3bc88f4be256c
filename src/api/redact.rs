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

use super::response::{Line, REDACTED};

/// The query with the value of every `pass` parameter replaced by [`REDACTED`], whatever
/// the spelling of its key: percent-encoded (`p%61ss`), `+`, `.` or space for `_` as PHP
/// normalises keys, a leading space, an array suffix (`pass[]`), any letter case.
pub fn query(query: &str) -> String {
    replace_pass(query, |_| REDACTED)
}

/// The query with the value of every `pass` parameter replaced by `with(value)`.
pub(crate) fn replace_pass<'a>(query: &str, with: impl Fn(&str) -> &'a str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if is_pass_key(k) => format!("{k}={}", with(v)),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether PHP reads this raw key as `pass` (`$_GET["pass"]`, or an array of that name).
fn is_pass_key(raw: &str) -> bool {
    let key = super::url_decode(raw);
    let key = key.trim_start_matches(' ');
    let key = match key.split_once('[') {
        Some((name, rest)) if rest.contains(']') => name,
        _ => key,
    };
    let normalised: String = key.chars().map(|c| if matches!(c, ' ' | '.' | '[') { '_' } else { c }).collect();
    normalised.eq_ignore_ascii_case("pass")
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
        out.push_str(&sql(&text));
        out.push_str(ending);
    }
    out
}

/// `pass='...'` (any case, with or without spaces around `=`, either quote) becomes
/// `pass='[REDACTED]'`.
fn sql(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    while let Some(i) = lower[at..].find("pass").map(|i| i + at) {
        let after = &lower[i + 4..];
        let gap = after.len() - after.trim_start_matches([' ', '=']).len();
        let open = i + 4 + gap;
        if after[..gap].contains('=') && lower[open..].starts_with(['\'', '"']) {
            let quote = &line[open..=open];
            let close = line[open + 1..].find(quote).map_or(line.len(), |j| open + 1 + j);
            out.push_str(&line[at..=open]);
            out.push_str(REDACTED);
            at = close;
        } else {
            out.push_str(&line[at..i + 4]);
            at = i + 4;
        }
    }
    out.push_str(&line[at..]);
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
