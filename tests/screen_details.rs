//! Details of the screen's primitives (§7) that the master table does not spell out:
//! which dial a cancel hits, recording side effects, caller-id and group thresholds.

mod common;
use common::*;
use vicixfer::*;

fn originate_of(h: &H) -> (DialTarget, CallerId) {
    match h.effects.iter().find(|e| matches!(e, Effect::Originate { .. })) {
        Some(Effect::Originate { target, caller_id, .. }) => (target.clone(), caller_id.clone()),
        _ => panic!("no originate in {:?}", h.effects),
    }
}

#[test]
fn the_cancel_hits_the_dial_being_looked_for_not_the_oldest_ringing_one() {
    let mut h = H::on_call(Config::default());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551111", "");
    let x1 = h.newest_xfer();
    h.ticks(3).cmd_b("DIAL_WITH_CUSTOMER", "5552222", "");
    let x2 = h.newest_xfer();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.effects, vec![Effect::CancelDial { leg: x2 }]);
    assert_eq!(h.xfer_at(x1), Some(XferAt::Ringing(h.room())), "one HangupConfDial, one leg");
}

#[test]
fn a_manual_dial_campaign_cancels_the_dial_when_nothing_was_redirected() {
    let mut h = H::on_call(Config { manual_dial: true, ..Config::default() });
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.ended(x), Some(Outcome::Cancelled));
}

#[test]
fn hangup_xfer_starts_a_recording_only_when_none_is_running() {
    let mut h = H::on_call(Config { hangup_xfer_record_start: true, ..Config::default() });
    h.cmd("HANGUP_XFER");
    assert_eq!(h.effects, vec![Effect::StartRecording]);
    assert!(h.s.screen.recording);
    h.cmd("HANGUP_XFER");
    assert!(h.effects.is_empty());
}

#[test]
fn hangup_both_does_not_start_a_recording() {
    let mut h = H::on_call(Config { hangup_xfer_record_start: true, ..Config::default() });
    h.connect_xfer("5551234");
    h.cmd("HANGUP_BOTH");
    assert!(!h.effects.contains(&Effect::StartRecording));
}

#[test]
fn leave_3way_stops_a_running_recording_only() {
    let stop = Config { leave_3way_stop_recording: true, ..Config::default() };
    let mut h = H::on_call(stop.clone());
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    assert!(!h.effects.contains(&Effect::StopRecording), "nothing to stop");
    let mut h = H::on_call(Config { hangup_xfer_record_start: true, ..stop });
    h.cmd("HANGUP_XFER").ticks(3);
    assert!(h.s.screen.recording);
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.effects.first(), Some(&Effect::StopRecording));
    assert!(!h.s.screen.recording);
}

#[test]
fn a_consultative_dial_uses_the_api_group_only_when_longer_than_one_character() {
    let mut h = H::on_call(Config::default());
    h.cmd_a("DIAL_WITH_CUSTOMER", "G", "", "YES");
    assert_eq!(originate_of(&h).0, DialTarget::Consultative { group: "".into(), agent: "".into() });
    let mut h = H::on_call(Config::default());
    h.cmd_a("DIAL_WITH_CUSTOMER", "GG", "", "YES");
    assert_eq!(originate_of(&h).0, DialTarget::Consultative { group: "GG".into(), agent: "".into() });
}

#[test]
fn the_alias_caller_id_applies_only_when_longer_than_three_characters() {
    let mut h = H::on_call(Config::default());
    h.send("DIAL_WITH_CUSTOMER------5551234---NO------ALIAS---123---1---");
    assert_eq!(originate_of(&h).1, CallerId::Source(CidSource::Campaign));
    let mut h = H::on_call(Config::default());
    h.send("DIAL_WITH_CUSTOMER------5551234---NO------ALIAS---1234---1---");
    assert_eq!(originate_of(&h).1, CallerId::Alias("1234".into()));
}

#[test]
fn cid_choice_overrides_the_campaign_source_for_one_dial_when_longer_than_three() {
    let cfg = Config { three_way_call_cid: CidSource::AgentPhone, ..Config::default() };
    let mut h = H::on_call(cfg.clone());
    h.send("DIAL_WITH_CUSTOMER------5551234---NO------------1---ABC");
    assert_eq!(originate_of(&h).1, CallerId::Source(CidSource::AgentPhone), "3 characters: ignored");
    let mut h = H::on_call(cfg.clone());
    h.send("DIAL_WITH_CUSTOMER------5551234---NO------------1---CUSTOMER");
    assert_eq!(originate_of(&h).1, CallerId::Source(CidSource::Customer));
    h.ticks(3).send("DIAL_WITH_CUSTOMER------5551234---NO------------2---");
    assert_eq!(originate_of(&h).1, CallerId::Source(CidSource::AgentPhone), "one dial only");
    let mut h = H::on_call(cfg);
    h.send("PARK_CUSTOMER_DIAL------5551234---NO------------1---CUSTOMER");
    assert_eq!(originate_of(&h).1, CallerId::Source(CidSource::AgentPhone), "PARK_CUSTOMER_DIAL ignores field 8");
}

#[test]
fn park_customer_dial_override_yes_ticks_the_box() {
    let mut h = H::on_call(Config::default());
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "YES");
    assert!(h.s.screen.override_checked);
    let mut h = H::on_call(Config::default());
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    assert!(!h.s.screen.override_checked);
}

#[test]
fn leave_3way_finds_a_free_room_even_when_the_first_room_is_the_last_number() {
    // Found by fuzzing: with first_room = u64::MAX the search for a free conference ran off
    // the end and handed back the agent's own room.
    let mut h = H::on_call(Config { first_room: u64::MAX, ..Config::default() });
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    let left = RoomId(u64::MAX);
    assert_ne!(h.room(), left, "the agent moved to another room");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(left)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(left)));
    assert!(invariants::check_state(&h.s).is_ok());
}
