//! The runnable examples (`cargo run --example NAME`) run here too, so that they keep
//! working: each example file is compiled as a module of this test.

#[path = "../examples/warm_transfer.rs"]
mod warm_transfer;

#[path = "../examples/crm_parse.rs"]
#[allow(dead_code)] // its `main` is the binary's entry point, not called here
mod crm_parse;

#[path = "../examples/trace_replay.rs"]
#[allow(dead_code)] // its `main` is the binary's entry point, not called here
mod trace_replay;

#[test]
fn warm_transfer_leaves_the_customer_with_the_third_party() {
    warm_transfer::main().expect("a warm transfer");
}

#[test]
fn crm_parse_reads_every_sample_but_the_html() {
    assert_eq!(crm_parse::report(crm_parse::SAMPLES), 1);
    let line = vicixfer::api::Line::parse("ERROR: Invalid Username/Password: |6666|secret|0|1|BAD|\n").expect("a line");
    let said = crm_parse::act_on(&line);
    assert!(said.contains("ask an administrator") && !said.contains("secret"), "{said}");
}

#[test]
fn trace_replay_replays_the_shipped_script_without_failure() {
    assert_eq!(trace_replay::replay("examples/consultative.vxs").expect("the script"), 0);
}

#[test]
fn trace_replay_counts_rejected_and_unparsable_lines() {
    let path = std::env::temp_dir().join(format!("vicixfer-trace-replay-{}.vxs", std::process::id()));
    std::fs::write(&path, "call 1\nteleport 3\nanswer 9\ntick\n").expect("write");
    let failures = trace_replay::replay(path.to_str().expect("utf-8 path")).expect("the script");
    std::fs::remove_file(&path).ok();
    assert_eq!(failures, 2, "an unknown verb and an answer for a leg that is not ringing");
}
