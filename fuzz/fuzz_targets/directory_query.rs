//! A directory file (JSON, as `vicixfer api --world` reads it) and a query, split at the
//! first NUL: a directory that loads answers any query without panicking, its body
//! (without debug output) parses back to the same bytes, and applying the answer's writes
//! keeps it loadable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::api::{answer, Directory, Line};

fuzz_target!(|data: &[u8]| {
    let (json, query) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(mut dir) = serde_json::from_slice::<Directory>(json) else { return };
    let query = String::from_utf8_lossy(query);
    let a = answer(&dir, &query, 1_764_000_100);
    let body = a.plain_body();
    let parsed = Line::parse_body(&body).expect("every body parses");
    assert_eq!(parsed.iter().map(ToString::to_string).collect::<String>(), body);
    dir.apply(&a);
    let saved = serde_json::to_string(&dir).expect("a directory serialises");
    assert_eq!(serde_json::from_str::<Directory>(&saved).expect("and loads back"), dir);
});
