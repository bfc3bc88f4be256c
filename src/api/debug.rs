//! api.php's debug output and its `version` answer (§15.5): which statements `DB` prints
//! and how, the `format=debug` page around the answer, and PHP's `date()` for the times
//! they print. The statements themselves are spelled where api.php runs them (the
//! function modules); this module only decides whether and how they print.

use super::php::greater_than_zero;
use super::query::{Param, Params};
use crate::config::Build;

/// api.php's `$version` and `$build` for a build profile (api.php lines 121-122; the
/// older snapshot, `api.php@504c3d5:115-116`).
pub(crate) fn version_build(build: Build) -> (&'static str, &'static str) {
    match build {
        Build::Pre240429 => ("2.14-75", "230519-0731"),
        _ => ("2.14-81", "240429-2220"),
    }
}

/// How api.php's `$DB` reads at one point of the script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Db {
    /// `if ($DB)`: PHP truthiness of the filtered parameter (neither `""` nor `"0"`; a
    /// non-empty array is true).
    pub(crate) on: bool,
    /// `if ($DB > 0)`: PHP 8's comparison (`"00"` is on but not greater than 0, `"abc"`
    /// is; an array is greater than any number).
    pub(crate) positive: bool,
    /// `$format=='debug'`: the HTML page and the `<!-- UPDATE … -->` comments.
    pub(crate) page: bool,
}

impl Db {
    /// `$DB` after api.php line 337: the `DB` parameter (filtered to `[0-9a-zA-Z]`, line
    /// 303), off unless the system allows web debugging.
    pub(crate) fn from_request(p: &Params, allow_web_debug: bool) -> Db {
        let field = p.field(Param::Db);
        let value = p.get(Param::Db);
        if !allow_web_debug {
            return Db::default();
        }
        if field.array {
            return Db { on: true, positive: true, page: false };
        }
        Db { on: !value.is_empty() && value != "0", positive: greater_than_zero(value), page: false }
    }

    /// `format=debug` after the user validation (api.php lines 713-715): `$DB=1`.
    pub(crate) fn debug_page() -> Db {
        Db { on: true, positive: true, page: true }
    }
}

/// `$format=='debug'`: the filtered `format` parameter, a string (an array never equals).
pub(crate) fn wants_page(p: &Params) -> bool {
    !p.field(Param::Format).array && p.get(Param::Format) == "debug"
}

/// The `format=debug` page head (api.php lines 716-721), printed after the user
/// validation. Its comment is never closed: the `-->` of a later `<!-- … -->` ends it.
pub(crate) fn page_head(build: Build, user: &str) -> String {
    let (version, build) = version_build(build);
    format!(
        "<html>\n<head>\n<!-- VERSION: {version}     BUILD: {build}    USER: {user}\n<title>VICIDiaL Agent API</title>\n\
         </head>\n<BODY BGCOLOR=white marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n"
    )
}

/// The `format=debug` page tail (api.php lines 5553-5559): the runtime comment (the
/// seconds between the request's start and end, an input) and the closing tags.
pub(crate) fn page_tail(runtime: u64) -> String {
    format!("\n<!-- script runtime: {runtime} seconds -->\n</body>\n</html>\n")
}

/// The `version` answer (api.php lines 570-577), printed before any check.
pub(crate) fn version_line(build: Build, epoch: u64, utc_offset: i32) -> String {
    let (version, build) = version_build(build);
    format!("VERSION: {version}|BUILD: {build}|DATE: {}|EPOCH: {epoch}", date_time(epoch, utc_offset))
}

/// PHP's `date("Y-m-d H:i:s")` for epoch seconds at a fixed offset from UTC (seconds).
pub(crate) fn date_time(epoch: u64, utc_offset: i32) -> String {
    let local = epoch as i64 + i64::from(utc_offset);
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// PHP's `addslashes`: a backslash before `'`, `"`, `\` and NUL.
pub(crate) fn addslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\'' | '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_php_prints_them() {
        assert_eq!(date_time(0, 0), "1970-01-01 00:00:00");
        assert_eq!(date_time(1_700_000_000, 0), "2023-11-14 22:13:20");
        assert_eq!(date_time(1_700_000_000, -5 * 3600), "2023-11-14 17:13:20");
        assert_eq!(date_time(951_825_600, 0), "2000-02-29 12:00:00");
        assert_eq!(date_time(0, -1), "1969-12-31 23:59:59");
        assert_eq!(date_time(1_764_000_000, 0), "2025-11-24 16:00:00");
        assert_eq!(date_time(951_782_400, 0), "2000-02-29 00:00:00");
        assert_eq!(date_time(4_107_542_399, 0), "2100-02-28 23:59:59");
    }

    #[test]
    fn addslashes_escapes_quotes_backslashes_and_nul() {
        assert_eq!(addslashes("a'b\"c\\d\0e"), "a\\'b\\\"c\\\\d\\0e");
    }
}
