//! api.php at its edges (docs/vicidial.md §15): the login answers of functions.php
//! `user_authorization`, the two spellings of the API user, look-ups through the
//! database collation, and the column widths, with what the screen then does.

mod common;

use common::api_world::{ccc_world, live, world, CID, EPOCH};
use common::H;
use vicixfer::api::*;
use vicixfer::{ApiWrite, CommandId, Config, Event, HangupSlot, ParkSlot, SlotName, TransferSlot};

fn ask(d: &Directory, query: &str) -> Answer {
    answer(d, query, EPOCH)
}

/// The login's SQL as functions.php builds it, for `user`, `pass` and the cut-off.
fn sql(user: &str, pass: &str, lock_over: i64) -> String {
    format!(
        "SELECT count(*) from vicidial_users where user='{user}' and pass='{pass}' and user_level > 0 and active='Y' \
         and ( (failed_login_count < 10) or (UNIX_TIMESTAMP(last_login_date) < {lock_over}) );"
    )
}

const PARK: &str = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=agentx";

// =====================================================================================
// §15.1 login answers
// =====================================================================================

#[test]
fn a_wrong_password_answers_bad_with_the_login_sql_and_epoch_minus_900() {
    let a = answer(&world(), "source=test&user=6666&pass=wrong&function=park_call", 1_234_567);
    assert_eq!(
        a.body(),
        format!("ERROR: Invalid Username/Password: |6666|wrong|0|1|BAD|0|api|{}|\n", sql("6666", "wrong", 1_233_667))
    );
    // The typed line reads back, message and all.
    assert_eq!(Line::parse_body(&a.body()).unwrap(), a.lines);
}

#[test]
fn the_sql_shows_the_filtered_user_and_password_and_a_negative_cut_off() {
    // `6-6_6` keeps its class, `1.2+3/4=` too; the cut-off goes negative near epoch 0.
    let a = answer(&world(), "source=test&user=6-6%276_6&pass=1.2%3B%2B3/4%3D&function=park_call", 100);
    assert_eq!(
        a.body(),
        format!(
            "ERROR: Invalid Username/Password: |6-66_6|1.2+3/4=|0|0|BAD|0|api|{}|\n",
            sql("6-66_6", "1.2+3/4=", -800)
        )
    );
}

#[test]
fn user_level_zero_cannot_log_in() {
    let mut d = world();
    d.users[0].user_level = 0;
    assert_eq!(
        ask(&d, PARK).body(),
        format!(
            "ERROR: Invalid Username/Password: |6666|1234|0|1|BAD|0|api|{}|\n",
            sql("6666", "1234", EPOCH as i64 - 900)
        )
    );
}

#[test]
fn short_credentials_still_carry_the_message_of_the_login_that_ran() {
    let a = ask(&world(), "source=test&user=6&pass=1234&function=park_call");
    assert_eq!(
        a.body(),
        format!("ERROR: Invalid Username/Password: |6|1234|0|0|BAD|0|api|{}|\n", sql("6", "1234", EPOCH as i64 - 900))
    );
}

#[test]
fn ten_failed_logins_lock_the_user_for_fifteen_minutes() {
    let mut d = world();
    d.users[0].failed_login_count = 9;
    d.users[0].last_login_date = EPOCH - 5000;
    // The tenth failure counts, and the row records it.
    let a = ask(&d, "source=test&user=6666&pass=nope&function=park_call");
    assert!(a.body().contains("|0|1|BAD|0|api|"), "{}", a.body());
    assert_eq!(
        a.login,
        Some(LoginUpdate { user: "6666".into(), failed_login_count: 10, last_login_date: EPOCH - 5000 })
    );
    d.apply(&a);
    assert_eq!(d.users[0].failed_login_count, 10);
    // The last login is long ago: the right password still logs in (and resets nothing).
    let ok = ask(&d, PARK);
    assert_eq!(ok.body(), "SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n");
    assert_eq!(ok.login, None);
    // A failure now starts a new window: count 1, last login now.
    let again = ask(&d, "source=test&user=6666&pass=nope&function=park_call");
    assert_eq!(again.login, Some(LoginUpdate { user: "6666".into(), failed_login_count: 1, last_login_date: EPOCH }));
}

#[test]
fn the_lock_holds_up_to_and_including_900_seconds() {
    let mut d = world();
    d.users[0].failed_login_count = 10;
    for (age, body) in [
        (0, "ERROR: Invalid Username/Password: |6666|1234|0|1|LOCK|\n"),
        (899, "ERROR: Invalid Username/Password: |6666|1234|0|1|LOCK|\n"),
        (900, "ERROR: Invalid Username/Password: |6666|1234|0|1|LOCK|\n"),
        (901, "SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n"),
    ] {
        d.users[0].last_login_date = EPOCH - age;
        let a = ask(&d, PARK);
        assert_eq!(a.body(), body, "last login {age} s ago");
        assert_eq!(a.login, None, "a lock writes no count");
    }
    // A wrong password inside the window answers LOCK too, not BAD.
    d.users[0].last_login_date = EPOCH - 10;
    assert_eq!(
        ask(&d, "source=test&user=6666&pass=x&function=park_call").body(),
        "ERROR: Invalid Username/Password: |6666|x|0|1|LOCK|\n"
    );
}

#[test]
fn no_active_asterisk_server_answers_errservers_for_a_valid_login_only() {
    let mut d = world();
    d.servers = vec![
        Server { server_ip: "10.0.0.1".into(), active: false, active_asterisk_server: true },
        Server { server_ip: "10.0.0.2".into(), active: true, active_asterisk_server: false },
    ];
    assert_eq!(ask(&d, PARK).body(), "ERROR: Invalid Username/Password: |6666|1234|0|1|ERRSERVERS|\n");
    assert!(ask(&d, "source=test&user=6666&pass=x&function=park_call").body().contains("|BAD|0|api|"));
    d.servers.push(Server { server_ip: "10.0.0.3".into(), ..Server::default() });
    assert!(ask(&d, PARK).succeeded());
}

#[test]
fn a_world_file_without_servers_or_levels_still_logs_in() {
    let d: Directory = serde_json::from_str(
        r#"{"users": [{"user": "6666", "pass": "1234", "agent_api_access": true}],
            "agents": [{"user": "agentx", "lead_id": 5}]}"#,
    )
    .unwrap();
    assert_eq!(d.servers.len(), 1);
    assert_eq!(d.users[0].user_level, 1);
    assert!(ask(&d, PARK).succeeded());
}

#[test]
fn the_password_compares_through_the_collation_and_echoes_as_sent() {
    let mut d = world();
    d.users[0].pass = "secret".into();
    let q = "source=test&user=6666&pass=SECRET&function=park_call&value=PARK_CUSTOMER&agent_user=agentx";
    assert!(ask(&d, q).succeeded());
}

#[test]
fn the_failed_login_line_has_a_redacted_rendering() {
    let a = ask(&world(), "source=test&user=6666&pass=hunter22&function=park_call");
    assert!(a.body().matches("hunter22").count() == 2, "api.php echoes it twice: {}", a.body());
    let redacted = a.redacted_body();
    assert!(!redacted.contains("hunter22"), "{redacted}");
    assert!(redacted.contains("|6666|[REDACTED]|0|1|BAD|") && redacted.contains("pass='[REDACTED]'"), "{redacted}");
    assert!(matches!(&a.lines[0], Line::Error(e) if e.carries_password()));
    // Other lines are untouched.
    let ok = ask(&world(), PARK);
    assert_eq!(ok.redacted_body(), ok.body());
}

#[test]
fn the_failed_count_lands_on_the_row_the_database_found() {
    let mut d = world();
    d.users.push(User { user: "ApiUser".into(), pass: "pw12".into(), agent_api_access: true, ..User::default() });
    let a = ask(&d, "source=test&user=APIUSER&pass=bad1&function=park_call");
    assert_eq!(a.login.as_ref().map(|l| l.user.as_str()), Some("ApiUser"));
    d.apply(&a);
    assert_eq!(d.users[2].failed_login_count, 1);
}

// =====================================================================================
// §15.2 two spellings of the API user
// =====================================================================================

#[test]
fn a_user_with_a_dot_logs_in_but_finds_no_permission_row() {
    for sent in ["6666.", "6666!", "6666%C3%A9"] {
        let q = format!("source=test&user={sent}&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=agentx");
        assert_eq!(
            ask(&world(), &q).body(),
            "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - PARK_CUSTOMER|6666|park_call|\n",
            "user={sent}"
        );
    }
    // Characters the generic filter removes (space, quote) leave both spellings equal.
    let q = "source=test&user=66%2066%27&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=agentx";
    assert!(ask(&world(), q).succeeded());
}

// =====================================================================================
// §15.3 look-ups through utf8_unicode_ci
// =====================================================================================

#[test]
fn agent_user_matches_in_any_case_echoes_as_sent_and_writes_the_row_found() {
    let q = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=AGENTX";
    let a = ask(&world(), q);
    assert_eq!(a.body(), "SUCCESS: park_call function set - PARK_CUSTOMER|AGENTX\n");
    assert_eq!(a.stored().map(|s| s.agent_user.as_str()), Some("agentx"));
    let mut d = world();
    d.apply(&a);
    assert_eq!(d.agents[0].external_park, "PARK_CUSTOMER");
}

#[test]
fn the_api_user_matches_in_any_case() {
    let mut d = world();
    d.users[0].user = "apiuser".into();
    let q = "source=test&user=APIUSER&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=agentx";
    assert!(ask(&d, q).succeeded());
}

#[test]
fn ingroup_choices_match_case_and_trailing_spaces_and_are_stored_as_sent() {
    let base = "source=test&user=6666&pass=1234&function=transfer_conference&value=LOCAL_CLOSER&agent_user=agentx";
    let a = ask(&world(), &format!("{base}&ingroup_choices=salesline"));
    assert_eq!(
        a.body(),
        format!("SUCCESS: transfer_conference function set - LOCAL_CLOSER|salesline||NO|agentx|{CID}|\n")
    );
    assert_eq!(a.stored().unwrap().raw, "LOCAL_CLOSER---salesline------NO------------1700000000---");
    let a = ask(&world(), &format!("{base}&ingroup_choices=SALESLINE%20"));
    assert_eq!(a.stored().unwrap().raw, "LOCAL_CLOSER---SALESLINE ------NO------------1700000000---");
    // A leading space is not ignored.
    let a = ask(&world(), &format!("{base}&ingroup_choices=%20SALESLINE"));
    assert_eq!(a.body(), "ERROR: ingroup is not valid -  SALESLINE\n");
}

#[test]
fn accents_do_not_count_in_non_latin_mode() {
    let mut d = world();
    d.system.charset = Charset::NonLatin;
    let q = "source=test&user=6666&pass=1234&function=transfer_conference&value=LOCAL_CLOSER&agent_user=%C3%A0gentx\
             &ingroup_choices=S%C3%81LESLINE";
    let a = ask(&d, q);
    assert_eq!(
        a.body(),
        format!("SUCCESS: transfer_conference function set - LOCAL_CLOSER|SÁLESLINE||NO|àgentx|{CID}|\n")
    );
    assert_eq!(a.stored().unwrap().agent_user, "agentx");
}

#[test]
fn group_alias_and_alt_user_match_in_any_case() {
    let q = "source=test&user=6666&pass=1234&function=transfer_conference&value=DIAL_WITH_CUSTOMER&alt_user=crm1001\
             &phone_number=5551234&group_alias=validcid";
    let a = ask(&world(), q);
    // alt_user takes the row's own spelling; the alias is stored as sent, with its number.
    assert_eq!(
        a.body(),
        format!("SUCCESS: transfer_conference function set - DIAL_WITH_CUSTOMER||5551234|NO|agentx|{CID}|\n")
    );
    assert_eq!(
        a.stored().unwrap().raw,
        "DIAL_WITH_CUSTOMER------5551234---NO------validcid---3125551234---1700000000---"
    );
}

#[test]
fn defaultingroup_finds_the_campaign_in_any_case() {
    let mut d = world();
    d.auto_calls[0].campaign_id = "outbound".into();
    let q = "source=test&user=6666&pass=1234&function=transfer_conference&value=LOCAL_CLOSER&agent_user=agentx\
             &ingroup_choices=DEFAULTINGROUP";
    assert_eq!(ask(&d, q).stored().unwrap().raw, "LOCAL_CLOSER---SALESLINE------NO------------1700000000---");
}

#[test]
fn force_fronter_does_not_take_the_closer_itself_in_another_case() {
    let mut d = world();
    // The closer is `agentx` (the oldest on the lead); the fronter `f1`.
    d.agents.push(live("f1", 100, "V1000000000000000101", 2000));
    let q = "source=test&user=6666&pass=1234&function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=AGENTX";
    let a = ask(&d, q);
    assert_eq!(a.body(), "SUCCESS: force_fronter_leave_3way SENT - f1");
    assert_eq!(a.stored().unwrap().agent_user, "f1");
}

#[test]
fn php_side_comparisons_stay_exact() {
    let q = "source=test&user=6666&pass=1234&function=park_call&value=park_customer&agent_user=agentx";
    assert_eq!(ask(&world(), q).body(), "ERROR: park_call not valid - park_customer|agentx\n");
    let q = "source=test&user=6666&pass=1234&function=Park_Call&value=PARK_CUSTOMER&agent_user=agentx";
    assert_eq!(ask(&world(), q).body(), "");
}

#[test]
fn md_check_counts_press_rows_of_the_agent_in_any_case() {
    let mut d = world();
    d.press_live.push(PressLive { user: "AGENTX".into(), call_date: EPOCH - 10, status: "new".into() });
    d.press_live.push(PressLive { user: "agentx".into(), call_date: EPOCH - 10, status: "hungup".into() });
    let q = "source=test&user=6666&pass=1234&function=transfer_conference&value=DIAL_WITH_CUSTOMER&agent_user=agentx\
             &phone_number=5551234&multi_dial_phones=5551000&md_check=YES";
    assert_eq!(ask(&d, q).body(), "ERROR: agent_user has previous active 3-way calls - agentx|1|0|YES\n");
}

// =====================================================================================
// §15.4 column widths
// =====================================================================================

#[test]
fn a_long_park_value_is_echoed_whole_and_stored_at_40_characters() {
    let value = format!("PARK_CUSTOMER{}", "X".repeat(41));
    let q = format!("source=test&user=6666&pass=1234&function=park_call&value={value}&agent_user=agentx");
    let a = ask(&world(), &q);
    assert_eq!(a.body(), format!("SUCCESS: park_call function set - {value}|agentx\n"));
    let stored = a.stored().unwrap();
    assert_eq!(stored.raw, &value[..40]);
    assert_eq!(stored.write, ApiWrite::ParkCall(ParkSlot::decode(&value[..40])));
}

#[test]
fn external_hangup_keeps_one_character_and_the_screen_acts_on_it() {
    for (sent, kept) in [("11", "1"), ("YES", "Y"), ("1", "1")] {
        let q = format!("source=test&user=6666&pass=1234&function=external_hangup&value={sent}&agent_user=agentx");
        let a = ask(&world(), &q);
        assert_eq!(a.body(), format!("SUCCESS: external_hangup function set - {sent}|agentx\n"));
        assert_eq!(a.stored().unwrap().write, ApiWrite::ExternalHangup(HangupSlot(kept.into())));
    }
}

#[test]
fn width_counts_characters_not_bytes() {
    let mut d = world();
    d.system.charset = Charset::NonLatin;
    let q = "source=test&user=6666&pass=1234&function=external_hangup&value=%C3%A9%C3%A9&agent_user=agentx";
    assert_eq!(ask(&d, q).stored().unwrap().raw, "é");
}

/// A number dial whose phone number pushes the command id past column 120.
fn long_dial(phone_len: usize, epoch: u64) -> Answer {
    let q = format!(
        "source=test&user=6666&pass=1234&function=transfer_conference&value=DIAL_WITH_CUSTOMER&agent_user=agentx\
         &phone_number={}",
        "5".repeat(phone_len)
    );
    answer(&world(), &q, epoch)
}

#[test]
fn a_transferconf_row_cut_at_120_characters_loses_its_id_and_cid_choice() {
    let a = long_dial(96, EPOCH);
    let stored = a.stored().unwrap();
    assert_eq!(stored.raw.chars().count(), 120);
    assert_eq!(stored.raw, format!("DIAL_WITH_CUSTOMER------{}", "5".repeat(96)));
    let slot = TransferSlot::decode(&stored.raw).unwrap();
    assert_eq!(slot.id, CommandId::Undefined);
    assert_eq!(stored.write, ApiWrite::TransferConference(slot));
    // The answer still echoes the whole number.
    assert!(a.body().contains(&"5".repeat(96)));
    // A shorter cut keeps part of the id: the screen compares what is left.
    let b = long_dial(73, EPOCH);
    assert!(b.stored().unwrap().raw.ends_with("---NO------------170000"), "{}", b.stored().unwrap().raw);
}

#[test]
fn the_screen_drops_a_second_id_less_command_as_a_duplicate_r11() {
    let mut h = H::on_call(Config::default());
    let first = long_dial(96, EPOCH).stored().unwrap().write.clone();
    h.apply(first).tick();
    assert!(h.events.iter().any(|e| matches!(e, Event::Executed(_))), "{:?}", h.events);
    h.ticks(4);
    // A later, distinct command cut the same way compares equal ("undefined").
    let second = long_dial(97, EPOCH + 60).stored().unwrap().write.clone();
    h.apply(second).tick();
    assert!(h.events.contains(&Event::Duplicate(CommandId::Undefined)), "{:?}", h.events);
}

#[test]
fn press_1_numbers_are_stored_at_255_characters() {
    let numbers: Vec<String> = (0..20).map(|i| format!("5551{i:014}")).collect();
    let q = format!(
        "source=test&user=6666&pass=1234&function=transfer_conference&value=DIAL_WITH_CUSTOMER&agent_user=agentx\
         &phone_number=5551234&multi_dial_phones={}",
        numbers.join(",")
    );
    let a = ask(&world(), &q);
    assert!(a.body().ends_with("|Multi-phones: 20 20 1|\n"), "{}", a.body());
    let row = a.writes.iter().find_map(|w| if let Write::PressMulti(r) = w { Some(r) } else { None }).unwrap();
    assert_eq!(row.phone_numbers, numbers.join(",")[..255]);
    assert_eq!(row.phone_numbers_ct, 20);
}

#[test]
fn slot_widths_are_the_schema_ones() {
    assert_eq!([SlotName::TransferConf, SlotName::Park, SlotName::Hangup].map(SlotName::width), [120, 40, 1]);
}

#[test]
fn the_example_world_shows_a_lock_a_level_zero_user_and_its_server() {
    let d: Directory = serde_json::from_str(include_str!("../examples/world.json")).unwrap();
    let q = |user: &str, epoch: u64| answer(&d, &format!("source=crm&user={user}&pass=1234&function=park_call"), epoch);
    // 8888 failed 10 times, last at 1763999500: locked until 900 s later.
    assert_eq!(q("8888", 1_764_000_000).body(), "ERROR: Invalid Username/Password: |8888|1234|0|1|LOCK|\n");
    assert_eq!(q("8888", 1_764_000_401).body(), "ERROR: park_call not valid - |\n");
    assert!(q("9999", 1_764_000_000).body().contains("|0|1|BAD|0|api|SELECT count(*)"));
    assert_eq!(d.active_servers(), 1);
}

// =====================================================================================
// §2 alt_user: `order by user`
// =====================================================================================

#[test]
fn alt_user_takes_the_first_user_in_collation_order_not_the_first_row() {
    let mut d = world();
    d.agents.push(live("AGENT0", 100, "V1000000000000000102", 3000));
    // `AGENT0` comes after `agentx` in the table, before it in `order by user`.
    d.users.push(User { user: "AGENT0".into(), custom_three: "crm1001".into(), ..User::default() });
    let q = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&alt_user=CRM1001";
    assert_eq!(ask(&d, q).body(), "SUCCESS: park_call function set - PARK_CUSTOMER|AGENT0\n");
}

// =====================================================================================
// §15.7 force_fronter_leave_3way in full
// =====================================================================================

const FRONTER: &str = "source=test&user=6666&pass=1234&function=force_fronter_leave_3way";

#[test]
fn local_and_ccc_forwards_the_remote_lead_id_to_the_rewritten_url() {
    let entry = "https://b.example/vicidial/non_agent_api.php?source=ccc&user=api&pass=pw&function=ccc_lead_info";
    let a = ask(&ccc_world(entry, true), &format!("{FRONTER}&value=LOCAL_AND_CCC&agent_user=agentx"));
    assert_eq!(a.body(), "SUCCESS: force_fronter_leave_3way command sent over CCC - CCC_B\n");
    assert_eq!(
        a.writes,
        vec![Write::Remote {
            container_id: "CCC_B".into(),
            lead_id: 77,
            url: "https://b.example/agc/api.php?source=ccc&user=api&pass=pw&function=force_fronter_leave_3way\
                  &value=CCC_REMOTE&lead_id=77&agent_user=CCC_REMOTE"
                .into()
        }]
    );
    assert_eq!(a.http_status(), 200);
}

#[test]
fn the_admin_path_is_rewritten_too() {
    let a = ask(
        &ccc_world("http://c/admin/non_agent_api.php?function=ccc_lead_info", true),
        &format!("{FRONTER}&value=LOCAL_AND_CCC&agent_user=agentx"),
    );
    assert!(
        matches!(&a.writes[0], Write::Remote { url, .. } if url == "http://c/agc/api.php?function=force_fronter_leave_3way&value=CCC_REMOTE&lead_id=77&agent_user=CCC_REMOTE"),
        "{:?}",
        a.writes
    );
}

#[test]
fn an_unanswered_fetch_or_a_missing_container_is_no_fronter() {
    let q = format!("{FRONTER}&value=LOCAL_AND_CCC&agent_user=agentx");
    let a = ask(&ccc_world("http://b/ccc_lead_info", false), &q);
    assert_eq!(a.body(), "ERROR: no fronter found - agentx\n");
    assert!(a.writes.is_empty());
    let mut d = ccc_world("http://b/ccc_lead_info", true);
    d.containers.clear();
    assert_eq!(ask(&d, &q).body(), "ERROR: no fronter found - agentx\n");
}

#[test]
fn only_the_first_ccc_row_of_the_lead_is_read() {
    let mut d = ccc_world("http://b/ccc_lead_info", true);
    d.ccc.insert(
        0,
        CccRecord {
            lead_id: 100,
            remote_lead_id: 5,
            container_id: "GONE".into(),
            reachable: true,
            ..CccRecord::default()
        },
    );
    let a = ask(&d, &format!("{FRONTER}&value=LOCAL_AND_CCC&agent_user=agentx"));
    assert_eq!(a.body(), "ERROR: no fronter found - agentx\n");
}

#[test]
fn an_empty_container_entry_is_a_fatal_error_with_http_500_and_no_body() {
    let a = ask(&ccc_world("", true), &format!("{FRONTER}&value=LOCAL_AND_CCC&agent_user=agentx"));
    assert_eq!(a.body(), "");
    assert_eq!(a.http_status(), 500);
    assert_eq!(a.fatal, Some(Fatal::EmptyContainerEntry { container_id: "CCC_B".into() }));
    assert!(a.writes.is_empty() && a.outcome().is_none());
}

#[test]
fn ccc_remote_never_consults_the_cross_cluster_tables() {
    let mut d = ccc_world("http://b/ccc_lead_info", true);
    d.ccc.push(CccRecord {
        lead_id: 555,
        remote_lead_id: 9,
        container_id: "CCC_B".into(),
        reachable: true,
        ..CccRecord::default()
    });
    let a = ask(&d, &format!("{FRONTER}&value=CCC_REMOTE&agent_user=x&lead_id=555"));
    assert_eq!(a.body(), "ERROR: no fronter found - x\n");
}

#[test]
fn ccc_remote_reads_digits_of_lead_id() {
    let mut d = world();
    d.agents.push(live("f120", 120, "V1000000000000000120", 10));
    for lead in ["000120", "12a0", "-120"] {
        let a = ask(&d, &format!("{FRONTER}&value=CCC_REMOTE&agent_user=CCC_REMOTE&lead_id={lead}"));
        assert_eq!(a.body(), "SUCCESS: force_fronter_leave_3way SENT - f120", "lead_id={lead}");
    }
}

#[test]
fn ccc_remote_without_lead_id_searches_lead_0_when_the_agent_has_a_lead() {
    let mut d = world();
    d.agents.push(live("idle", 0, "", 50));
    let a = ask(&d, &format!("{FRONTER}&value=CCC_REMOTE&agent_user=agentx"));
    assert_eq!(a.body(), "SUCCESS: force_fronter_leave_3way SENT - idle");
    // An agent without a lead is refused.
    assert_eq!(
        ask(&d, &format!("{FRONTER}&value=CCC_REMOTE&agent_user=idle")).body(),
        "ERROR: agent_user is not on a phone call - idle\n"
    );
}

#[test]
fn the_value_is_compared_after_the_filter() {
    let mut d = world();
    d.agents.push(live("f1", 100, "V1000000000000000101", 10));
    for value in ["LOCAL_ONLY%20", "LOCAL_ONLY;", "LOCAL%20ONLY", "%22LOCAL_ONLY%22"] {
        let a = ask(&d, &format!("{FRONTER}&value={value}&agent_user=agentx"));
        let want = if value == "LOCAL%20ONLY" {
            "ERROR: force_fronter_leave_3way not valid - LOCALONLY|agentx\n"
        } else {
            "SUCCESS: force_fronter_leave_3way SENT - f1"
        };
        assert_eq!(a.body(), want, "value={value}");
    }
}

#[test]
fn the_oldest_fronter_wins_whatever_its_status_and_ties_go_to_the_first_row() {
    let mut d = world();
    let mut paused = live("paused", 100, "", 500);
    paused.status = "PAUSED".into();
    d.agents.push(live("newer", 100, "V1000000000000000103", 900));
    d.agents.push(paused);
    let q = format!("{FRONTER}&value=LOCAL_ONLY&agent_user=agentx");
    assert_eq!(ask(&d, &q).body(), "SUCCESS: force_fronter_leave_3way SENT - paused");
    // A NULL last_call_time is 0 here: it sorts first, as NULL does. Equal times: the first row.
    d.agents.push(live("nul1", 100, "", 0));
    d.agents.push(live("nul2", 100, "", 0));
    assert_eq!(ask(&d, &q).body(), "SUCCESS: force_fronter_leave_3way SENT - nul1");
}

// =====================================================================================
// §15.6 PHP's request intake
// =====================================================================================

#[test]
fn keys_are_read_as_php_registers_them() {
    for (key, name) in [
        ("agent_user", "agent_user"),
        ("%20%20agent_user", "agent_user"),
        ("+agent_user", "agent_user"),
        ("agent.user", "agent_user"),
        ("agent+user", "agent_user"),
        ("agent[user", "agent_user"),
        ("agent_user%00junk", "agent_user"),
    ] {
        let q = format!("source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&{key}=agentx");
        assert_eq!(ask(&world(), &q).body(), "SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n", "key {key}");
        assert_eq!(php_key(key).map(|k| k.name), Some(name.to_string()));
    }
    // After an unmatched `[`, dots are no longer converted: `agent[us.er` is `agent_us.er`.
    assert_eq!(php_key("agent[us.er").unwrap().name, "agent_us.er");
    // A NUL first or only spaces: no variable.
    assert_eq!(php_key("%00agent_user"), None);
    assert_eq!(php_key("%20"), None);
    // `[…]` makes an array of the name before it.
    assert_eq!(php_key("value[a]").unwrap(), PhpKey { name: "value".into(), array: true });
    assert_eq!(php_key("value[]x").unwrap(), PhpKey { name: "value".into(), array: true });
}

#[test]
fn array_parameters_follow_php_8_type_errors_in_evaluation_order() {
    let base = "source=test&user=6666&pass=1234";
    let fatal = |q: &str, param: Param| {
        let a = ask(&world(), &format!("{base}&{q}"));
        assert_eq!(
            (a.body(), a.fatal.clone(), a.http_status()),
            (String::new(), Some(Fatal::ArrayParameter { param }), 500),
            "{q}"
        );
    };
    fatal("function=park_call&value[]=PARK_CUSTOMER&agent_user=agentx", Param::Value);
    fatal("function=external_hangup&value[]=1&agent_user=agentx", Param::Value);
    fatal("function=transfer_conference&value[0]=HANGUP_XFER&agent_user=agentx", Param::Value);
    fatal("function=park_call&value=PARK_CUSTOMER&agent_user[]=agentx", Param::AgentUser);
    fatal("function=park_call&value=PARK_CUSTOMER&alt_user[]=crm1001", Param::AltUser);
    fatal("function=park_call&value=PARK_CUSTOMER&agent_user=agentx&alt_user[]=crm1001", Param::AltUser);
    let a = ask(&world(), "source[]=test&user=6666&pass=1234&function=park_call");
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::Source }));
    let a = ask(&world(), "source=test&user[]=6666&pass=1234&function=park_call");
    assert_eq!(a.fatal, Some(Fatal::ArrayParameter { param: Param::User }));
    // A value check that fails first never reaches strlen($agent_user): `Array` is printed.
    assert_eq!(
        ask(&world(), &format!("{base}&function=park_call&value=NOPE&agent_user[]=agentx")).body(),
        "ERROR: park_call not valid - NOPE|Array\n"
    );
    // force_fronter compares the value with `!=`: an array is simply not valid.
    assert_eq!(
        ask(&world(), &format!("{base}&function=force_fronter_leave_3way&value[]=LOCAL_ONLY&agent_user=agentx")).body(),
        "ERROR: force_fronter_leave_3way not valid - Array|agentx\n"
    );
    // No permission: the permission error comes before strlen($alt_user).
    let mut d = world();
    d.users[0].api_allowed_functions = " external_hangup ".into();
    assert_eq!(
        ask(&d, &format!("{base}&function=park_call&value=PARK_CUSTOMER&agent_user=agentx&alt_user[]=x")).body(),
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - PARK_CUSTOMER|6666|park_call|ADMIN\n"
    );
    // The last occurrence decides: a plain value after an array is a string again.
    assert!(ask(&world(), &format!("{base}&function=park_call&value[]=X&value=PARK_CUSTOMER&agent_user=agentx"))
        .succeeded());
}

#[test]
fn only_the_first_1000_variables_count() {
    let filler: String = (0..999).map(|i| format!("x{i}=1&")).collect();
    let login = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER";
    // 5 + 999 fillers: variables 1001 to 1005 (agent_user the last) are dropped.
    let q = format!("{login}&{filler}agent_user=agentx");
    assert_eq!(ask(&world(), &q).body(), "ERROR: park_call not valid - PARK_CUSTOMER|\n");
    let p = Params::from_query(&q, Charset::Latin);
    assert_eq!(p.dropped, 5);
    // With agent_user first it is kept.
    let q = format!("agent_user=agentx&{login}&{filler}");
    assert!(ask(&world(), &q).succeeded());
}

#[test]
fn the_typed_layer_warns_about_arrays_unknown_keys_and_dropped_variables() {
    let read = |q: &str| Request::from_query(q).unwrap().warnings;
    let base = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=agentx";
    assert!(read(base).is_empty());
    assert_eq!(read(&format!("{base}&agnet_user=x")), vec![Warning::UnknownKey("agnet_user".into())]);
    // Keys api.php reads for other purposes are not unknown.
    assert!(read(&format!("{base}&DB=0&format=text")).is_empty());
    assert!(read(&format!("{base}&lead_id[]=1")).contains(&Warning::ArrayParameter(Param::LeadId)));
    let filler: String = (0..1000).map(|i| format!("&comments={i}")).collect();
    assert!(read(&format!("{base}{filler}")).contains(&Warning::DroppedVariables(6)));
    assert!(matches!(Request::from_query_strict(&format!("{base}&agnet_user=x")), Err(RequestError::Strict(_))));
}

#[test]
fn the_typed_layer_honours_a_non_latin_world() {
    let q = "source=test&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=%C3%A0gentx";
    // Latin: `à` is stripped, and the typed layer says so; non-latin keeps it.
    assert!(!Request::from_query(q).unwrap().warnings.is_empty());
    let parsed = Request::from_query_in(q, Charset::NonLatin).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.request.agent.agent_user, "àgentx");
}

// =====================================================================================
// §15.5 close_window_link
// =====================================================================================

const LINK: &str = "\n<a href=\"javascript:window.opener='x';window.close();\">Close This Window</a>\n";

#[test]
fn close_window_link_follows_answers_that_reach_the_end_of_the_script() {
    let q = |rest: &str| ask(&world(), &format!("source=test&user=6666&pass=1234&{rest}"));
    let a = q("function=park_call&value=PARK_CUSTOMER&agent_user=agentx&close_window_link=1");
    assert_eq!(a.body(), format!("SUCCESS: park_call function set - PARK_CUSTOMER|agentx\n{LINK}"));
    assert!(a.succeeded());
    // The body parses back to the same bytes (the link may be read into the last field:
    // `Line::parse_body` tries the whole body as one line before splitting it).
    let again: String = Line::parse_body(&a.body()).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(again, a.body());
    // force_fronter's SENT has no newline of its own.
    let mut d = world();
    d.agents.push(live("f1", 100, "", 10));
    let a = ask(
        &d,
        "source=test&user=6666&pass=1234&function=force_fronter_leave_3way&value=LOCAL_ONLY&agent_user=agentx&close_window_link=1",
    );
    assert_eq!(a.body(), format!("SUCCESS: force_fronter_leave_3way SENT - f1{LINK}"));
    assert_eq!(Line::parse_body(&a.body()).unwrap(), a.lines);
    // Errors that do not exit, and a function api.php does not know, get it too.
    assert_eq!(
        q("function=park_call&value=X&agent_user=agentx&close_window_link=1").body(),
        format!("ERROR: park_call not valid - X|agentx\n{LINK}")
    );
    assert_eq!(q("function=version2&close_window_link=1").body(), LINK);
}

#[test]
fn close_window_link_is_not_printed_after_an_exit_or_when_not_above_zero() {
    let q = |rest: &str| ask(&world(), &format!("source=test&user=6666&pass=1234&{rest}")).body();
    assert_eq!(
        q("function=transfer_conference&value=BLIND_TRANSFER&agent_user=agentx&phone_number=5551234&cid_choice=BOGUS&close_window_link=1"),
        "ERROR: cid_choice is not valid - agentx|BOGUS\n"
    );
    assert!(ask(&world(), "source=test&user=6666&pass=x&function=park_call&close_window_link=1")
        .body()
        .ends_with("|\n"));
    for off in ["0", "", "-1", "-"] {
        assert_eq!(
            q(&format!("function=park_call&value=X&agent_user=agentx&close_window_link={off}")),
            "ERROR: park_call not valid - X|agentx\n",
            "close_window_link={off}"
        );
    }
    // PHP 8 compares a non-numeric string with 0 as strings: `yes` > `0`.
    assert!(q("function=park_call&value=X&agent_user=agentx&close_window_link=yes").ends_with(LINK));
    assert!(Request::from_query(
        "source=t&user=6666&pass=1234&function=park_call&value=PARK_CUSTOMER&agent_user=a&close_window_link=1"
    )
    .unwrap()
    .warnings
    .contains(&Warning::Presentation(Param::CloseWindowLink)));
}
