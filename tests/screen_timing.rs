//! The screen's real timing (issue 13, docs/vicidial.md §16): every request is asynchronous, so what a
//! later block of the same poll sees is the state *before* the request's answer. The
//! scenarios are those of docs/screen-requests.md ("Races that change an outcome").

mod common;
use common::*;
use vicixfer::*;

fn cfg() -> Config {
    Config::default()
}

fn leave3way_no_dispo() -> Config {
    Config { transfer_no_dispo: TransferNoDispo { leave3way: true, ..Default::default() }, ..cfg() }
}

/// A call with a connected third party; the 3WAY answer is fed by hand (`leave-done`).
fn three_way(config: Config) -> (H, LegId) {
    let mut h = H::on_call(config);
    let x = h.connect_xfer("5551234");
    h.answer_leave = false;
    (h, x)
}

/// One poll carrying LEAVE_3WAY_CALL and, in the same answer, `also`.
fn leave_with(h: &mut H, also: impl Into<Input>) {
    let id = h.fresh_id();
    h.store(&path_c("LEAVE_3WAY_CALL", id));
    h.apply(also).tick();
    assert!(h.executed(TransferFunction::Leave3WayCall));
}

fn park(value: &str) -> Input {
    ApiWrite::ParkCall(ParkSlot::decode(value)).into()
}

fn hangup_one() -> Input {
    ApiWrite::ExternalHangup(HangupSlot("1".into())).into()
}

#[test]
fn the_leave_is_in_flight_until_its_answer_then_the_screen_moves() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    h.cmd("LEAVE_3WAY_CALL");
    let to = match h.effects[..] {
        [Effect::MoveAgent { from, to }] if from == s => to,
        _ => panic!("{:?}", h.effects),
    };
    assert_eq!(h.s.screen.leave, Some(LeavingConference { old: s, new: Some(to) }));
    assert_eq!(h.room(), s, "session_id changes only in the answer handler (9484)");
    assert!(h.is_in_call() && !h.s.is_left_room(s));
    assert_eq!(h.s.screen.xfer_channel, Some(x), "lastxferchannel is still known");
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.saw(&Event::LeftConference { room: s }));
    assert_eq!((h.room(), h.s.is_left_room(s), h.s.screen.leave), (to, true, None));
    assert!(h.is_dispo());
    assert_eq!(h.s.screen.xfer_channel, None);
    assert_eq!(h.try_apply(ScreenInput::LeaveCompleted).unwrap_err().reason, Reason::NoLeaveInFlight);
}

#[test]
fn s1_park_customer_in_the_same_poll_parks_the_customer_out_of_the_conference_being_left() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    leave_with(&mut h, park("PARK_CUSTOMER"));
    assert!(h.effects.contains(&Effect::Park { leg: h.c() }), "{:?}", h.effects);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked));
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.is_dispo());
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Parked), "C parked, not left with X");
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)), "X alone in L");
}

#[test]
fn s2_park_xfer_in_the_same_poll_parks_the_third_party() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    leave_with(&mut h, park("PARK_XFER"));
    assert!(h.effects.contains(&Effect::Park { leg: x }), "{:?}", h.effects);
    h.apply(ScreenInput::LeaveCompleted);
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "C alone in L");
}

#[test]
fn s3_hangup_xfer_grab_customer_in_the_same_poll_hangs_up_the_third_party_and_resets_no_dispo() {
    let (mut h, x) = three_way(leave3way_no_dispo());
    let s = h.room();
    leave_with(&mut h, park("HANGUP_XFER_GRAB_CUSTOMER"));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "grabbed into S, where it already is");
    assert!(!h.s.screen.no_dispo_temp, "the xfer hangup reset transfer_no_dispoTEMP (16385)");
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.is_dispo(), "re-tested at completion (9476): the agent goes to disposition after all");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "C alone in L");
}

#[test]
fn s4_external_hangup_in_the_same_poll_hangs_up_the_customer_and_spares_the_third_party() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    leave_with(&mut h, hangup_one());
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    assert!(h.is_dispo(), "disposition from the poll's external_hangup");
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)), "leaving_threeway: no server cleanup");
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.effects.is_empty(), "the second agent hangup sends nothing: {:?}", h.effects);
    assert!(h.is_dispo());
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert_ne!(h.room(), s);
}

#[test]
fn s4_with_leave3way_no_dispo_the_blanked_display_keeps_the_customer() {
    let (mut h, x) = three_way(leave3way_no_dispo());
    let s = h.room();
    leave_with(&mut h, hangup_one());
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "display blanked at 9540: no Hangup");
    assert!(h.is_dispo(), "disposition through external_hangup");
    h.apply(ScreenInput::LeaveCompleted);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert!(!h.saw(&Event::StayedOnLead), "already on the disposition screen");
}

#[test]
fn leave3way_no_dispo_keeps_the_agent_on_the_lead_when_nothing_reset_it() {
    let (mut h, _) = three_way(leave3way_no_dispo());
    h.cmd("LEAVE_3WAY_CALL");
    assert_eq!(h.s.customer_channel(), None, "display blanked at send (9537-9540)");
    assert!(h.s.screen.no_dispo_temp);
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.is_in_call() && h.saw(&Event::StayedOnLead));
}

#[test]
fn s16_hangup_both_in_a_later_poll_before_the_answer_hangs_up_both_parties() {
    let (mut h, x) = three_way(cfg());
    h.cmd("LEAVE_3WAY_CALL");
    h.ticks(3);
    // api.php still sees a live call: VLA callerid is cleared only by the answer's DialLog.
    h.try_apply(ApiWrite::TransferConference(TransferSlot::bare(TransferFunction::HangupBoth, CommandId::epoch(9))))
        .expect("still a live call");
    h.tick();
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.s.legs.customers.is_empty() && h.s.legs.xfers.is_empty());
}

#[test]
fn s15_an_answer_after_the_disposition_lets_the_server_clean_the_left_conference() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    leave_with(&mut h, hangup_one());
    h.apply(AgentAction::SubmitDisposition);
    assert_eq!(
        h.try_apply(NetEvent::CallArrives { lead: LeadId(2) }).unwrap_err().reason,
        Reason::LeaveInFlight,
        "no new call until the answer is handled (docs/decisions.md)"
    );
    h.apply(ScreenInput::LeaveCompleted);
    // The submit reset leaving_threeway and blind_transfer: DialLog(end) for S cleans it.
    assert_eq!(h.ended(x), Some(Outcome::HungUpByServer));
    assert!(h.s.is_left_room(s));
    assert_eq!(h.s.agent, AgentState::Waiting);
}

#[test]
fn no_free_conference_is_the_answer_and_changes_nothing_but_the_flags_and_the_live_third_party() {
    let (mut h, x) = three_way(cfg());
    let s = h.room();
    h.apply(NetEvent::FreeConferences(false));
    h.cmd("LEAVE_3WAY_CALL");
    // F2 (D20): the live XDchannel goes to NEXTAVAILABLE (manager_send.php 2360-2364).
    assert_eq!(h.effects, vec![Effect::Redirect { leg: x, to: Destination::NextAvailable }]);
    assert_eq!(h.s.screen.leave, Some(LeavingConference { old: s, new: None }));
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoFreeConference)));
    assert_eq!(h.room(), s);
    assert!(h.is_in_call());
    assert!(h.s.screen.blind_transfer && h.s.screen.leaving_threeway, "set at send (9123, 7467)");
}

#[test]
fn a_second_leave_before_the_answer_sends_no_second_request() {
    let (mut h, _) = three_way(cfg());
    let s = h.room();
    h.cmd("LEAVE_3WAY_CALL");
    let leave = h.s.screen.leave;
    h.ticks(3).cmd("LEAVE_3WAY_CALL");
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::AlreadyLeaving)));
    assert_eq!(h.s.screen.leave, leave);
    h.apply(ScreenInput::LeaveCompleted);
    assert!(h.s.is_left_room(s));
}

#[test]
fn the_drive_verb_feeds_the_answer() {
    let input: Input = "leave-done".parse().unwrap();
    assert_eq!(input, Input::Screen(ScreenInput::LeaveCompleted));
    assert_eq!(input.to_string(), "leave-done");
}

// ---- §16's two small rules ------------------------------------------------------------

#[test]
fn the_command_id_starts_empty_so_a_first_command_with_an_empty_id_is_a_duplicate() {
    let mut h = H::on_call(cfg());
    // Field 7 present and empty: '' == '' at 8290.
    h.send("HANGUP_BOTH---------NO------------");
    assert!(h.saw(&Event::Duplicate(CommandId::Id("".into()))), "{:?}", h.events);
    assert!(h.is_in_call());
    // No field 7 at all: '' == undefined is false, so it runs.
    h.send("HANGUP_BOTH---------NO---");
    assert!(h.executed(TransferFunction::HangupBoth));
}

fn external_no_dispo() -> Config {
    Config { transfer_no_dispo: TransferNoDispo { external: true, ..Default::default() }, ..cfg() }
}

#[test]
fn an_empty_blind_transfer_under_external_blanks_the_display_so_hangup_both_keeps_the_customer() {
    let mut h = H::on_call(external_no_dispo());
    let s = h.room();
    h.cmd_b("BLIND_TRANSFER", "", "");
    assert!(h.saw(&Event::Alert(Alert::TransferNumberEmpty)));
    assert_eq!(h.s.customer_channel(), None, "display blanked (9537-9540)");
    assert!(h.is_in_call(), "no agent hangup (9544)");
    h.ticks(3).cmd("HANGUP_BOTH");
    assert!(h.is_dispo());
    assert!(h.effects.is_empty(), "{:?}", h.effects);
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "blind_transfer=1: no server cleanup either");
}

#[test]
fn an_empty_blind_transfer_under_external_then_external_hangup_keeps_the_customer() {
    let mut h = H::on_call(external_no_dispo());
    let s = h.room();
    h.cmd_b("BLIND_TRANSFER", "", "");
    h.apply(ApiWrite::ExternalHangup(HangupSlot("1".into()))).tick();
    assert!(h.is_dispo());
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)));
}

#[test]
fn an_empty_blind_transfer_without_external_changes_only_blind_transfer() {
    let mut h = H::on_call(cfg());
    h.cmd_b("BLIND_TRANSFER", "", "");
    assert_eq!(h.s.customer_channel(), Some(h.c()), "the display stays");
    assert!(h.s.screen.blind_transfer, "set at 9123 before the number test");
    h.ticks(3).cmd("HANGUP_BOTH");
    assert_eq!(h.ended(h.c()), Some(Outcome::HungUpByScreen));
}

// ---- build profiles (§17) --------------------------------------------------------------

fn api_dir(build: Build) -> api::Directory {
    use api::{Directory, LiveAgent, System, User};
    let crm = crm_user();
    let agent_user = User { user: "1001".into(), pass: "agentpw".into(), ..User::default() };
    let live = LiveAgent {
        user: "1001".into(),
        server_ip: "10.0.0.1".into(),
        conf_exten: "8600051".into(),
        status: "INCALL".into(),
        lead_id: 100,
        callerid: "V1000000000000000100".into(),
        last_call_time: 1000,
        ..LiveAgent::default()
    };
    Directory {
        system: System { build, ..System::default() },
        users: vec![crm, agent_user],
        agents: vec![live],
        ..Directory::default()
    }
}

fn park_call(build: Build, value: &str) -> String {
    let q = format!("source=test&user=6666&pass=1234&function=park_call&agent_user=1001&value={value}");
    api::answer(&api_dir(build), &q, 1_700_000_000).body()
}

#[test]
fn before_240429_api_php_takes_any_park_value_of_ten_characters_and_refuses_park_xfer() {
    let ok = |v: &str| format!("SUCCESS: park_call function set - {v}|1001\n");
    let refused = |v: &str| format!("ERROR: park_call not valid - {v}|1001\n");
    for build in [Build::Pre240429, Build::B240429, Build::B240624, Build::B240627] {
        let old = build == Build::Pre240429;
        assert_eq!(park_call(build, "PARK_CUSTOMER"), ok("PARK_CUSTOMER"), "{build:?}");
        let xfer = if old { refused("PARK_XFER") } else { ok("PARK_XFER") };
        assert_eq!(park_call(build, "PARK_XFER"), xfer, "{build:?}: 9 characters");
        let junk = if old { ok("ABCDEFGHIJ") } else { refused("ABCDEFGHIJ") };
        assert_eq!(park_call(build, "ABCDEFGHIJ"), junk, "{build:?}");
        assert_eq!(park_call(build, "SWAP_PARK_XFER"), ok("SWAP_PARK_XFER"), "{build:?}");
    }
    assert_eq!(api::Directory::default().system.build, Build::B240627, "newest by default");
    let json = serde_json::to_string(&Config::default()).unwrap().replace(",\"build\":\"B240627\"", "");
    assert!(!json.contains("build"));
    assert_eq!(serde_json::from_str::<Config>(&json).unwrap().build, Build::B240627, "old files stay valid");
}

fn on_build(build: Build) -> (H, LegId) {
    let mut h = H::on_call(Config { build, ..cfg() });
    let x = h.connect_xfer("5551234");
    (h, x)
}

#[test]
fn an_older_screen_ignores_park_values_it_does_not_know_and_keeps_them_in_the_slot() {
    let (mut h, x) = on_build(Build::B240429);
    h.park("SWAP_PARK_XFER");
    assert!(h.saw(&Event::ParkIgnored) && h.effects.is_empty(), "{:?}", h.effects);
    assert_eq!(h.s.slots.park.value, Some(ParkSlot::Known(ParkValue::SwapParkXfer)), "pending until dispo");
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));
    // A later value replaces it and runs.
    h.park("PARK_XFER");
    assert_eq!(h.xfer_at(x), Some(XferAt::Parked));

    let (mut h, x) = on_build(Build::Pre240429);
    h.park("PARK_XFER");
    assert!(h.saw(&Event::ParkIgnored));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(h.room())));

    let (mut h, x) = on_build(Build::B240624);
    h.park("HANGUP_XFER_GRAB_CUSTOMER");
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
}

#[test]
fn leave_3way_stop_recording_exists_only_from_240627() {
    for (build, stops) in [(Build::B240624, false), (Build::B240627, true)] {
        let config = Config { build, leave_3way_stop_recording: true, hangup_xfer_record_start: true, ..cfg() };
        let mut h = H::on_call(config);
        h.connect_xfer("5551234");
        h.cmd("HANGUP_XFER");
        assert!(h.s.screen.recording, "hangup_xfer_record_start started one");
        h.ticks(3).connect_xfer("5551234");
        h.cmd("LEAVE_3WAY_CALL");
        assert_eq!(h.effects.contains(&Effect::StopRecording), stops, "{build:?}");
    }
}

// ---- rows 16 and 25: the 3-way Originate's answer and the channel look (S7-S9) ---------

/// A call whose Originate and channel-look answers are fed by hand (`dial-done`,
/// `look-done`).
fn by_hand(config: Config) -> H {
    let mut h = H::on_call(config);
    h.answer_requests = false;
    h
}

/// One poll carrying a DIAL_WITH_CUSTOMER to 5551234 and, in the same answer, `also`.
fn dial_with(h: &mut H, also: impl Into<Input>) -> LegId {
    let id = h.fresh_id();
    h.store(&path_b("DIAL_WITH_CUSTOMER", "5551234", "", id));
    h.apply(also).tick();
    assert!(h.executed(TransferFunction::DialWithCustomer));
    h.newest_xfer()
}

#[test]
fn the_screen_looks_for_the_dial_only_once_the_originate_is_answered() {
    let mut h = by_hand(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    assert_eq!(h.s.screen.originate, Some(OriginateInFlight { leg: x }));
    assert_eq!(h.s.screen.dial, DialTrack::Idle, "MD_channel_look is set by the answer (7872-7877)");
    h.tick();
    assert_eq!(h.s.screen.look, None, "no look before the Originate's answer");
    h.apply(ScreenInput::OriginateCompleted);
    assert!(h.saw(&Event::LookStarted(x)));
    assert_eq!((h.s.screen.originate, h.s.screen.dial), (None, DialTrack::Looking(x)));
    h.tick();
    assert_eq!(h.s.screen.look, Some(LookInFlight { leg: x }));
    h.apply(ScreenInput::LookCompleted);
    assert_eq!((h.s.screen.look, h.s.screen.dial), (None, DialTrack::Looking(x)), "still ringing: NO");
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.s.screen.xfer_channel, None, "the screen learns of the answer from a look only");
    h.tick().apply(ScreenInput::LookCompleted);
    assert!(h.saw(&Event::XferChannelFound(x)));
    assert_eq!(
        (h.s.screen.xfer_channel, h.s.screen.xd_channel, h.s.screen.dial),
        (Some(x), XdChannel::Leg(x), DialTrack::Idle)
    );
    assert_eq!(h.try_apply(ScreenInput::LookCompleted).unwrap_err().reason, Reason::NoLookInFlight);
    assert_eq!(h.try_apply(ScreenInput::OriginateCompleted).unwrap_err().reason, Reason::NoOriginateInFlight);
}

#[test]
fn s7_dial_and_hangup_xfer_grab_customer_in_one_poll_sends_no_cancel_and_the_third_party_is_tracked() {
    let mut h = by_hand(cfg());
    let s = h.room();
    h.park("PARK_CUSTOMER");
    let x = dial_with(&mut h, park("HANGUP_XFER_GRAB_CUSTOMER"));
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::CancelDial { .. })), "{:?}", h.effects);
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(s)), "no look yet, so no dial cancel (16320)");
    assert_eq!(h.cust_at(h.c()), Some(CustomerAt::Room(s)), "grabbed");
    h.apply(ScreenInput::OriginateCompleted);
    assert_eq!(h.s.screen.dial, DialTrack::Looking(x), "the look starts although the xfer state was reset");
    h.apply(NetEvent::Answered(x)).tick().apply(ScreenInput::LookCompleted);
    assert_eq!(h.s.screen.xfer_channel, Some(x));
    h.ticks(3).cmd("HANGUP_XFER");
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen), "a later HANGUP_XFER acts on it");
}

#[test]
fn s8_dial_and_external_hangup_in_one_poll_lets_the_third_party_ring_in_unseen() {
    let mut h = by_hand(cfg());
    let s = h.room();
    let x = dial_with(&mut h, hangup_one());
    assert!(h.is_dispo());
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::CancelDial { .. })), "no cancel (16033)");
    h.apply(ScreenInput::OriginateCompleted);
    assert_eq!(h.s.screen.dial, DialTrack::Looking(x), "armed on the disposition screen");
    h.tick();
    assert_eq!(h.s.screen.look, None, "WaitingForNextStep: no look");
    h.apply(NetEvent::Answered(x));
    assert_eq!(h.xfer_at(x), Some(XferAt::Room(s)));
    assert_eq!(h.s.screen.xfer_channel, None, "X is in the agent's room, unseen (as R2)");
}

/// A dial being looked for whose third party has just answered.
fn answered_while_looking() -> (H, LegId) {
    let mut h = by_hand(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.apply(ScreenInput::OriginateCompleted).ticks(3);
    h.apply(ScreenInput::LookCompleted).apply(NetEvent::Answered(x));
    (h, x)
}

#[test]
fn s9_hangup_xfer_handled_before_the_same_ticks_look_leaves_the_third_party_tracked() {
    let (mut h, x) = answered_while_looking();
    h.cmd("HANGUP_XFER");
    assert_eq!(h.s.screen.look, Some(LookInFlight { leg: x }), "sent by the tick, before its poll");
    assert_eq!(h.s.screen.dial, DialTrack::Idle, "the poll reset the look");
    assert!(h.s.legs.contains(x), "the screen did not know X yet");
    h.apply(ScreenInput::LookCompleted);
    assert_eq!(h.s.screen.xfer_channel, Some(x), "tracked again: the answer does not check (11373-11407)");
}

#[test]
fn s9_the_look_handled_first_lets_hangup_xfer_hang_up_the_third_party() {
    let (mut h, x) = answered_while_looking();
    h.tick().apply(ScreenInput::LookCompleted);
    h.cmd("HANGUP_XFER");
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
    assert_eq!(h.s.screen.look, None);
}

// ---- F1 (D19) and F3: a poll handler that throws, and a late poll -----------------------

#[test]
fn f1_a_leave_before_any_third_party_was_found_throws_and_the_rest_of_the_poll_waits() {
    let mut h = H::on_call(cfg());
    let s = h.room();
    h.answer_leave = false;
    let id = h.fresh_id();
    h.store(&path_c("LEAVE_3WAY_CALL", id));
    h.apply(park("PARK_CUSTOMER")).apply(hangup_one()).tick();
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoXferChannelYet)));
    assert!(h.saw(&Event::PollAbandoned));
    assert!(h.effects.is_empty(), "no 3WAY request, no park, no hangup: {:?}", h.effects);
    assert_eq!((h.s.screen.leave, h.room()), (None, s));
    assert!(h.s.screen.leaving_threeway && h.s.screen.blind_transfer, "set before the throw (7467, 9123)");
    assert!(h.s.slots.transferconf.value.is_some() && h.s.slots.park.value.is_some(), "no clear sent");
    assert_eq!(h.s.screen.cooldown, 0, "no cooldown re-arm");
    h.tick();
    assert!(h.saw(&Event::PollDiscarded) && h.effects.is_empty(), "the next tick only drops the handle (8921)");
    h.tick();
    assert!(h.saw(&Event::Duplicate(CommandId::epoch(id))), "the id was recorded (8298)");
    assert!(h.effects.contains(&Effect::Park { leg: h.c() }), "{:?}", h.effects);
    assert!(h.is_dispo(), "external_hangup runs on the poll after");
}

#[test]
fn f1_a_leave_while_the_first_third_party_still_rings_throws_too() {
    let mut h = H::on_call(cfg());
    h.cmd_b("DIAL_WITH_CUSTOMER", "5551234", "");
    let x = h.newest_xfer();
    h.cmd("LEAVE_3WAY_CALL");
    assert!(h.saw(&Event::Leave3WayRefused(Leave3WayRefusal::NoXferChannelYet)));
    assert_eq!(h.xfer_at(x), Some(XferAt::Ringing(h.room())), "the agent stays with both");
    assert!(h.is_in_call());
}

#[test]
fn f3_a_late_poll_runs_its_command_two_ticks_later_while_the_cooldown_counts_down() {
    let (mut h, x) = three_way(cfg());
    let id = h.fresh_id();
    h.store(&path_c("HANGUP_XFER", id));
    h.apply(ScreenInput::TickPollLate);
    assert!(h.s.legs.contains(x) && h.s.screen.poll == PollHandle::Abandoned);
    h.tick();
    assert!(h.saw(&Event::PollDiscarded) && h.s.legs.contains(x));
    h.tick();
    assert_eq!(h.ended(x), Some(Outcome::HungUpByScreen));
}

#[test]
fn the_drive_verbs_feed_the_originate_and_look_answers_and_a_late_poll() {
    for (line, input) in [
        ("dial-done", ScreenInput::OriginateCompleted),
        ("look-done", ScreenInput::LookCompleted),
        ("tick-late", ScreenInput::TickPollLate),
    ] {
        let parsed: Input = line.parse().unwrap();
        assert_eq!(parsed, Input::Screen(input));
        assert_eq!(parsed.to_string(), line);
    }
}
