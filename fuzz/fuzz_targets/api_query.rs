//! Raw api.php query bytes against a small directory: answering never panics, the body
//! parses back to the same typed lines, and a query the typed layer reads without
//! warnings survives `to_query` with the same request and the same answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vicixfer::api::{
    answer, AutoCall, CallType, Campaign, Directory, GroupAlias, InGroup, Line, LiveAgent, PressLive, Request,
    SipChannel, User,
};

fn directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| {
        let agent = |user: &str, lead_id: u64, callerid: &str, t: u64| LiveAgent {
            user: user.into(),
            server_ip: "10.0.0.1".into(),
            conf_exten: format!("86000{}", &user[3..]),
            lead_id,
            callerid: callerid.into(),
            last_call_time: t,
            ..LiveAgent::default()
        };
        Directory {
            users: vec![
                User { user: "6666".into(), pass: "1234".into(), agent_api_access: true, ..User::default() },
                User { user: "7777".into(), pass: "1234".into(), agent_api_access: true, api_allowed_functions: " park_call ".into(), ..User::default() },
                User { user: "1001".into(), custom_three: "ALT1".into(), ..User::default() },
            ],
            agents: vec![
                agent("1001", 7, "V0000000000000000001", 100),
                agent("1002", 7, "Y0000000000000000002", 200),
                agent("1003", 0, "", 0),
                agent("1004", 9, "", 50),
            ],
            auto_calls: vec![
                AutoCall { callerid: "V0000000000000000001".into(), call_type: CallType::Out, campaign_id: "OUTB".into() },
                AutoCall { callerid: "Y0000000000000000002".into(), call_type: CallType::In, campaign_id: "SALES".into() },
            ],
            ingroups: vec![
                InGroup { group_id: "SALES".into(), default_xfer_group: "CLOSERS".into(), ..InGroup::default() },
                InGroup { group_id: "CLOSERS".into(), ..InGroup::default() },
                InGroup { group_id: "AGENTDIRECT".into(), ..InGroup::default() },
                InGroup { group_id: "OLD".into(), active: false, ..InGroup::default() },
            ],
            campaigns: vec![Campaign { campaign_id: "OUTB".into(), default_xfer_group: "SALES".into() }],
            group_aliases: vec![
                GroupAlias { group_alias_id: "MAIN".into(), caller_id_number: "3125550000".into() },
                GroupAlias { group_alias_id: "BAD".into(), caller_id_number: "3".into() },
            ],
            press_live: vec![PressLive { user: "1002".into(), call_date: 1_764_000_000, status: "NEW".into() }],
            sip_channels: vec![SipChannel { server_ip: "10.0.0.1".into(), extension: "860002".into(), channel_group: "DC12345W".into() }],
            ..Directory::default()
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let dir = directory();
    let a = answer(dir, &query, 1_764_000_100);
    let body = a.body();
    // Every body parses, and what it parses to renders back to the same bytes. (A user
    // or password containing `|` makes the login line ambiguous; the parse then puts the
    // `|` in the password, a reading that renders identically.)
    let parsed = Line::parse_body(&body).expect("every body parses");
    assert_eq!(parsed.iter().map(ToString::to_string).collect::<String>(), body);
    if let Ok(parsed) = Request::from_query(&query) {
        if parsed.warnings.is_empty() {
            let again = parsed.request.to_query();
            let reparsed = Request::from_query(&again).expect("to_query reads back");
            assert_eq!(reparsed.request, parsed.request, "typed round trip via {again:?}");
            assert!(reparsed.warnings.is_empty(), "{:?}", reparsed.warnings);
            assert_eq!(answer(dir, &again, 1_764_000_100), a, "same answer for {again:?}");
        }
    }
});
