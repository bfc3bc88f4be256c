//! The shared property-test configuration (`support::config`) honours `PROPTEST_CASES`
//! and falls back to the CI count when it is unset. proptest reads the variable once per
//! process, so the check runs this binary's ignored `count_cases` test in a child process
//! with the variable set and unset.

use proptest::test_runner::TestRunner;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

#[path = "support.rs"]
mod support;

const CI_CASES: u32 = 5;

/// Runs a property that always holds with the shared configuration and prints how many
/// cases ran.
#[test]
#[ignore = "run by proptest_cases_is_honoured in a child process"]
fn count_cases() {
    let ran = AtomicU32::new(0);
    let mut runner = TestRunner::new(support::config(CI_CASES, "proptests/regressions/proptest_cases.txt"));
    runner
        .run(&proptest::num::u8::ANY, |_| {
            ran.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .expect("a property that always holds");
    println!("cases ran: {}", ran.load(Ordering::Relaxed));
}

fn cases_with(env: Option<&str>) -> u32 {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"));
    child.args(["count_cases", "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    match env {
        Some(value) => child.env("PROPTEST_CASES", value),
        None => child.env_remove("PROPTEST_CASES"),
    };
    let out = child.output().expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    let line = stdout.lines().find_map(|l| l.split("cases ran: ").nth(1)).expect("the count line");
    line.trim().parse().expect("a number")
}

#[test]
fn proptest_cases_is_honoured() {
    assert_eq!(cases_with(Some("7")), 7);
    assert_eq!(cases_with(Some("23")), 23);
}

#[test]
fn the_ci_count_applies_when_proptest_cases_is_unset() {
    assert_eq!(cases_with(None), CI_CASES);
}
