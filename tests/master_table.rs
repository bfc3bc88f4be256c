//! One test per row of the master table of docs/vicidial.md (§12). Each asserts the row's customer,
//! third-party and agent columns, so changing any of them fails a test.

mod common;
use common::*;
use vicixfer::*;

fn cfg() -> Config {
    Config::default()
}

// ---- HANGUP_XFER -------------------------------------------------------------------

#[test]
fn hangup_xfer_hangs_up_connected_third_party_and_keeps_customer_in_session() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.cmd("HANGUP_XFER");
    assert!(h.executed(TransferFunction::HangupXfer));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert_eq!(h.effects, vec![Effect::Hangup { leg: x }]);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(h.is_in_call());
    assert_eq!(h.s.screen.xfer_channel, None);
}

#[test]
fn hangup_xfer_leaves_parked_customer_parked_and_hangs_up_parked_third_party() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_XFER");
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));
    h.park("PARK_CUSTOMER");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    h.cmd("HANGUP_XFER");
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    assert!(h.is_in_call());
}

#[test]
fn hangup_xfer_cancels_a_ringing_third_party() {
    let mut h = H::on_call(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.effects, vec![Effect::CancelDial { leg: x }]);
    assert_eq!(h.ended(x), Some(Outcome::Cancelled));
    assert_eq!(h.s.screen.dial, DialTrack::Idle);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn hangup_xfer_without_third_party_only_resets_state() {
    let mut h = H::on_call(cfg());
    let before = h.s.legs.clone();
    h.cmd("HANGUP_XFER");
    assert!(h.executed(TransferFunction::HangupXfer));
    assert!(h.effects.is_empty());
    assert_eq!(h.s.legs, before);
    assert!(h.is_in_call());
}

// ---- HANGUP_BOTH -------------------------------------------------------------------

#[test]
fn hangup_both_hangs_up_customer_and_third_party_and_opens_disposition() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.cmd("HANGUP_BOTH");
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    // The server's end-of-call cleanup hangs up the third party in the room.
    assert_eq!(h.ended(x), Some(Outcome::HungUpByServer));
    assert!(h.s.legs.customers.is_empty() && h.s.legs.xfers.is_empty());
    assert!(h.is_dispo());
}

#[test]
fn hangup_both_hangs_up_a_parked_customer_and_a_parked_third_party() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_XFER").park("PARK_CUSTOMER");
    h.cmd("HANGUP_BOTH");
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert!(h.is_dispo());
}

#[test]
fn hangup_both_cancels_a_ringing_third_party_through_agent_hangup() {
    let mut h = H::on_call(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("HANGUP_BOTH");
    assert_eq!(h.ended(x), Some(Outcome::Cancelled));
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    assert!(h.is_dispo());
}

// ---- BLIND_TRANSFER ----------------------------------------------------------------

#[test]
fn blind_transfer_redirects_customer_to_prefixed_number_and_opens_disposition() {
    let mut h = H::on_call(Config { three_way_dial_prefix: "9".into(), ..cfg() });
    h.cmd_b("BLIND_TRANSFER", "3125551234", "");
    let to = Destination::Number("913125551234".into());
    assert_eq!(h.effects.first(), Some(&Effect::Redirect { leg: h.c(), to: to.clone() }));
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(to)));
    assert!(h.is_dispo());
}

#[test]
fn blind_transfer_with_override_dials_number_as_given() {
    let mut h = H::on_call(Config { three_way_dial_prefix: "9".into(), ..cfg() });
    h.cmd_b("BLIND_TRANSFER", "3125551234", "YES");
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(Destination::Number("3125551234".into()))));
    assert!(h.s.screen.override_checked);
}

#[test]
fn blind_transfer_leaves_a_connected_third_party_orphaned_in_the_session() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.cmd_b("BLIND_TRANSFER", "5559999", "");
    assert!(matches!(h.ended(h.c()), Some(Outcome::Transferred(_))));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())), "Q4: X stays in S");
    assert!(h.is_dispo());
}

#[test]
fn blind_transfer_with_external_no_dispo_keeps_agent_on_the_lead() {
    let no_dispo = TransferNoDispo { external: true, ..Default::default() };
    let mut h = H::on_call(Config { transfer_no_dispo: no_dispo, ..cfg() });
    h.cmd_b("BLIND_TRANSFER", "5559999", "");
    assert!(matches!(h.ended(h.c()), Some(Outcome::Transferred(_))));
    assert!(h.is_in_call() && h.s.has_live_call());
    assert!(h.saw(&Event::StayedOnLead));
}

#[test]
fn blind_transfer_with_empty_number_only_alerts() {
    let mut h = H::on_call(cfg());
    h.cmd_b("BLIND_TRANSFER", "", "");
    assert!(h.saw(&Event::Alert(Alert::TransferNumberEmpty)));
    assert!(h.effects.is_empty());
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(h.is_in_call());
}

// ---- LEAVE_VM ----------------------------------------------------------------------

#[test]
fn leave_vm_sends_customer_to_voicemail_and_opens_disposition() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_VM");
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(Destination::Voicemail)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())), "Q4: X unchanged");
    assert!(h.is_dispo());
}

#[test]
fn leave_vm_with_external_no_dispo_keeps_agent_on_the_lead() {
    let no_dispo = TransferNoDispo { external: true, ..Default::default() };
    let mut h = H::on_call(Config { transfer_no_dispo: no_dispo, ..cfg() });
    h.cmd("LEAVE_VM");
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(Destination::Voicemail)));
    assert!(h.is_in_call());
}

// ---- LOCAL_CLOSER ------------------------------------------------------------------

#[test]
fn local_closer_redirects_customer_from_park_into_the_in_group_queue() {
    let mut h = H::on_call(cfg());
    h.park("PARK_CUSTOMER");
    h.cmd_a("LOCAL_CLOSER", "SALESLINE", "", "NO");
    let to = Destination::InGroup { group: "SALESLINE".into(), agent: "".into() };
    assert_eq!(h.effects.first(), Some(&Effect::Redirect { leg: h.c(), to: to.clone() }));
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(to.clone())));
    assert!(!to.dropped_by_dialplan());
    assert!(h.is_dispo());
    assert_eq!(h.s.screen.selected_group.as_deref(), Some("SALESLINE"));
}

#[test]
fn local_closer_to_agentdirect_without_agent_is_dropped_by_the_dialplan() {
    let mut h = H::on_call(cfg());
    h.cmd_a("LOCAL_CLOSER", "AGENTDIRECT", "", "NO");
    let Some(Outcome::Transferred(to)) = h.ended(h.c()) else { panic!("not transferred") };
    assert!(to.dropped_by_dialplan());
    let mut h = H::on_call(cfg());
    h.cmd_a("LOCAL_CLOSER", "AGENTDIRECT", "6666", "NO");
    let Some(Outcome::Transferred(to)) = h.ended(h.c()) else { panic!("not transferred") };
    assert!(!to.dropped_by_dialplan());
}

#[test]
fn local_closer_is_dropped_within_the_cooldown() {
    let mut h = H::on_call(cfg());
    h.cmd("HANGUP_XFER");
    h.cmd_a("LOCAL_CLOSER", "SALESLINE", "", "NO");
    assert!(h.saw(&Event::DroppedByCooldown(TransferFunction::LocalCloser)));
    assert!(h.effects.is_empty());
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn local_closer_with_local_no_dispo_keeps_agent_on_the_lead() {
    let no_dispo = TransferNoDispo { local: true, ..Default::default() };
    let mut h = H::on_call(Config { transfer_no_dispo: no_dispo, ..cfg() });
    h.cmd_a("LOCAL_CLOSER", "SALESLINE", "", "NO");
    assert!(matches!(h.ended(h.c()), Some(Outcome::Transferred(_))));
    assert!(h.is_in_call());
}

// ---- DIAL_WITH_CUSTOMER ------------------------------------------------------------

#[test]
fn dial_with_customer_rings_a_new_leg_into_the_session_and_keeps_customer() {
    let mut h = H::on_call(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    let room = h.room();
    assert_eq!(
        h.effects,
        vec![Effect::Originate {
            leg: x,
            target: DialTarget::Number("5551234".into()),
            into: room,
            caller_id: CallerId::Source(CidSource::Campaign)
        }]
    );
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(room)));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(room)));
    assert_eq!(h.s.screen.cooldown, 3);
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(room)));
    // The screen learns of the answer from its next channel look (row 25).
    assert_eq!(h.s.screen.xfer_channel, None);
    h.tick();
    assert_eq!(h.s.screen.xfer_channel, Some(x));
    assert!(h.is_in_call());
}

#[test]
fn dial_with_customer_rejected_or_timed_out_leaves_customer_in_session() {
    let mut h = H::on_call(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.apply(NetEvent::Rejected(x));
    assert_eq!(h.ended(x), Some(Outcome::Rejected));
    assert!(h.saw(&Event::Alert(Alert::CallRejected)));
    h.ticks(3).cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let y = h.newest_xfer();
    h.apply(NetEvent::DialTimeout(y));
    assert_eq!(h.ended(y), Some(Outcome::TimedOut));
    assert_eq!(h.s.screen.dial, DialTrack::TimedOut);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(h.is_in_call());
}

#[test]
fn consultative_dial_with_customer_rings_the_in_group_with_the_agentdirect_agent() {
    let mut h = H::on_call(cfg());
    h.cmd_a("DIAL_WITH_CUSTOMER", "AGENTDIRECT", "6666", "YES");
    let x = h.newest_xfer();
    let target = DialTarget::Consultative { group: "AGENTDIRECT".into(), agent: "6666".into() };
    assert!(matches!(&h.effects[..], [Effect::Originate { target: t, .. }] if *t == target));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(h.s.screen.consultative_checked);
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));
}

#[test]
fn consultative_dial_waits_for_the_custom_fields_delay() {
    let mut h = H::on_call(Config { consult_delay: 2, ..cfg() });
    h.cmd_a("DIAL_WITH_CUSTOMER", "CLOSERS", "", "YES");
    assert!(h.effects.is_empty());
    assert!(matches!(h.s.screen.consult, Consult::Delaying { .. }));
    h.tick();
    assert!(h.effects.is_empty());
    h.tick();
    assert!(matches!(&h.effects[..], [Effect::Originate { .. }]));
    assert_eq!(h.s.screen.consult, Consult::Go);
}

// ---- PARK_CUSTOMER_DIAL ------------------------------------------------------------

#[test]
fn park_customer_dial_parks_customer_then_rings_third_party_into_session() {
    let mut h = H::on_call(cfg());
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    let x = h.newest_xfer();
    assert_eq!(h.effects.first(), Some(&Effect::Park { leg: h.c() }));
    assert!(matches!(h.effects.get(1), Some(Effect::Originate { leg, .. }) if *leg == x));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    assert!(h.s.screen.customer_parked);
    h.apply(NetEvent::Answered(x));
    let in_room: Vec<_> = h.s.legs.in_room(h.room()).collect();
    assert_eq!(in_room, vec![x], "agent alone with X");
    assert!(h.is_in_call());
}

#[test]
fn consultative_park_customer_dial_parks_customer_and_rings_the_in_group() {
    let mut h = H::on_call(cfg());
    h.cmd_a("PARK_CUSTOMER_DIAL", "CLOSERS", "", "YES");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    let target = DialTarget::Consultative { group: "CLOSERS".into(), agent: "".into() };
    assert!(matches!(h.effects.get(1), Some(Effect::Originate { target: t, .. }) if *t == target));
}

#[test]
fn park_customer_dial_no_override_does_not_clear_the_box() {
    let mut h = H::on_call(cfg());
    h.cmd_b("BLIND_TRANSFER", "", "YES");
    assert!(h.s.screen.override_checked);
    h.ticks(3).cmd_b("PARK_CUSTOMER_DIAL", "5551234", "NO");
    assert!(h.s.screen.override_checked);
}

// ---- LEAVE_3WAY_CALL ---------------------------------------------------------------

#[test]
fn leave_3way_moves_the_agent_and_leaves_customer_and_third_party_together() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    let s2 = h.room();
    assert_ne!(s, s2);
    assert_eq!(h.effects, vec![Effect::MoveAgent { from: s, to: s2 }]);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert!(h.s.is_left_room(s));
    assert!(h.is_dispo());
    assert_eq!(h.s.screen.xfer_channel, None);
}

#[test]
fn leave_3way_grabs_a_parked_customer_first() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    h.cmd_b("PARK_CUSTOMER_DIAL", "5551234", "");
    let x = h.newest_xfer();
    h.apply(NetEvent::Answered(x)).tick();
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.effects[0], Effect::Grab { leg: h.c(), into: s });
    assert!(matches!(h.effects[1], Effect::MoveAgent { from, .. } if from == s));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
}

#[test]
fn leave_3way_lets_a_ringing_third_party_ring_into_the_left_conference() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    // A first third party found in this login: without one the leave throws (F1).
    h.connect_xfer("5551234");
    h.cmd("HANGUP_XFER");
    h.ticks(3);
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(s)));
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert_ne!(h.room(), s);
}

#[test]
fn leave_3way_leaves_a_parked_third_party_parked() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_XFER");
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));
    assert!(h.is_dispo());
}

/// A call whose agent left the 3-way with `transfer_no_dispo` LEAVE3WAY: `CALL*` (Q12).
fn left_without_dispo() -> H {
    let no_dispo = TransferNoDispo { leave3way: true, ..Default::default() };
    let mut h = H::on_call(Config { transfer_no_dispo: no_dispo, ..cfg() });
    h.connect_xfer("5551234");
    h.cmd("LEAVE_3WAY_CALL");
    h
}

#[test]
fn leave_3way_with_leave3way_no_dispo_keeps_agent_on_the_lead() {
    let h = left_without_dispo();
    assert!(h.is_in_call());
    assert!(h.saw(&Event::StayedOnLead));
}

#[test]
fn hangup_both_after_a_leave_3way_without_dispo_opens_disposition_without_leg_changes() {
    // Q12: CALL* keeps lastcustchannel (only the display was blanked), so HANGUP_BOTH
    // reaches agent hangup, which hangs up nothing and opens disposition (§6.2, §7.2).
    let mut h = left_without_dispo();
    let legs = h.s.legs.clone();
    h.ticks(3);
    h.cmd("HANGUP_BOTH");
    assert_eq!(h.s.legs, legs, "customer and third party stay together in the left conference");
    assert!(h.effects.is_empty(), "{:?}", h.effects);
    assert!(h.is_dispo());
}

#[test]
fn external_hangup_after_a_leave_3way_without_dispo_opens_disposition_without_leg_changes() {
    let mut h = left_without_dispo();
    let legs = h.s.legs.clone();
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert_eq!(h.s.legs, legs);
    assert!(h.is_dispo());
}

#[test]
fn leave_3way_without_a_free_conference_grabs_and_drops_a_live_third_party() {
    // Q11 with F2 (D20): "Cannot find empty conference" redirects a live XDchannel to
    // NEXTAVAILABLE (manager_send.php 2266-2270, 2360-2364); the agent and C stay.
    let mut h = H::on_call(cfg());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.park("PARK_CUSTOMER");
    h.apply(NetEvent::FreeConferences(false));
    h.cmd("LEAVE_3WAY_CALL");
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoFreeConference)));
    assert_eq!(
        h.effects,
        vec![Effect::Grab { leg: h.c(), into: s }, Effect::Redirect { leg: x, to: Destination::NextAvailable }]
    );
    assert_eq!(h.ended(x), Some(Outcome::Transferred(Destination::NextAvailable)));
    assert_eq!(h.room(), s);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    assert!(h.is_in_call());
}

#[test]
fn leave_3way_without_a_free_conference_does_nothing_but_the_grab_when_the_third_party_is_gone() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    h.apply(NetEvent::HungUp(x)).tick();
    h.park("PARK_CUSTOMER");
    h.apply(NetEvent::FreeConferences(false));
    h.cmd("LEAVE_3WAY_CALL");
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoFreeConference)));
    assert_eq!(h.effects, vec![Effect::Grab { leg: h.c(), into: s }]);
    assert_eq!(h.room(), s);
    assert!(h.is_in_call());
}

// ---- park_call ---------------------------------------------------------------------

#[test]
fn park_customer_parks_and_grab_customer_brings_back() {
    let mut h = H::on_call(cfg());
    h.park("PARK_CUSTOMER");
    assert_eq!(h.effects, vec![Effect::Park { leg: h.c() }]);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    assert!(h.s.screen.customer_parked && h.s.slots.park.value.is_none());
    h.park("GRAB_CUSTOMER");
    assert_eq!(h.effects, vec![Effect::Grab { leg: h.c(), into: h.room() }]);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(!h.s.screen.customer_parked);
    assert!(h.is_in_call());
}

#[test]
fn park_ivr_customer_and_grab_ivr_customer() {
    let mut h = H::on_call(cfg());
    h.park("PARK_IVR_CUSTOMER");
    assert_eq!(h.effects, vec![Effect::ParkIvr { leg: h.c() }]);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::ParkedIvr));
    h.park("GRAB_IVR_CUSTOMER");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn park_xfer_and_grab_xfer_move_the_third_party() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_XFER");
    assert_eq!(h.effects, vec![Effect::Park { leg: x }]);
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));
    h.park("GRAB_XFER");
    assert_eq!(h.effects, vec![Effect::Grab { leg: x, into: h.room() }]);
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
}

#[test]
fn swap_park_customer_parks_customer_and_grabs_third_party() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_XFER");
    h.park("SWAP_PARK_CUSTOMER");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));
    assert!(h.s.screen.customer_parked);
}

#[test]
fn swap_park_xfer_parks_third_party_and_grabs_customer() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_CUSTOMER");
    h.park("SWAP_PARK_XFER");
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert!(!h.s.screen.customer_parked);
}

#[test]
fn hangup_xfer_grab_customer_hangs_up_third_party_and_grabs_customer() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.park("PARK_CUSTOMER");
    h.park("HANGUP_XFER_GRAB_CUSTOMER");
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(h.room())));
    assert_eq!(h.s.screen.xfer_channel, None);
    assert!(h.is_in_call());
}

// ---- external_hangup and force_fronter_leave_3way ----------------------------------

#[test]
fn external_hangup_one_hangs_up_customer_cleans_up_third_party_and_opens_disposition() {
    let mut h = H::on_call(cfg());
    let x = h.connect_xfer("5551234");
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert!(h.saw(&Event::Executed(Executed::ExternalHangup)));
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByServer));
    assert!(h.is_dispo());
    assert_eq!(h.s.slots.hangup.value, None, "the Hangup request blanked the slot");
}

#[test]
fn external_hangup_with_a_hangup_route_redirects_the_customer() {
    let route = HangupRoute::Redirect("8300".into());
    let mut h = H::on_call(Config { agent_hangup_route: route, ..cfg() });
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert_eq!(h.ended(h.c()), Some(Outcome::Transferred(Destination::HangupRoute("8300".into()))));
    assert!(h.is_dispo());
}

#[test]
fn force_fronter_leave_3way_acts_as_leave_3way_on_the_fronter() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    let x = h.connect_xfer("5551234");
    let id = h.fresh_id();
    h.apply(ApiWrite::ForcedLeave3Way(CommandId::epoch(id))).tick();
    assert!(h.executed(TransferFunction::Leave3WayCall));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert_ne!(h.room(), s);
    assert!(h.is_dispo());
}

#[test]
fn after_a_no_dispo_transfer_hangup_both_opens_disposition_without_leg_changes() {
    let no_dispo = TransferNoDispo { external: true, ..Default::default() };
    let mut h = H::on_call(Config { transfer_no_dispo: no_dispo, ..cfg() });
    h.cmd_b("BLIND_TRANSFER", "5559999", "");
    let legs = h.s.legs.clone();
    h.cmd("HANGUP_BOTH");
    assert!(h.effects.is_empty());
    assert_eq!(h.s.legs, legs);
    assert!(h.is_dispo());
}

#[test]
fn the_3way_dial_drops_punctuation_from_the_number() {
    let mut h = H::on_call(cfg());
    h.send("DIAL_WITH_CUSTOMER------555 12|34;---NO------------77---");
    assert!(matches!(&h.effects[..], [Effect::Originate { target: DialTarget::Number(n), .. }] if &**n == "5551234"));
}
