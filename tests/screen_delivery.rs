//! Stage 2 mechanics (§1.3, §1.4, §5): duplicate suppression, the cooldown, slot
//! clearing, the order inside one poll, rejections.

mod common;
use common::*;
use vicixfer::*;

#[test]
fn a_command_id_executes_at_most_once() {
    let mut h = H::on_call(Config::default());
    let raw = path_c("HANGUP_XFER", 42);
    h.send(&raw);
    assert!(h.executed(TransferFunction::HangupXfer));
    h.send(&raw);
    assert!(!h.executed(TransferFunction::HangupXfer));
    assert!(h.saw(&Event::Duplicate(CommandId::epoch(42))));
    assert_eq!(h.s.slots.transferconf.value, None, "a duplicate is cleared too");
}

#[test]
fn gated_commands_are_dropped_for_two_ticks_after_any_executed_command() {
    for wait in 0..=3 {
        let mut h = H::on_call(Config::default());
        h.cmd("HANGUP_XFER"); // tick t: executes, counter := 3
        h.ticks(wait);
        h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", ""); // processed in tick t + wait + 1
        let executed = h.executed(TransferFunction::DialWithCustomer);
        assert_eq!(executed, wait >= 2, "processed {} ticks after", wait + 1);
        assert_eq!(h.saw(&Event::DroppedByCooldown(TransferFunction::DialWithCustomer)), wait < 2);
    }
}

#[test]
fn ungated_commands_run_within_the_cooldown_without_rearming_it() {
    let mut h = H::on_call(Config::default());
    h.cmd("HANGUP_XFER");
    assert_eq!(h.s.screen.cooldown, 3);
    h.cmd("HANGUP_XFER");
    assert!(h.executed(TransferFunction::HangupXfer));
    assert_eq!(h.s.screen.cooldown, 2);
}

#[test]
fn an_unknown_function_is_consumed_without_action_and_arms_the_cooldown() {
    let mut h = H::on_call(Config::default());
    h.send("TRANSFER_TO_MARS---------NO------------7");
    assert!(h.saw(&Event::UnknownFunction("TRANSFER_TO_MARS".into())));
    assert!(h.effects.is_empty());
    assert_eq!(h.s.screen.cooldown, 3);
    assert_eq!(h.s.slots.transferconf.value, None);
}

#[test]
fn one_poll_runs_transferconf_then_park_then_hangup() {
    let mut h = H::on_call(Config::default());
    let x = h.connect_xfer("5551234");
    h.store(&path_c("HANGUP_XFER", 99));
    h.apply(ApiWrite::ParkCall(ParkSlot::decode("PARK_CUSTOMER")));
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into())));
    h.tick();
    let executed: Vec<_> = h.events.iter().filter(|e| matches!(e, Event::Executed(_))).cloned().collect();
    assert_eq!(
        executed,
        vec![
            Event::Executed(Executed::Transfer(TransferFunction::HangupXfer)),
            Event::Executed(Executed::Park(ParkValue::ParkCustomer)),
            Event::Executed(Executed::ExternalHangup),
        ]
    );
    assert_eq!(h.effects, vec![Effect::Hangup { leg: x }, Effect::Park { leg: h.c() }, Effect::Hangup { leg: h.c() }]);
    assert!(h.is_dispo());
}

#[test]
fn a_park_command_runs_on_every_poll_until_the_server_clears_it() {
    // Q6: executed once per delivery in the usual case: the clear lands before the next poll.
    let mut h = H::on_call(Config::default());
    h.apply(ApiWrite::ParkCall(ParkSlot::decode("PARK_CUSTOMER"))).tick();
    assert_eq!(h.effects, vec![Effect::Park { leg: h.c() }]);
    assert_eq!(h.s.slots.park.value, None);
    h.tick();
    assert!(h.effects.is_empty());
}

#[test]
fn junk_park_values_accepted_by_api_are_never_acted_on_and_stay_pending() {
    let mut h = H::on_call(Config::default());
    h.park("XPARK_CUSTOMERX");
    assert!(h.saw(&Event::ParkIgnored));
    assert!(h.effects.is_empty());
    h.ticks(5);
    assert_eq!(h.s.slots.park.value, Some(ParkSlot::Other("XPARK_CUSTOMERX".into())));
    h.cmd("HANGUP_BOTH").apply(AgentAction::SubmitDisposition);
    assert_eq!(h.s.slots.park.value, None, "disposition submit clears it");
}

#[test]
fn external_hangup_values_other_than_one_stay_pending_until_the_next_call() {
    let mut h = H::on_call(Config::default());
    h.apply(ApiWrite::ExternalHangup(HangupSlot("2".into()))).ticks(3);
    assert!(h.saw(&Event::HangupIgnored));
    assert!(h.is_in_call());
    assert_eq!(h.s.slots.hangup.value, Some(HangupSlot("2".into())));
    // Any Hangup request the screen sends blanks it (manager_send ACTION Hangup).
    h.connect_xfer("5551234");
    h.cmd("HANGUP_XFER");
    assert_eq!(h.s.slots.hangup.value, None);
}

#[test]
fn external_hangup_compares_loosely_with_one() {
    for (value, acts) in [("1", true), ("01", true), ("0x1", true), ("1e0", true), ("10e-1", true), ("2", false)] {
        let mut h = H::on_call(Config::default());
        h.apply(ApiWrite::ExternalHangup(HangupSlot(value.into()))).tick();
        assert_eq!(h.is_dispo(), acts, "{value}");
    }
    for value in ["-1", "1-", "one", "x1", "0x", "1e", "Infinity"] {
        assert!(!HangupSlot(value.into()).is_one(), "{value}");
    }
}

#[test]
fn external_hangup_on_an_idle_agent_waits_and_is_cleared_by_the_next_call() {
    let mut h = H::new(Config::default());
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert!(h.saw(&Event::HangupIgnored));
    h.apply(NetEvent::CallArrives { lead: LeadId(3) });
    assert_eq!(h.s.slots.hangup.value, None);
    h.tick();
    assert!(h.is_in_call());
}

#[test]
fn disposition_submit_clears_the_slots_and_keeps_the_last_command_id() {
    let mut h = H::on_call(Config::default());
    h.cmd("HANGUP_BOTH");
    let last = h.s.screen.last_command.clone();
    h.apply(ApiWrite::ExternalHangup(HangupSlot("5".into())));
    h.apply(AgentAction::SubmitDisposition);
    assert_eq!(h.s.slots, Slots::default());
    assert_eq!(h.s.screen.last_command, last);
    assert!(h.s.is_idle());
}

#[test]
fn a_rejected_input_changes_nothing_and_lists_what_is_legal() {
    let h = H::new(Config::default());
    let slot = TransferSlot::decode(&path_c("HANGUP_XFER", 1)).unwrap();
    let err = step(&h.s, Input::Api(ApiWrite::TransferConference(slot))).unwrap_err();
    assert_eq!(err.reason, Reason::NoLiveCall);
    assert!(err.expected.contains(InputKind::CallArrives));
    assert!(!err.expected.contains(InputKind::TransferConference));
    let err = step(&h.s, Input::Net(NetEvent::Answered(LegId(9)))).unwrap_err();
    assert_eq!(err.reason, Reason::NoSuchLeg(LegId(9)));
    let err = step(&h.s, Input::Agent(AgentAction::SubmitDisposition)).unwrap_err();
    assert_eq!(err.reason, Reason::NotInDisposition);
    let err = step(&h.s, Input::Net(NetEvent::CallArrives { lead: LeadId(0) })).unwrap_err();
    assert_eq!(err.reason, Reason::ZeroLead);
    assert_eq!(h.s, Session::default());
}

#[test]
fn network_events_must_match_the_leg_state() {
    let mut h = H::on_call(Config::default());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    assert_eq!(h.try_apply(NetEvent::HungUp(x)).unwrap_err().reason, Reason::StillRinging(x));
    assert_eq!(h.try_apply(NetEvent::Answered(h.c())).unwrap_err().reason, Reason::NotRinging(h.c()));
    assert_eq!(h.try_apply(AgentAction::FillRequiredFields).unwrap_err().reason, Reason::FieldsFilled);
    assert_eq!(h.try_apply(ScreenInput::ClearsLand).unwrap_err().reason, Reason::NothingInFlight);
}

#[test]
fn a_third_party_hanging_up_is_noticed_at_the_next_poll() {
    let mut h = H::on_call(Config::default());
    let x = h.connect_xfer("5551234");
    h.apply(NetEvent::HungUp(x));
    assert_eq!(h.ended(x), Some(Outcome::HungUpItself));
    assert_eq!(h.s.screen.xfer_channel, Some(x), "the screen has not noticed yet");
    h.tick();
    assert!(h.saw(&Event::Alert(Alert::XferLineHungUp)));
    assert_eq!(h.s.screen.xfer_channel, None);
    assert!(h.is_in_call());
}

#[test]
fn after_the_customer_died_a_third_party_hangup_goes_unnoticed() {
    let mut h = H::on_call(Config::default());
    let x = h.connect_xfer("5551234");
    h.apply(NetEvent::HungUp(h.c())).apply(NetEvent::HungUp(x)).tick();
    assert!(!h.saw(&Event::Alert(Alert::XferLineHungUp)));
    assert_eq!(h.s.screen.xfer_channel, Some(x));
}

#[test]
fn park_ivr_completion_grabs_the_customer_back_on_the_next_poll() {
    let mut h = H::on_call(Config::default());
    h.park("PARK_IVR_CUSTOMER");
    h.apply(NetEvent::ParkIvrDone);
    assert_eq!(h.s.slots.park.value, Some(ParkSlot::Known(ParkValue::GrabIvrCustomer)));
    h.tick();
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn the_left_conference_is_cleaned_up_after_three_lonely_checks() {
    let mut h = H::on_call(Config::default());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    h.apply(NetEvent::ConferenceCleanup);
    assert_eq!(h.s.left[0].lonely_checks, 0, "two parties: not lonely");
    h.apply(NetEvent::HungUp(x));
    h.apply(NetEvent::ConferenceCleanup).apply(NetEvent::ConferenceCleanup);
    assert!(h.s.is_left_room(s));
    h.apply(NetEvent::ConferenceCleanup);
    assert!(!h.s.is_left_room(s));
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByServer));
    assert!(h.saw(&Event::ConferenceFreed(s)));
}

#[test]
fn an_empty_left_conference_is_freed_after_three_lonely_checks_too() {
    // Q13: "L with ≤ 1 party is cleared after 3 consecutive cleanup checks", none included.
    let mut h = H::on_call(Config::default());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    let c = h.c();
    h.apply(NetEvent::HungUp(x)).apply(NetEvent::HungUp(c));
    h.apply(NetEvent::ConferenceCleanup).apply(NetEvent::ConferenceCleanup);
    assert!(h.s.is_left_room(s), "empty, two checks: still reserved");
    h.apply(NetEvent::ConferenceCleanup);
    assert!(!h.s.is_left_room(s));
    assert!(h.saw(&Event::ConferenceFreed(s)));
}

#[test]
fn an_expired_left_conference_is_kicked() {
    let mut h = H::on_call(Config::default());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL").apply(NetEvent::ConferenceExpired(s));
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByServer));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByServer));
    assert!(h.s.left.is_empty());
}

#[test]
fn the_next_leave_3way_takes_the_lowest_free_room() {
    let mut h = H::on_call(Config::default());
    let first = h.room();
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL").apply(AgentAction::SubmitDisposition);
    assert_eq!(h.room(), RoomId(first.0 + 1));
    h.apply(NetEvent::CallArrives { lead: LeadId(2) }).ticks(3);
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.room(), RoomId(first.0 + 2));
    h.apply(NetEvent::ConferenceExpired(first)).apply(AgentAction::SubmitDisposition);
    h.apply(NetEvent::CallArrives { lead: LeadId(3) }).ticks(3);
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.room(), first, "freed room reused");
}

#[test]
fn step_is_pure_and_handle_applies_in_place() {
    let h = H::on_call(Config::default());
    let before = h.s.clone();
    let a = step(&h.s, Input::Screen(ScreenInput::Tick)).unwrap();
    let b = step(&h.s, Input::Screen(ScreenInput::Tick)).unwrap();
    assert_eq!(a, b);
    assert_eq!(h.s, before);
    let mut s = h.s.clone();
    let (effects, events) = s.handle(Input::Screen(ScreenInput::Tick)).unwrap();
    assert_eq!((s, effects, events), (a.session, a.effects, a.events));
}
