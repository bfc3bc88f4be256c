//! The PHP 8 comparison rules api.php's answers depend on.

/// PHP 8's `is_numeric`: optional surrounding whitespace, a sign, digits with an
/// optional fraction, an optional exponent. No hex, no bare `.`.
pub(crate) fn is_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.strip_prefix(['+', '-']).unwrap_or(t).as_bytes();
    let digits = |b: &[u8], i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut i = 0;
    let int = digits(b, &mut i);
    let mut frac = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac = digits(b, &mut i);
    }
    if int + frac == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// PHP 8's `$s < 4` for a string from the database: numerically when `$s` is numeric,
/// otherwise as strings against `"4"` (so `""` and `"12abc"` are less, `"abc"` is not).
pub(crate) fn less_than_four(s: &str) -> bool {
    if is_numeric(s) {
        let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        t.parse::<f64>().is_ok_and(|v| v < 4.0)
    } else {
        s.as_bytes() < b"4".as_slice()
    }
}

/// PHP 8's `$s > 0` for a request string: numerically when `$s` is numeric, otherwise
/// as strings against `"0"` (so `abc`, `1abc` and `_` are greater, `""` and `-` are not).
pub(crate) fn greater_than_zero(s: &str) -> bool {
    if is_numeric(s) {
        let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        t.parse::<f64>().is_ok_and(|v| v > 0.0)
    } else {
        s.as_bytes() > b"0".as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings() {
        for s in ["0", "3", "0003", " 12", "12 ", "-1", "+5", "1.5", ".5", "5.", "1e3", "1E-2"] {
            assert!(is_numeric(s), "{s:?}");
        }
        for s in ["", " ", "abc", "12abc", "0x1A", ".", "1e", "e1", "--1", "1 2"] {
            assert!(!is_numeric(s), "{s:?}");
        }
    }

    #[test]
    fn compared_with_zero() {
        for s in ["1", "2", " 1", "0.5", "abc", "1abc", "_", "x"] {
            assert!(greater_than_zero(s), "{s:?}");
        }
        for s in ["", "0", "-1", "-", "0.0", "-abc"] {
            assert!(!greater_than_zero(s), "{s:?}");
        }
    }

    #[test]
    fn compared_with_four() {
        for s in ["", "0", "3", "0003", "3.99", "-7", "12abc", "1 2", " "] {
            assert!(less_than_four(s), "{s:?}");
        }
        for s in ["4", "4.0", "123", "5551234", "abc", "TESTING", "9x"] {
            assert!(!less_than_four(s), "{s:?}");
        }
    }
}
