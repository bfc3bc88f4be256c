//! Arbitrary text as an api.php answer body (what a client reads off the wire): parsing
//! never panics and takes one pass (libFuzzer's per-input timeout catches a search), and
//! every line it yields renders to text that parses again as one line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::api::Line;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Line::parse(&text);
    if let Ok(lines) = Line::parse_body(&text) {
        for line in lines {
            let rendered = line.to_string();
            assert!(Line::parse(&rendered).is_ok(), "{line:?} renders to {rendered:?}, which does not parse");
        }
    }
});
