//! api.php's debug output (docs/vicidial.md §15.5, D11), its `version` answer, the POST `value`
//! fallback (D15) and array parameters past the first check (§15.6): every byte as
//! api.php 2.14-81 prints it (`www/agc/api.php`; docs/api.md maps each rule to its line).

mod common;

use common::api_world::{self, live, CID, EPOCH};
use vicixfer::api::*;

/// The edge world (`tests/common/api_world.rs`) with web debugging allowed.
fn world() -> Directory {
    let mut d = api_world::world();
    d.system.allow_web_debug = true;
    d
}

fn ask(d: &Directory, query: &str) -> Answer {
    answer(d, query, EPOCH)
}

const AUTH: &str = "source=test&user=6666&pass=1234";

/// The three statements every request past the login prints with `DB` on.
const PREAMBLE: &str = "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='6666';|\n\
|SELECT count(*) from vicidial_users where user='6666' and vdc_agent_api_access='1';|\n\
|SELECT count(*) from system_settings where vdc_agent_api_active='1';|\n";

fn head(user: &str) -> String {
    format!(
        "<html>\n<head>\n<!-- VERSION: 2.14-81     BUILD: 240429-2220    USER: {user}\n<title>VICIDiaL Agent API</title>\n\
         </head>\n<BODY BGCOLOR=white marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n"
    )
}

fn tail(runtime: u64) -> String {
    format!("\n<!-- script runtime: {runtime} seconds -->\n</body>\n</html>\n")
}

// ---- allow_web_debug + DB -------------------------------------------------------------

#[test]
fn db_prints_nothing_unless_the_system_allows_web_debugging() {
    let mut d = world();
    d.system.allow_web_debug = false;
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&DB=1");
    assert_eq!(ask(&d, &q).body(), "SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n");
}

#[test]
fn park_call_with_db_prints_its_statements_before_the_answer() {
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&DB=1");
    let a = ask(&world(), &q);
    assert_eq!(
        a.body(),
        format!(
            "{PREAMBLE}select count(*) from vicidial_live_agents where user='agentx';\n\
             select lead_id from vicidial_live_agents where user='agentx';\n\
             SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n"
        )
    );
    // The outcome is still the answer line; debug lines are presentation.
    assert!(a.succeeded());
    assert!(matches!(a.outcome(), Some(Line::Success(Success::ParkCall { .. }))));
}

#[test]
fn external_hangup_with_alt_user_prints_both_custom_three_statements() {
    let q = format!("{AUTH}&function=external_hangup&value=1&alt_user=CRM1001&DB=1");
    assert_eq!(
        ask(&world(), &q).body(),
        format!(
            "{PREAMBLE}select count(*) from vicidial_users where custom_three='CRM1001';\n\
             select user from vicidial_users where custom_three='CRM1001' order by user;\n\
             select count(*) from vicidial_live_agents where user='agentx';\n\
             SUCCESS: external_hangup function set - 1|agentx\n"
        )
    );
    // No match: one statement, the non-terminal line, then the live-agent count.
    let q = format!("{AUTH}&function=external_hangup&value=1&alt_user=NOBODY&agent_user=agentx&DB=1");
    assert_eq!(
        ask(&world(), &q).body(),
        format!(
            "{PREAMBLE}select count(*) from vicidial_users where custom_three='NOBODY';\n\
             ERROR: no user found - NOBODY\n\
             select count(*) from vicidial_live_agents where user='agentx';\n\
             SUCCESS: external_hangup function set - 1|agentx\n"
        )
    );
}

#[test]
fn the_first_statement_shows_the_generic_filter_and_the_second_the_class_filter() {
    // `.` survives the generic filter (quotes, backslash, `;`, space) but not the class one.
    let q = "source=test&user=66.6%276&pass=1234&function=park_call&DB=1";
    assert_eq!(
        ask(&world(), q).body(),
        "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='66.66';|\n\
         |SELECT count(*) from vicidial_users where user='6666' and vdc_agent_api_access='1';|\n\
         |SELECT count(*) from system_settings where vdc_agent_api_active='1';|\n\
         ERROR: park_call not valid - |\n"
    );
}

#[test]
fn an_invalid_source_prints_only_the_settings_statement() {
    let q = "source=x&user=6666&pass=1234&function=park_call&DB=1";
    assert_eq!(
        ask(&world(), q).body(),
        "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='6666';|\n\
         ERROR: Invalid Source - x\n"
    );
}

#[test]
fn transfer_conference_prints_every_statement_in_order() {
    let mut d = world();
    d.users.push(User { user: "9999".into(), custom_three: "ALT9".into(), ..User::default() });
    d.agents[0].user = "9999".into();
    let q = format!(
        "{AUTH}&function=transfer_conference&value=DIAL_WITH_CUSTOMER&consultative=YES&alt_user=ALT9\
         &ingroup_choices=DEFAULTINGROUP&phone_number=5551234&group_alias=VALIDCID&cid_choice=CUSTOMER\
         &multi_dial_phones=5551111,5552222&md_check=YES&tw_check=YES&DB=1"
    );
    let a = ask(&d, &q);
    let command = "DIAL_WITH_CUSTOMER---SALESLINE---5551234---YES------VALIDCID---3125551234---1700000000---CUSTOMER";
    assert_eq!(
        a.body(),
        format!(
            "{PREAMBLE}select count(*) from vicidial_users where custom_three='ALT9';\n\
             select user from vicidial_users where custom_three='ALT9' order by user;\n\
             select count(*) from vicidial_live_agents where user='9999';\n\
             select lead_id,callerid,server_ip,conf_exten,status from vicidial_live_agents where user='9999';\n\
             select campaign_id,call_type from vicidial_auto_calls where callerid='{CID}';\n\
             select default_xfer_group from vicidial_campaigns where campaign_id='OUTBOUND';\n\
             select count(*) from vicidial_inbound_groups where group_id='SALESLINE' and active='Y';\n\
             select caller_id_number from groups_alias where group_alias_id='VALIDCID';\n\
             select count(*) from vicidial_3way_press_live where user='9999' and status NOT IN\
             ('HUNGUP','DEFEATED','TRANSFER','TOOSLOW','DECLINED') and call_date > \"2023-11-14 21:43:20\";\n\
             SELECT conf_engine from servers where server_ip='10.0.0.1';\n\
             SELECT count(*) from live_sip_channels where server_ip='10.0.0.1' and channel_group LIKE \"DC%W\" and \
             extension='8600051';\n\
             UPDATE vicidial_live_agents set external_transferconf='{command}' where user='9999';\n\
             SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER|SALESLINE|5551234|YES|9999|{CID}\
             |Multi-phones: 2 2 1|\n"
        )
    );
}

#[test]
fn an_inbound_call_reads_the_in_group_and_times_follow_the_server_offset() {
    let mut d = world();
    d.system.utc_offset = -5 * 3600;
    d.auto_calls[0] = AutoCall { callerid: CID.into(), call_type: CallType::In, campaign_id: "SALESLINE".into() };
    d.ingroups[0].default_xfer_group = "SALESLINE".into();
    let q = format!(
        "{AUTH}&function=transfer_conference&value=LOCAL_CLOSER&agent_user=agentx&ingroup_choices=DEFAULTINGROUP\
         &multi_dial_phones=5551111&md_check=yes&DB=1"
    );
    let body = ask(&d, &q).body();
    assert!(
        body.contains("select default_xfer_group from vicidial_inbound_groups where group_id='SALESLINE';\n"),
        "{body}"
    );
    assert!(body.contains("and call_date > \"2023-11-14 16:43:20\";\n"), "{body}");
}

#[test]
fn force_fronter_prints_its_piped_statements_and_the_sent_line_stays_without_newline() {
    let mut d = world();
    d.agents.push(live("fronter", 100, "V1000000000000000101", 500));
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=agentx&DB=1");
    assert_eq!(
        ask(&d, &q).body(),
        format!(
            "{PREAMBLE}SELECT count(*) from vicidial_live_agents where user='agentx';\n\
             |SELECT lead_id from vicidial_live_agents where user='agentx';|\n\
             |SELECT user from vicidial_live_agents where user!='agentx' and lead_id='100' order by last_call_time limit 1;|\n\
             SUCCESS: force_fronter_leave_3way SENT - fronter"
        )
    );
    // CCC_REMOTE prints lead_id as sent.
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=CCC_REMOTE&agent_user=x&lead_id=0100&DB=1");
    let body = ask(&d, &q).body();
    assert!(body.contains("user!='x' and lead_id='0100' order by"), "{body}");
    assert!(body.ends_with("SUCCESS: force_fronter_leave_3way SENT - fronter"), "{body}");
}

/// The shared cross-cluster world (`api_world::ccc_world`) with web debugging allowed
/// and `response` the remote answer.
fn ccc_world(entry: &str, reachable: bool, response: &str) -> Directory {
    let mut d = api_world::ccc_world(entry, reachable);
    d.system.allow_web_debug = true;
    d.ccc[0].response = response.into();
    d
}

#[test]
fn the_ccc_forward_prints_the_url_log_insert_the_url_and_the_first_line_fetched() {
    let entry = "http://b/vicidial/non_agent_api.php?a='x';&function=ccc_lead_info";
    let url = "http://b/agc/api.php?a='x';&function=force_fronter_leave_3way&value=CCC_REMOTE&lead_id=77&agent_user=CCC_REMOTE";
    let logged = "http://b/agc/api.php?a=\\'x\\'&function=force_fronter_leave_3way&value=CCC_REMOTE&lead_id=77&agent_user=CCC_REMOTE";
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=agentx&DB=1");
    let before = format!(
        "{PREAMBLE}SELECT count(*) from vicidial_live_agents where user='agentx';\n\
         |SELECT lead_id from vicidial_live_agents where user='agentx';|\n\
         |SELECT user from vicidial_live_agents where user!='agentx' and lead_id='100' order by last_call_time limit 1;|\n\
         |SELECT remote_lead_id,container_id from vicidial_ccc_log where lead_id='100';|\n\
         |SELECT container_entry from vicidial_settings_containers where container_id='CCC_B';|\n\
         INSERT INTO vicidial_url_log SET uniqueid='',url_date='2023-11-14 22:13:20',url_type='start',url='{logged}',url_response='';\n\
         {url}<BR>\n"
    );
    let a = ask(&ccc_world(entry, true, "SUCCESS: sent\nsecond line\n"), &q);
    assert_eq!(
        a.body(),
        format!("{before}SUCCESS: sent\n<BR>\nSUCCESS: force_fronter_leave_3way command sent over CCC - CCC_B\n")
    );
    let a = ask(&ccc_world(entry, false, ""), &q);
    assert_eq!(a.body(), format!("{before}<BR>\nERROR: no fronter found - agentx\n"));
}

#[test]
fn the_fatal_error_keeps_what_was_printed_before_it() {
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=agentx&DB=1");
    let a = ask(&ccc_world("", true, "x"), &q);
    assert_eq!(a.http_status(), 500);
    let body = a.body();
    assert!(body.ends_with("url='',url_response='';\n<BR>\n"), "{body}");
    // An array user dies at `strlen($user)`, after the login and its statement ran as `Array`.
    let a = ask(&world(), "source=test&user[]=6666&pass=1234&function=park_call&DB=1");
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::User }));
    assert_eq!(
        a.body(),
        "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='Array';|\n\
         |SELECT count(*) from vicidial_users where user='Array' and vdc_agent_api_access='1';|\n"
    );
}

#[test]
fn db_reads_as_php_compares_it() {
    let q = |db: &str| format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=agentx&{db}");
    let d = ccc_world("http://b/ccc_lead_info", false, "");
    // `0` and empty are off; `00` is on for `if ($DB)` but not greater than 0 (no `<BR>`).
    for off in ["DB=0", "DB=", "DB=%2B%2D"] {
        assert_eq!(ask(&d, &q(off)).body(), "ERROR: no fronter found - agentx\n", "{off}");
    }
    let body = ask(&d, &q("DB=00")).body();
    assert!(body.starts_with("|SELECT selected_language") && !body.contains("<BR>"), "{body}");
    for on in ["DB=1", "DB=abc", "DB[]=1", "DB=x%27"] {
        let body = ask(&d, &q(on)).body();
        assert!(body.contains("INSERT INTO vicidial_url_log") && body.contains("<BR>\n"), "{on}: {body}");
    }
}

// ---- format=debug ---------------------------------------------------------------------

#[test]
fn format_debug_wraps_the_answer_and_turns_db_on_after_the_validation() {
    // allow_web_debug is off: the preamble prints nothing, the function's statements do.
    let mut d = world();
    d.system.allow_web_debug = false;
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&format=debug");
    let p = Params::from_query(&q, Charset::Latin);
    let a = answer_timed(&d, &p, EPOCH, 3);
    assert_eq!(
        a.body(),
        format!(
            "{}select count(*) from vicidial_live_agents where user='agentx';\n\
             select lead_id from vicidial_live_agents where user='agentx';\n\
             \n<!-- UPDATE vicidial_live_agents set external_park='PARK_CUSTOMER' where user='agentx'; -->\
             SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n{}",
            head("6666"),
            tail(3)
        )
    );
    assert!(a.succeeded());
    // `answer` is a request that took no time.
    assert!(ask(&d, &q).body().ends_with(&tail(0)));
}

#[test]
fn format_debug_with_allowed_db_prints_the_preamble_too_and_the_close_link_before_the_tail() {
    let q = format!("{AUTH}&function=external_hangup&value=11&agent_user=agentx&format=debug&close_window_link=1&DB=1");
    assert_eq!(
        ask(&world(), &q).body(),
        format!(
            "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='6666';|\n\
             |SELECT count(*) from vicidial_users where user='6666' and vdc_agent_api_access='1';|\n\
             |SELECT count(*) from system_settings where vdc_agent_api_active='1';|\n{}\
             select count(*) from vicidial_live_agents where user='agentx';\n\
             \n<!-- UPDATE vicidial_live_agents set external_hangup='11' where user='agentx'; -->\
             SUCCESS: external_hangup function set - 11|agentx\n\
             \n<a href=\"javascript:window.opener='x';window.close();\">Close This Window</a>\n{}",
            head("6666"),
            tail(0)
        )
    );
}

#[test]
fn transfer_conference_under_format_debug_prints_the_update_twice() {
    let mut d = world();
    d.system.allow_web_debug = false;
    let q = format!("{AUTH}&function=transfer_conference&value=HANGUP_XFER&agent_user=agentx&format=debug");
    let stmt = "UPDATE vicidial_live_agents set external_transferconf='HANGUP_XFER---------NO------------1700000000' where user='agentx';";
    let body = ask(&d, &q).body();
    assert!(body.contains(&format!("\n<!-- {stmt} -->{stmt}\nSUCCESS: transfer_conference")), "{body}");
}

#[test]
fn format_debug_is_printed_only_after_the_validation_and_exits_leave_the_page_open() {
    // A failed login exits before the head.
    let q = "source=test&user=6666&pass=nope&function=park_call&format=debug";
    assert!(ask(&world(), q).body().starts_with("ERROR: Invalid Username/Password: |6666|nope|0|1|BAD|"));
    assert!(!ask(&world(), q).body().contains("<html>"));
    // The permission error exits after the head: no tail.
    let mut d = world();
    d.system.allow_web_debug = false;
    d.users[0].api_allowed_functions = " park_call ".into();
    let q = format!("{AUTH}&function=external_hangup&value=1&agent_user=agentx&format=debug");
    assert_eq!(
        ask(&d, &q).body(),
        format!(
            "{}ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - 1|6666|external_hangup|ADMIN\n",
            head("6666")
        )
    );
    // `format` keeps its class (`de-bug` is `debug`); an array is no string.
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&format=de-bug");
    assert!(ask(&d, &q).body().starts_with("<html>"));
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&format[]=debug");
    assert_eq!(ask(&d, &q).body(), "SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n");
}

// ---- version --------------------------------------------------------------------------

#[test]
fn version_is_answered_before_any_check_in_the_servers_time() {
    let d = Directory::default();
    assert_eq!(
        ask(&d, "function=version").body(),
        "VERSION: 2.14-81|BUILD: 240429-2220|DATE: 2023-11-14 22:13:20|EPOCH: 1700000000\n"
    );
    let mut d = world();
    d.system.utc_offset = 3600;
    d.system.build = vicixfer::Build::Pre240429;
    // With DB on, the settings statement comes first; the close-window link never follows.
    assert_eq!(
        ask(&d, "function=ver%20sion&DB=1&user=6666&close_window_link=1").body(),
        "|SELECT selected_language,api_list_restrict,api_allowed_functions,user_group from vicidial_users where user='6666';|\n\
         VERSION: 2.14-75|BUILD: 230519-0731|DATE: 2023-11-14 23:13:20|EPOCH: 1700000000\n"
    );
}

#[test]
fn the_coffee_functions_are_a_teapot_before_any_check() {
    for f in ["coffee", "start_coffee", "make_coffee", "brew_coffee"] {
        let a = ask(&Directory::default(), &format!("function={f}&close_window_link=1"));
        assert_eq!(a.body(), format!("Coffee: {f}|Error 418 I'm a teapot"), "no newline, no link");
        assert_eq!(a.http_status(), 418);
        assert_eq!(a.lines, vec![Line::Teapot(f.into())]);
        assert_eq!(Line::parse_body(&a.body()), Ok(a.lines.clone()));
        assert_eq!(a.lines[0].remedy(), Some(Remedy::FixRequest));
    }
    // After the settings statement, as the version line.
    let a = ask(&world(), "function=coffee&DB=1&user=6666");
    assert!(a.body().starts_with("|SELECT selected_language,"), "{}", a.body());
    assert!(a.body().ends_with("\nCoffee: coffee|Error 418 I'm a teapot"), "{}", a.body());
    // A near miss is an ordinary request.
    assert_eq!(ask(&Directory::default(), "function=coffe").http_status(), 200);
}

// ---- D15: POST without value ----------------------------------------------------------

fn post(query: &str, body: &str) -> Answer {
    ask(&world(), &with_post_fallback(query, body))
}

#[test]
fn a_post_without_value_takes_the_last_post_variables_value() {
    let a = post("", &format!("{AUTH}&function=external_hangup&agent_user=agentx&x=1"));
    assert_eq!(a.body(), "SUCCESS: external_hangup function set - 1|agentx\n");
    // PHP's array keeps a variable at its first place, with its last value.
    let a = post("", &format!("x=9&{AUTH}&function=external_hangup&agent_user=agentx&x=1&y=2"));
    assert_eq!(a.body(), "SUCCESS: external_hangup function set - 2|agentx\n");
    let a = post("", &format!("{AUTH}&function=external_hangup&agent_user=agentx&y=2&agent_user=agentx"));
    assert_eq!(a.body(), "SUCCESS: external_hangup function set - 2|agentx\n");
    // A value anywhere (GET or POST, even empty) wins; no POST variables, no fallback.
    let a = post("value=", &format!("{AUTH}&function=external_hangup&agent_user=agentx&x=1"));
    assert_eq!(a.body(), "ERROR: external_hangup not valid - |agentx\n");
    let a = post(&format!("{AUTH}&function=external_hangup&agent_user=agentx"), "");
    assert_eq!(a.body(), "ERROR: external_hangup not valid - |agentx\n");
    // The last variable an array: `value` is one, and park_call's preg_match dies on it.
    let a = post("", &format!("{AUTH}&function=park_call&agent_user=agentx&x[]=PARK_CUSTOMER"));
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::Value }));
}

// ---- array parameters past the first check --------------------------------------------

#[test]
fn array_parameters_print_as_array_where_api_php_only_interpolates_them() {
    let q = format!("{AUTH}&function=transfer_conference&value=BLIND_TRANSFER&agent_user=agentx&phone_number[]=5551234&dial_override[]=Y&ingroup_choices[]=X");
    let a = ask(&world(), &q);
    assert_eq!(
        a.body(),
        format!("SUCCESS: transfer_conference function set - BLIND_TRANSFER|Array|Array|NO|agentx|{CID}|\n")
    );
    assert_eq!(a.stored().unwrap().raw, "BLIND_TRANSFER------Array---NO---Array---------1700000000---");
    // `$close_window_link > 0`: an array is greater than any number.
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&close_window_link[]=0");
    assert!(ask(&world(), &q).body().ends_with("Close This Window</a>\n"));
    // `consultative` is compared (`!= 'YES'`), so an array is `NO`.
    let q = format!("{AUTH}&function=transfer_conference&value=DIAL_WITH_CUSTOMER&agent_user=agentx&consultative[]=YES&phone_number=5551234");
    assert!(ask(&world(), &q).body().contains("|5551234|NO|agentx|"));
}

#[test]
fn array_parameters_die_where_api_php_first_measures_them() {
    let die = |q: String, param: Param| {
        let a = ask(&world(), &q);
        assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param }), "{q}: {}", a.body());
        assert_eq!(a.http_status(), 500);
        assert!(a.writes.is_empty(), "{q}");
    };
    let tc = format!("{AUTH}&function=transfer_conference&agent_user=agentx");
    die(format!("{tc}&value=LOCAL_CLOSER&ingroup_choices[]=SALESLINE"), Param::IngroupChoices);
    die(format!("{tc}&value=BLIND_TRANSFER&group_alias[]=VALIDCID"), Param::GroupAlias);
    die(format!("{tc}&value=LOCAL_CLOSER&ingroup_choices=SALESLINE&cid_choice[]=CUSTOMER"), Param::CidChoice);
    die(format!("{tc}&value=HANGUP_XFER&multi_dial_phones[]=5551111"), Param::MultiDialPhones);
    die(format!("{tc}&value=HANGUP_XFER&multi_dial_phones=5551111&md_check[]=YES"), Param::MdCheck);
    die(format!("{tc}&value=HANGUP_XFER&tw_check[]=YES"), Param::TwCheck);
    // An agent without a lead reaches `strlen($lead_id)`.
    let mut d = world();
    d.agents[0].lead_id = 0;
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=agentx&lead_id[]=5");
    assert_eq!(ask(&d, &q).fatal, Some(Fatal::ArrayParameter { param: Param::LeadId }));
    // Paths that never measure them answer as usual.
    let a = ask(&world(), &format!("{tc}&value=HANGUP_XFER&group_alias[]=X&cid_choice[]=Y"));
    assert!(a.succeeded(), "{}", a.body());
    let a = ask(&world(), &format!("{tc}&value=HANGUP_XFER&multi_dial_phones=12&md_check[]=YES"));
    assert!(a.succeeded(), "{}", a.body());
}

#[test]
fn an_array_user_logs_in_as_array_before_it_dies() {
    let mut d = world();
    d.users.push(User { user: "Array".into(), pass: "other".into(), ..User::default() });
    let a = ask(&d, "source=test&user[]=x&pass=1234&function=park_call");
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::User }));
    let login = a.login.expect("the failed login of `Array` is counted");
    assert_eq!((login.user.as_str(), login.failed_login_count), ("Array", 1));
}

#[test]
fn the_3way_error_echoes_the_agent_user_as_sent() {
    let mut d = world();
    d.sip_channels.push(SipChannel {
        server_ip: "10.0.0.1".into(),
        extension: "8600051".into(),
        channel_group: "DC12W".into(),
    });
    let q = format!("{AUTH}&function=transfer_conference&value=HANGUP_XFER&agent_user=AGENTX&tw_check=YES");
    assert_eq!(ask(&d, &q).body(), "ERROR: agent_user has current active 3-way call - AGENTX|1|0|YES\n");
}

#[test]
fn defaultingroup_without_a_call_row_reads_the_empty_campaign() {
    let mut d = world();
    d.auto_calls.clear();
    d.campaigns.push(Campaign { campaign_id: String::new(), default_xfer_group: "SALESLINE".into() });
    let q = format!(
        "{AUTH}&function=transfer_conference&value=LOCAL_CLOSER&agent_user=agentx&ingroup_choices=DEFAULTINGROUP&DB=1"
    );
    let body = ask(&d, &q).body();
    assert!(body.contains("select default_xfer_group from vicidial_campaigns where campaign_id='';\n"), "{body}");
    assert!(body.ends_with(&format!("LOCAL_CLOSER|SALESLINE||NO|agentx|{CID}|\n")), "{body}");
}

#[test]
fn debug_lines_carry_no_password_and_redaction_keeps_them() {
    let q = "source=test&user=6666&pass=s3cretpw&function=park_call&DB=1&format=debug";
    let a = ask(&world(), q);
    let redacted = a.redacted_body();
    assert!(a.body().contains("pass='s3cretpw'"), "api.php prints it");
    assert!(!redacted.contains("s3cretpw"), "{redacted}");
    assert!(redacted.starts_with("|SELECT selected_language"), "{redacted}");
}

#[test]
fn the_typed_layer_warns_that_db_and_format_change_only_the_presentation() {
    let q = format!("{AUTH}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&DB=1&format=debug");
    let parsed = Request::from_query(&q).expect("a request");
    assert!(parsed.warnings.contains(&Warning::Presentation(Param::Db)), "{:?}", parsed.warnings);
    assert!(parsed.warnings.contains(&Warning::Presentation(Param::Format)), "{:?}", parsed.warnings);
    assert!(Request::from_query_strict(&q).is_err());
}

#[test]
fn the_container_urls_password_is_redacted_in_debug_lines() {
    let entry = "http://b/vicidial/non_agent_api.php?source=ccc&user=6666&pass=Rem0tePw&function=ccc_lead_info";
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=agentx&DB=1");
    let a = ask(&ccc_world(entry, true, "SUCCESS: sent"), &q);
    // api.php prints it twice (the url log insert, the URL); a log shows neither.
    assert_eq!(a.body().matches("pass=Rem0tePw&").count(), 2, "{}", a.body());
    let redacted = a.redacted_body();
    assert!(!redacted.contains("Rem0tePw"), "{redacted}");
    assert_eq!(redacted.matches("&pass=[REDACTED]&function=").count(), 2, "{redacted}");
    // Nothing else changes.
    assert_eq!(redacted.len(), a.body().len() - 2 * "Rem0tePw".len() + 2 * REDACTED.len());
}

#[test]
fn a_short_user_refuses_before_an_array_pass_is_measured() {
    // `(strlen($user)<2) or (strlen($pass)<2)`: the `or` stops at the user.
    let a = ask(&world(), "source=test&user=6&pass[]=1234&function=park_call");
    assert_eq!(a.fatal, None);
    assert_eq!(
        a.redacted_body(),
        format!(
            "ERROR: Invalid Username/Password: |6|[REDACTED]|0|0|BAD|0|api|SELECT count(*) from vicidial_users where \
             user='6' and pass='[REDACTED]' and user_level > 0 and active='Y' and ( (failed_login_count < 10) or \
             (UNIX_TIMESTAMP(last_login_date) < {}) );|\n",
            EPOCH - 900
        )
    );
    assert!(a.body().contains("|6|Array|0|0|BAD|"), "{}", a.body());
    // A long enough user: the pass is measured, and dies.
    let a = ask(&world(), "source=test&user=6666&pass[]=1234&function=park_call");
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::Pass }));
}

#[test]
fn a_forwarded_urls_password_is_redacted_in_the_write_and_quoted_sql_too() {
    let entry = "http://b/vicidial/non_agent_api.php?user=6666&pass=Rem0tePw&function=ccc_lead_info";
    let q = format!("{AUTH}&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=agentx");
    let a = ask(&ccc_world(entry, true, ""), &q);
    let Some(Write::Remote { url, .. }) = a.writes.first().map(Write::redacted) else { panic!("{:?}", a.writes) };
    assert_eq!(
        url,
        "http://b/agc/api.php?user=6666&pass=[REDACTED]&function=force_fronter_leave_3way&value=CCC_REMOTE\
         &lead_id=77&agent_user=CCC_REMOTE"
    );
    // SQL's quoted form, and a value at the end of the text.
    let line = Line::Debug("|select 1 from t where user='u' and pass='a b' and PASS=x|\n".into());
    assert_eq!(
        line.redacted().to_string(),
        "|select 1 from t where user='u' and pass='[REDACTED]' and PASS=[REDACTED]|\n"
    );
    // `bypass=` is no password.
    assert_eq!(Line::Debug("a?bypass=1".into()).redacted(), Line::Debug("a?bypass=1".into()));
}
