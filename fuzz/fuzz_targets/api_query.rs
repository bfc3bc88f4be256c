//! Raw api.php query bytes against the example directory (or, after a leading `!`, the
//! same world at its edges: §15, with web debugging allowed, so that `DB` and
//! `format=debug` print): answering never panics, the body (without debug output)
//! parses back to the same typed lines, redacted debug output shows no `pass=` value, and a query the typed layer reads without
//! warnings survives `to_query` with the same request and the same answer. Bytes after a
//! NUL are a form body: the merged request takes each parameter from the query string
//! when it has the key, else from the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vicixfer::api::{
    answer, with_post_fallback, ApiError, Charset, Directory, Line, Param, Params, Request, MAX_INPUT_VARS, REDACTED,
};

/// The example world a newcomer starts from (`examples/world.json`).
fn directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| serde_json::from_str(include_str!("../../examples/world.json")).expect("examples/world.json"))
}

/// The same world at its edges (§15): no active Asterisk server (`ERRSERVERS`), empty
/// container entries (the HTTP 500 of `LOCAL_AND_CCC`), the non-latin charset, agents
/// and in-groups spelled in lower case (collation look-ups), `allow_web_debug` on and the
/// server an hour behind UTC (debug statements with times).
fn edge_directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| {
        let mut d = directory().clone();
        d.servers.iter_mut().for_each(|s| s.active_asterisk_server = false);
        d.containers.iter_mut().for_each(|c| c.container_entry.clear());
        d.system.charset = Charset::NonLatin;
        d.agents.iter_mut().for_each(|a| a.user = a.user.to_lowercase() + "a");
        d.ingroups.iter_mut().for_each(|g| g.group_id = g.group_id.to_lowercase());
        d.system.allow_web_debug = true;
        d.system.utc_offset = -3600;
        d
    })
}

fuzz_target!(|data: &[u8]| {
    // A leading `!` selects the edge world.
    let (dir, data) = match data.strip_prefix(b"!") {
        Some(rest) => (edge_directory(), rest),
        None => (directory(), data),
    };
    let (get, post) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let get = String::from_utf8_lossy(get);
    let query = match post {
        Some(post) => {
            let post = String::from_utf8_lossy(post);
            let merged = with_post_fallback(&get, &post);
            let [g, p, m] = [&*get, &*post, &merged].map(|q| Params::from_query(q, Charset::Latin));
            // The merged string is one input to PHP's variable limit, the parts were two.
            let vars = |q: &str| q.split('&').filter(|v| !v.is_empty()).count();
            let within_limit = vars(&merged) <= MAX_INPUT_VARS;
            // Without `value` in either part, the last POST variable gives it (D15).
            let no_value = g.field(Param::Value).sent.is_none() && p.field(Param::Value).sent.is_none();
            for k in Param::ALL.into_iter().filter(|k| within_limit && !(no_value && *k == Param::Value)) {
                let want = if g.field(k).sent.is_some() { g.field(k) } else { p.field(k) };
                assert_eq!(m.field(k), want, "{k} of {merged:?}");
            }
            merged
        }
        None => get.into_owned(),
    };
    let a = answer(dir, &query, 1_764_000_100);
    let body = a.plain_body();
    // A fatal error prints nothing of its own; the redacted body never shows the password
    // of a failed login, nor redacted debug output a `pass=` value.
    assert_eq!(a.http_status() == 500, a.fatal.is_some());
    for line in &a.lines {
        match line.redacted() {
            Line::Error(ApiError::InvalidLogin { pass, .. }) => {
                assert!(pass.is_empty() || pass == REDACTED, "{pass:?}")
            }
            Line::Debug(text) => {
                for (i, _) in text.match_indices("pass=") {
                    let value = text[i + 5..].trim_start_matches(['\'', '"']);
                    assert!(
                        value.is_empty() || value.starts_with(REDACTED) || !text[..i].ends_with(['?', '&', ' ']),
                        "{text}"
                    );
                }
            }
            _ => {}
        }
    }
    // Every body parses, and what it parses to renders back to the same bytes.
    let parsed = Line::parse_body(&body).expect("every body parses");
    assert_eq!(parsed.iter().map(ToString::to_string).collect::<String>(), body);
    if let Ok(parsed) = Request::from_query_in(&query, dir.system.charset) {
        if parsed.warnings.is_empty() {
            let again = parsed.request.to_query();
            let reparsed = Request::from_query_in(&again, dir.system.charset).expect("to_query reads back");
            assert_eq!(reparsed.request, parsed.request, "typed round trip via {again:?}");
            assert!(reparsed.warnings.is_empty(), "{:?}", reparsed.warnings);
            assert_eq!(answer(dir, &again, 1_764_000_100), a, "same answer for {again:?}");
        }
    }
});
