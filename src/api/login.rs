//! api.php's login (§2, §15.1): `user_authorization` in `www/agc/functions.php`, called
//! with the class-filtered `user` and `pass`, and the message it returns.

use super::collation::collation_eq;
use super::directory::{Directory, User};
use serde::{Deserialize, Serialize};

/// `LOCK` needs this many failed logins (`$LOCK_trigger_attempts`).
const LOCK_ATTEMPTS: u8 = 10;
/// The lock lasts this long after the last login (`$LOCK_over = now - 900`).
const LOCK_SECONDS: i64 = 900;

/// The failed-login bookkeeping a refused login writes on the user's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginUpdate {
    /// The row's `user`, as the database found it.
    pub user: String,
    /// The new `failed_login_count`.
    pub failed_login_count: u8,
    /// The new `last_login_date` (epoch seconds).
    pub last_login_date: u64,
}

/// The generic filter every parameter gets before the class filters: quotes,
/// backslashes, semicolons and spaces removed (api.php, `$user` before the
/// permission read).
pub(crate) fn generic_filter(sent: Option<&str>) -> String {
    sent.unwrap_or_default().chars().filter(|c| !matches!(c, '\'' | '"' | '\\' | ';' | ' ')).collect()
}

/// The login row's failed count and last login, with the `locked` shorthand.
fn lock_state(u: &User, epoch: u64) -> (u8, u64) {
    if u.locked {
        (LOCK_ATTEMPTS, epoch)
    } else {
        (u.failed_login_count, u.last_login_date)
    }
}

/// The SQL `user_authorization` runs, as the failed-login answer prints it.
pub(crate) fn login_sql(user: &str, pass: &str, epoch: u64) -> String {
    let lock_over = epoch as i64 - LOCK_SECONDS;
    format!(
        "SELECT count(*) from vicidial_users where user='{user}' and pass='{pass}' and user_level > 0 and \
         active='Y' and ( (failed_login_count < {LOCK_ATTEMPTS}) or (UNIX_TIMESTAMP(last_login_date) < {lock_over}) );"
    )
}

/// `user_authorization($user,$pass,'',0,0,0,1,'api')`: the message (`GOOD`, `LOCK`,
/// `ERRSERVERS` or `BAD|0|api|<sql>`) and the failed-login write, if any.
pub(crate) fn authorize(dir: &Directory, user: &str, pass: &str, epoch: u64) -> (String, Option<LoginUpdate>) {
    // Its own filter (`|`, backquote, `&`, quotes, backslash, `;`, space) finds nothing
    // left by the class filters in either charset.
    let lock_over = epoch as i64 - LOCK_SECONDS;
    let count = dir
        .users
        .iter()
        .filter(|u| {
            let (failed, last) = lock_state(u, epoch);
            collation_eq(&u.user, user)
                && collation_eq(&u.pass, pass)
                && u.user_level > 0
                && u.active
                && (failed < LOCK_ATTEMPTS || (last as i64) < lock_over)
        })
        .count();
    if count > 0 {
        let message = if dir.active_servers() < 1 { "ERRSERVERS" } else { "GOOD" };
        return (message.into(), None);
    }
    let bad = format!("BAD|0|api|{}", login_sql(user, pass, epoch));
    let Some(row) = dir.user(user) else { return (bad, None) };
    let (failed, last) = lock_state(row, epoch);
    let update = |failed_login_count, last_login_date| LoginUpdate {
        user: row.user.clone(),
        failed_login_count,
        last_login_date,
    };
    if failed < LOCK_ATTEMPTS {
        (bad, Some(update(failed + 1, last)))
    } else if lock_over > last as i64 {
        (bad, Some(update(1, epoch)))
    } else {
        ("LOCK".into(), None)
    }
}
