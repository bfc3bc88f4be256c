//! Raw api.php query bytes against the example directory: answering never panics, the body
//! parses back to the same typed lines, and a query the typed layer reads without
//! warnings survives `to_query` with the same request and the same answer. Bytes after a
//! NUL are a form body: the merged request takes each parameter from the query string
//! when it has the key, else from the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vicixfer::api::{answer, with_post_fallback, Charset, Directory, Line, Param, Params, Request};

/// The example world a newcomer starts from (`examples/world.json`).
fn directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| serde_json::from_str(include_str!("../../examples/world.json")).expect("examples/world.json"))
}

fuzz_target!(|data: &[u8]| {
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
            for k in Param::ALL {
                let want = if g.field(k).sent.is_some() { g.field(k) } else { p.field(k) };
                assert_eq!(m.field(k), want, "{k} of {merged:?}");
            }
            merged
        }
        None => get.into_owned(),
    };
    let dir = directory();
    let a = answer(dir, &query, 1_764_000_100);
    let body = a.body();
    // Every body parses, and what it parses to renders back to the same bytes.
    let parsed = Line::parse_body(&body).expect("every body parses");
    assert_eq!(parsed.iter().map(ToString::to_string).collect::<String>(), body);
    if let Ok(parsed) = Request::from_query(&query) {
        if parsed.warnings.is_empty() {
            let again = parsed.request.to_query();
            let reparsed = Request::from_query(&again).expect("to_query reads back");
            assert_eq!(reparsed.request, parsed.request, "typed round trip via {again:?}");
            assert!(reparsed.warnings.is_empty(), "{:?}", reparsed.warnings);
            assert_eq!(answer(dir, &again, 1_764_000_100), a, "same answer for {again:?}");
        }
    }
});
