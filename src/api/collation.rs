//! MariaDB's `utf8_unicode_ci`: how every SQL look-up of api.php compares (§15.3).
//!
//! VICIdial's tables are `CHARACTER SET utf8 COLLATE utf8_unicode_ci`. That collation
//! compares the UCA 4.0.0 *primary* weights only (so case and accents do not count: `a`
//! = `A` = `á`; `ß` = `ss`, but `æ` ≠ `ae`, `ø` ≠ `o`, `đ` ≠ `d`), ignores characters
//! without weights (controls, combining marks), and is PAD SPACE: trailing characters
//! weighing as a space (U+0020, U+00A0, U+2000…) do not count.
//!
//! The weights are MariaDB's own, generated into `collation_table.rs` by
//! `scripts/utf8-unicode-ci-table.py`; code points without an entry take UCA's implicit
//! weights. `utf8` is MariaDB's 3-byte `utf8mb3`: a value with a character beyond the BMP
//! matches no row (the server rejects the literal). ICU4X's collator was measured and
//! not used: its root collation (CLDR, a newer UCA) puts 3785 of the 63 487 BMP
//! characters in a different class than MariaDB does (docs/decisions.md).

use super::collation_table::{RUNS, WEIGHTS};
use std::cmp::Ordering;

/// The primary weight of a space: what PAD SPACE ignores at the end.
const SPACE: u16 = 0x0209;

/// Whether two values are equal as `a = b` in a `utf8_unicode_ci` column.
///
/// ```
/// use vicixfer::api::collation_eq;
/// assert!(collation_eq("SALESLINE", "salesline "));
/// assert!(collation_eq("agentx", "ÁGENTX"));
/// assert!(collation_eq("strasse", "Straße"));
/// assert!(!collation_eq("ae", "æ"));
/// assert!(!collation_eq("a", " a"));
/// ```
pub fn collation_eq(a: &str, b: &str) -> bool {
    if printable_ascii(a) && printable_ascii(b) {
        // Each printable ASCII character has one primary weight, shared only with its
        // other case, and only the space weighs a space (tested against the table).
        return a.trim_end_matches(' ').eq_ignore_ascii_case(b.trim_end_matches(' '));
    }
    a.chars().chain(b.chars()).all(|c| u32::from(c) <= 0xFFFF) && collation_cmp(a, b) == Ordering::Equal
}

/// Only U+0020 to U+007E: the values of nearly every look-up (users, campaigns, numbers).
fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|c| (0x20..0x7F).contains(&c))
}

/// How `ORDER BY` sorts two values of a `utf8_unicode_ci` column: weight by weight, the
/// shorter one padded with spaces (PAD SPACE). Equal values ([`collation_eq`]) compare
/// `Equal`; SQL leaves their order open.
///
/// ```
/// use std::cmp::Ordering;
/// use vicixfer::api::collation_cmp;
/// assert_eq!(collation_cmp("a", "B"), Ordering::Less);
/// assert_eq!(collation_cmp("1011", "1001"), Ordering::Greater);
/// assert_eq!(collation_cmp("Ab", "ab "), Ordering::Equal);
/// ```
pub fn collation_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (weights(a), weights(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) => return p.cmp(&q),
            (Some(p), None) => {
                return std::iter::once(p)
                    .chain(x)
                    .map(|w| w.cmp(&SPACE))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
            (None, Some(q)) => {
                return std::iter::once(q)
                    .chain(y)
                    .map(|w| SPACE.cmp(&w))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
        }
    }
}

/// The primary weights of a BMP string, in order.
fn weights(s: &str) -> impl Iterator<Item = u16> + '_ {
    s.chars().flat_map(char_weights)
}

/// The primary weights of one BMP character (empty when it is ignorable).
fn char_weights(c: char) -> CharWeights {
    let cp = u32::from(c);
    let Ok(cp16) = u16::try_from(cp) else { return CharWeights::Slice(&[]) };
    let i = RUNS.partition_point(|r| r.0 <= cp16);
    if let Some(&(start, len, off, k)) = i.checked_sub(1).map(|i| &RUNS[i]) {
        let at = cp16 - start;
        if at < len {
            let off = usize::from(off);
            return if k == 1 {
                CharWeights::Inline { w: [WEIGHTS[off] + at, 0], len: 1, at: 0 }
            } else {
                CharWeights::Slice(&WEIGHTS[off..off + usize::from(k)])
            };
        }
    }
    let base = match cp {
        0x4E00..=0x9FA5 => 0xFB40,
        0x3400..=0x4DB5 => 0xFB80,
        _ => 0xFBC0,
    };
    // `cp >> 15` is 0 or 1 and `cp & 0x7FFF | 0x8000` fits: the casts cannot truncate.
    CharWeights::Inline { w: [base + (cp >> 15) as u16, (cp & 0x7FFF) as u16 | 0x8000], len: 2, at: 0 }
}

/// The weights of one character: a table slice, or up to two computed ones.
#[derive(Clone)]
enum CharWeights {
    Slice(&'static [u16]),
    Inline { w: [u16; 2], len: u8, at: u8 },
}

impl Iterator for CharWeights {
    type Item = u16;
    fn next(&mut self) -> Option<u16> {
        match self {
            CharWeights::Slice(s) => {
                let (first, rest) = s.split_first()?;
                *s = rest;
                Some(*first)
            }
            CharWeights::Inline { w, len, at } => {
                let next = (*at < *len).then(|| w[usize::from(*at)])?;
                *at += 1;
                Some(next)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_pad_space() {
        for (a, b) in [
            ("6666", "6666"),
            ("SALESLINE", "salesline"),
            ("SALESLINE", "SALESLINE "),
            ("SALESLINE", "SALESLINE\u{a0}"),
            ("AGENTX", "agentx"),
            ("e", "é"),
            ("E", "ë"),
            ("ss", "ß"),
            ("a", "a\u{1}"),
            ("ab", "a\u{301}b"),
            ("a", "a \u{1} "),
            ("", "   "),
            ("一", "一"),
        ] {
            assert!(collation_eq(a, b), "{a:?} = {b:?}");
            assert!(collation_eq(b, a), "{b:?} = {a:?}");
        }
        for (a, b) in [
            ("a", " a"),
            ("a b", "a  b"),
            ("a", "a\t"),
            ("ae", "æ"),
            ("o", "ø"),
            ("d", "đ"),
            ("l", "ł"),
            ("h", "ħ"),
            ("6666", "6666."),
            ("a", "b"),
            ("a\u{1D49C}", "a"),
            ("一", "丁"),
        ] {
            assert!(!collation_eq(a, b), "{a:?} ≠ {b:?}");
        }
    }

    /// The premise of `collation_eq`'s printable-ASCII path, over every pair, and the path
    /// against the weight comparison on short strings with trailing spaces.
    #[test]
    fn the_printable_ascii_path_agrees_with_the_table() {
        let printable: Vec<char> = (0x20u8..0x7F).map(char::from).collect();
        for &c in &printable {
            let w: Vec<u16> = char_weights(c).collect();
            assert_eq!(w.len(), 1, "{c:?}");
            assert_eq!(w[0] == SPACE, c == ' ', "{c:?}");
            for &d in &printable {
                assert_eq!(w == char_weights(d).collect::<Vec<_>>(), c.eq_ignore_ascii_case(&d), "{c:?} {d:?}");
            }
        }
        let parts = ["", "a", "A", "b", " ", "-", "_", "1"];
        let mut strings = Vec::new();
        for x in parts {
            for y in parts {
                for tail in ["", " ", "  "] {
                    strings.push(format!("{x}{y}{tail}"));
                }
            }
        }
        for a in &strings {
            for b in &strings {
                assert_eq!(collation_eq(a, b), collation_cmp(a, b) == Ordering::Equal, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn implicit_weights_follow_uca() {
        // A CJK ideograph: [FB40 + 0, 4E00 | 8000]; an unassigned BMP code point: FBC0.
        assert_eq!(char_weights('一').collect::<Vec<_>>(), [0xFB40, 0xCE00]);
        assert_eq!(char_weights('\u{0870}').collect::<Vec<_>>(), [0xFBC0, 0x8870]);
        assert_eq!(char_weights('\u{1}').count(), 0);
        assert_eq!(char_weights(' ').collect::<Vec<_>>(), [SPACE]);
        assert_eq!(char_weights('ß').count(), 2);
    }
}
