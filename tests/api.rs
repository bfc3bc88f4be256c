//! Stage 1 (api.php) against the project's account of VICIdial, docs/vicidial.md
//! §1–4: every answer line of §3.8 and §4 byte for byte, the check order, every quirk,
//! one test per sanitisation rule of §2, URL decoding, the typed lines and requests both
//! ways, stored commands feeding the core [`Session`], and garbage that never panics.
//!
//! Each case states the query, the exact body and the exact stored column value (or
//! that nothing is stored). The directory is built by [`dir`] below; `examples/world.json`
//! is checked at the end.

mod common;

use vicixfer::api::*;
use vicixfer::{
    ApiWrite, CommandId, Destination, DialTarget, Effect, Event, Executed, HangupSlot, Input, LeadId, Leave3WayRefusal,
    NetEvent, ParkSlot, ParkValue, ScreenInput, Session, SlotName, TransferFunction, TransferSlot,
};

/// The server's clock for every request (the command id).
const EPOCH: u64 = 1_700_000_000;
/// The API user 6666/1234, allowed every function.
const LOGIN: &str = "source=test&user=6666&pass=1234";
/// Call ids (`VLA.callerid`) of the agents on live calls.
const CID_1001: &str = "V1000000000000000100";
const CID_1002: &str = "Y1000000000000000100";
const CID_1005: &str = "M3000000000000000300";

/// The failed-login line for `user`/`pass` at [`EPOCH`]: `BAD|0|api|<the login's SQL>`
/// (§15.1, functions.php `user_authorization`).
fn bad(user: &str, pass: &str, auth_api: u32) -> String {
    format!(
        "ERROR: Invalid Username/Password: |{user}|{pass}|0|{auth_api}|BAD|0|api|SELECT count(*) from vicidial_users \
         where user='{user}' and pass='{pass}' and user_level > 0 and active='Y' and ( (failed_login_count < 10) or \
         (UNIX_TIMESTAMP(last_login_date) < 1699999100) );|\n"
    )
}

fn user(login: &str, custom_three: &str) -> User {
    User {
        user: login.into(),
        pass: "agentpw".into(),
        user_group: "AGENTS".into(),
        custom_three: custom_three.into(),
        ..User::default()
    }
}

fn agent(login: &str, conf_exten: &str, status: &str, lead_id: u64, callerid: &str, last_call_time: u64) -> LiveAgent {
    LiveAgent {
        user: login.into(),
        server_ip: "10.0.0.1".into(),
        conf_exten: conf_exten.into(),
        status: status.into(),
        lead_id,
        callerid: callerid.into(),
        last_call_time,
        ..LiveAgent::default()
    }
}

/// The world every test starts from.
///
/// * API users: `6666`/`1234` (all functions), `7777`/`1234` (park_call and
///   external_hangup only, group `CRM`), `5555`/`1234` (no agent API access), `4444`
///   (inactive), `3333` (locked).
/// * Agents (listed in this order; the vector order is not the `last_call_time` order):
///   * `1007` on lead 100 too, `last_call_time` 1500;
///   * `1001`: fronter on a live **outbound** call (campaign `OUTBOUND`), lead 100, the
///     oldest on it (`last_call_time` 1000), `custom_three` `EMP1`;
///   * `1002`: closer on the same lead, **inbound** through `SALESLINE`, two `DC…W`
///     channels on its session, two unfinished press-1 calls;
///   * `1003`: on the disposition screen (lead 200 kept, callerid blanked);
///   * `1004`: waiting (no lead);
///   * `1005`: a live call whose `vicidial_auto_calls` row is gone (the customer hung up),
///     an existing press-1 row, a cross-cluster record for its lead;
///   * `1006`: inbound through `NODEFAULT` (an in-group without default transfer group);
///   * `1008`: live on lead 200 (the lead of `1003`, which is on its disposition screen);
///   * `1009`: a call id of exactly 15 characters (not a live call for api.php);
///   * `1010`: alone on lead 600, whose cross-cluster record is unreachable.
/// * In-groups: `SALESLINE` (default `SUPPORT`), `SUPPORT`, `AGENTDIRECT`, `OLDLINE`
///   (inactive), `SALES LINE` (with a space), `A-B_C`, `NODEFAULT`.
/// * Campaign `OUTBOUND`, default transfer group `SALESLINE`.
/// * Group aliases by caller id number: `EMPTY` "", `THREE` "3", `ZEROS` "0003",
///   `WORDS` "TESTING", `MAINLINE` "5551234".
fn dir() -> Directory {
    let users = vec![
        common::crm_user(),
        User {
            user: "7777".into(),
            pass: "1234".into(),
            user_group: "CRM".into(),
            agent_api_access: true,
            api_allowed_functions: " park_call external_hangup ".into(),
            ..User::default()
        },
        User { user: "5555".into(), pass: "1234".into(), agent_api_access: false, ..User::default() },
        User { user: "4444".into(), pass: "1234".into(), agent_api_access: true, active: false, ..User::default() },
        User { user: "3333".into(), pass: "1234".into(), agent_api_access: true, locked: true, ..User::default() },
        user("1001", "EMP1"),
        user("1002", "EMP2"),
        user("1003", ""),
        user("1004", ""),
        user("1005", ""),
        user("1006", ""),
        user("1007", ""),
        user("1008", ""),
        user("1009", ""),
        user("1010", ""),
        // A later user with the same custom_three as 1001: alt_user takes the first.
        user("1011", "EMP1"),
    ];
    let agents = vec![
        agent("1007", "8600057", "INCALL", 100, "V1000000000000000107", 1500),
        agent("1001", "8600051", "INCALL", 100, CID_1001, 1000),
        agent("1002", "8600052", "INCALL", 100, CID_1002, 2000),
        agent("1003", "8600053", "PAUSED", 200, "", 900),
        agent("1004", "8600054", "READY", 0, "", 0),
        agent("1005", "8600055", "INCALL", 300, CID_1005, 3000),
        agent("1006", "8600056", "INCALL", 400, "Y4000000000000000400", 4000),
        agent("1008", "8600058", "INCALL", 200, "V2000000000000000200", 5000),
        agent("1009", "8600059", "INCALL", 500, "V50000000000005", 5000),
        agent("1010", "8600060", "INCALL", 600, "V6000000000000000600", 6000),
    ];
    let auto_calls = vec![
        AutoCall { callerid: CID_1001.into(), call_type: CallType::Out, campaign_id: "OUTBOUND".into() },
        AutoCall { callerid: CID_1002.into(), call_type: CallType::In, campaign_id: "SALESLINE".into() },
        AutoCall { callerid: "Y4000000000000000400".into(), call_type: CallType::In, campaign_id: "NODEFAULT".into() },
    ];
    let ingroups = vec![
        InGroup { group_id: "SALESLINE".into(), active: true, default_xfer_group: "SUPPORT".into() },
        InGroup { group_id: "SUPPORT".into(), ..InGroup::default() },
        InGroup { group_id: "AGENTDIRECT".into(), ..InGroup::default() },
        InGroup { group_id: "OLDLINE".into(), active: false, default_xfer_group: String::new() },
        InGroup { group_id: "SALES LINE".into(), ..InGroup::default() },
        InGroup { group_id: "A-B_C".into(), ..InGroup::default() },
        InGroup { group_id: "NODEFAULT".into(), ..InGroup::default() },
    ];
    let campaigns = vec![Campaign { campaign_id: "OUTBOUND".into(), default_xfer_group: "SALESLINE".into() }];
    let group_aliases =
        [("EMPTY", ""), ("THREE", "3"), ("ZEROS", "0003"), ("WORDS", "TESTING"), ("MAINLINE", "5551234")]
            .into_iter()
            .map(|(id, cid)| GroupAlias { group_alias_id: id.into(), caller_id_number: cid.into() })
            .collect();
    let live = |user: &str, ago: u64, status: &str| PressLive {
        user: user.into(),
        call_date: EPOCH - ago,
        status: status.into(),
    };
    let press_live = vec![
        // 1002: two unfinished calls in the last 30 minutes.
        live("1002", 60, "ANSWERED"),
        live("1002", 120, "NEW"),
        live("1002", 30, "HUNGUP"),
        live("1002", 1800, "NEW"),
        // 1001: finished ones, and an unfinished one older than 30 minutes.
        live("1001", 10, "HUNGUP"),
        live("1001", 20, "DEFEATED"),
        live("1001", 30, "TRANSFER"),
        live("1001", 40, "TOOSLOW"),
        live("1001", 50, "DECLINED"),
        live("1001", 4000, "ACCEPTED"),
    ];
    let press_multi = vec![PressMulti {
        user: "1005".into(),
        phone_numbers: "5551234".into(),
        phone_numbers_ct: 1,
        status: "NEW".into(),
        call_date: EPOCH,
    }];
    let chan = |server: &str, ext: &str, group: &str| SipChannel {
        server_ip: server.into(),
        extension: ext.into(),
        channel_group: group.into(),
    };
    let sip_channels = vec![
        // Counted on 1002's session: `DC%W`, case-insensitive.
        chan("10.0.0.1", "8600052", "DC1700000000000000100W"),
        chan("10.0.0.1", "8600052", "dc17w"),
        // Not counted: wrong shape, another server, another session.
        chan("10.0.0.1", "8600052", "DC1700000000000000100X"),
        chan("10.0.0.1", "8600052", "XDC170W"),
        chan("10.0.0.2", "8600051", "DC1700000000000000100W"),
        chan("10.0.0.1", "8600099", "DC1700000000000000100W"),
    ];
    let ccc = vec![
        CccRecord {
            lead_id: 300,
            remote_lead_id: 9300,
            container_id: "CLUSTER_B".into(),
            reachable: true,
            ..CccRecord::default()
        },
        CccRecord {
            lead_id: 600,
            remote_lead_id: 9600,
            container_id: "CLUSTER_C".into(),
            reachable: false,
            ..CccRecord::default()
        },
    ];
    Directory {
        users,
        agents,
        auto_calls,
        ingroups,
        campaigns,
        group_aliases,
        press_live,
        press_multi,
        sip_channels,
        ccc,
        containers: ["CLUSTER_B", "CLUSTER_C", "CLUSTER_D", "CLUSTER_E", "CLUSTER_F", "CLUSTER_G"]
            .map(|id| SettingsContainer { container_id: id.into(), container_entry: CONTAINER_ENTRY.into() })
            .into(),
        ..Directory::default()
    }
}

/// Every cross-cluster container's entry: the remote non-agent API with `ccc_lead_info`.
const CONTAINER_ENTRY: &str =
    "http://10.0.9.9/vicidial/non_agent_api.php?source=ccc&user=6666&pass=1234&function=ccc_lead_info";

/// The URL `LOCAL_AND_CCC` fetches for a remote lead (§15.7).
fn remote_url(remote_lead_id: u64) -> String {
    format!(
        "http://10.0.9.9/agc/api.php?source=ccc&user=6666&pass=1234&function=force_fronter_leave_3way&value=CCC_REMOTE\
         &lead_id={remote_lead_id}&agent_user=CCC_REMOTE"
    )
}

/// The full query: `rest` alone when it starts with its own `source=` or `user=`, else
/// after [`LOGIN`].
fn full(rest: &str) -> String {
    if rest.starts_with("source=") || rest.starts_with("user=") || rest.is_empty() {
        rest.to_string()
    } else {
        format!("{LOGIN}&{rest}")
    }
}

/// Asks `d`, and checks that the body reads back as the typed lines.
#[track_caller]
fn ask_in(d: &Directory, rest: &str) -> Answer {
    let q = full(rest);
    let a = answer(d, &q, EPOCH);
    assert_eq!(Line::parse_body(&a.body()).as_ref(), Ok(&a.lines), "typed lines of {q}");
    a
}

/// Asserts the exact body and stored column value of a request against [`dir`].
#[track_caller]
fn case(rest: &str, body: &str, stored: Option<&str>) -> Answer {
    case_in(&dir(), rest, body, stored)
}

/// [`case`] against another directory.
#[track_caller]
fn case_in(d: &Directory, rest: &str, body: &str, stored: Option<&str>) -> Answer {
    let a = ask_in(d, rest);
    assert_eq!(a.body(), body, "body of {}", full(rest));
    assert_eq!(a.stored().map(|s| s.raw.as_str()), stored, "stored by {}", full(rest));
    a
}

fn tc(rest: &str) -> String {
    format!("function=transfer_conference&{rest}")
}

fn park(rest: &str) -> String {
    format!("function=park_call&{rest}")
}

fn hangup(rest: &str) -> String {
    format!("function=external_hangup&{rest}")
}

fn fronter(rest: &str) -> String {
    format!("function=force_fronter_leave_3way&{rest}")
}

/// `SUCCESS: transfer_conference …` for agent 1001.
fn ok_1001(value: &str, ingroup: &str, phone: &str, consultative: &str, multi: &str) -> String {
    format!("SUCCESS: transfer_conference function set - {value}|{ingroup}|{phone}|{consultative}|1001|{CID_1001}{multi}|\n")
}

/// The path C column value.
fn bare(value: &str) -> String {
    format!("{value}---------NO------------{EPOCH}")
}

// =====================================================================================
// §2 and §3.8, §4: every answer line
// =====================================================================================

#[test]
fn line_invalid_source() {
    case("source=a&user=6666&pass=1234&function=park_call", "ERROR: Invalid Source - a\n", None);
    case("user=6666&pass=1234&function=park_call", "ERROR: Invalid Source - \n", None);
}

#[test]
fn line_invalid_login_for_a_wrong_password() {
    case("source=test&user=6666&pass=nope&function=park_call", &bad("6666", "nope", 1), None);
}

#[test]
fn line_invalid_login_for_a_user_without_agent_api_access() {
    case(
        "source=test&user=5555&pass=1234&function=park_call",
        "ERROR: Invalid Username/Password: |5555|1234|1|0|GOOD|\n",
        None,
    );
}

#[test]
fn line_invalid_login_for_an_unknown_inactive_or_locked_user_or_short_credentials() {
    case("source=test&user=9876&pass=1234&function=park_call", &bad("9876", "1234", 0), None);
    // §2: the login fails when "the API user lacks vdc_agent_api_access='1'"; auth_api
    // counts users with that flag whether active or not, so inactive 4444 shows 1.
    case("source=test&user=4444&pass=1234&function=park_call", &bad("4444", "1234", 1), None);
    case(
        "source=test&user=3333&pass=1234&function=park_call",
        "ERROR: Invalid Username/Password: |3333|1234|0|1|LOCK|\n",
        None,
    );
    // An agent's own row (no API access) with a wrong password: both counts are 0.
    case("source=test&user=1001&pass=x&function=park_call", &bad("1001", "x", 0), None);
    // Shorter than 2: refused even for a user that would authenticate.
    let mut d = dir();
    d.users.push(User { user: "9".into(), pass: "1".into(), agent_api_access: true, ..User::default() });
    case_in(
        &d,
        "source=test&user=9&pass=1&function=park_call",
        "ERROR: Invalid Username/Password: |9|1|1|1|GOOD|\n",
        None,
    );
    case("source=test&user=&pass=&function=park_call", &bad("", "", 0), None);
}

#[test]
fn line_system_api_not_active() {
    let mut d = dir();
    d.system.api_active = false;
    case_in(&d, &park("value=PARK_CUSTOMER&agent_user=1001"), "ERROR: System API NOT ACTIVE\n", None);
}

#[test]
fn line_transfer_conference_not_valid() {
    case(&tc("value=HANGUP&agent_user=1001"), "ERROR: transfer_conference not valid - HANGUP|1001\n", None);
    case(&tc("value=HANGUP_XFER"), "ERROR: transfer_conference not valid - HANGUP_XFER|\n", None);
    // A one-character alt_user is no agent either.
    case(&tc("value=HANGUP_XFER&alt_user=E"), "ERROR: transfer_conference not valid - HANGUP_XFER|\n", None);
}

#[test]
fn line_no_permission_names_value_api_user_function_and_group() {
    case(
        "source=test&user=7777&pass=1234&function=transfer_conference&value=HANGUP_XFER&agent_user=1001",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - HANGUP_XFER|7777|transfer_conference|CRM\n",
        None,
    );
    case(
        "source=test&user=7777&pass=1234&function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=1002",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - LOCAL_ONLY|7777|force_fronter_leave_3way|CRM\n",
        None,
    );
    // The listed functions are allowed, the first of the list as well as the last.
    case(
        "source=test&user=7777&pass=1234&function=external_hangup&value=1&agent_user=1001",
        "SUCCESS: external_hangup function set - 1|1001\n",
        Some("1"),
    );
    case(
        "source=test&user=7777&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn permission_needs_the_function_between_spaces() {
    let mut d = dir();
    d.users[1].api_allowed_functions = "park_call,external_hangup".into();
    case_in(
        &d,
        "source=test&user=7777&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - PARK_CUSTOMER|7777|park_call|CRM\n",
        None,
    );
    d.users[1].api_allowed_functions = "-ALL_FUNCTIONS-".into();
    case_in(
        &d,
        "source=test&user=7777&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn line_no_user_found_is_followed_by_a_second_line() {
    case(
        &tc("value=HANGUP_XFER&agent_user=1001&alt_user=NOBODY"),
        &format!("ERROR: no user found - NOBODY\n{}", ok_1001("HANGUP_XFER", "", "", "NO", "")),
        Some(&bare("HANGUP_XFER")),
    );
}

#[test]
fn line_not_logged_in() {
    case(&tc("value=HANGUP_XFER&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
    case(&park("value=PARK_CUSTOMER&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
    case(&hangup("value=1&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
    case(&fronter("value=LOCAL_ONLY&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
}

#[test]
fn line_no_live_call() {
    case(&tc("value=HANGUP_XFER&agent_user=1004"), "ERROR: agent_user does not have a live call - 1004\n", None);
}

#[test]
fn a_live_call_needs_a_lead_and_a_call_id_longer_than_15() {
    // 1009's call id has exactly 15 characters.
    case(&tc("value=HANGUP_XFER&agent_user=1009"), "ERROR: agent_user does not have a live call - 1009\n", None);
    let mut d = dir();
    d.agents.iter_mut().find(|a| a.user == "1009").unwrap().callerid.push('6');
    case_in(
        &d,
        &tc("value=HANGUP_XFER&agent_user=1009"),
        "SUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1009|V500000000000056|\n",
        Some(&bare("HANGUP_XFER")),
    );
    // A call id without a lead is no live call either.
    let mut d = dir();
    d.agents.iter_mut().find(|a| a.user == "1001").unwrap().lead_id = 0;
    case_in(&d, &tc("value=HANGUP_XFER&agent_user=1001"), "ERROR: agent_user does not have a live call - 1001\n", None);
}

#[test]
fn line_ingroup_not_valid() {
    case(&tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=NOPE"), "ERROR: ingroup is not valid - NOPE\n", None);
    case(&tc("value=LOCAL_CLOSER&agent_user=1001"), "ERROR: ingroup is not valid - \n", None);
    case(&tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=S"), "ERROR: ingroup is not valid - S\n", None);
}

#[test]
fn line_group_alias_not_valid() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias=NOPE"),
        "ERROR: group_alias is not valid - 1001|NOPE\n",
        None,
    );
}

#[test]
fn line_caller_id_number_from_group_alias_not_valid() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias=THREE"),
        "ERROR: caller_id_number from group_alias is not valid - 1001|THREE|3\n",
        None,
    );
}

#[test]
fn line_cid_choice_not_valid() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice=BOGUS"),
        "ERROR: cid_choice is not valid - 1001|BOGUS\n",
        None,
    );
}

#[test]
fn line_value_not_valid_echoes_the_api_user_not_the_agent() {
    case(&tc("value=TRANSFER_NOW&agent_user=1001"), "ERROR: value is not valid - TRANSFER_NOW|6666\n", None);
    // Valid values are exact: lower case is not one of them.
    case(&tc("value=hangup_xfer&agent_user=1001"), "ERROR: value is not valid - hangup_xfer|6666\n", None);
}

#[test]
fn line_previous_active_3way_calls() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=YES"),
        "ERROR: agent_user has previous active 3-way calls - 1002|2|0|YES\n",
        None,
    );
}

#[test]
fn line_current_active_3way_call() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&tw_check=YES"),
        "ERROR: agent_user has current active 3-way call - 1002|2|0|YES\n",
        None,
    );
}

#[test]
fn line_transfer_conference_success() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", ""),
        Some(&format!("DIAL_WITH_CUSTOMER------5559876---NO------------{EPOCH}---")),
    );
}

#[test]
fn line_transfer_conference_success_with_multi_phones_suffix() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876&multi_dial_phones=5550001,5550002"),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5559876|NO|1001|V1000000000000000100|Multi-phones: 2 2 1|\n",
        Some(&format!("DIAL_WITH_CUSTOMER------5559876---NO------------{EPOCH}---")),
    );
}

#[test]
fn line_park_call_not_valid() {
    case(&park("value=PARKING&agent_user=1001"), "ERROR: park_call not valid - PARKING|1001\n", None);
    case(&park("value=PARK_CUSTOMER"), "ERROR: park_call not valid - PARK_CUSTOMER|\n", None);
    // Case-sensitive.
    case(&park("value=park_customer&agent_user=1001"), "ERROR: park_call not valid - park_customer|1001\n", None);
}

#[test]
fn line_park_call_no_lead_on_screen() {
    case(
        &park("value=PARK_CUSTOMER&agent_user=1004"),
        "ERROR: agent_user does not have a lead on their screen - 1004\n",
        None,
    );
}

#[test]
fn line_park_call_success() {
    case(
        &park("value=PARK_CUSTOMER&agent_user=1001"),
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn line_external_hangup_not_valid() {
    case(&hangup("agent_user=1001"), "ERROR: external_hangup not valid - |1001\n", None);
    case(&hangup("value=1"), "ERROR: external_hangup not valid - 1|\n", None);
}

#[test]
fn line_external_hangup_success() {
    let a = case(&hangup("value=1&agent_user=1001"), "SUCCESS: external_hangup function set - 1|1001\n", Some("1"));
    assert_eq!(a.stored().unwrap().slot, SlotName::Hangup);
}

#[test]
fn line_force_fronter_not_valid() {
    case(&fronter("value=LOCAL&agent_user=1002"), "ERROR: force_fronter_leave_3way not valid - LOCAL|1002\n", None);
    // Exact match only.
    case(
        &fronter("value=LOCAL_ONLYX&agent_user=1002"),
        "ERROR: force_fronter_leave_3way not valid - LOCAL_ONLYX|1002\n",
        None,
    );
    case(&fronter("value=LOCAL_ONLY"), "ERROR: force_fronter_leave_3way not valid - LOCAL_ONLY|\n", None);
}

#[test]
fn line_force_fronter_not_on_a_phone_call() {
    case(&fronter("value=LOCAL_ONLY&agent_user=1004"), "ERROR: agent_user is not on a phone call - 1004\n", None);
}

#[test]
fn line_force_fronter_no_fronter_found() {
    case(&fronter("value=LOCAL_ONLY&agent_user=1005"), "ERROR: no fronter found - 1005\n", None);
}

#[test]
fn line_force_fronter_sent_has_no_trailing_newline() {
    let a = case(
        &fronter("value=LOCAL_ONLY&agent_user=1002"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    assert!(!a.body().ends_with('\n'));
    assert!(!a.lines[0].has_newline());
}

#[test]
fn line_force_fronter_sent_over_ccc() {
    let a = case(
        &fronter("value=LOCAL_AND_CCC&agent_user=1005"),
        "SUCCESS: force_fronter_leave_3way command sent over CCC - CLUSTER_B\n",
        None,
    );
    assert_eq!(
        a.writes,
        vec![Write::Remote { container_id: "CLUSTER_B".into(), lead_id: 9300, url: remote_url(9300) }]
    );
}

#[test]
fn a_function_other_than_the_four_prints_nothing_after_the_common_checks() {
    let a = case("function=external_status&value=A&agent_user=1001", "", None);
    assert!(a.lines.is_empty() && a.writes.is_empty() && !a.succeeded());
    case("agent_user=1001&value=HANGUP_XFER", "", None);
    // The function name must be exact.
    case("function=Park_Call&value=PARK_CUSTOMER&agent_user=1001", "", None);
    // But the common checks still run.
    case("source=test&user=6666&pass=x&function=external_status", &bad("6666", "x", 1), None);
}

// =====================================================================================
// Check order
// =====================================================================================

#[test]
fn order_a_bad_source_wins_over_a_bad_password() {
    case("source=t&user=6666&pass=wrong&function=transfer_conference", "ERROR: Invalid Source - t\n", None);
}

#[test]
fn order_a_bad_login_wins_over_the_system_switch_which_wins_over_the_function() {
    let mut d = dir();
    d.system.api_active = false;
    case_in(&d, "source=test&user=6666&pass=wrong&function=park_call", &bad("6666", "wrong", 1), None);
    case_in(&d, &tc("value=X"), "ERROR: System API NOT ACTIVE\n", None);
}

#[test]
fn order_a_value_shorter_than_8_wins_over_permission() {
    case(
        "source=test&user=7777&pass=1234&function=transfer_conference&value=SHORT&agent_user=1001",
        "ERROR: transfer_conference not valid - SHORT|1001\n",
        None,
    );
    case(
        "source=test&user=7777&pass=1234&function=force_fronter_leave_3way&value=NOPE&agent_user=1001",
        "ERROR: force_fronter_leave_3way not valid - NOPE|1001\n",
        None,
    );
}

#[test]
fn order_an_unknown_value_of_8_or_more_passes_the_first_check_and_meets_permission() {
    case(
        "source=test&user=7777&pass=1234&function=transfer_conference&value=TRANSFER_NOW&agent_user=1001",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - TRANSFER_NOW|7777|transfer_conference|CRM\n",
        None,
    );
}

#[test]
fn order_permission_comes_before_alt_user() {
    case(
        "source=test&user=7777&pass=1234&function=transfer_conference&value=HANGUP_XFER&alt_user=NOBODY",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - HANGUP_XFER|7777|transfer_conference|CRM\n",
        None,
    );
}

#[test]
fn order_alt_user_comes_before_the_login_check() {
    case(
        &tc("value=HANGUP_XFER&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nERROR: agent_user is not logged in - \n",
        None,
    );
    case(
        &park("value=PARK_CUSTOMER&alt_user=NOBODY&agent_user=1004"),
        "ERROR: no user found - NOBODY\nERROR: agent_user does not have a lead on their screen - 1004\n",
        None,
    );
}

#[test]
fn order_not_logged_in_comes_before_live_call_and_value() {
    case(&tc("value=TRANSFER_NOW&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
}

#[test]
fn order_no_live_call_comes_before_the_value_check() {
    case(&tc("value=TRANSFER_NOW&agent_user=1003"), "ERROR: agent_user does not have a live call - 1003\n", None);
}

#[test]
fn order_the_ingroup_comes_before_group_alias_which_comes_before_cid_choice() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=NOPE&group_alias=NOPE&cid_choice=BOGUS"),
        "ERROR: ingroup is not valid - NOPE\n",
        None,
    );
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SUPPORT&group_alias=NOPE&cid_choice=BOGUS"),
        "ERROR: group_alias is not valid - 1001|NOPE\n",
        None,
    );
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SUPPORT&group_alias=ZEROS&cid_choice=BOGUS"),
        "ERROR: caller_id_number from group_alias is not valid - 1001|ZEROS|0003\n",
        None,
    );
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SUPPORT&group_alias=MAINLINE&cid_choice=BOGUS"),
        "ERROR: cid_choice is not valid - 1001|BOGUS\n",
        None,
    );
}

#[test]
fn order_cid_choice_comes_before_md_check_which_comes_before_tw_check() {
    let base = "value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=YES&tw_check=YES";
    case(&tc(&format!("{base}&cid_choice=BOGUS")), "ERROR: cid_choice is not valid - 1002|BOGUS\n", None);
    case(&tc(base), "ERROR: agent_user has previous active 3-way calls - 1002|2|0|YES\n", None);
}

#[test]
fn order_park_call_value_permission_alt_user_login_lead() {
    case(
        "source=test&user=5555&pass=1234&function=park_call&value=NOPE",
        "ERROR: Invalid Username/Password: |5555|1234|1|0|GOOD|\n",
        None,
    );
    case(&park("value=NOPE&agent_user=9999"), "ERROR: park_call not valid - NOPE|9999\n", None);
    let mut d = dir();
    d.users[0].api_allowed_functions = " transfer_conference ".into();
    case_in(
        &d,
        &park("value=PARK_XFER&alt_user=NOBODY"),
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - PARK_XFER|6666|park_call|ADMIN\n",
        None,
    );
    case(&park("value=PARK_XFER&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
}

#[test]
fn order_force_fronter_value_permission_login_lead_fronter() {
    // Logged in is checked before the lead: 9999 is not logged in (and has no lead).
    case(&fronter("value=LOCAL_AND_CCC&agent_user=9999"), "ERROR: agent_user is not logged in - 9999\n", None);
    case(&fronter("value=LOCAL_AND_CCC&agent_user=1004"), "ERROR: agent_user is not on a phone call - 1004\n", None);
}

// =====================================================================================
// Quirks
// =====================================================================================

#[test]
fn defaultingroup_on_an_inbound_call_is_the_ingroups_default_transfer_group() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1002&ingroup_choices=DEFAULTINGROUP"),
        &format!("SUCCESS: transfer_conference function set - LOCAL_CLOSER|SUPPORT||NO|1002|{CID_1002}|\n"),
        Some(&format!("LOCAL_CLOSER---SUPPORT------NO------------{EPOCH}---")),
    );
}

#[test]
fn defaultingroup_on_an_outbound_call_is_the_campaigns_default_transfer_group() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=DEFAULTINGROUP"),
        &ok_1001("LOCAL_CLOSER", "SALESLINE", "", "NO", ""),
        Some(&format!("LOCAL_CLOSER---SALESLINE------NO------------{EPOCH}---")),
    );
}

#[test]
fn defaultingroup_is_a_substring_match() {
    case(
        &tc("value=PARK_CUSTOMER_DIAL&agent_user=1001&consultative=YES&ingroup_choices=my_DEFAULTINGROUP_please"),
        &ok_1001("PARK_CUSTOMER_DIAL", "SALESLINE", "", "YES", ""),
        Some(&format!("PARK_CUSTOMER_DIAL---SALESLINE------YES------------{EPOCH}---")),
    );
}

#[test]
fn defaultingroup_without_a_call_row_resolves_to_empty() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1005&ingroup_choices=DEFAULTINGROUP"),
        "ERROR: ingroup is not valid - \n",
        None,
    );
}

#[test]
fn defaultingroup_of_an_ingroup_without_default_is_empty() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1006&ingroup_choices=DEFAULTINGROUP"),
        "ERROR: ingroup is not valid - \n",
        None,
    );
}

#[test]
fn defaultingroup_resolving_to_an_inactive_group_prints_the_resolved_group() {
    let mut d = dir();
    d.campaigns[0].default_xfer_group = "OLDLINE".into();
    case_in(
        &d,
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=DEFAULTINGROUP"),
        "ERROR: ingroup is not valid - OLDLINE\n",
        None,
    );
}

#[test]
fn agentdirect_needs_only_an_active_ingroup_row_and_no_phone_number() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT"),
        &ok_1001("LOCAL_CLOSER", "AGENTDIRECT", "", "NO", ""),
        Some(&format!("LOCAL_CLOSER---AGENTDIRECT------NO------------{EPOCH}---")),
    );
    // The agent in phone_number is not checked either (nobody is 4321).
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT&phone_number=4321"),
        &ok_1001("LOCAL_CLOSER", "AGENTDIRECT", "4321", "NO", ""),
        Some(&format!("LOCAL_CLOSER---AGENTDIRECT---4321---NO------------{EPOCH}---")),
    );
    let mut d = dir();
    d.ingroups.retain(|g| g.group_id != "AGENTDIRECT");
    case_in(
        &d,
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT&phone_number=1002"),
        "ERROR: ingroup is not valid - AGENTDIRECT\n",
        None,
    );
    d.ingroups.push(InGroup { group_id: "AGENTDIRECT".into(), active: false, default_xfer_group: String::new() });
    case_in(
        &d,
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT&phone_number=1002"),
        "ERROR: ingroup is not valid - AGENTDIRECT\n",
        None,
    );
}

#[test]
fn an_inactive_ingroup_is_not_valid() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=OLDLINE"),
        "ERROR: ingroup is not valid - OLDLINE\n",
        None,
    );
}

#[test]
fn the_alias_caller_id_number_is_compared_with_4_as_php_8_does() {
    for (alias, cid) in [("EMPTY", ""), ("THREE", "3"), ("ZEROS", "0003")] {
        case(
            &tc(&format!("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876&group_alias={alias}")),
            &format!("ERROR: caller_id_number from group_alias is not valid - 1001|{alias}|{cid}\n"),
            None,
        );
    }
    for (alias, cid) in [("WORDS", "TESTING"), ("MAINLINE", "5551234")] {
        case(
            &tc(&format!("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876&group_alias={alias}")),
            &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", ""),
            Some(&format!("DIAL_WITH_CUSTOMER------5559876---NO------{alias}---{cid}---{EPOCH}---")),
        );
    }
}

#[test]
fn php_8_comparison_edge_cases_for_the_alias_caller_id() {
    // Numeric strings compare as numbers, others as strings against "4".
    for (cid, refused) in [
        (" 3", true),
        ("3.5", true),
        ("-1", true),
        ("4", false),
        ("4.0", false),
        ("12abc", true),
        ("9x", false),
        ("abc", false),
        ("1e3", false),
    ] {
        let mut d = dir();
        d.group_aliases.push(GroupAlias { group_alias_id: "EDGE".into(), caller_id_number: cid.into() });
        let a = ask_in(&d, &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias=EDGE"));
        let expected = if refused {
            format!("ERROR: caller_id_number from group_alias is not valid - 1001|EDGE|{cid}\n")
        } else {
            ok_1001("BLIND_TRANSFER", "", "5559876", "NO", "")
        };
        assert_eq!(a.body(), expected, "caller_id_number {cid:?}");
    }
}

#[test]
fn a_one_character_group_alias_is_not_looked_up_but_is_stored() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias=Q"),
        &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------Q------{EPOCH}---")),
    );
}

#[test]
fn cid_choice_is_a_case_sensitive_substring_and_one_character_passes() {
    for ok in ["CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID", "XCUSTOMERX", "Z"] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice={ok}")),
            &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
            Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---{ok}")),
        );
    }
    for bad in ["BOGUS", "customer", "CUST"] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice={bad}")),
            &format!("ERROR: cid_choice is not valid - 1001|{bad}\n"),
            None,
        );
    }
}

#[test]
fn group_alias_and_cid_choice_are_not_checked_on_path_c() {
    case(
        &tc("value=HANGUP_BOTH&agent_user=1001&group_alias=NOPE&cid_choice=BOGUS"),
        &ok_1001("HANGUP_BOTH", "", "", "NO", ""),
        Some(&bare("HANGUP_BOTH")),
    );
}

fn multi_dial(agent_user: &str, phones: &str) -> String {
    tc(&format!("value=DIAL_WITH_CUSTOMER&agent_user={agent_user}&phone_number=5559876&multi_dial_phones={phones}"))
}

fn dial_stored() -> String {
    format!("DIAL_WITH_CUSTOMER------5559876---NO------------{EPOCH}---")
}

fn press_row(a: &Answer) -> Option<&PressMulti> {
    a.writes.iter().find_map(|w| match w {
        Write::PressMulti(r) => Some(r),
        _ => None,
    })
}

#[test]
fn multi_dial_drops_an_entry_that_is_a_substring_of_one_kept() {
    let a = case(
        &multi_dial("1001", "15551234,5551234"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 1 2 1"),
        Some(&dial_stored()),
    );
    let row = press_row(&a).expect("row");
    assert_eq!((row.phone_numbers.as_str(), row.phone_numbers_ct), ("15551234", 1));
}

#[test]
fn multi_dial_keeps_a_longer_entry_after_its_substring() {
    let a = case(
        &multi_dial("1001", "5551234,15551234"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 2 2 1"),
        Some(&dial_stored()),
    );
    let row = press_row(&a).expect("row");
    assert_eq!(
        row,
        &PressMulti {
            user: "1001".into(),
            phone_numbers: "5551234,15551234".into(),
            phone_numbers_ct: 2,
            status: "NEW".into(),
            call_date: EPOCH
        }
    );
}

#[test]
fn multi_dial_drops_exact_duplicates_and_keeps_5_to_18_digits() {
    case(
        &multi_dial("1001", "5551234,5551234,1234,12345,123456789012345678,1234567890123456789"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 3 6 1"),
        Some(&dial_stored()),
    );
}

#[test]
fn multi_dial_has_no_cap_at_10() {
    let many: Vec<String> = (0..15).map(|i| format!("55500{i:02}")).collect();
    case(
        &multi_dial("1001", &many.join(",")),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 15 15 1"),
        Some(&dial_stored()),
    );
}

#[test]
fn multi_dial_affected_rows_are_1_for_insert_2_for_update_0_for_unchanged() {
    // 1001 has no row: insert.
    let a = case(
        &multi_dial("1001", "5551234"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 1 1 1"),
        Some(&dial_stored()),
    );
    assert!(press_row(&a).is_some());
    // 1005 has 5551234, NEW, at EPOCH: the same row is no change.
    let ok_1005 = |multi: &str| {
        format!("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5559876|NO|1005|{CID_1005}{multi}|\n")
    };
    let a = case(&multi_dial("1005", "5551234"), &ok_1005("|Multi-phones: 1 1 0"), Some(&dial_stored()));
    assert!(press_row(&a).is_some(), "the upsert runs even when it changes nothing");
    case(&multi_dial("1005", "5551235"), &ok_1005("|Multi-phones: 1 1 2"), Some(&dial_stored()));
    // The same numbers one second later: the call date changes, an update.
    let later = answer(&dir(), &full(&multi_dial("1005", "5551234")), EPOCH + 1);
    assert_eq!(later.body(), ok_1005("|Multi-phones: 1 1 2"));
    assert_eq!(
        later.stored().map(|s| s.raw.as_str()),
        Some(format!("DIAL_WITH_CUSTOMER------5559876---NO------------{}---", EPOCH + 1).as_str())
    );
    assert_eq!(press_row(&later).map(|r| r.call_date), Some(EPOCH + 1));
    // A row the AGI already took (PROCESSING) is updated back to NEW.
    let mut d = dir();
    d.press_multi[0].status = "PROCESSING".into();
    case_in(&d, &multi_dial("1005", "5551234"), &ok_1005("|Multi-phones: 1 1 2"), Some(&dial_stored()));
    // Applying an insert makes the same request a no-change.
    let mut d = dir();
    let first = ask_in(&d, &multi_dial("1001", "5550001"));
    d.apply(&first);
    assert_eq!(
        ask_in(&d, &multi_dial("1001", "5550001")).body(),
        ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 1 1 0")
    );
}

#[test]
fn multi_dial_with_nothing_kept_still_prints_the_suffix_with_0_affected() {
    let a = case(
        &multi_dial("1001", "123,4567"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 0 2 0"),
        Some(&dial_stored()),
    );
    assert_eq!(press_row(&a), None, "nothing to upsert");
    // vp = 0 skips md_check too.
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&multi_dial_phones=1,2,3&md_check=YES"),
        &format!("SUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1002|{CID_1002}|Multi-phones: 0 3 0|\n"),
        Some(&bare("HANGUP_XFER")),
    );
}

#[test]
fn multi_dial_of_4_characters_or_fewer_is_not_read() {
    case(&multi_dial("1001", "1234"), &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", ""), Some(&dial_stored()));
    case(&multi_dial("1001", ",,,,"), &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", ""), Some(&dial_stored()));
    case(
        &multi_dial("1001", ",,,,,"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 0 6 0"),
        Some(&dial_stored()),
    );
}

#[test]
fn multi_dial_runs_for_every_successful_path() {
    case(
        &tc("value=HANGUP_BOTH&agent_user=1001&multi_dial_phones=5550001"),
        &ok_1001("HANGUP_BOTH", "", "", "NO", "|Multi-phones: 1 1 1"),
        Some(&bare("HANGUP_BOTH")),
    );
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SUPPORT&multi_dial_phones=5550001"),
        &ok_1001("LOCAL_CLOSER", "SUPPORT", "", "NO", "|Multi-phones: 1 1 1"),
        Some(&format!("LOCAL_CLOSER---SUPPORT------NO------------{EPOCH}---")),
    );
}

#[test]
fn md_check_counts_unfinished_press_1_calls_of_the_last_30_minutes() {
    // 1002: ANSWERED 1 min ago and NEW 2 min ago count; HUNGUP and the one exactly 30 minutes old do not.
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=yes"),
        "ERROR: agent_user has previous active 3-way calls - 1002|2|0|yes\n",
        None,
    );
    // 1001: every recent row is finished; the unfinished one is older than 30 minutes.
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876&multi_dial_phones=5550001&md_check=YES"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 1 1 1"),
        Some(&dial_stored()),
    );
    // md_check matches /YES/i as a substring; anything else does not check.
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=xYeSx"),
        "ERROR: agent_user has previous active 3-way calls - 1002|2|0|xYeSx\n",
        None,
    );
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=Y"),
        &format!("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5559876|NO|1002|{CID_1002}|Multi-phones: 1 1 1|\n"),
        Some(&dial_stored()),
    );
    // Without numbers, md_check is not run.
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&md_check=YES"),
        &format!("SUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1002|{CID_1002}|\n"),
        Some(&bare("HANGUP_XFER")),
    );
}

#[test]
fn md_check_failure_writes_nothing() {
    let a = ask_in(
        &dir(),
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=YES"),
    );
    assert!(a.writes.is_empty(), "{:?}", a.writes);
}

#[test]
fn tw_check_counts_dc_w_channels_on_the_agents_session_for_every_value() {
    for value in ["HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL", "LEAVE_VM"] {
        case(
            &tc(&format!("value={value}&agent_user=1002&tw_check=YES")),
            "ERROR: agent_user has current active 3-way call - 1002|2|0|YES\n",
            None,
        );
    }
    // 1001 has a DC…W channel with its extension, but on another server.
    case(
        &tc("value=HANGUP_XFER&agent_user=1001&tw_check=YES"),
        &ok_1001("HANGUP_XFER", "", "", "NO", ""),
        Some(&bare("HANGUP_XFER")),
    );
    // Without tw_check=…YES… nothing is counted.
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&tw_check=NO"),
        &format!("SUCCESS: transfer_conference function set - HANGUP_XFER|||NO|1002|{CID_1002}|\n"),
        Some(&bare("HANGUP_XFER")),
    );
}

#[test]
fn a_tw_check_failure_leaves_the_press_multi_row_written_r9() {
    let a = case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&tw_check=YES"),
        "ERROR: agent_user has current active 3-way call - 1002|2|0|YES\n",
        None,
    );
    assert_eq!(
        a.writes,
        vec![Write::PressMulti(PressMulti {
            user: "1002".into(),
            phone_numbers: "5550001".into(),
            phone_numbers_ct: 1,
            status: "NEW".into(),
            call_date: EPOCH,
        })]
    );
    let mut d = dir();
    d.apply(&a);
    assert!(d.press_multi.iter().any(|r| r.user == "1002" && r.status == "NEW"));
}

#[test]
fn alt_user_replaces_agent_user_with_the_first_user_by_custom_three() {
    // 1001 and 1011 both have EMP1; 1001 comes first. alt_user wins over agent_user.
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&alt_user=EMP1"),
        &ok_1001("HANGUP_XFER", "", "", "NO", ""),
        Some(&bare("HANGUP_XFER")),
    );
    let a = case(
        &park("value=PARK_XFER&alt_user=EMP2"),
        "SUCCESS: park_call function set - PARK_XFER|1002\n",
        Some("PARK_XFER"),
    );
    assert_eq!(a.stored().unwrap().agent_user, "1002");
}

#[test]
fn alt_user_no_user_found_is_not_terminal_for_every_function() {
    case(
        &park("value=PARK_CUSTOMER&agent_user=1001&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nSUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case(
        &hangup("value=1&agent_user=1004&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nSUCCESS: external_hangup function set - 1|1004\n",
        Some("1"),
    );
    case(
        &fronter("value=LOCAL_ONLY&agent_user=1002&alt_user=NOBODY"),
        "ERROR: no user found - NOBODY\nSUCCESS: force_fronter_leave_3way SENT - 1001",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    let a = ask_in(&dir(), &tc("value=HANGUP_XFER&agent_user=1001&alt_user=NOBODY"));
    assert_eq!(a.lines.len(), 2);
    assert!(a.succeeded(), "the outcome is the last line");
}

#[test]
fn the_not_valid_line_echoes_agent_user_even_when_alt_user_is_given() {
    case(
        &tc("value=HANGUP&agent_user=1002&alt_user=EMP1"),
        "ERROR: transfer_conference not valid - HANGUP|1002\n",
        None,
    );
}

#[test]
fn park_call_accepts_any_value_containing_a_park_word() {
    for value in [
        "XPARK_CUSTOMERX",
        "SWAP_PARK_CUSTOMER",
        "SWAP_PARK_XFER",
        "HANGUP_XFER_GRAB_CUSTOMER",
        "GRAB_IVR_CUSTOMER",
        "PARK_IVR_CUSTOMER",
        "GRAB_XFER",
    ] {
        let a = case(
            &park(&format!("value={value}&agent_user=1001")),
            &format!("SUCCESS: park_call function set - {value}|1001\n"),
            Some(value),
        );
        assert_eq!(a.stored().unwrap().write, ApiWrite::ParkCall(ParkSlot::decode(value)));
    }
    let a = ask_in(&dir(), &park("value=XPARK_CUSTOMERX&agent_user=1001"));
    assert!(matches!(&a.stored().unwrap().write, ApiWrite::ParkCall(ParkSlot::Other(v)) if &**v == "XPARK_CUSTOMERX"));
}

#[test]
fn park_call_is_accepted_on_the_disposition_screen_but_transfer_conference_is_not() {
    case(
        &park("value=GRAB_CUSTOMER&agent_user=1003"),
        "SUCCESS: park_call function set - GRAB_CUSTOMER|1003\n",
        Some("GRAB_CUSTOMER"),
    );
    case(&tc("value=HANGUP_BOTH&agent_user=1003"), "ERROR: agent_user does not have a live call - 1003\n", None);
}

#[test]
fn external_hangup_needs_no_call_and_takes_any_non_empty_value() {
    case(&hangup("value=1&agent_user=1004"), "SUCCESS: external_hangup function set - 1|1004\n", Some("1"));
    case(&hangup("value=1&agent_user=1003"), "SUCCESS: external_hangup function set - 1|1003\n", Some("1"));
    let a = case(
        &hangup("value=HANG_UP&agent_user=1004"),
        "SUCCESS: external_hangup function set - HANG_UP|1004\n",
        // external_hangup is VARCHAR(1): the column keeps `H` (§15.4).
        Some("H"),
    );
    assert_eq!(a.stored().unwrap().write, ApiWrite::ExternalHangup(HangupSlot("H".into())));
}

#[test]
fn force_fronter_picks_the_oldest_last_call_time_and_writes_into_the_fronters_slot() {
    let a = case(
        &fronter("value=LOCAL_ONLY&agent_user=1002"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some("LEAVE_3WAY_CALL---------NO------------1700000000"),
    );
    let s = a.stored().unwrap();
    assert_eq!((s.agent_user.as_str(), s.slot), ("1001", SlotName::TransferConf));
    assert_eq!(s.write, ApiWrite::ForcedLeave3Way(CommandId::epoch(EPOCH)));
    // From 1001's side the oldest other agent is 1007 (1500), not 1002 (2000).
    case(
        &fronter("value=LOCAL_ONLY&agent_user=1001"),
        "SUCCESS: force_fronter_leave_3way SENT - 1007",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    // Applying it fills the fronter's column, not the caller's.
    let mut d = dir();
    d.apply(&a);
    assert_eq!(d.agent("1001").unwrap().external_transferconf, bare("LEAVE_3WAY_CALL"));
    assert_eq!(d.agent("1002").unwrap().external_transferconf, "");
}

#[test]
fn force_fronter_takes_the_first_row_on_a_tie() {
    let mut d = dir();
    d.agents.iter_mut().find(|a| a.user == "1001").unwrap().last_call_time = 1500;
    case_in(
        &d,
        &fronter("value=LOCAL_ONLY&agent_user=1002"),
        "SUCCESS: force_fronter_leave_3way SENT - 1007",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
}

#[test]
fn force_fronter_does_not_check_the_fronters_call_state() {
    // 1003 (lead 200) is on its disposition screen; 1008 is live on the same lead.
    case(
        &fronter("value=LOCAL_ONLY&agent_user=1008"),
        "SUCCESS: force_fronter_leave_3way SENT - 1003",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    // And the requesting agent only needs a lead (1003 has no live call).
    case(
        &fronter("value=LOCAL_ONLY&agent_user=1003"),
        "SUCCESS: force_fronter_leave_3way SENT - 1008",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
}

#[test]
fn force_fronter_local_and_ccc_forwards_only_when_no_local_fronter_and_a_reachable_record() {
    // A local fronter wins over the CCC record.
    case(
        &fronter("value=LOCAL_AND_CCC&agent_user=1002"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    // LOCAL_ONLY never forwards.
    case(&fronter("value=LOCAL_ONLY&agent_user=1005"), "ERROR: no fronter found - 1005\n", None);
    // An unreachable remote cluster is no fronter.
    let a = case(&fronter("value=LOCAL_AND_CCC&agent_user=1010"), "ERROR: no fronter found - 1010\n", None);
    assert!(a.writes.is_empty());
    // Nor is a lead without any cross-cluster record (1006 is alone on lead 400).
    let a = case(&fronter("value=LOCAL_AND_CCC&agent_user=1006"), "ERROR: no fronter found - 1006\n", None);
    assert!(a.writes.is_empty());
    // The requesting agent needs only a lead: 1003, on its disposition screen, forwards
    // once 1008 (the other agent on lead 200) is gone and the lead has a record.
    let mut d = dir();
    d.agents.retain(|a| a.user != "1008");
    d.ccc.push(CccRecord {
        lead_id: 200,
        remote_lead_id: 9200,
        container_id: "CLUSTER_D".into(),
        reachable: true,
        ..CccRecord::default()
    });
    let a = case_in(
        &d,
        &fronter("value=LOCAL_AND_CCC&agent_user=1003"),
        "SUCCESS: force_fronter_leave_3way command sent over CCC - CLUSTER_D\n",
        None,
    );
    assert_eq!(
        a.writes,
        vec![Write::Remote { container_id: "CLUSTER_D".into(), lead_id: 9200, url: remote_url(9200) }]
    );
}

#[test]
fn force_fronter_local_and_ccc_calls_the_one_record_it_looks_up() {
    // §4.3 step 6: "Not found and LOCAL_AND_CCC → looks up a cross-cluster (CCC) record for
    // the lead and calls the remote API URL with value=CCC_REMOTE; on an HTTP success prints
    // … Otherwise → ERROR: no fronter found". One record is looked up (the first for the
    // lead) and one call made: a later reachable record for the same lead is not tried.
    let mut d = dir();
    d.ccc.push(CccRecord {
        lead_id: 600,
        remote_lead_id: 9600,
        container_id: "CLUSTER_E".into(),
        reachable: true,
        ..CccRecord::default()
    });
    let a = case_in(&d, &fronter("value=LOCAL_AND_CCC&agent_user=1010"), "ERROR: no fronter found - 1010\n", None);
    assert!(a.writes.is_empty(), "{:?}", a.writes);
    // The other way round, the first record answers.
    let mut d = dir();
    d.ccc.insert(
        0,
        CccRecord {
            lead_id: 300,
            remote_lead_id: 9300,
            container_id: "CLUSTER_F".into(),
            reachable: true,
            ..CccRecord::default()
        },
    );
    d.ccc.push(CccRecord {
        lead_id: 300,
        remote_lead_id: 9300,
        container_id: "CLUSTER_G".into(),
        reachable: false,
        ..CccRecord::default()
    });
    let a = case_in(
        &d,
        &fronter("value=LOCAL_AND_CCC&agent_user=1005"),
        "SUCCESS: force_fronter_leave_3way command sent over CCC - CLUSTER_F\n",
        None,
    );
    assert_eq!(
        a.writes,
        vec![Write::Remote { container_id: "CLUSTER_F".into(), lead_id: 9300, url: remote_url(9300) }]
    );
}

#[test]
fn force_fronter_ccc_remote_needs_no_login_but_a_lead_id() {
    case(
        &fronter("value=CCC_REMOTE&agent_user=9999&lead_id=100"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    case(&fronter("value=CCC_REMOTE&agent_user=9999"), "ERROR: agent_user is not on a phone call - 9999\n", None);
    case(&fronter("value=CCC_REMOTE&agent_user=9999&lead_id=777"), "ERROR: no fronter found - 9999\n", None);
    // CCC_REMOTE looks for the lead_id parameter's lead, not the logged-in agent's lead.
    case(
        &fronter("value=CCC_REMOTE&agent_user=1005&lead_id=200"),
        "SUCCESS: force_fronter_leave_3way SENT - 1003",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    // This used to expect `not on a phone call - 1005`, but the check is on the agent's own
    // lead: §4.3 step 5, "If neither `lead_id > 0` nor (`CCC_REMOTE` with a non-empty
    // lead_id) → ERROR", and §1.5, it "only checks `lead_id > 0` of the *requesting* agent".
    // 1005 has lead 300, so it passes (see the next test).
    case(
        &fronter("value=CCC_REMOTE&agent_user=1005"),
        "SUCCESS: force_fronter_leave_3way SENT - 1004",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
}

#[test]
fn force_fronter_ccc_remote_with_lead_id_0_passes_the_lead_check_and_matches_an_agent_without_a_lead() {
    // §4.3 step 5 lets CCC_REMOTE through with any non-empty lead_id, "0" included; step 6
    // then looks for another agent with lead_id 0: the waiting 1004.
    case(
        &fronter("value=CCC_REMOTE&agent_user=9999&lead_id=0"),
        "SUCCESS: force_fronter_leave_3way SENT - 1004",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
}

#[test]
fn force_fronter_lead_check_is_on_the_requesting_agents_lead_even_for_ccc_remote() {
    // §4.3 step 5: "If neither `lead_id > 0` nor (`CCC_REMOTE` with a non-empty lead_id) →
    // ERROR: agent_user is not on a phone call"; §1.5: force_fronter_leave_3way "only checks
    // `lead_id > 0` of the *requesting* agent"; §12: "lead_id > 0 on agent_user". So a
    // CCC_REMOTE from a logged-in agent with a lead passes without the lead_id parameter.
    // The lead looked for is still the (empty) parameter, read as lead 0 as with
    // `lead_id=0` above: the waiting 1004.
    let a = case(
        &fronter("value=CCC_REMOTE&agent_user=1005"),
        "SUCCESS: force_fronter_leave_3way SENT - 1004",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    assert_eq!(a.stored().unwrap().agent_user, "1004");
    // 1003, on its disposition screen, still has its lead: it passes as well.
    case(
        &fronter("value=CCC_REMOTE&agent_user=1003"),
        "SUCCESS: force_fronter_leave_3way SENT - 1004",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    // Neither a lead on the agent's row nor a lead_id parameter: refused.
    case(&fronter("value=CCC_REMOTE&agent_user=1004"), "ERROR: agent_user is not on a phone call - 1004\n", None);
    case(&fronter("value=CCC_REMOTE&agent_user=9999"), "ERROR: agent_user is not on a phone call - 9999\n", None);
}

#[test]
fn consultative_is_echoed_yes_on_path_b_but_stored_no() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&consultative=YES"),
        &ok_1001("BLIND_TRANSFER", "", "5559876", "YES", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---")),
    );
    case(
        &tc("value=LEAVE_VM&agent_user=1001&consultative=YES"),
        &ok_1001("LEAVE_VM", "", "", "YES", ""),
        Some(&format!("LEAVE_VM---------NO------------{EPOCH}---")),
    );
    // Path C too.
    case(
        &tc("value=HANGUP_XFER&agent_user=1001&consultative=YES"),
        &ok_1001("HANGUP_XFER", "", "", "YES", ""),
        Some(&bare("HANGUP_XFER")),
    );
}

#[test]
fn dial_override_is_dropped_on_path_a_and_kept_as_sent_on_path_b() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=YES&ingroup_choices=SUPPORT&dial_override=YES"),
        &ok_1001("DIAL_WITH_CUSTOMER", "SUPPORT", "", "YES", ""),
        Some(&format!("DIAL_WITH_CUSTOMER---SUPPORT------YES------------{EPOCH}---")),
    );
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=SUPPORT&dial_override=YES"),
        &ok_1001("LOCAL_CLOSER", "SUPPORT", "", "NO", ""),
        Some(&format!("LOCAL_CLOSER---SUPPORT------NO------------{EPOCH}---")),
    );
    case(
        &tc("value=PARK_CUSTOMER_DIAL&agent_user=1001&phone_number=5559876&dial_override=MAYBE"),
        &ok_1001("PARK_CUSTOMER_DIAL", "", "5559876", "NO", ""),
        Some(&format!("PARK_CUSTOMER_DIAL------5559876---NO---MAYBE---------{EPOCH}---")),
    );
}

#[test]
fn ingroup_is_echoed_but_not_stored_on_path_b_and_not_even_checked() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876&ingroup_choices=NOPE"),
        &ok_1001("DIAL_WITH_CUSTOMER", "NOPE", "5559876", "NO", ""),
        Some(&dial_stored()),
    );
    // DEFAULTINGROUP is not resolved off path A.
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&ingroup_choices=DEFAULTINGROUP"),
        &ok_1001("BLIND_TRANSFER", "DEFAULTINGROUP", "5559876", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---")),
    );
}

#[test]
fn phone_number_is_not_required_on_path_b() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001"),
        &ok_1001("BLIND_TRANSFER", "", "", "NO", ""),
        Some(&format!("BLIND_TRANSFER---------NO------------{EPOCH}---")),
    );
}

#[test]
fn leave_vm_is_exactly_8_characters() {
    case(
        &tc("value=LEAVE_VM&agent_user=1001"),
        &ok_1001("LEAVE_VM", "", "", "NO", ""),
        Some(&format!("LEAVE_VM---------NO------------{EPOCH}---")),
    );
}

// ---- §3.6: the three encodings ----

#[test]
fn path_a_encoding_has_nine_fields_with_an_empty_override() {
    let a = case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=YES&ingroup_choices=AGENTDIRECT&phone_number=1002&dial_override=YES&group_alias=MAINLINE&cid_choice=CUSTOMER&multi_dial_phones=5550001"),
        &ok_1001("DIAL_WITH_CUSTOMER", "AGENTDIRECT", "1002", "YES", "|Multi-phones: 1 1 1"),
        Some("DIAL_WITH_CUSTOMER---AGENTDIRECT---1002---YES------MAINLINE---5551234---1700000000---CUSTOMER"),
    );
    let raw = &a.stored().unwrap().raw;
    assert_eq!(raw.split("---").count(), 9);
    let slot = TransferSlot::decode(raw).unwrap();
    assert_eq!(a.stored().unwrap().write, ApiWrite::TransferConference(slot));
}

#[test]
fn path_a_local_closer_stores_the_normalised_consultative() {
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&consultative=YES&ingroup_choices=SUPPORT&phone_number=5559876&group_alias=WORDS&cid_choice=CAMPAIGN"),
        &ok_1001("LOCAL_CLOSER", "SUPPORT", "5559876", "YES", ""),
        Some("LOCAL_CLOSER---SUPPORT---5559876---YES------WORDS---TESTING---1700000000---CAMPAIGN"),
    );
}

#[test]
fn path_b_encoding_has_nine_fields_with_no_ingroup_and_no_consultative() {
    let a = case(
        &tc("value=PARK_CUSTOMER_DIAL&agent_user=1001&phone_number=5559876&dial_override=NO&group_alias=MAINLINE&cid_choice=AGENT_PHONE&ingroup_choices=SUPPORT"),
        &ok_1001("PARK_CUSTOMER_DIAL", "SUPPORT", "5559876", "NO", ""),
        Some("PARK_CUSTOMER_DIAL------5559876---NO---NO---MAINLINE---5551234---1700000000---AGENT_PHONE"),
    );
    assert_eq!(a.stored().unwrap().raw.split("---").count(), 9);
}

#[test]
fn path_c_encoding_has_eight_fields_and_ignores_every_parameter() {
    for value in ["HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL"] {
        let a = case(
            &tc(&format!("value={value}&agent_user=1001&phone_number=5559876&ingroup_choices=SUPPORT&dial_override=YES&group_alias=MAINLINE&cid_choice=CUSTOMER")),
            &ok_1001(value, "SUPPORT", "5559876", "NO", ""),
            Some(&bare(value)),
        );
        let raw = &a.stored().unwrap().raw;
        assert_eq!(raw, &format!("{value}---------NO------------1700000000"));
        assert_eq!(raw.split("---").count(), 8);
    }
}

// =====================================================================================
// §2: one test per sanitisation rule, and URL decoding
// =====================================================================================

#[test]
fn sanitise_value_keeps_dash_pipe_underscore_letters_digits() {
    case(
        &hangup("value=a%20b|c-d_e.f%21&agent_user=1004"),
        "SUCCESS: external_hangup function set - ab|c-d_ef|1004\n",
        // The answer echoes the whole value; VARCHAR(1) keeps `a` (§15.4).
        Some("a"),
    );
    // "HANGUP XFER" loses its space and is no value api.php knows.
    case(&tc("value=HANGUP+XFER&agent_user=1001"), "ERROR: value is not valid - HANGUPXFER|6666\n", None);
    // Stripping can make a value short.
    case(&tc("value=LEAVE.VM&agent_user=1001"), "ERROR: transfer_conference not valid - LEAVEVM|1001\n", None);
}

#[test]
fn sanitise_agent_user_keeps_dash_underscore_letters_digits() {
    case(
        &park("value=PARK_CUSTOMER&agent_user=10%2001"),
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case(&park("value=PARK_CUSTOMER&agent_user=ag-ent_1%7C"), "ERROR: agent_user is not logged in - ag-ent_1\n", None);
    // Only punctuation: empty, hence no agent.
    case(&park("value=PARK_CUSTOMER&agent_user=%21%21"), "ERROR: park_call not valid - PARK_CUSTOMER|\n", None);
}

#[test]
fn sanitise_alt_user_keeps_letters_and_digits_only() {
    case(
        &park("value=PARK_CUSTOMER&alt_user=EMP_1"),
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case(
        &park("value=PARK_CUSTOMER&alt_user=E-M-P-9&agent_user=1001"),
        "ERROR: no user found - EMP9\nSUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
}

#[test]
fn sanitise_phone_number_keeps_digits_star_hash() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=(555)+987-6543*%23x"),
        &ok_1001("BLIND_TRANSFER", "", "5559876543*#", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876543*#---NO------------{EPOCH}---")),
    );
}

#[test]
fn sanitise_ingroup_choices_turns_plus_into_space_and_keeps_dash_space_underscore() {
    for sent in ["SALES+LINE", "SALES%2BLINE", "SALES%20LINE", "SALES%2BLINE%21"] {
        case(
            &tc(&format!("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices={sent}")),
            &ok_1001("LOCAL_CLOSER", "SALES LINE", "", "NO", ""),
            Some(&format!("LOCAL_CLOSER---SALES LINE------NO------------{EPOCH}---")),
        );
    }
    case(
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=A-B_C%3B"),
        &ok_1001("LOCAL_CLOSER", "A-B_C", "", "NO", ""),
        Some(&format!("LOCAL_CLOSER---A-B_C------NO------------{EPOCH}---")),
    );
}

#[test]
fn sanitise_group_alias_strips_underscores_and_dashes() {
    for sent in ["MAIN_LINE", "MAIN-LINE", "_MAINLINE-"] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias={sent}")),
            &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
            Some(&format!("BLIND_TRANSFER------5559876---NO------MAINLINE---5551234---{EPOCH}---")),
        );
    }
    // An alias id with an underscore in the table can never be named.
    let mut d = dir();
    d.group_aliases.push(GroupAlias { group_alias_id: "MY_ALIAS".into(), caller_id_number: "5550000".into() });
    case_in(
        &d,
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&group_alias=MY_ALIAS"),
        "ERROR: group_alias is not valid - 1001|MYALIAS\n",
        None,
    );
}

#[test]
fn sanitise_cid_choice_keeps_dash_underscore_letters_digits() {
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice=CUSTOM_CID%20%21"),
        &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---CUSTOM_CID")),
    );
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice=X-CAMPAIGN"),
        &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---X-CAMPAIGN")),
    );
    // Sanitising runs before the keyword test: punctuation inside a keyword is dropped.
    case(
        &tc("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&cid_choice=CUS.TOMER"),
        &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
        Some(&format!("BLIND_TRANSFER------5559876---NO------------{EPOCH}---CUSTOMER")),
    );
}

#[test]
fn sanitise_dial_override_keeps_capitals_only_and_does_not_normalise() {
    for (sent, kept) in [("yes", ""), ("Yes", "Y"), ("Y.E.S", "YES"), ("YES", "YES"), ("N0", "N")] {
        case(
            &tc(&format!("value=BLIND_TRANSFER&agent_user=1001&phone_number=5559876&dial_override={sent}")),
            &ok_1001("BLIND_TRANSFER", "", "5559876", "NO", ""),
            Some(&format!("BLIND_TRANSFER------5559876---NO---{kept}---------{EPOCH}---")),
        );
    }
}

#[test]
fn sanitise_consultative_keeps_capitals_then_anything_but_yes_is_no() {
    // YES after stripping: path A.
    for sent in ["YES", "Y.E.S", "Y+E+S", "yYES"] {
        case(
            &tc(&format!("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative={sent}&ingroup_choices=SUPPORT")),
            &ok_1001("DIAL_WITH_CUSTOMER", "SUPPORT", "", "YES", ""),
            Some(&format!("DIAL_WITH_CUSTOMER---SUPPORT------YES------------{EPOCH}---")),
        );
    }
    // Anything else is NO: path B.
    for sent in ["yes", "YESS", "Y", "TRUE", "1", ""] {
        case(
            &tc(&format!("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative={sent}&ingroup_choices=SUPPORT&phone_number=5559876")),
            &ok_1001("DIAL_WITH_CUSTOMER", "SUPPORT", "5559876", "NO", ""),
            Some(&dial_stored()),
        );
    }
}

#[test]
fn sanitise_multi_dial_phones_keeps_digits_and_commas() {
    let a = case(
        &multi_dial("1001", "(555)123-4567,+555.987.6543;"),
        &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 2 2 1"),
        Some(&dial_stored()),
    );
    assert_eq!(press_row(&a).unwrap().phone_numbers, "5551234567,5559876543");
    // Stripping can make it too short to be read.
    case(&multi_dial("1001", "12-34"), &ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", ""), Some(&dial_stored()));
}

#[test]
fn sanitise_md_check_keeps_letters_and_digits() {
    case(
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=%21Y-E-S%21"),
        "ERROR: agent_user has previous active 3-way calls - 1002|2|0|YES\n",
        None,
    );
}

#[test]
fn sanitise_tw_check_keeps_letters_and_digits() {
    case(
        &tc("value=HANGUP_XFER&agent_user=1002&tw_check=y_e_s"),
        "ERROR: agent_user has current active 3-way call - 1002|2|0|yes\n",
        None,
    );
}

#[test]
fn md_check_and_tw_check_stay_ascii_in_non_latin_mode() {
    // api.php filters both before its latin/non-latin branch; `source`, filtered inside
    // it, keeps the letter.
    let mut d = dir();
    d.system.charset = Charset::NonLatin;
    case_in(
        &d,
        &tc("value=HANGUP_XFER&agent_user=1002&tw_check=y%C3%A9es"),
        "ERROR: agent_user has current active 3-way call - 1002|2|0|yes\n",
        None,
    );
    case_in(
        &d,
        &tc("value=DIAL_WITH_CUSTOMER&agent_user=1002&phone_number=5559876&multi_dial_phones=5550001&md_check=%C3%89YES"),
        "ERROR: agent_user has previous active 3-way calls - 1002|2|0|YES\n",
        None,
    );
    // `é` is two bytes: long enough for the source check (a latin server would strip it).
    case_in(
        &d,
        "source=%C3%A9&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case("source=%C3%A9&user=6666&pass=1234&function=park_call", "ERROR: Invalid Source - \n", None);
}

#[test]
fn sanitise_source_keeps_letters_and_digits() {
    case(
        "source=t.e.s.t&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case("source=-t-&user=6666&pass=1234&function=park_call", "ERROR: Invalid Source - t\n", None);
}

#[test]
fn sanitise_lead_id_keeps_digits() {
    case(
        &fronter("value=CCC_REMOTE&agent_user=9999&lead_id=1-0-0"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001",
        Some(&bare("LEAVE_3WAY_CALL")),
    );
    case(
        &fronter("value=CCC_REMOTE&agent_user=9999&lead_id=abc"),
        "ERROR: agent_user is not on a phone call - 9999\n",
        None,
    );
}

#[test]
fn sanitise_user_keeps_dash_underscore_alnum_and_pass_also_dot_plus_slash_equals() {
    // api.php: `user` `[-_0-9a-zA-Z]`, `pass` `[-.+/=_0-9a-zA-Z]` (after its general
    // filter of quotes, backslash, semicolon and space, which both classes exclude).
    case(
        "source=test&user=66%2766&pass=12%20%3B34&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    case(
        "source=test&user=%226666%5C&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n",
        Some("PARK_CUSTOMER"),
    );
    // Other punctuation goes too: `|`, `!`, `@`, a newline. The login then succeeds as
    // 6666, but the permission row is read with `66|66\n` (only the generic filter ran
    // on it, §15.2), which matches no user: empty group, no function allowed.
    case(
        "source=test&user=66|66%0A&pass=12!3@4&function=park_call&value=PARK_CUSTOMER&agent_user=1001",
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - PARK_CUSTOMER|6666|park_call|\n",
        None,
    );
    // The error line shows what is left (an unencoded quote is stripped too).
    case("source=test&user=66'66&pass=12%2034;x&function=park_call", &bad("6666", "1234x", 1), None);
    // `pass` keeps `-` `.` `+` (sent as %2B) `/` `=` `_`; `user` keeps `-` and `_` only.
    case("source=test&user=66.6-6_&pass=1-2.3%2B4/5=6_7&function=park_call", &bad("666-6_", "1-2.3+4/5=6_7", 0), None);
}

#[test]
fn non_latin_mode_keeps_any_letter() {
    let mut d = dir();
    d.system.charset = Charset::NonLatin;
    d.ingroups.push(InGroup { group_id: "VENTES_É".into(), ..InGroup::default() });
    case_in(
        &d,
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=VENTES_%C3%89"),
        &ok_1001("LOCAL_CLOSER", "VENTES_É", "", "NO", ""),
        Some(&format!("LOCAL_CLOSER---VENTES_É------NO------------{EPOCH}---")),
    );
    // In latin mode the É is stripped.
    case_in(
        &{
            let mut d = d.clone();
            d.system.charset = Charset::Latin;
            d
        },
        &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=VENTES_%C3%89"),
        "ERROR: ingroup is not valid - VENTES_\n",
        None,
    );
}

#[test]
fn non_latin_mode_keeps_letters_only_not_marks_or_letter_like_numbers() {
    // `\p{L}` is the general category L: Devanagari vowel signs and the virama (Mn)
    // are dropped, the Roman numeral Ⅻ (Nl) and the circled Ⓐ (So) too; ª (Lo),
    // ǅ (Lt) and ʰ (Lm) are letters and stay. ASCII digits stay, other digits do not.
    let mut d = dir();
    d.system.charset = Charset::NonLatin;
    let value = "नमस्ते_Ⅻ-Ⓐ|ªǅʰ_12٣";
    let encoded: String = value.bytes().map(|b| format!("%{b:02X}")).collect();
    case_in(
        &d,
        &hangup(&format!("value={encoded}&agent_user=1004")),
        "SUCCESS: external_hangup function set - नमसत_-|ªǅʰ_12|1004\n",
        // VARCHAR(1) keeps one character, not one byte (§15.4).
        Some("न"),
    );
}

#[test]
fn post_fills_the_parameters_the_query_string_lacks_and_get_wins_per_parameter() {
    // §2: GET, falling back to POST. Everything in the body.
    let a = ask_in(&dir(), &with_post_fallback("", &full(&park("value=PARK_CUSTOMER&agent_user=1001"))));
    assert_eq!(a.body(), "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n");
    // The query's value wins, even empty (`isset`); the body fills the rest.
    let q = with_post_fallback(
        &format!("{LOGIN}&function=park_call&value="),
        "value=PARK_CUSTOMER&agent_user=1001&function=transfer_conference",
    );
    let a = ask_in(&dir(), &q);
    assert_eq!(a.body(), "ERROR: park_call not valid - |1001\n");
    // Keys match as PHP reads them (decoded, `.` as `_`): agent.user in the query hides
    // the body's agent_user.
    let q = with_post_fallback(
        &format!("{LOGIN}&function=park_call&agent.user=1002"),
        "agent_user=1001&value=GRAB_CUSTOMER",
    );
    case_in(&dir(), &q, "SUCCESS: park_call function set - GRAB_CUSTOMER|1002\n", Some("GRAB_CUSTOMER"));
    // Repeated keys inside the body: the last wins there too.
    let q = with_post_fallback(&full(&park("agent_user=1001")), "value=PARK_XFER&value=GRAB_XFER");
    assert_eq!(ask_in(&dir(), &q).body(), "SUCCESS: park_call function set - GRAB_XFER|1001\n");
    assert_eq!(Params::from_query(&q, Charset::Latin).repeated, vec![Param::Value]);
    // No body: the query unchanged.
    assert_eq!(with_post_fallback("a=1&b", ""), "a=1&b");
}

#[test]
fn url_decoding_percent_2b_is_a_plus_and_plus_is_a_space() {
    // %2B is a literal +, which the external_hangup value drops; + is a space, dropped too.
    case(&hangup("value=1%2B1&agent_user=1004"), "SUCCESS: external_hangup function set - 11|1004\n", Some("1"));
    case(&hangup("value=1+1&agent_user=1004"), "SUCCESS: external_hangup function set - 11|1004\n", Some("1"));
    // Keys are decoded too, and a dot or space in a key reads as an underscore.
    case(
        "source=test&user=6666&pass=1234&function=park_call&value=PARK_XFER&agent%5Fuser=1001",
        "SUCCESS: park_call function set - PARK_XFER|1001\n",
        Some("PARK_XFER"),
    );
    case(
        "source=test&user=6666&pass=1234&function=park_call&value=PARK_XFER&agent.user=1001",
        "SUCCESS: park_call function set - PARK_XFER|1001\n",
        Some("PARK_XFER"),
    );
    case(
        "source=test&user=6666&pass=1234&function=park_call&value=PARK_XFER&agent+user=1001",
        "SUCCESS: park_call function set - PARK_XFER|1001\n",
        Some("PARK_XFER"),
    );
    // Malformed escapes stay as they are (and are then sanitised away).
    case(&hangup("value=%zz1%4&agent_user=1004"), "SUCCESS: external_hangup function set - zz14|1004\n", Some("z"));
}

#[test]
fn url_decoding_the_last_of_repeated_keys_wins() {
    case(
        &park("value=PARK_XFER&agent_user=9999&agent_user=1001&value=GRAB_XFER"),
        "SUCCESS: park_call function set - GRAB_XFER|1001\n",
        Some("GRAB_XFER"),
    );
    // An empty last value wins too.
    case(&park("value=PARK_XFER&agent_user=1001&agent_user="), "ERROR: park_call not valid - PARK_XFER|\n", None);
    let p = Params::from_query("value=A&value=B&user=x&value=C", Charset::Latin);
    assert_eq!(p.get(Param::Value), "C");
    assert_eq!(p.repeated, vec![Param::Value]);
}

#[test]
fn url_decoding_an_array_value_is_a_type_error_and_a_bare_key_an_empty_value() {
    // `value[]=…` makes an array; park_call's preg_match on it is PHP 8's TypeError (§15.6).
    let a = case(&park("value[]=PARK_XFER&agent_user=1001"), "", None);
    assert_eq!((a.fatal.clone(), a.http_status()), (Some(Fatal::ArrayParameter { param: Param::Value }), 500));
    // A bare key is an empty value.
    case(&park("value=PARK_XFER&agent_user"), "ERROR: park_call not valid - PARK_XFER|\n", None);
}

// =====================================================================================
// Round trips
// =====================================================================================

/// One line of each variant.
fn one_of_each_line() -> Vec<Line> {
    let s = String::from;
    let errors = vec![
        ApiError::InvalidSource { source: s("a") },
        ApiError::InvalidLogin { user: s("6666"), pass: s("x"), auth: 0, auth_api: 1, auth_message: s("BAD") },
        ApiError::ApiNotActive,
        ApiError::NotValid { function: Function::TransferConference, value: s("HANGUP"), agent_user: s("1001") },
        ApiError::NotValid { function: Function::ParkCall, value: s("P|A|R|K"), agent_user: s("") },
        ApiError::NotValid { function: Function::ExternalHangup, value: s(""), agent_user: s("1001") },
        ApiError::NotValid { function: Function::ForceFronterLeave3Way, value: s("LOCAL"), agent_user: s("1002") },
        ApiError::NoPermission { value: s("V"), user: s("7777"), function: Function::ParkCall, user_group: s("CRM") },
        ApiError::NoUserFound { alt_user: s("NOBODY") },
        ApiError::NotLoggedIn { agent_user: s("9999") },
        ApiError::NoLiveCall { agent_user: s("1003") },
        ApiError::NoLead { agent_user: s("1004") },
        ApiError::NotOnPhoneCall { agent_user: s("1004") },
        ApiError::IngroupNotValid { ingroup: s("") },
        ApiError::GroupAliasNotValid { agent_user: s("1001"), group_alias: s("NOPE") },
        ApiError::AliasCallerIdNotValid { agent_user: s("1001"), group_alias: s("EMPTY"), caller_id_number: s("") },
        ApiError::CidChoiceNotValid { agent_user: s("1001"), cid_choice: s("BOGUS") },
        ApiError::ValueNotValid { value: s("A|B|C_LONG"), user: s("6666") },
        ApiError::PreviousActive3Way { agent_user: s("1002"), count: 2, md_check: s("yes") },
        ApiError::CurrentActive3Way { agent_user: s("1002"), count: 10, tw_check: s("YES") },
        ApiError::NoFronterFound { agent_user: s("1005") },
    ];
    let successes = vec![
        Success::TransferConference {
            value: s("DIAL_WITH_CUSTOMER"),
            ingroup: s("SALES LINE"),
            phone: s("5551234"),
            consultative: s("YES"),
            agent_user: s("1001"),
            callerid: s(CID_1001),
            multi: None,
        },
        Success::TransferConference {
            value: s("X|Y"),
            ingroup: s(""),
            phone: s(""),
            consultative: s("NO"),
            agent_user: s("1001"),
            callerid: s(CID_1001),
            multi: Some(MultiPhones { accepted: 0, sent: 3, affected: 0 }),
        },
        Success::ParkCall { value: s("XPARK_CUSTOMERX"), agent_user: s("1001") },
        Success::ExternalHangup { value: s("1"), agent_user: s("1004") },
        Success::FronterSent { fronter: s("1001") },
        Success::SentOverCcc { container_id: s("CLUSTER_B") },
    ];
    errors.into_iter().map(Line::Error).chain(successes.into_iter().map(Line::Success)).collect()
}

#[test]
fn every_line_variant_parses_back_from_its_rendering() {
    let lines = one_of_each_line();
    let kinds: std::collections::BTreeSet<ErrorKind> =
        lines.iter().filter_map(|l| if let Line::Error(e) = l { Some(e.kind()) } else { None }).collect();
    assert_eq!(kinds.len(), 18, "every ErrorKind is covered");
    for line in &lines {
        let text = line.to_string();
        assert_eq!(Line::parse(&text).as_ref(), Ok(line), "{text:?}");
        assert_eq!(text.ends_with('\n'), line.has_newline());
    }
    // A whole body of all of them (the newline-less one last, as api.php would end).
    let body: String = lines.iter().filter(|l| l.has_newline()).map(ToString::to_string).collect();
    let expected: Vec<Line> = lines.iter().filter(|l| l.has_newline()).cloned().collect();
    assert_eq!(Line::parse_body(&body), Ok(expected));
}

#[test]
fn rendered_lines_are_the_spec_text() {
    let rendered: Vec<String> = one_of_each_line().iter().map(ToString::to_string).collect();
    assert_eq!(
        rendered,
        [
            "ERROR: Invalid Source - a\n",
            "ERROR: Invalid Username/Password: |6666|x|0|1|BAD|\n",
            "ERROR: System API NOT ACTIVE\n",
            "ERROR: transfer_conference not valid - HANGUP|1001\n",
            "ERROR: park_call not valid - P|A|R|K|\n",
            "ERROR: external_hangup not valid - |1001\n",
            "ERROR: force_fronter_leave_3way not valid - LOCAL|1002\n",
            "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - V|7777|park_call|CRM\n",
            "ERROR: no user found - NOBODY\n",
            "ERROR: agent_user is not logged in - 9999\n",
            "ERROR: agent_user does not have a live call - 1003\n",
            "ERROR: agent_user does not have a lead on their screen - 1004\n",
            "ERROR: agent_user is not on a phone call - 1004\n",
            "ERROR: ingroup is not valid - \n",
            "ERROR: group_alias is not valid - 1001|NOPE\n",
            "ERROR: caller_id_number from group_alias is not valid - 1001|EMPTY|\n",
            "ERROR: cid_choice is not valid - 1001|BOGUS\n",
            "ERROR: value is not valid - A|B|C_LONG|6666\n",
            "ERROR: agent_user has previous active 3-way calls - 1002|2|0|yes\n",
            "ERROR: agent_user has current active 3-way call - 1002|10|0|YES\n",
            "ERROR: no fronter found - 1005\n",
            "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER|SALES LINE|5551234|YES|1001|V1000000000000000100|\n",
            "SUCCESS: transfer_conference function set - X|Y|||NO|1001|V1000000000000000100|Multi-phones: 0 3 0|\n",
            "SUCCESS: park_call function set - XPARK_CUSTOMERX|1001\n",
            "SUCCESS: external_hangup function set - 1|1004\n",
            "SUCCESS: force_fronter_leave_3way SENT - 1001",
            "SUCCESS: force_fronter_leave_3way command sent over CCC - CLUSTER_B\n",
        ]
    );
}

#[test]
fn text_that_is_not_an_answer_line_does_not_parse() {
    for bad in [
        "",
        "\n",
        "OK",
        "ERROR:",
        "ERROR: ",
        "SUCCESS: park_call",
        "ERROR: agent_user has current active 3-way call - 1002|x|0|YES",
    ] {
        assert!(Line::parse(bad).is_err(), "{bad:?}");
    }
    assert!(Line::parse_body("SUCCESS: force_fronter_leave_3way SENT - 1001ERROR: System API NOT ACTIVE\n").is_ok());
    assert!(Line::parse_body("garbage\n").is_err());
}

fn auth() -> Auth {
    Auth { source: "test".into(), user: "6666".into(), pass: "1234".into() }
}

fn by_agent(agent_user: &str) -> AgentRef {
    AgentRef { agent_user: agent_user.into(), alt_user: String::new() }
}

fn transfer(command: TransferCommand, extras: Extras) -> Request {
    Request { auth: auth(), agent: by_agent("1001"), call: Call::TransferConference { command, extras } }
}

/// One request per TransferCommand variant (both in-group kinds), park, hangup, each FronterMode.
fn clean_requests() -> Vec<Request> {
    let none = Extras::default();
    let cid = |alias: &str, cid: &str| CallerIdChoice { group_alias: alias.into(), cid_choice: cid.into() };
    let mut v = vec![
        transfer(TransferCommand::HangupXfer, none.clone()),
        transfer(TransferCommand::HangupBoth, Extras { tw_check: true, ..Extras::default() }),
        transfer(TransferCommand::Leave3WayCall, none.clone()),
        transfer(
            TransferCommand::BlindTransfer { number: "5559876".into(), dial_override: Override::Yes },
            none.clone(),
        ),
        transfer(
            TransferCommand::BlindTransfer { number: "5559876".into(), dial_override: Override::Keep },
            none.clone(),
        ),
        transfer(TransferCommand::LeaveVm, none.clone()),
        transfer(TransferCommand::LocalCloser(InGroupChoice::Named("SUPPORT".into())), none.clone()),
        transfer(TransferCommand::LocalCloser(InGroupChoice::Named("SALES LINE".into())), none.clone()),
        transfer(TransferCommand::LocalCloser(InGroupChoice::Default), none.clone()),
        transfer(
            TransferCommand::LocalCloser(InGroupChoice::AgentDirect {
                group: "AGENTDIRECT".into(),
                agent: "1002".into(),
            }),
            none.clone(),
        ),
        transfer(
            TransferCommand::DialWithCustomer(Dial::Number {
                number: "5559876".into(),
                dial_override: Override::No,
                caller_id: cid("MAINLINE", "CUSTOMER"),
            }),
            Extras { multi_dial_phones: vec!["5550001".into(), "15550002".into()], md_check: true, tw_check: true },
        ),
        transfer(
            TransferCommand::DialWithCustomer(Dial::Consultative {
                to: InGroupChoice::AgentDirect { group: "AGENTDIRECT".into(), agent: "1002".into() },
                caller_id: cid("WORDS", "CAMPAIGN"),
            }),
            none.clone(),
        ),
        transfer(
            TransferCommand::ParkCustomerDial(Dial::Number {
                number: "5559876".into(),
                dial_override: Override::Yes,
                caller_id: cid("MAINLINE", ""),
            }),
            none.clone(),
        ),
        transfer(
            TransferCommand::ParkCustomerDial(Dial::Consultative {
                to: InGroupChoice::Default,
                caller_id: cid("", ""),
            }),
            none.clone(),
        ),
    ];
    let other = |agent: AgentRef, call: Call| Request { auth: auth(), agent, call };
    v.extend([
        other(by_agent("1001"), Call::ParkCall(ParkSlot::Known(ParkValue::ParkCustomer))),
        other(by_agent("1001"), Call::ParkCall(ParkSlot::Known(ParkValue::HangupXferGrabCustomer))),
        other(
            AgentRef { agent_user: String::new(), alt_user: "EMP1".into() },
            Call::ExternalHangup(HangupSlot("1".into())),
        ),
        other(by_agent("1002"), Call::ForceFronterLeave3Way(FronterMode::LocalOnly)),
        other(by_agent("1005"), Call::ForceFronterLeave3Way(FronterMode::LocalAndCcc)),
        other(by_agent("9999"), Call::ForceFronterLeave3Way(FronterMode::CccRemote { lead_id: 100 })),
    ]);
    v
}

#[test]
fn typed_requests_round_trip_through_queries_without_warnings() {
    for r in clean_requests() {
        let q = r.to_query();
        let parsed = Request::from_query(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert_eq!(parsed.request, r, "{q}");
        assert_eq!(parsed.warnings, vec![], "{q}");
        assert_eq!(Request::from_query_strict(&q).as_ref(), Ok(&r));
    }
}

#[test]
fn typed_requests_are_answered_as_meant() {
    let d = dir();
    let bodies: Vec<String> = clean_requests().iter().map(|r| ask_in(&d, &r.to_query()).body()).collect();
    let ok =
        |value: &str, ingroup: &str, phone: &str, consultative: &str| ok_1001(value, ingroup, phone, consultative, "");
    assert_eq!(
        bodies,
        [
            ok("HANGUP_XFER", "", "", "NO"),
            ok("HANGUP_BOTH", "", "", "NO"),
            ok("LEAVE_3WAY_CALL", "", "", "NO"),
            ok("BLIND_TRANSFER", "", "5559876", "NO"),
            ok("BLIND_TRANSFER", "", "5559876", "NO"),
            ok("LEAVE_VM", "", "", "NO"),
            ok("LOCAL_CLOSER", "SUPPORT", "", "NO"),
            ok("LOCAL_CLOSER", "SALES LINE", "", "NO"),
            ok("LOCAL_CLOSER", "SALESLINE", "", "NO"),
            ok("LOCAL_CLOSER", "AGENTDIRECT", "1002", "NO"),
            ok_1001("DIAL_WITH_CUSTOMER", "", "5559876", "NO", "|Multi-phones: 2 2 1"),
            ok("DIAL_WITH_CUSTOMER", "AGENTDIRECT", "1002", "YES"),
            ok("PARK_CUSTOMER_DIAL", "", "5559876", "NO"),
            ok("PARK_CUSTOMER_DIAL", "SALESLINE", "", "YES"),
            "SUCCESS: park_call function set - PARK_CUSTOMER|1001\n".into(),
            "SUCCESS: park_call function set - HANGUP_XFER_GRAB_CUSTOMER|1001\n".into(),
            "SUCCESS: external_hangup function set - 1|1001\n".into(),
            "SUCCESS: force_fronter_leave_3way SENT - 1001".into(),
            "SUCCESS: force_fronter_leave_3way command sent over CCC - CLUSTER_B\n".into(),
            "SUCCESS: force_fronter_leave_3way SENT - 1001".into(),
        ]
    );
}

#[test]
fn typed_requests_are_answered_like_the_query_they_were_read_from() {
    let mut d = dir();
    d.ingroups.push(InGroup { group_id: "Sales_AgentDirect".into(), ..InGroup::default() });
    for rest in [
        "function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP",
        "function=transfer_conference&value=DIAL_WITH_CUSTOMER&consultative=YES&ingroup_choices=AGENTDIRECT&phone_number=1002&group_alias=MAINLINE&cid_choice=CUSTOMER",
        "function=transfer_conference&value=PARK_CUSTOMER_DIAL&phone_number=5551234&dial_override=YES",
        "function=park_call&value=SWAP_PARK_CUSTOMER",
        "function=force_fronter_leave_3way&value=LOCAL_ONLY",
        // Any in-group whose id contains AGENTDIRECT (any case) takes the agent (§6.5).
        "function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=Sales_AgentDirect&phone_number=1001",
    ] {
        let q = format!("{LOGIN}&agent_user=1002&{rest}");
        let typed = Request::from_query_strict(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let original = ask_in(&d, &q);
        assert!(original.succeeded(), "{q}: {}", original.body());
        assert_eq!(ask_in(&d, &typed.to_query()), original, "{q}");
    }
}

#[test]
fn typed_reading_of_a_query() {
    let parsed = Request::from_query(&format!(
        "{LOGIN}&agent_user=1001&function=transfer_conference&value=PARK_CUSTOMER_DIAL&consultative=YES&ingroup_choices=DEFAULTINGROUP&group_alias=MAINLINE"
    ))
    .unwrap();
    assert_eq!(parsed.warnings, vec![]);
    assert_eq!(
        parsed.request.call,
        Call::TransferConference {
            command: TransferCommand::ParkCustomerDial(Dial::Consultative {
                to: InGroupChoice::Default,
                caller_id: CallerIdChoice { group_alias: "MAINLINE".into(), cid_choice: String::new() },
            }),
            extras: Extras::default(),
        }
    );
    assert_eq!(parsed.request.function(), Function::TransferConference);
    assert_eq!(parsed.request.value(), "PARK_CUSTOMER_DIAL");
}

#[track_caller]
fn strict_refuses(rest: &str, warning: Warning) {
    match Request::from_query_strict(&format!("{LOGIN}&{rest}")) {
        Err(RequestError::Strict(ws)) => assert!(ws.contains(&warning), "{rest}: {ws:?}"),
        other => panic!("{rest}: {other:?}"),
    }
    // Non-strict reading gives the request with the same warning.
    let parsed = Request::from_query(&format!("{LOGIN}&{rest}")).expect("readable");
    assert!(parsed.warnings.contains(&warning));
}

#[test]
fn strict_mode_refuses_an_unknown_park_value() {
    strict_refuses(
        "function=park_call&agent_user=1001&value=XPARK_CUSTOMERX",
        Warning::UnknownParkValue("XPARK_CUSTOMERX".into()),
    );
}

#[test]
fn strict_mode_refuses_agentdirect_without_an_agent() {
    strict_refuses(
        "function=transfer_conference&agent_user=1001&value=LOCAL_CLOSER&ingroup_choices=AGENTDIRECT",
        Warning::AgentDirectWithoutAgent,
    );
    strict_refuses(
        "function=transfer_conference&agent_user=1001&value=DIAL_WITH_CUSTOMER&consultative=YES&ingroup_choices=AGENTDIRECT",
        Warning::AgentDirectWithoutAgent,
    );
}

#[test]
fn strict_mode_refuses_blind_transfer_without_a_number() {
    strict_refuses(
        "function=transfer_conference&agent_user=1001&value=BLIND_TRANSFER",
        Warning::BlindTransferWithoutNumber,
    );
}

#[test]
fn strict_mode_refuses_consultative_yes_on_blind_transfer() {
    strict_refuses(
        "function=transfer_conference&agent_user=1001&value=BLIND_TRANSFER&phone_number=5559876&consultative=YES",
        Warning::ConsultativeIgnored("BLIND_TRANSFER".into()),
    );
}

#[test]
fn strict_mode_refuses_an_ingroup_on_a_number_dial() {
    strict_refuses(
        "function=transfer_conference&agent_user=1001&value=DIAL_WITH_CUSTOMER&phone_number=5559876&ingroup_choices=SALESLINE",
        Warning::IngroupWithoutConsultative,
    );
}

#[test]
fn strict_mode_refuses_an_external_hangup_value_other_than_1() {
    strict_refuses("function=external_hangup&agent_user=1001&value=2", Warning::ExternalHangupNotOne("2".into()));
}

#[test]
fn strict_mode_refuses_sanitised_and_repeated_parameters() {
    strict_refuses(
        "function=park_call&agent_user=10.01&value=PARK_CUSTOMER",
        Warning::Sanitised { param: Param::AgentUser, sent: "10.01".into(), used: "1001".into() },
    );
    strict_refuses(
        "function=park_call&agent_user=1001&value=PARK_XFER&value=PARK_CUSTOMER",
        Warning::Repeated(Param::Value),
    );
}

#[test]
fn typed_reading_refuses_what_api_php_always_refuses() {
    let read = |rest: &str| Request::from_query(&format!("{LOGIN}&{rest}")).map(|p| p.request);
    assert_eq!(
        read("function=external_status&agent_user=1001"),
        Err(RequestError::UnknownFunction("external_status".into()))
    );
    assert_eq!(read("function=park_call&value=PARK_XFER"), Err(RequestError::MissingAgent));
    assert_eq!(
        read("function=park_call&agent_user=1001&value=PARKING"),
        Err(RequestError::InvalidValue { function: Function::ParkCall, value: "PARKING".into() })
    );
    assert_eq!(
        read("function=transfer_conference&agent_user=1001&value=TRANSFER_NOW"),
        Err(RequestError::InvalidValue { function: Function::TransferConference, value: "TRANSFER_NOW".into() })
    );
    // api.php refuses this one only when the agent has no lead (§4.3 step 5); the typed
    // layer cannot represent a CCC_REMOTE without its lead in any case.
    assert_eq!(
        read("function=force_fronter_leave_3way&agent_user=1001&value=CCC_REMOTE"),
        Err(RequestError::MissingLeadId)
    );
}

// =====================================================================================
// Accepted commands feed the core model
// =====================================================================================

/// Feeds the stored command to a session on a call and runs one tick.
fn run_stored(a: &Answer) -> (Vec<Effect>, Vec<Event>) {
    let stored = a.stored().expect("a stored command");
    let mut session = Session::default();
    session.handle(NetEvent::CallArrives { lead: LeadId(7) }).expect("a call");
    session.handle(Input::Api(stored.write.clone())).expect("stage 1");
    let (effects, events) = session.handle(ScreenInput::Tick).expect("stage 2");
    (effects.into_iter().collect(), events.into_iter().collect())
}

#[test]
fn dial_with_customer_makes_the_screen_originate_the_number() {
    let a = ask_in(&dir(), &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&phone_number=5559876"));
    let (effects, events) = run_stored(&a);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Originate { target: DialTarget::Number(n), .. } if n.ends_with("5559876"))),
        "{effects:?}"
    );
    assert!(events.contains(&Event::Executed(Executed::Transfer(TransferFunction::DialWithCustomer))), "{events:?}");
}

#[test]
fn a_consultative_dial_originates_into_the_resolved_ingroup() {
    let a =
        ask_in(&dir(), &tc("value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=YES&ingroup_choices=DEFAULTINGROUP"));
    let (effects, _) = run_stored(&a);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Originate { target: DialTarget::Consultative { group, .. }, .. } if &**group == "SALESLINE")),
        "{effects:?}"
    );
}

#[test]
fn local_closer_redirects_the_customer_to_the_ingroup() {
    let a = ask_in(&dir(), &tc("value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=AGENTDIRECT&phone_number=1002"));
    let (effects, _) = run_stored(&a);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Redirect { to: Destination::InGroup { group, agent }, .. } if &**group == "AGENTDIRECT" && &**agent == "1002")),
        "{effects:?}"
    );
}

#[test]
fn park_call_parks_the_customer() {
    let a = ask_in(&dir(), &park("value=PARK_CUSTOMER&agent_user=1001"));
    let (effects, _) = run_stored(&a);
    assert!(effects.iter().any(|e| matches!(e, Effect::Park { .. })), "{effects:?}");
}

#[test]
fn external_hangup_hangs_up_the_customer() {
    let a = ask_in(&dir(), &hangup("value=1&agent_user=1004"));
    let (effects, events) = run_stored(&a);
    assert!(effects.iter().any(|e| matches!(e, Effect::Hangup { .. })), "{effects:?}");
    assert!(events.contains(&Event::DispositionOpened), "{events:?}");
}

#[test]
fn force_fronter_makes_the_fronter_leave_the_3way_call() {
    let a = ask_in(&dir(), &fronter("value=LOCAL_ONLY&agent_user=1002"));
    // A fronter whose screen has found a third party in this login leaves ...
    let stored = a.stored().expect("a stored command");
    let mut session = Session::default();
    session.handle(NetEvent::CallArrives { lead: LeadId(7) }).expect("a call");
    let dial = TransferSlot::decode("DIAL_WITH_CUSTOMER------5551234---NO------------1---").expect("a command");
    session.handle(ApiWrite::TransferConference(dial)).expect("stage 1");
    session.handle(ScreenInput::Tick).expect("the dial");
    session.handle(ScreenInput::OriginateCompleted).expect("the Originate's answer");
    let x = session.legs.xfers[0].id;
    session.handle(NetEvent::Answered(x)).expect("answered");
    session.handle(ScreenInput::Tick).expect("a look");
    session.handle(ScreenInput::LookCompleted).expect("the look's answer");
    session.handle(Input::Api(stored.write.clone())).expect("stage 1");
    let (effects, _) = session.handle(ScreenInput::Tick).expect("stage 2");
    assert!(effects.iter().any(|e| matches!(e, Effect::MoveAgent { .. })), "{effects:?}");
    // ... one that never found one throws in the poll handler (F1, D19).
    let (effects, events) = run_stored(&a);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(events.contains(&Event::Leave3WayRefused(Leave3WayRefusal::NoXferChannelYet)), "{events:?}");
}

#[test]
fn hangup_both_hangs_up_and_opens_the_disposition_screen() {
    let a = ask_in(&dir(), &tc("value=HANGUP_BOTH&agent_user=1001"));
    let (effects, events) = run_stored(&a);
    assert!(effects.iter().any(|e| matches!(e, Effect::Hangup { .. })), "{effects:?}");
    assert!(events.contains(&Event::DispositionOpened), "{events:?}");
}

// =====================================================================================
// Garbage never panics
// =====================================================================================

/// Asserts that the body parses and renders back to the same bytes.
#[track_caller]
fn answers_cleanly(d: &Directory, q: &str) {
    let a = answer(d, q, EPOCH);
    let body = a.body();
    let lines = Line::parse_body(&body).unwrap_or_else(|e| panic!("{q:?}: {e}"));
    assert_eq!(lines.iter().map(ToString::to_string).collect::<String>(), body, "{q:?}");
    // Every write is a slot write only after a SUCCESS, or a press-1 row.
    if a.stored().is_some() {
        assert!(a.succeeded(), "{q:?}");
    }
}

#[test]
fn odd_queries_always_get_an_answer_that_parses() {
    let d = dir();
    let long = "9".repeat(20_000);
    let long_word = "ABC_".repeat(5_000);
    let raw: Vec<String> = vec![
        String::new(),
        "&&&".into(),
        "=".into(),
        "==&==".into(),
        "%".into(),
        "%%%".into(),
        "%zz".into(),
        "%ff%fe".into(),
        "?".into(),
        "&=&=&".into(),
        "source".into(),
        "source=&user=&pass=".into(),
        format!("{LOGIN}&function"),
        format!("{LOGIN}&function="),
        format!("{LOGIN}&&&function=park_call&&&"),
        "source=%ff%fe&user=%ff%fe&pass=%ff%fe".into(),
        "source=test&user=%0A%0A&pass=%0A|%0A".into(),
        "source=test&user=a|b|0|0|BAD|%0Ab&pass=x".into(),
        "source=test&user=ERROR:%0A&pass=|%0A".into(),
        format!("source=test&user={long}&pass={long}"),
        "%zz%4".into(),
        "%ff%fe%00".into(),
        format!("{LOGIN}&function=transfer_conference&value={long_word}&agent_user={long_word}"),
        format!("{LOGIN}&function=park_call&value=%0A%0D&agent_user=%0A"),
    ];
    let odd_values: Vec<String> = vec![
        String::new(),
        "%".into(),
        "%zz".into(),
        "%ff%fe".into(),
        "%C3%28".into(),
        "%00".into(),
        "%0A".into(),
        "%0D%0A".into(),
        "|".into(),
        "||||".into(),
        "---".into(),
        "-".into(),
        ",,,,,,".into(),
        "+".into(),
        "%2B".into(),
        "=".into(),
        "DEFAULTINGROUP".into(),
        "AGENTDIRECT".into(),
        "YES".into(),
        "LOCAL_CLOSER".into(),
        "CCC_REMOTE".into(),
        "PARK_CUSTOMER".into(),
        "99999999999999999999999999".into(),
        long.clone(),
        long_word.clone(),
    ];
    let functions = ["transfer_conference", "park_call", "external_hangup", "force_fronter_leave_3way", "bogus", ""];
    let mut count = 0;
    for q in &raw {
        answers_cleanly(&d, q);
        count += 1;
    }
    for f in functions {
        // Every parameter empty.
        let empty: Vec<String> = Param::ALL.iter().map(|p| format!("{}=", p.as_str())).collect();
        answers_cleanly(&d, &format!("{}&source=test&user=6666&pass=1234&function={f}", empty.join("&")));
        answers_cleanly(&d, &format!("{LOGIN}&function={f}"));
        answers_cleanly(
            &d,
            &format!("{LOGIN}&function={f}&value=LOCAL_CLOSER&agent_user=1001&multi_dial_phones=,,,,,&lead_id=99999999999999999999999"),
        );
        count += 3;
        for p in Param::ALL {
            for v in &odd_values {
                let base = match f {
                    "transfer_conference" => {
                        "value=DIAL_WITH_CUSTOMER&agent_user=1001&consultative=YES&ingroup_choices=SUPPORT"
                    }
                    "park_call" => "value=PARK_CUSTOMER&agent_user=1001",
                    "external_hangup" => "value=1&agent_user=1001",
                    "force_fronter_leave_3way" => "value=LOCAL_AND_CCC&agent_user=1002",
                    _ => "value=X&agent_user=1001",
                };
                answers_cleanly(&d, &format!("{LOGIN}&function={f}&{base}&{}={v}", p.as_str()));
                count += 1;
            }
        }
    }
    assert!(count > 600, "{count} queries");
}

#[test]
fn odd_queries_do_not_panic_the_typed_layer() {
    for q in [
        "",
        "&&&",
        "=",
        "%",
        "%ff%fe",
        "function=park_call&agent_user=1&value=%ff",
        "function=transfer_conference&alt_user=ZZ&value=DIAL_WITH_CUSTOMER&multi_dial_phones=,,,,,,,",
    ] {
        let _ = Request::from_query(q);
        let _ = Request::from_query_strict(q);
    }
}

// =====================================================================================
// examples/world.json
// =====================================================================================

#[test]
fn the_example_world_answers_the_documented_query() {
    let d: Directory =
        serde_json::from_str(include_str!("../examples/world.json")).expect("examples/world.json is a Directory");
    let a = answer(
        &d,
        "source=crm&user=6666&pass=1234&agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234",
        1_764_000_000,
    );
    assert_eq!(
        a.body(),
        "SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|1001|V1125080012000004711|\n"
    );
    assert_eq!(Line::parse_body(&a.body()).as_ref(), Ok(&a.lines));
    let s = a.stored().expect("stored");
    assert_eq!((s.agent_user.as_str(), s.slot), ("1001", SlotName::TransferConf));
    assert_eq!(s.slot.column(), "external_transferconf");
    assert_eq!(s.raw, "DIAL_WITH_CUSTOMER------5551234---NO------------1764000000---");
    // The stored command is what the newcomer's screen then executes.
    let (effects, events) = run_stored(&a);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Originate { target: DialTarget::Number(n), .. } if n.ends_with("5551234"))),
        "{effects:?}"
    );
    assert!(events.contains(&Event::Executed(Executed::Transfer(TransferFunction::DialWithCustomer))), "{events:?}");
}

#[test]
fn the_example_world_has_what_docs_api_md_describes() {
    let d: Directory = serde_json::from_str(include_str!("../examples/world.json")).unwrap();
    let q = |rest: &str| answer(&d, &format!("source=crm&user=6666&pass=1234&{rest}"), 1_764_000_000).body();
    // DEFAULTINGROUP on 1001's outbound call, on 1002's inbound call.
    assert_eq!(
        q("agent_user=1001&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP"),
        "SUCCESS: transfer_conference function set - LOCAL_CLOSER|SALESLINE||NO|1001|V1125080012000004711|\n"
    );
    assert_eq!(
        q("agent_user=1002&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=DEFAULTINGROUP"),
        "SUCCESS: transfer_conference function set - LOCAL_CLOSER|SUPPORT||NO|1002|Y1125080112000004711|\n"
    );
    // The inactive in-group, the short alias, the 3-way channel, the disposition screen.
    assert_eq!(
        q("agent_user=1001&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=OLDLINE"),
        "ERROR: ingroup is not valid - OLDLINE\n"
    );
    assert_eq!(
        q("agent_user=1001&function=transfer_conference&value=BLIND_TRANSFER&phone_number=5551234&group_alias=SHORT"),
        "ERROR: caller_id_number from group_alias is not valid - 1001|SHORT|3\n"
    );
    assert_eq!(
        q("agent_user=1002&function=transfer_conference&value=HANGUP_XFER&tw_check=YES"),
        "ERROR: agent_user has current active 3-way call - 1002|1|0|YES\n"
    );
    assert_eq!(
        q("agent_user=1003&function=transfer_conference&value=HANGUP_BOTH"),
        "ERROR: agent_user does not have a live call - 1003\n"
    );
    assert_eq!(
        q("agent_user=1003&function=park_call&value=GRAB_CUSTOMER"),
        "SUCCESS: park_call function set - GRAB_CUSTOMER|1003\n"
    );
    // The closer makes the fronter leave.
    assert_eq!(
        q("agent_user=1002&function=force_fronter_leave_3way&value=LOCAL_ONLY"),
        "SUCCESS: force_fronter_leave_3way SENT - 1001"
    );
    // 7777 may only park and hang up.
    assert_eq!(
        answer(
            &d,
            "source=crm&user=7777&pass=1234&agent_user=1001&function=transfer_conference&value=HANGUP_XFER",
            1_764_000_000
        )
        .body(),
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - HANGUP_XFER|7777|transfer_conference|CRM\n"
    );
}
