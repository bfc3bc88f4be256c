//! api.php's answers, byte for byte: every answer line of §3.8 and §4, the check order,
//! every quirk of §2–4 and one test per sanitisation rule. Each case gives the query, the
//! exact body and the exact stored column value (or none).

use vicixfer::api::*;
use vicixfer::{ApiWrite, Effect, Input, LeadId, NetEvent, ScreenInput, Session, SlotName};

const EPOCH: u64 = 1_764_000_000;
const LOGIN: &str = "source=crm&user=6666&pass=1234";

/// examples/world.json (what a newcomer starts from) plus rows some quirks need.
fn world() -> Directory {
    let mut d: Directory =
        serde_json::from_str(include_str!("../examples/world.json")).expect("examples/world.json is a Directory");
    d.users.push(User { user: "1004".into(), custom_three: "EMP1001".into(), ..User::default() });
    d.agents.push(LiveAgent { user: "1004".into(), conf_exten: "8600054".into(), ..LiveAgent::default() });
    d.agents.push(LiveAgent {
        user: "1005".into(),
        server_ip: "10.10.10.15".into(),
        conf_exten: "8600055".into(),
        lead_id: 5000,
        callerid: "M1125080512000005000".into(),
        ..LiveAgent::default()
    });
    d.group_aliases.extend([
        GroupAlias { group_alias_id: "ZEROS".into(), caller_id_number: "0003".into() },
        GroupAlias { group_alias_id: "EMPTY".into(), caller_id_number: "".into() },
        GroupAlias { group_alias_id: "WORDS".into(), caller_id_number: "TESTING".into() },
        GroupAlias { group_alias_id: "MIXED".into(), caller_id_number: "12abc".into() },
    ]);
    d.press_live.push(PressLive { user: "1002".into(), call_date: EPOCH - 60, status: "ANSWERED".into() });
    d.press_live.push(PressLive { user: "1001".into(), call_date: EPOCH - 60, status: "HUNGUP".into() });
    d.press_live.push(PressLive { user: "1001".into(), call_date: EPOCH - 4000, status: "NEW".into() });
    d.press_multi.push(PressMulti {
        user: "1005".into(),
        phone_numbers: "3125550001".into(),
        phone_numbers_ct: 1,
        status: "NEW".into(),
        call_date: EPOCH,
    });
    d.ccc.push(CccRecord { lead_id: 4700, container_id: "REMOTE_CLUSTER_B".into(), reachable: true });
    d
}

fn ask(dir: &Directory, query: &str) -> Answer {
    answer(dir, query, EPOCH)
}

/// Asserts the exact body and stored value of `LOGIN&rest`.
#[track_caller]
fn case(rest: &str, body: &str, stored: Option<&str>) -> Answer {
    let q = if rest.starts_with("source=") { rest.to_string() } else { format!("{LOGIN}&{rest}") };
    let a = ask(&world(), &q);
    assert_eq!(a.body(), body, "query {q}");
    assert_eq!(a.stored().map(|s| s.raw.as_str()), stored, "query {q}");
    assert_eq!(Line::parse_body(&a.body()).as_ref(), Ok(&a.lines), "typed lines of {q}");
    a
}

fn tc(rest: &str) -> String {
    format!("function=transfer_conference&{rest}")
}

// ---- §2: the common preamble, in order ----

#[test]
fn a_short_source_is_refused_before_the_login() {
    case("source=c&user=6666&pass=bad&function=park_call", "ERROR: Invalid Source - c\n", None);
}

#[test]
fn a_bad_login_prints_user_pass_auth_counts_and_message() {
    case(
        "source=crm&user=6666&pass=bad&function=park_call",
        "ERROR: Invalid Username/Password: |6666|bad|0|1|BAD|\n",
        None,
    );
    case(
        "source=crm&user=1001&pass=x&function=park_call",
        "ERROR: Invalid Username/Password: |1001|x|0|0|BAD|\n",
        None,
    );
    let mut d = world();
    d.users[0].locked = true;
    let a = ask(&d, &format!("{LOGIN}&function=park_call"));
    assert_eq!(a.body(), "ERROR: Invalid Username/Password: |6666|1234|0|1|LOCK|\n");
}

#[test]
fn a_switched_off_api_answers_system_api_not_active() {
    let mut d = world();
    d.system.api_active = false;
    assert_eq!(
        ask(&d, &format!("{LOGIN}&{}", tc("value=HANGUP_XFER&agent_user=1001"))).body(),
        "ERROR: System API NOT ACTIVE\n"
    );
}

#[test]
fn a_function_outside_the_four_prints_nothing_after_the_common_checks() {
    case("function=external_status&value=A", "", None);
}

#[test]
fn permission_is_checked_after_the_value_and_names_the_api_users_group() {
    case(
        "source=crm&user=7777&pass=1234&function=transfer_conference&value=HANGUP_XFER&agent_user=1001",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - HANGUP_XFER|7777|transfer_conference|CRM\n",
        None,
    );
    // The value check comes first.
    case(
        "source=crm&user=7777&pass=1234&function=transfer_conference&value=SHORT&agent_user=1001",
        "ERROR: transfer_conference not valid - SHORT|1001\n",
        None,
    );
    // 7777 may call park_call.
    case(
        "source=crm&user=7777&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn alt_user_finds_the_first_user_by_custom_three() {
    // 1001 and 1004 both have EMP1001; 1001 comes first.
    case(
        &tc("value=HANGUP_XFER&alt_user=EMP1001"),
        "SUCCESS: transfer_conference function set - HANGUP_XFER||||NO|1001|V1125080012000004711|\n"
            .replace("||||NO", "|||NO")
            .as_str(),
        Some("HANGUP_XFER---------NO------------1764000000"),
    );
}

#[test]
fn no_user_found_is_not_terminal_and_the_original_agent_user_goes_on() {
    case(
        &tc("value=HANGUP_XFER&agent_user=1001&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nSUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1001|V1125080012000004711|\n",
        Some("HANGUP_XFER---------NO------------1764000000"),
    );
    case(
        &tc("value=HANGUP_XFER&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nERROR: agent_user is not logged in - \n",
        None,
    );
}

// ---- §3.1: transfer_conference's ordered checks ----

#[test]
fn a_value_shorter_than_8_or_no_agent_is_not_valid() {
    case(&tc("value=HANGUP&agent_user=1001"), "ERROR: transfer_conference not valid - HANGUP|1001\n", None);
    case(&tc("value=HANGUP_XFER&alt_user=A"), "ERROR: transfer_conference not valid - HANGUP_XFER|\n", None);
}

#[test]
fn leave_vm_is_exactly_8_characters_and_passes_the_length_check() {
    case(
        &tc("value=LEAVE_VM&agent_user=1001"),
        "SUCCESS: transfer_conference function set - LEAVE_VM|||NO|1001|V1125080012000004711|\n",
        Some("LEAVE_VM---------NO------------1764000000---"),
    );
}

#[test]
fn an_unknown_long_value_is_refused_only_after_the_call_checks_and_echoes_the_api_user() {
    case(&tc("value=NOT_A_VALUE&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
    case(&tc("value=NOT_A_VALUE&agent_user=1001"), "ERROR: value is not valid - NOT_A_VALUE|6666\n", None);
}

#[test]
fn the_disposition_screen_is_not_a_live_call_for_transfer_conference() {
    case(&tc("value=HANGUP_BOTH&agent_user=1003"), "ERROR: agent_user does not have a live call - 1003\n", None);
}

// ---- §3.6 / §3.7: the three encodings and the SUCCESS line ----

#[test]
fn path_a_stores_ingroup_phone_consultative_alias_and_cid_but_drops_dial_override() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=YES&ingroup_choices=AGENTDIRECT&phone_number=1002&dial_override=YES&group_alias=MAINLINE&cid_choice=CUSTOMER"),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER|AGENTDIRECT|1002|YES|1001|V1125080012000004711|\n",
        Some("DIAL_WITH_CUSTOMER---AGENTDIRECT---1002---YES------MAINLINE---3125550000---1764000000---CUSTOMER"),
    );
}

#[test]
fn path_b_stores_no_as_consultative_and_echoes_the_request_and_the_unstored_ingroup() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=3125551234&dial_override=NO&consultative=YES&ingroup_choices=SALESLINE"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|SALESLINE|3125551234|YES|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER------3125551234---NO---NO---------1764000000---"),
    );
}

#[test]
fn path_c_stores_only_the_value_and_the_id_with_eight_fields() {
    case(
        &tc("value=LEAVE_3WAY_CALL&agent_user=1001&phone_number=5551234&ingroup_choices=X1&group_alias=NOPE"),
        "SUCCESS: transfer_conference function set - LEAVE_3WAY_CALL|X1|5551234|NO|1001|V1125080012000004711|\n",
        Some("LEAVE_3WAY_CALL---------NO------------1764000000"),
    );
}

#[test]
fn the_stored_value_is_what_the_screen_executes() {
    let a = case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5551234"),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|V1125080012000004711|\n",
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
    let stored = a.stored().expect("stored");
    assert_eq!((stored.agent_user.as_str(), stored.slot), ("1001", SlotName::TransferConf));
    let mut s = Session::default();
    s.handle(NetEvent::CallArrives { lead: LeadId(4711) }.into()).expect("call");
    s.handle(Input::Api(stored.write.clone())).expect("stage 1 accepted");
    let (effects, _) = s.handle(ScreenInput::Tick.into()).expect("stage 2");
    assert!(effects.iter().any(|e| matches!(e, Effect::Originate { .. })), "{effects:?}");
}

// ---- §3.2: path A ----

#[test]
fn path_a_needs_an_ingroup_of_two_characters_and_prints_no_agent() {
    case(&tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=S"), "ERROR: ingroup is not valid - S\n", None);
}

#[test]
fn defaultingroup_on_an_outbound_call_is_the_campaigns_default_xfer_group() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=DEFAULTINGROUP"),
        "SUCCESS: transfer_conference function set - LOCAL_CLOSER|SALESLINE||NO|1001|V1125080012000004711|\n",
        Some("LOCAL_CLOSER---SALESLINE------NO------------1764000000---"),
    );
}

#[test]
fn defaultingroup_on_an_inbound_call_is_the_ingroups_default_and_matches_as_a_substring() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&consultative=YES&ingroup_choices=XDEFAULTINGROUPX"),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER|SUPPORT||YES|1002|Y1125080112000004711|\n",
        Some("DIAL_WITH_CUSTOMER---SUPPORT------YES------------1764000000---"),
    );
}

#[test]
fn defaultingroup_without_a_call_row_resolves_to_nothing() {
    // 1005's call has no vicidial_auto_calls row (the customer hung up).
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1005&ingroup_choices=DEFAULTINGROUP"),
        "ERROR: ingroup is not valid - \n",
        None,
    );
}

#[test]
fn an_inactive_or_unknown_ingroup_is_not_valid_and_agentdirect_needs_only_its_row() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=OLDLINE"),
        "ERROR: ingroup is not valid - OLDLINE\n",
        None,
    );
    case(&tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=NOPE"), "ERROR: ingroup is not valid - NOPE\n", None);
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT"),
        "SUCCESS: transfer_conference function set - LOCAL_CLOSER|AGENTDIRECT||NO|1001|V1125080012000004711|\n",
        Some("LOCAL_CLOSER---AGENTDIRECT------NO------------1764000000---"),
    );
}

// ---- §3.4: group_alias and cid_choice ----

#[test]
fn an_unknown_group_alias_is_refused_with_the_agent() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&group_alias=NOPE"),
        "ERROR: group_alias is not valid - 1001|NOPE\n",
        None,
    );
}

#[test]
fn the_alias_caller_id_is_compared_with_4_as_php_8_does() {
    for (alias, cid) in [("SHORT", "3"), ("ZEROS", "0003"), ("EMPTY", ""), ("MIXED", "12abc")] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&group_alias={alias}")),
            &format!("ERROR: caller_id_number from group_alias is not valid - 1001|{alias}|{cid}\n"),
            None,
        );
    }
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&group_alias=WORDS"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER---------NO------WORDS---TESTING---1764000000---"),
    );
}

#[test]
fn a_one_character_alias_is_not_looked_up_but_stored() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&group_alias=Z"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER---------NO------Z------1764000000---"),
    );
}

#[test]
fn cid_choice_is_a_case_sensitive_substring_test_and_one_character_passes() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&cid_choice=BOGUS"),
        "ERROR: cid_choice is not valid - 1001|BOGUS\n",
        None,
    );
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&cid_choice=customer"),
        "ERROR: cid_choice is not valid - 1001|customer\n",
        None,
    );
    for ok in ["XCUSTOMERX", "Q"] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&cid_choice={ok}")),
            "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
            Some(format!("BLIND_TRANSFER---------NO------------1764000000---{ok}").as_str()),
        );
    }
}

// ---- §3.5: multi_dial_phones, md_check, tw_check ----

const DIAL: &str = "value=DIAL_WITH_CUSTOMER&phone_number=5551234";

fn success_1001(suffix: &str) -> String {
    format!("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|V1125080012000004711{suffix}|\n")
}

#[test]
fn multi_dial_drops_an_entry_contained_in_one_already_kept() {
    let a = case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=15551234,5551234")),
        &success_1001("|Multi-phones: 1 2 1"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
    assert!(a
        .writes
        .iter()
        .any(|w| matches!(w, Write::PressMulti(r) if r.phone_numbers == "15551234" && r.phone_numbers_ct == 1)));
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=5551234,15551234")),
        &success_1001("|Multi-phones: 2 2 1"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
}

#[test]
fn multi_dial_keeps_5_to_18_digits_and_has_no_cap_at_10() {
    let many: Vec<String> = (0..12).map(|i| format!("31255500{i:02}")).collect();
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=1234,{},1234567890123456789", many.join(","))),
        &success_1001("|Multi-phones: 12 14 1"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
}

#[test]
fn multi_dial_with_nothing_kept_still_prints_the_suffix_with_zero_affected() {
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=12,34,56")),
        &success_1001("|Multi-phones: 0 3 0"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
    // Four characters or fewer: not read at all.
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=1234")),
        &success_1001(""),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
}

#[test]
fn the_multi_dial_upsert_reports_insert_update_and_unchanged() {
    let q = |n: &str| format!("{LOGIN}&{}", tc(&format!("{DIAL}&agent_user=1005&multi_dial_phones={n}")));
    let d = world();
    // 1005 has a row with 3125550001 at EPOCH: same values, nothing changes.
    assert!(ask(&d, &q("3125550001")).body().contains("|Multi-phones: 1 1 0|"));
    assert!(ask(&d, &q("3125550002")).body().contains("|Multi-phones: 1 1 2|"));
    let later = answer(&d, &q("3125550001"), EPOCH + 1);
    assert!(later.body().contains("|Multi-phones: 1 1 2|"), "the call date changes");
    // Applying an answer writes the row.
    let mut d = world();
    let first = ask(&d, &format!("{LOGIN}&{}", tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=3125550009"))));
    assert!(first.body().contains("|Multi-phones: 1 1 1|"));
    d.apply(&first);
    let again = ask(&d, &format!("{LOGIN}&{}", tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=3125550009"))));
    assert!(again.body().contains("|Multi-phones: 1 1 0|"));
}

#[test]
fn md_check_refuses_while_a_recent_press_1_call_is_active() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&phone_number=5551234&agent_user=1002&multi_dial_phones=3125550001&md_check=yes"),
        "ERROR: agent_user has previous active 3-way calls - 1002|1|0|yes\n",
        None,
    );
    // 1001's rows are over (HUNGUP) or older than 30 minutes.
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=3125550001&md_check=YES")),
        &success_1001("|Multi-phones: 1 1 1"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
}

#[test]
fn tw_check_refuses_while_a_3way_channel_is_on_the_session_even_for_hangup_xfer() {
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&tw_check=YES"),
        "ERROR: agent_user has current active 3-way call - 1002|1|0|YES\n",
        None,
    );
    case(
        &tc("value=HANGUP_XFER&agent_user=1001&tw_check=YES"),
        "SUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1001|V1125080012000004711|\n",
        Some("HANGUP_XFER---------NO------------1764000000"),
    );
}

#[test]
fn a_tw_check_failure_leaves_the_press_1_row_written() {
    let a = case(
        &tc("value=DIAL_WITH_CUSTOMER&phone_number=5551234&agent_user=1002&multi_dial_phones=3125550001&tw_check=YES"),
        "ERROR: agent_user has current active 3-way call - 1002|1|0|YES\n",
        None,
    );
    assert!(matches!(a.writes.as_slice(), [Write::PressMulti(r)] if r.user == "1002" && r.status == "NEW"), "R9");
}

// ---- §4: park_call, external_hangup, force_fronter_leave_3way ----

#[test]
fn park_call_accepts_any_value_containing_a_park_word_and_stores_it_verbatim() {
    case(
        "function=park_call&value=XPARK_CUSTOMERX&agent_user=1001",
        "SUCCESS: park_call function set - XPARK_CUSTOMERX|1001\n",
        Some("XPARK_CUSTOMERX"),
    );
    case("function=park_call&value=PARK_CUSTOMERS&agent_user=", "ERROR: park_call not valid - PARK_CUSTOMERS|\n", None);
    case("function=park_call&value=PARKING&agent_user=1001", "ERROR: park_call not valid - PARKING|1001\n", None);
}

#[test]
fn park_call_needs_only_a_lead_so_it_works_on_the_disposition_screen() {
    case(
        "function=park_call&value=GRAB_CUSTOMER&agent_user=1003",
        "SUCCESS: park_call function set - GRAB_CUSTOMER|1003\n",
        Some("GRAB_CUSTOMER"),
    );
    case(
        "function=park_call&value=GRAB_CUSTOMER&agent_user=1004",
        "ERROR: agent_user does not have a lead on their screen - 1004\n",
        None,
    );
    case("function=park_call&value=GRAB_CUSTOMER&agent_user=9999", "ERROR: agent_user is not logged in - 9999\n", None);
}

#[test]
fn external_hangup_takes_any_value_and_needs_no_call() {
    case(
        "function=external_hangup&value=1&agent_user=1004",
        "SUCCESS: external_hangup function set - 1|1004\n",
        Some("1"),
    );
    case(
        "function=external_hangup&value=YES&agent_user=1004",
        "SUCCESS: external_hangup function set - YES|1004\n",
        Some("YES"),
    );
    case("function=external_hangup&agent_user=1004", "ERROR: external_hangup not valid - |1004\n", None);
}

#[test]
fn force_fronter_writes_leave_3way_into_the_oldest_other_agent_on_the_lead_without_a_newline() {
    let a = case(
        "function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=1002",
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some("LEAVE_3WAY_CALL---------NO------------1764000000"),
    );
    let s = a.stored().expect("stored");
    assert_eq!(s.agent_user, "1001");
    assert_eq!(s.write, ApiWrite::ForcedLeave3Way(vicixfer::CommandId::epoch(EPOCH)));
}

#[test]
fn force_fronter_errors_in_order() {
    case(
        "function=force_fronter_leave_3way&value=LOCAL&agent_user=1002",
        "ERROR: force_fronter_leave_3way not valid - LOCAL|1002\n",
        None,
    );
    case(
        "function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=9999",
        "ERROR: agent_user is not logged in - 9999\n",
        None,
    );
    case(
        "function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=1004",
        "ERROR: agent_user is not on a phone call - 1004\n",
        None,
    );
    case(
        "function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=1005",
        "ERROR: no fronter found - 1005\n",
        None,
    );
}

#[test]
fn local_and_ccc_forwards_a_lead_without_local_fronter() {
    let a = case(
        "function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=1003",
        "SUCCESS: force_fronter_leave_3way command sent over CCC - REMOTE_CLUSTER_B\n",
        None,
    );
    assert!(matches!(&a.writes[..], [Write::Remote { lead_id: 4700, .. }]));
    case(
        "function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=1005",
        "ERROR: no fronter found - 1005\n",
        None,
    );
}

#[test]
fn ccc_remote_needs_no_login_but_a_lead_id() {
    case(
        "function=force_fronter_leave_3way&value=CCC_REMOTE&agent_user=9999&lead_id=4711",
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some("LEAVE_3WAY_CALL---------NO------------1764000000"),
    );
    case(
        "function=force_fronter_leave_3way&value=CCC_REMOTE&agent_user=9999",
        "ERROR: agent_user is not on a phone call - 9999\n",
        None,
    );
}

// ---- §2: one test per sanitisation rule ----

#[test]
fn sanitising_value_keeps_dash_pipe_underscore_and_alphanumerics() {
    case(
        "function=park_call&value=PARK_CUSTOMER%21%20%3B&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case(
        "function=external_hangup&value=a|b-c_d.e&agent_user=1001",
        "SUCCESS: external_hangup function set - a|b-c_de|1001\n",
        Some("a|b-c_de"),
    );
}

#[test]
fn sanitising_agent_user_keeps_dash_underscore_and_alphanumerics() {
    case(
        "function=park_call&value=PARK_CUSTOMER&agent_user=10.01",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn sanitising_alt_user_keeps_only_alphanumerics() {
    case(
        "function=park_call&value=PARK_CUSTOMER&alt_user=EMP_1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn sanitising_phone_number_keeps_digits_star_and_hash() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=(312)+555-1234%23*"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER||3125551234#*|NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER------3125551234#*---NO------------1764000000---"),
    );
}

#[test]
fn sanitising_ingroup_choices_turns_plus_into_space() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SALES%2BLINE%21"),
        "ERROR: ingroup is not valid - SALES LINE\n",
        None,
    );
}

#[test]
fn sanitising_group_alias_strips_underscores_and_dashes() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&group_alias=MAIN_LINE"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER---------NO------MAINLINE---3125550000---1764000000---"),
    );
}

#[test]
fn sanitising_cid_choice_keeps_dash_underscore_and_alphanumerics() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&cid_choice=AGENT_PHONE%21"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER---------NO------------1764000000---AGENT_PHONE"),
    );
}

#[test]
fn sanitising_dial_override_keeps_capitals_only() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&dial_override=Yes"),
        "SUCCESS: transfer_conference function set - BLIND_TRANSFER|||NO|1001|V1125080012000004711|\n",
        Some("BLIND_TRANSFER---------NO---Y---------1764000000---"),
    );
}

#[test]
fn sanitising_consultative_makes_anything_but_yes_a_no() {
    // "yes" becomes "" then NO: a dial on path B.
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=yes&phone_number=5551234"),
        &success_1001(""),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
    // "Y.E.S" keeps Y, E, S: YES, path A.
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=Y.E.S&ingroup_choices=SUPPORT"),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER|SUPPORT||YES|1001|V1125080012000004711|\n",
        Some("DIAL_WITH_CUSTOMER---SUPPORT------YES------------1764000000---"),
    );
}

#[test]
fn sanitising_multi_dial_phones_keeps_digits_and_commas() {
    case(
        &tc(&format!("{DIAL}&agent_user=1001&multi_dial_phones=(312)555-0001,312.555.0002;")),
        &success_1001("|Multi-phones: 2 2 1"),
        Some("DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---"),
    );
}

#[test]
fn sanitising_md_check_tw_check_and_source_keeps_alphanumerics() {
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&tw_check=Y-E-S"),
        "ERROR: agent_user has current active 3-way call - 1002|1|0|YES\n",
        None,
    );
    case(
        &tc("value=DIAL_WITH_CUSTOMER&phone_number=5551234&agent_user=1002&multi_dial_phones=3125550001&md_check=%21yes"),
        "ERROR: agent_user has previous active 3-way calls - 1002|1|0|yes\n",
        None,
    );
    case("source=c.r.m&user=6666&pass=1234&function=none", "", None);
    case("source=.c.&user=6666&pass=1234&function=none", "ERROR: Invalid Source - c\n", None);
}

#[test]
fn sanitising_lead_id_keeps_digits() {
    case(
        "function=force_fronter_leave_3way&value=CCC_REMOTE&agent_user=9999&lead_id=47-11",
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some("LEAVE_3WAY_CALL---------NO------------1764000000"),
    );
}

#[test]
fn sanitising_user_and_pass_strips_quotes_backslash_semicolon_and_space() {
    case("source=crm&user=66'66&pass=12%2034;&function=none", "", None);
    case(
        "source=crm&user=66'66&pass=12%2034;x&function=none",
        "ERROR: Invalid Username/Password: |6666|1234x|0|1|BAD|\n",
        None,
    );
}

// ---- decoding of the query itself ----

#[test]
fn query_decoding_follows_php_percent_plus_dots_and_repeated_keys() {
    // %2B is a literal +, which ingroup_choices then turns into a space; + is already a space.
    case(&tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=A+B"), "ERROR: ingroup is not valid - A B\n", None);
    // The last of repeated keys wins; a dot in a key reads as an underscore.
    case(
        "function=park_call&value=PARK_XFER&value=GRAB_XFER&agent.user=1001",
        "SUCCESS: park_call function set - GRAB_XFER|1001\n",
        Some("GRAB_XFER"),
    );
    // Array keys are not read.
    case("function=park_call&value[]=PARK_XFER&agent_user=1001", "ERROR: park_call not valid - |1001\n", None);
}

#[test]
fn odd_queries_always_get_an_answer_that_parses() {
    let d = world();
    let long = "A".repeat(10_000);
    let mut queries: Vec<String> = vec![
        String::new(),
        "&&&".into(),
        "=".into(),
        "%".into(),
        "%zz%4".into(),
        "%ff%fe%00".into(),
        format!("{LOGIN}&function=transfer_conference&value={long}&agent_user={long}"),
        format!("{LOGIN}&function=park_call&value=%0A%0D&agent_user=%0A"),
    ];
    for f in ["transfer_conference", "park_call", "external_hangup", "force_fronter_leave_3way"] {
        queries.push(format!("{LOGIN}&function={f}"));
        queries.push(format!("{LOGIN}&function={f}&value=&agent_user=&alt_user=&phone_number=&ingroup_choices=&group_alias=&cid_choice=&dial_override=&consultative=&multi_dial_phones=&md_check=&tw_check=&lead_id="));
        queries.push(format!("{LOGIN}&function={f}&value=LOCAL_CLOSER&agent_user=1001&multi_dial_phones=,,,,,&lead_id=99999999999999999999999"));
    }
    for q in queries {
        let a = ask(&d, &q);
        assert_eq!(Line::parse_body(&a.body()).as_ref(), Ok(&a.lines), "{q}");
    }
}

// ---- typed requests and strict mode ----

#[test]
fn strict_mode_reports_what_api_php_accepts_silently() {
    let strict = |rest: &str| Request::from_query_strict(&format!("{LOGIN}&agent_user=1001&{rest}"));
    let warned = |rest: &str, w: Warning| match strict(rest) {
        Err(RequestError::Strict(ws)) => assert!(ws.contains(&w), "{rest}: {ws:?}"),
        other => panic!("{rest}: {other:?}"),
    };
    warned("function=park_call&value=XPARK_CUSTOMERX", Warning::UnknownParkValue("XPARK_CUSTOMERX".into()));
    warned(
        "function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=AGENTDIRECT",
        Warning::AgentDirectWithoutAgent,
    );
    warned("function=transfer_conference&value=BLIND_TRANSFER", Warning::BlindTransferWithoutNumber);
    warned(
        "function=transfer_conference&value=BLIND_TRANSFER&phone_number=5551234&consultative=YES",
        Warning::ConsultativeIgnored("BLIND_TRANSFER".into()),
    );
    warned(
        "function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234&ingroup_choices=SALESLINE",
        Warning::IngroupWithoutConsultative,
    );
    warned("function=external_hangup&value=2", Warning::ExternalHangupNotOne("2".into()));
    let clean = strict("function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=AGENTDIRECT&phone_number=1002")
        .expect("clean");
    assert_eq!(
        clean.call,
        Call::TransferConference {
            command: TransferCommand::LocalCloser(InGroupChoice::AgentDirect { agent: "1002".into() }),
            extras: Extras::default()
        }
    );
}

#[test]
fn typed_requests_write_queries_api_php_answers_the_same_way() {
    let d = world();
    for rest in [
        "function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP",
        "function=transfer_conference&value=DIAL_WITH_CUSTOMER&consultative=YES&ingroup_choices=AGENTDIRECT&phone_number=1002&group_alias=MAINLINE&cid_choice=CUSTOMER",
        "function=transfer_conference&value=PARK_CUSTOMER_DIAL&phone_number=5551234&dial_override=YES",
        "function=park_call&value=SWAP_PARK_CUSTOMER",
        "function=force_fronter_leave_3way&value=LOCAL_ONLY",
    ] {
        let q = format!("{LOGIN}&agent_user=1002&{rest}");
        let typed = Request::from_query_strict(&q).expect("clean request");
        assert_eq!(ask(&d, &typed.to_query()), ask(&d, &q), "{q}");
    }
}
