//! A reference model of api.php's transfer_conference, written straight from the
//! specification (§2, §3) as a plain table-driven reading, compared with
//! `vicixfer::api::answer` on random requests over a small world where every branch is
//! reachable: each check, each path, DEFAULTINGROUP both ways, aliases, cid choices,
//! multi-dial dedup and upsert counts, md_check, tw_check, alt_user.

use proptest::prelude::*;

#[path = "support.rs"]
mod support;
use vicixfer::api::*;

const EPOCH: u64 = 1_764_000_000;

fn world() -> Directory {
    let agent = |user: &str, conf: &str, lead_id: u64, callerid: &str| LiveAgent {
        user: user.into(),
        server_ip: "10.0.0.1".into(),
        conf_exten: conf.into(),
        lead_id,
        callerid: callerid.into(),
        ..LiveAgent::default()
    };
    Directory {
        users: vec![
            User { user: "6666".into(), pass: "1234".into(), agent_api_access: true, ..User::default() },
            User {
                user: "7777".into(),
                pass: "1234".into(),
                agent_api_access: true,
                user_group: "LIMITED".into(),
                api_allowed_functions: " park_call ".into(),
                ..User::default()
            },
            User { user: "1001".into(), custom_three: "ALT1".into(), ..User::default() },
            User { user: "1002".into(), custom_three: "ALT2".into(), ..User::default() },
        ],
        agents: vec![
            agent("1001", "8600001", 7, "V0000000000000000001"),
            agent("1002", "8600002", 8, "Y0000000000000000002"),
            agent("1003", "8600003", 9, ""),
            agent("1004", "8600004", 0, ""),
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
            GroupAlias { group_alias_id: "LOW".into(), caller_id_number: "3".into() },
            GroupAlias { group_alias_id: "TXT".into(), caller_id_number: "TESTING".into() },
        ],
        press_live: vec![PressLive { user: "1002".into(), call_date: EPOCH - 10, status: "NEW".into() }],
        press_multi: vec![PressMulti {
            user: "1001".into(),
            phone_numbers: "5551234".into(),
            phone_numbers_ct: 1,
            status: "NEW".into(),
            call_date: EPOCH,
        }],
        sip_channels: vec![SipChannel {
            server_ip: "10.0.0.1".into(),
            extension: "8600002".into(),
            channel_group: "DC0000000001W".into(),
        }],
        ..Directory::default()
    }
}

/// One request: every field from a small set that sanitising leaves unchanged.
#[derive(Debug, Clone)]
struct Req {
    login: (&'static str, &'static str),
    value: &'static str,
    agent_user: &'static str,
    alt_user: &'static str,
    ingroup: &'static str,
    phone: &'static str,
    consultative: &'static str,
    dial_override: &'static str,
    group_alias: &'static str,
    cid_choice: &'static str,
    multi: &'static str,
    md_check: &'static str,
    tw_check: &'static str,
}

fn pick<T: Clone + std::fmt::Debug + 'static>(v: &[T]) -> impl Strategy<Value = T> {
    prop::sample::select(v.to_vec())
}

const VALUES: [&str; 11] = [
    "HANGUP_XFER",
    "HANGUP_BOTH",
    "LEAVE_3WAY_CALL",
    "BLIND_TRANSFER",
    "LEAVE_VM",
    "LOCAL_CLOSER",
    "DIAL_WITH_CUSTOMER",
    "PARK_CUSTOMER_DIAL",
    "PARK_XFER",
    "FOO_BAR_BAZ",
    "",
];

prop_compose! {
    fn req()(
        login in pick(&[("6666", "1234"), ("7777", "1234"), ("6666", "nope")]),
        value in pick(&VALUES),
        agent_user in pick(&["1001", "1002", "1003", "1004", "9999", ""]),
        alt_user in pick(&["", "A", "ALT1", "ALT2", "NOPE"]),
        ingroup in pick(&["", "S", "SALES", "CLOSERS", "OLD", "NOPE", "DEFAULTINGROUP", "AGENTDIRECT"]),
        phone in pick(&["", "5551234"]),
        consultative in pick(&["", "YES", "NO"]),
        dial_override in pick(&["", "YES", "NO"]),
        group_alias in pick(&["", "M", "MAIN", "LOW", "TXT", "NOPE"]),
        cid_choice in pick(&["", "X", "CUSTOMER", "XCUSTOMERX", "BOGUS"]),
        multi in pick(&["", "123", "5551234", "15551234,5551234", "5551234,15551234", "5551234,12"]),
        checks in (pick(&["", "YES"]), pick(&["", "YES"])),
    ) -> Req {
        let (md_check, tw_check) = checks;
        Req { login, value, agent_user, alt_user, ingroup, phone, consultative, dial_override, group_alias, cid_choice, multi, md_check, tw_check }
    }
}

impl Req {
    fn query(&self) -> String {
        let mut q = format!("source=test&user={}&pass={}&function=transfer_conference", self.login.0, self.login.1);
        for (k, v) in [
            ("value", self.value),
            ("agent_user", self.agent_user),
            ("alt_user", self.alt_user),
            ("ingroup_choices", self.ingroup),
            ("phone_number", self.phone),
            ("consultative", self.consultative),
            ("dial_override", self.dial_override),
            ("group_alias", self.group_alias),
            ("cid_choice", self.cid_choice),
            ("multi_dial_phones", self.multi),
            ("md_check", self.md_check),
            ("tw_check", self.tw_check),
        ] {
            if !v.is_empty() {
                q.push_str(&format!("&{k}={v}"));
            }
        }
        q
    }
}

/// The specification, read top to bottom. Returns the printed lines and the stored slot.
fn reference(r: &Req) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let (user, pass) = r.login;
    if pass != "1234" {
        // §15.1: the message carries the login's SQL, with the cut-off epoch-900.
        let sql = format!(
            "SELECT count(*) from vicidial_users where user='{user}' and pass='{pass}' and user_level > 0 and \
             active='Y' and ( (failed_login_count < 10) or (UNIX_TIMESTAMP(last_login_date) < {}) );",
            EPOCH - 900
        );
        return (vec![format!("ERROR: Invalid Username/Password: |{user}|{pass}|0|1|BAD|0|api|{sql}|")], None);
    }
    let value = r.value;
    if value.len() < 8 || (r.agent_user.is_empty() && r.alt_user.len() < 2) {
        return (vec![format!("ERROR: transfer_conference not valid - {value}|{}", r.agent_user)], None);
    }
    if user == "7777" {
        let line = format!(
            "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - {value}|7777|transfer_conference|LIMITED"
        );
        return (vec![line], None);
    }
    let mut agent = r.agent_user.to_string();
    if r.alt_user.len() > 1 {
        match r.alt_user {
            "ALT1" => agent = "1001".into(),
            "ALT2" => agent = "1002".into(),
            other => out.push(format!("ERROR: no user found - {other}")),
        }
    }
    let done = |mut out: Vec<String>, line: String| {
        out.push(line);
        (out, None)
    };
    // (lead, callerid, conference) of the logged-in agents.
    let row = match agent.as_str() {
        "1001" => (7, "V0000000000000000001", "8600001"),
        "1002" => (8, "Y0000000000000000002", "8600002"),
        "1003" => (9, "", "8600003"),
        "1004" => (0, "", "8600004"),
        _ => return done(out, format!("ERROR: agent_user is not logged in - {agent}")),
    };
    let (lead, callerid, conf) = row;
    if lead == 0 || callerid.len() <= 15 {
        return done(out, format!("ERROR: agent_user does not have a live call - {agent}"));
    }
    let dial = value == "DIAL_WITH_CUSTOMER" || value == "PARK_CUSTOMER_DIAL";
    let consult = if r.consultative == "YES" { "YES" } else { "NO" };
    let path = if value == "LOCAL_CLOSER" || (dial && consult == "YES") {
        'A'
    } else if dial || value == "BLIND_TRANSFER" || value == "LEAVE_VM" {
        'B'
    } else if ["HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL"].contains(&value) {
        'C'
    } else {
        return done(out, format!("ERROR: value is not valid - {value}|{user}"));
    };
    let mut ingroup = r.ingroup.to_string();
    if path == 'A' {
        if ingroup.len() < 2 {
            return done(out, format!("ERROR: ingroup is not valid - {ingroup}"));
        }
        if ingroup.contains("DEFAULTINGROUP") {
            // 1001's call is outbound on OUTB (default SALES); 1002's came in on SALES
            // (default CLOSERS).
            ingroup = if agent == "1001" { "SALES".into() } else { "CLOSERS".into() };
        }
        if !["SALES", "CLOSERS", "AGENTDIRECT"].contains(&ingroup.as_str()) {
            return done(out, format!("ERROR: ingroup is not valid - {ingroup}"));
        }
    }
    let mut alias_cid = "";
    if path != 'C' {
        if r.group_alias.len() > 1 {
            match r.group_alias {
                "MAIN" => alias_cid = "3125550000",
                "TXT" => alias_cid = "TESTING",
                "LOW" => {
                    return done(out, format!("ERROR: caller_id_number from group_alias is not valid - {agent}|LOW|3"))
                }
                other => return done(out, format!("ERROR: group_alias is not valid - {agent}|{other}")),
            }
        }
        let c = r.cid_choice;
        if c.len() > 1 && !["CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID"].iter().any(|w| c.contains(w)) {
            return done(out, format!("ERROR: cid_choice is not valid - {agent}|{c}"));
        }
    }
    let mut suffix = String::new();
    if r.multi.len() > 4 {
        let entries: Vec<&str> = r.multi.split(',').collect();
        let mut kept: Vec<&str> = Vec::new();
        for e in &entries {
            if (5..=18).contains(&e.len()) && !kept.join(",").contains(e) {
                kept.push(e);
            }
        }
        let mut affected = 0;
        if !kept.is_empty() {
            if r.md_check == "YES" && agent == "1002" {
                return done(out, format!("ERROR: agent_user has previous active 3-way calls - {agent}|1|0|YES"));
            }
            affected = if agent == "1001" {
                if kept.join(",") == "5551234" {
                    0
                } else {
                    2
                }
            } else {
                1
            };
        }
        suffix = format!("|Multi-phones: {} {} {affected}", kept.len(), entries.len());
    }
    if r.tw_check == "YES" && conf == "8600002" {
        return done(out, format!("ERROR: agent_user has current active 3-way call - {agent}|1|0|YES"));
    }
    let phone = r.phone;
    let stored = match path {
        'A' => format!(
            "{value}---{ingroup}---{phone}---{consult}------{}---{alias_cid}---{EPOCH}---{}",
            r.group_alias, r.cid_choice
        ),
        'B' => format!(
            "{value}------{phone}---NO---{}---{}---{alias_cid}---{EPOCH}---{}",
            r.dial_override, r.group_alias, r.cid_choice
        ),
        _ => format!("{value}---------NO------------{EPOCH}"),
    };
    let echoed = if path == 'A' { ingroup } else { r.ingroup.to_string() };
    out.push(format!(
        "SUCCESS: transfer_conference function set - {value}|{echoed}|{phone}|{consult}|{agent}|{callerid}{suffix}|"
    ));
    (out, Some(stored))
}

fn config() -> ProptestConfig {
    support::config(3000, "proptests/regressions/api_model.txt")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn answer_matches_the_reference_model(r in req()) {
        let dir = world();
        let a = answer(&dir, &r.query(), EPOCH);
        let (lines, stored) = reference(&r);
        let want: String = lines.iter().map(|l| format!("{l}\n")).collect();
        prop_assert_eq!(a.body(), want, "query {}", r.query());
        prop_assert_eq!(a.stored().map(|s| s.raw.clone()), stored, "query {}", r.query());
        if let Some(s) = a.stored() {
            // The stored string is what the screen reads: the typed slot decodes from it.
            let decoded = vicixfer::TransferSlot::decode(&s.raw).map(vicixfer::ApiWrite::TransferConference);
            prop_assert_eq!(Some(s.write.clone()), decoded);
        }
    }

    #[test]
    fn any_printable_query_on_the_world_answers_and_renders_back(q in "[ -~]{0,160}") {
        let dir = world();
        let a = answer(&dir, &q, EPOCH);
        let body = a.body();
        let parsed = Line::parse_body(&body).expect("every body parses");
        prop_assert_eq!(parsed.iter().map(ToString::to_string).collect::<String>(), body);
    }
}
