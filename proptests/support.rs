//! The configuration every property test shares: the case count honours the standard
//! `PROPTEST_CASES` variable, and found failures are persisted in `proptests/regressions/`.
//!
//! Included by each property-test binary with `#[path = "support.rs"] mod support;`.

use proptest::test_runner::{Config, FileFailurePersistence};

/// proptest's own default configuration (which reads `PROPTEST_CASES`,
/// `PROPTEST_MAX_SHRINK_ITERS` and the other `PROPTEST_*` variables), except that the
/// case count is `ci_cases` when `PROPTEST_CASES` is unset (proptest's own default of 256
/// is too many for some properties and too few for others), and failures are persisted
/// to `regressions` (a path from the package root, where `cargo test` runs).
pub fn config(ci_cases: u32, regressions: &'static str) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = ci_cases;
    }
    config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(regressions)));
    config
}
