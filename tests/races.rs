//! The races and edge cases of §11 (R1-R17), one test each (R9 belongs to the API layer).

mod common;
use common::*;
use vicixfer::*;

fn cfg() -> Config {
    Config::default()
}

#[test]
fn r1_transfer_accepted_while_live_after_customer_hung_up_just_ends_the_call() {
    let mut h = H::on_call(cfg());
    h.store(&path_b("BLIND_TRANSFER", "5559999", "", 1));
    h.apply(NetEvent::HungUp(h.c()));
    assert!(h.s.has_live_call(), "api.php still sees a live call (dead call)");
    h.tick();
    assert!(h.effects.is_empty(), "the redirect is refused: the channel is not live");
    assert!(h.is_dispo());
}

#[test]
fn r1_dial_after_customer_hung_up_dials_into_a_session_with_only_the_agent() {
    let mut h = H::on_call(cfg());
    h.apply(NetEvent::HungUp(h.c()));
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    assert!(h.s.screen.customer_parked, "set optimistically although the park failed");
    assert!(matches!(&h.effects[..], [Effect::Originate { .. }]));
}

#[test]
fn r1_leave_3way_after_customer_hung_up_still_moves_the_agent() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.apply(NetEvent::HungUp(h.c()));
    h.cmd("LEAVE_3WAY_CALL");
    assert_ne!(h.room(), s);
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)), "X alone in L");
    assert!(h.is_dispo());
    h.ticks(0).apply(NetEvent::ConferenceCleanup).apply(NetEvent::ConferenceCleanup);
    h.apply(NetEvent::ConferenceCleanup);
    assert_eq!(h.ended(x), Some(Outcome::HungUpByServer));
}

#[test]
fn r2_dial_stored_before_agent_hangup_rings_on_the_disposition_screen_unseen() {
    let mut h = H::on_call(cfg());
    h.store(&path_b("DIAL_WITH_CUSTOMER", "5551234", "", 1));
    h.apply(AgentAction::HangUp);
    assert!(h.is_dispo());
    h.tick();
    let x = h.newest_xfer();
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(h.room())));
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));
    assert_eq!(h.s.screen.xfer_channel, None, "the screen never learns about this X");
    h.apply(AgentAction::SubmitDisposition);
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())), "still in the agent's session");
    assert!(!h.s.is_idle());
}

#[test]
fn r2_leave_3way_on_the_disposition_screen_does_nothing() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    h.store(&path_c("LEAVE_3WAY_CALL", 1));
    h.apply(AgentAction::HangUp).tick();
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoCustomerChannel)));
    assert_eq!(h.room(), s);
}

#[test]
fn r3_a_clear_in_flight_erases_a_newer_command() {
    let mut h = H::on_call(cfg());
    h.store(&path_c("HANGUP_XFER", 1));
    h.apply(ScreenInput::TickClearsInFlight);
    assert!(h.executed(TransferFunction::HangupXfer));
    h.store(&path_c("HANGUP_BOTH", 2));
    h.apply(ScreenInput::ClearsLand);
    assert!(h.saw(&Event::Erased(SlotName::TransferConf)));
    assert_eq!(h.s.slots.transferconf.value, None);
    h.tick();
    assert!(h.is_in_call(), "HANGUP_BOTH was lost although api.php answered SUCCESS");
}

#[test]
fn r3_a_second_write_before_the_poll_overwrites_the_first() {
    let mut h = H::on_call(cfg());
    h.store(&path_c("HANGUP_BOTH", 1));
    h.store(&path_c("HANGUP_XFER", 2));
    assert!(h.saw(&Event::Overwrote(SlotName::TransferConf)));
    h.tick();
    assert!(h.executed(TransferFunction::HangupXfer));
    assert!(h.is_in_call());
}

#[test]
fn r4_hangup_xfer_then_dial_next_second_loses_the_dial() {
    let mut h = H::on_call(cfg());
    h.connect_xfer("5551234");
    h.cmd("HANGUP_XFER");
    h.cmd_b("DIAL_WITH_CUSTOMER", "5552222", "");
    assert!(h.saw(&Event::DroppedByCooldown(TransferFunction::DialWithCustomer)));
    assert!(h.s.legs.xfers.is_empty());
    assert_eq!(h.s.slots.transferconf.value, None, "consumed silently");
}

#[test]
fn r5_on_the_disposition_screen_only_park_and_hangup_are_accepted() {
    let mut h = H::on_call(cfg());
    h.apply(AgentAction::HangUp);
    let slot = TransferSlot::decode(&path_c("HANGUP_XFER", 1)).unwrap();
    assert_eq!(h.try_apply(ApiWrite::TransferConference(slot)).unwrap_err().reason, Reason::NoLiveCall);
    h.try_apply(ApiWrite::ParkCall(ParkSlot::decode("PARK_CUSTOMER"))).unwrap();
    h.try_apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).unwrap();
    h.tick();
    assert!(h.effects.is_empty(), "customer channel gone: the park fails, the hangup is ignored");
    assert_eq!(h.s.slots.park.value, None, "RedirectToPark clears even when it fails");
}

#[test]
fn r6_a_poll_before_the_clear_lands_sends_the_park_twice() {
    let mut h = H::on_call(cfg());
    h.apply(ApiWrite::ParkCall(ParkSlot::decode("GRAB_CUSTOMER")));
    h.park("PARK_CUSTOMER");
    h.apply(ApiWrite::ParkCall(ParkSlot::decode("SWAP_PARK_CUSTOMER")));
    h.apply(ScreenInput::TickClearsInFlight);
    assert!(h.saw(&Event::Executed(Executed::Park(ParkValue::SwapParkCustomer))));
    h.tick();
    assert!(h.saw(&Event::Executed(Executed::Park(ParkValue::SwapParkCustomer))), "executed again");
    assert_eq!(h.s.slots.park.value, None);
}

#[test]
fn r7_park_xfer_without_a_known_third_party_arms_itself() {
    let mut h = H::on_call(cfg());
    h.park("PARK_XFER");
    assert!(h.saw(&Event::ParkXferWaiting(ParkValue::ParkXfer)));
    assert!(h.s.slots.park.value.is_some(), "not cleared");
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(h.room())));
    // The tick's channel look finds X after that tick's poll; the next poll parks it.
    h.apply(NetEvent::Answered(x)).tick();
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())), "not known to that poll yet");
    h.tick();
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked), "fires once X is known");
    assert_eq!(h.s.slots.park.value, None);
}

#[test]
fn r8_with_a_parked_customer_transfers_act_on_the_parked_channel() {
    let mut h = H::on_call(cfg());
    h.park("PARK_CUSTOMER");
    assert!(h.s.has_live_call());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked), "C stays parked during the dial");
    let x = h.newest_xfer();
    h.apply(NetEvent::Answered(x));
    h.cmd("HANGUP_XFER");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked), "HANGUP_XFER leaves C parked");
    h.cmd_b("BLIND_TRANSFER", "5559999", "");
    assert_eq!(h.effects.first(), Some(&Effect::Redirect { leg: h.c(), to: Destination::Number("5559999".into()) }));
}

#[test]
fn r10_a_second_dial_adds_a_party_and_orphans_the_first() {
    let mut h = H::on_call(cfg());
    let x1 = h.connect_xfer("5551111");
    h.cmd_b("DIAL_WITH_CUSTOMER", "5552222", "");
    let x2 = h.newest_xfer();
    assert_eq!(h.s.screen.xfer_channel, Some(x1), "until the new dial connects");
    h.apply(NetEvent::Answered(x2)).ticks(3);
    assert_eq!(h.s.screen.xfer_channel, Some(x2));
    h.cmd("HANGUP_XFER");
    assert_eq!(h.ended(x2), Some(Outcome::HungUpByScreen));
    assert_eq!(h.xfer_at(x1), Some(XferAt::Room(h.room())), "the first third party is orphaned");
}

#[test]
fn r10_hangup_xfer_while_the_second_dial_rings_ends_both() {
    let mut h = H::on_call(cfg());
    let x1 = h.connect_xfer("5551111");
    h.cmd_b("DIAL_WITH_CUSTOMER", "5552222", "");
    let x2 = h.newest_xfer();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.ended(x1), Some(Outcome::HungUpByScreen));
    assert_eq!(h.ended(x2), Some(Outcome::Cancelled));
}

#[test]
fn r11_id_less_commands_run_once_per_login() {
    let mut h = H::on_call(cfg());
    h.send("HANGUP_XFER");
    assert!(h.executed(TransferFunction::HangupXfer));
    h.send("LOCAL_CLOSER---SALESLINE");
    assert!(h.saw(&Event::Duplicate(CommandId::Undefined)));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn r12_manual_dial_campaign_cannot_cancel_the_dial_after_a_park() {
    let mut h = H::on_call(Config { manual_dial: true, ..cfg() });
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(h.room())), "still ringing");
    assert_eq!(h.s.screen.dial, DialTrack::Idle, "and untracked");
    let mut auto = H::on_call(cfg());
    auto.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    let y = auto.newest_xfer();
    auto.cmd("HANGUP_XFER");
    assert_eq!(auto.ended(y), Some(Outcome::Cancelled));
}

#[test]
fn r13_required_fields_keep_the_agent_on_the_call_after_a_transfer() {
    let mut h = H::on_call(Config { required_fields: true, ..cfg() });
    h.cmd_b("BLIND_TRANSFER", "5559999", "");
    assert!(matches!(h.ended(h.c()), Some(Outcome::Transferred(_))));
    assert!(h.saw(&Event::HangupBlocked));
    assert!(h.is_in_call() && h.s.has_live_call(), "further transfer commands are accepted");
    h.apply(AgentAction::FillRequiredFields).cmd("HANGUP_BOTH");
    assert!(h.is_dispo());
}

#[test]
fn r13_required_fields_leave_the_agent_in_the_new_session_without_disposition() {
    let mut h = H::on_call(Config { required_fields: true, ..cfg() });
    let s = h.room();
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    assert_ne!(h.room(), s);
    assert!(matches!(h.s.agent, AgentState::InCall { customer: None, .. }));
    // Once the fields are filled, HANGUP_BOTH reaches agent hangup (§6.2 step 1 tests
    // lastcustchannel, still set) and opens disposition, leaving the callers alone.
    let legs = h.s.legs.clone();
    h.apply(AgentAction::FillRequiredFields).ticks(3).cmd("HANGUP_BOTH");
    assert_eq!(h.s.legs, legs);
    assert!(h.is_dispo());
}

#[test]
fn r13_a_blocked_external_hangup_retries_every_poll() {
    let mut h = H::on_call(Config { required_fields: true, ..cfg() });
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert!(h.saw(&Event::HangupBlocked));
    h.tick();
    assert!(h.saw(&Event::HangupBlocked));
    h.apply(AgentAction::FillRequiredFields).tick();
    assert!(h.is_dispo());
}

#[test]
fn r14_leave_3way_without_third_party_abandons_the_customer_in_the_left_conference() {
    // Only on a screen that found a third party earlier in the login (F1, D19): here a
    // 3-way whose third party has hung up since.
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.apply(NetEvent::HungUp(x)).tick();
    let s = h.room();
    h.cmd("LEAVE_3WAY_CALL");
    assert!(h.s.is_left_room(s));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    for _ in 0..3 {
        h.apply(NetEvent::ConferenceCleanup);
    }
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByServer));
}

#[test]
fn r14_leave_3way_before_any_third_party_of_the_login_throws_and_the_agent_stays() {
    // F1 (D19): XDchannel was never assigned, so reading it throws (vicidial.php 9294).
    let mut h = H::on_call(cfg());
    let s = h.room();
    h.cmd("LEAVE_3WAY_CALL");
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoXferChannelYet)));
    assert!(h.is_in_call() && h.room() == s && !h.s.is_left_room(s));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
}

#[test]
fn r14_hangup_both_without_third_party_is_agent_hangup() {
    let mut h = H::on_call(cfg());
    h.cmd("HANGUP_BOTH");
    assert_eq!(h.effects, vec![Effect::Hangup { leg: h.c() }]);
    assert!(h.is_dispo());
}

#[test]
fn r15_a_dial_without_a_number_originates_an_empty_number_that_times_out() {
    let mut h = H::on_call(cfg());
    h.cmd_b("PARK_CUSTOMER_DIAL", "", "");
    let x = h.newest_xfer();
    assert!(matches!(&h.effects[1], Effect::Originate { target: DialTarget::Number(n), .. } if n.is_empty()));
    h.apply(NetEvent::DialTimeout(x));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked), "Q7: C stays parked");
    assert!(h.is_in_call());
}

#[test]
fn r16_checkboxes_are_sticky_between_commands_and_calls() {
    let mut h = H::on_call(cfg());
    h.cmd_a("DIAL_WITH_CUSTOMER", "CLOSERS", "", "YES");
    assert!(h.s.screen.consultative_checked);
    h.cmd("HANGUP_BOTH").apply(AgentAction::SubmitDisposition);
    h.apply(NetEvent::CallArrives { lead: LeadId(2) });
    assert!(h.s.screen.consultative_checked, "still ticked on the next call");
    // A path-B store with field 3 NO clears it.
    h.ticks(3).cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    assert!(!h.s.screen.consultative_checked);
}

#[test]
fn r17_force_fronter_on_an_agent_already_in_disposition_does_nothing() {
    let mut h = H::on_call(cfg());
    h.cmd("HANGUP_BOTH");
    let before = h.s.legs.clone();
    h.apply(ApiWrite::ForcedLeave3Way(CommandId::epoch(5))).tick();
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoCustomerChannel)));
    assert_eq!(h.s.legs, before);
}
