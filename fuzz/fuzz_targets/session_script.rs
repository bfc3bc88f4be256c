//! A `vicixfer drive` script as text (one input per line; an optional first line
//! `config N` picks one of the explorer's initial sessions). Lines that do not parse are
//! skipped; every parsed input is stepped and checked against every invariant. The seed
//! corpus is the explorer's shortest paths (`vicixfer explore --seeds DIR`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicixfer::explore::initial_sessions;
use vicixfer::{invariants, step, ApiWrite, Input};

/// The column encoding has no escaping: a field ending in `-` (or holding `---`) shifts
/// the fields after it when read back, on the real screen as here. Such commands have
/// no faithful text form, so the text round trip is only asserted without them.
fn representable(input: &Input) -> bool {
    // A line is trimmed and ends at a newline, so text with outer whitespace or line
    // breaks has no text form either.
    let text = input.to_string();
    if text != text.trim() || text.contains(['\n', '\r']) {
        return false;
    }
    let Input::Api(ApiWrite::TransferConference(s)) = input else { return true };
    [&s.ingroup, &s.number, &s.alias, &s.alias_cid, &s.cid_choice]
        .iter()
        .all(|f| !f.ends_with('-') && !f.contains("---"))
        && !matches!(&s.function, vicixfer::SlotFunction::Unknown(f) if f.ends_with('-') || f.contains("---"))
        && !matches!(&s.id, vicixfer::CommandId::Id(id) if id.ends_with('-') || id.contains("---"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines().peekable();
    let initial = initial_sessions();
    let mut session = initial[0].clone();
    if let Some(n) = lines.peek().and_then(|l| l.strip_prefix("config ")).and_then(|n| n.trim().parse::<usize>().ok()) {
        session = initial[n % initial.len()].clone();
        lines.next();
    }
    for line in lines.take(512) {
        let Ok(input) = line.parse::<Input>() else { continue };
        // The text form round-trips.
        if representable(&input) {
            assert_eq!(input.to_string().parse::<Input>().ok(), Some(input.clone()), "text form of `{line}`");
        }
        let result = step(&session, input.clone());
        if let Err(v) = invariants::check_step(&session, &input, &result) {
            panic!("{v} on `{input}`");
        }
        if let Ok(next) = result {
            session = next.session;
        }
    }
});
