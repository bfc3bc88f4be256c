//! api.php section `transfer_conference` (§3): the ordered checks, paths A/B/C, the
//! press-1 and 3-way checks, and the `---` encoding of the stored command.

use super::collation::collation_eq;
use super::debug::date_time;
use super::directory::{CallType, LiveAgent, PressMulti};
use super::php::less_than_four;
use super::query::Param;
use super::response::{ApiError, Function, MultiPhones, Success};
use super::{Cx, Halt, Write};
use crate::input::ApiWrite;
use crate::slot::{truncate_chars, SlotName, TransferSlot};

/// Which validation path a value takes (§3.1 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    /// In-group: LOCAL_CLOSER, or a consultative dial.
    InGroup,
    /// Number: BLIND_TRANSFER, LEAVE_VM, or a non-consultative dial.
    Number,
    /// No parameters: HANGUP_XFER, HANGUP_BOTH, LEAVE_3WAY_CALL.
    Bare,
}

/// The path for a (sanitised) value and consultative flag; `None` is `value is not valid`.
pub(crate) fn path(value: &str, consultative: bool) -> Option<Path> {
    let dial = matches!(value, "DIAL_WITH_CUSTOMER" | "PARK_CUSTOMER_DIAL");
    if value == "LOCAL_CLOSER" || (dial && consultative) {
        Some(Path::InGroup)
    } else if dial || matches!(value, "BLIND_TRANSFER" | "LEAVE_VM") {
        Some(Path::Number)
    } else if matches!(value, "HANGUP_XFER" | "HANGUP_BOTH" | "LEAVE_3WAY_CALL") {
        Some(Path::Bare)
    } else {
        None
    }
}

/// The columns of the stored command that differ by path.
struct Target {
    ingroup: String,
    alias: String,
    alias_cid: String,
}

/// Answers transfer_conference, with the debug statements of api.php lines 4013-4341.
pub(crate) fn answer(cx: &mut Cx<'_>) -> Result<(), Halt> {
    let p = cx.p;
    let value = p.get(Param::Value);
    if !Function::TransferConference.value_passes(value, cx.dir.system.build) || !cx.has_agent() {
        return Err(cx.not_valid(Function::TransferConference).into());
    }
    let agent_user = cx.permitted_agent(Function::TransferConference)?;
    let agent = cx.logged_in(&agent_user)?;
    cx.db(format!(
        "select lead_id,callerid,server_ip,conf_exten,status from vicidial_live_agents where user='{agent_user}';"
    ));
    if agent.lead_id == 0 || agent.callerid.len() <= 15 {
        return Err(ApiError::NoLiveCall { agent_user }.into());
    }
    let consultative = p.get(Param::Consultative);
    let Some(path) = path(value, consultative == "YES") else {
        return Err(ApiError::ValueNotValid { value: value.into(), user: p.get(Param::User).into() }.into());
    };
    let target = match path {
        Path::InGroup => {
            let ingroup = in_group(cx, agent)?;
            let (alias, alias_cid) = caller_id(cx, &agent_user)?;
            Target { ingroup, alias, alias_cid }
        }
        Path::Number => {
            let (alias, alias_cid) = caller_id(cx, &agent_user)?;
            Target { ingroup: String::new(), alias, alias_cid }
        }
        Path::Bare => Target { ingroup: String::new(), alias: String::new(), alias_cid: String::new() },
    };
    let multi = multi_dial(cx, &agent_user)?;
    three_way_check(cx, &agent_user, agent)?;

    // Parameters that are arrays print as `Array` in the stored string and the answer.
    let (phone, dial_override) = (cx.text(Param::PhoneNumber), cx.text(Param::DialOverride));
    let (cid_choice, epoch) = (p.get(Param::CidChoice), cx.epoch.to_string());
    let raw = match path {
        Path::InGroup => {
            [value, &target.ingroup, &phone, consultative, "", &target.alias, &target.alias_cid, &epoch, cid_choice]
                .join("---")
        }
        Path::Number => {
            [value, "", &phone, "NO", &dial_override, &target.alias, &target.alias_cid, &epoch, cid_choice].join("---")
        }
        Path::Bare => [value, "", "", "NO", "", "", "", &epoch].join("---"),
    };
    // The statement shows the whole command; the column keeps what fits (§15.4).
    let stmt = format!("UPDATE vicidial_live_agents set external_transferconf='{raw}' where user='{agent_user}';");
    cx.page_comment(&stmt);
    cx.db(stmt);
    cx.store(&agent.user, SlotName::TransferConf, &raw, |kept| {
        TransferSlot::decode(kept).map(ApiWrite::TransferConference)
    });
    let ingroup = if path == Path::InGroup { target.ingroup } else { cx.text(Param::IngroupChoices) };
    cx.success(Success::TransferConference {
        value: value.into(),
        ingroup,
        phone,
        consultative: consultative.into(),
        agent_user,
        callerid: agent.callerid.clone(),
        multi,
    });
    Ok(())
}

/// Path A's in-group: present, DEFAULTINGROUP resolved from the live call, active (§3.2).
/// `strlen($ingroup_choices)` dies on an array.
fn in_group(cx: &mut Cx<'_>, agent: &LiveAgent) -> Result<String, Halt> {
    cx.die_on_array(Param::IngroupChoices)?;
    let sent = cx.p.get(Param::IngroupChoices);
    if sent.len() < 2 {
        return Err(ApiError::IngroupNotValid { ingroup: sent.into() }.into());
    }
    let ingroup = if sent.contains("DEFAULTINGROUP") { default_ingroup(cx, agent) } else { sent.to_string() };
    cx.db(format!("select count(*) from vicidial_inbound_groups where group_id='{ingroup}' and active='Y';"));
    match cx.dir.ingroup(&ingroup) {
        Some(g) if g.active => Ok(ingroup),
        _ => Err(ApiError::IngroupNotValid { ingroup }.into()),
    }
}

/// DEFAULTINGROUP: the default transfer group of the call's in-group (inbound) or
/// campaign (outbound). Without a call row api.php reads the campaign `''` (its
/// `call_type` is then not `IN`), which normally gives the empty string.
fn default_ingroup(cx: &mut Cx<'_>, agent: &LiveAgent) -> String {
    let dir = cx.dir;
    cx.db(format!("select campaign_id,call_type from vicidial_auto_calls where callerid='{}';", agent.callerid));
    let call = dir.auto_call(&agent.callerid);
    let campaign_id = call.map_or("", |c| c.campaign_id.as_str());
    if call.is_some_and(|c| c.call_type == CallType::In) {
        cx.db(format!("select default_xfer_group from vicidial_inbound_groups where group_id='{campaign_id}';"));
        dir.ingroup(campaign_id).map(|g| g.default_xfer_group.clone())
    } else {
        cx.db(format!("select default_xfer_group from vicidial_campaigns where campaign_id='{campaign_id}';"));
        dir.campaign(campaign_id).map(|c| c.default_xfer_group.clone())
    }
    .unwrap_or_default()
}

/// group_alias, then cid_choice (§3.4). Returns the alias id and its caller id number.
/// `strlen($group_alias)` and `strlen($cid_choice)` die on an array.
fn caller_id(cx: &mut Cx<'_>, agent_user: &str) -> Result<(String, String), Halt> {
    cx.die_on_array(Param::GroupAlias)?;
    let alias = cx.p.get(Param::GroupAlias);
    let mut alias_cid = String::new();
    if alias.len() > 1 {
        cx.db(format!("select caller_id_number from groups_alias where group_alias_id='{alias}';"));
        let Some(row) = cx.dir.group_alias(alias) else {
            return Err(
                ApiError::GroupAliasNotValid { agent_user: agent_user.into(), group_alias: alias.into() }.into()
            );
        };
        if less_than_four(&row.caller_id_number) {
            return Err(ApiError::AliasCallerIdNotValid {
                agent_user: agent_user.into(),
                group_alias: alias.into(),
                caller_id_number: row.caller_id_number.clone(),
            }
            .into());
        }
        alias_cid.clone_from(&row.caller_id_number);
    }
    cx.die_on_array(Param::CidChoice)?;
    let cid = cx.p.get(Param::CidChoice);
    if cid.len() > 1 && !["CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID"].iter().any(|w| cid.contains(w)) {
        return Err(ApiError::CidChoiceNotValid { agent_user: agent_user.into(), cid_choice: cid.into() }.into());
    }
    Ok((alias.into(), alias_cid))
}

/// `vicidial_3way_press_multi.phone_numbers` is `VARCHAR(255)`.
const PHONE_NUMBERS_WIDTH: usize = 255;

/// Statuses of a press-1 call that is over (§3.5 md_check).
const PRESS_DONE: [&str; 5] = ["HUNGUP", "DEFEATED", "TRANSFER", "TOOSLOW", "DECLINED"];

/// The numbers api.php keeps of `multi_dial_phones`: 5 to 18 digits, and not a
/// substring of those already kept (§3.5).
pub(crate) fn accepted_numbers(phones: &str) -> (Vec<&str>, u32) {
    let mut kept: Vec<&str> = Vec::new();
    let mut joined = String::new();
    let mut sent = 0;
    for entry in phones.split(',') {
        sent += 1;
        if (5..=18).contains(&entry.len()) && !joined.contains(entry) {
            if !joined.is_empty() {
                joined.push(',');
            }
            joined.push_str(entry);
            kept.push(entry);
        }
    }
    (kept, sent)
}

/// multi_dial_phones: dedup, md_check, upsert of the press-1 row (§3.5). The row is
/// written before tw_check runs, so it stays when tw_check fails (R9).
/// `strlen($multi_dial_phones)` and `preg_match(…, $md_check)` die on an array.
fn multi_dial(cx: &mut Cx<'_>, agent_user: &str) -> Result<Option<MultiPhones>, Halt> {
    cx.die_on_array(Param::MultiDialPhones)?;
    let phones = cx.p.get(Param::MultiDialPhones);
    if phones.len() <= 4 {
        return Ok(None);
    }
    let (kept, sent) = accepted_numbers(phones);
    let accepted = kept.len() as u32;
    let mut affected = 0;
    if accepted > 0 {
        cx.die_on_array(Param::MdCheck)?;
        let md_check = cx.p.get(Param::MdCheck);
        if md_check.to_ascii_uppercase().contains("YES") {
            let since = cx.epoch.saturating_sub(30 * 60);
            // `mktime(date("H"),date("i")-30,…)`: half an hour ago, in the server's time.
            let half_hour_ago = date_time(since, cx.dir.system.utc_offset);
            cx.db(format!(
                "select count(*) from vicidial_3way_press_live where user='{agent_user}' and status NOT IN\
                 ('HUNGUP','DEFEATED','TRANSFER','TOOSLOW','DECLINED') and call_date > \"{half_hour_ago}\";"
            ));
            let count = cx
                .dir
                .press_live
                .iter()
                .filter(|r| {
                    collation_eq(&r.user, agent_user)
                        && r.call_date > since
                        && !PRESS_DONE.iter().any(|d| collation_eq(d, &r.status))
                })
                .count() as u32;
            if count > 0 {
                return Err(ApiError::PreviousActive3Way {
                    agent_user: agent_user.into(),
                    count,
                    md_check: md_check.into(),
                }
                .into());
            }
        }
        let row = PressMulti {
            user: agent_user.into(),
            // `phone_numbers` is VARCHAR(255) (§15.4).
            phone_numbers: truncate_chars(&kept.join(","), PHONE_NUMBERS_WIDTH).into(),
            phone_numbers_ct: accepted,
            status: "NEW".into(),
            call_date: cx.epoch,
        };
        affected = match cx.dir.press_multi_of(agent_user) {
            None => 1,
            Some(old) if *old == row => 0,
            Some(_) => 2,
        };
        cx.out.writes.push(Write::PressMulti(row));
    }
    Ok(Some(MultiPhones { accepted, sent, affected }))
}

/// tw_check: refuse while `DC…W` channels (MySQL `LIKE`, case-insensitive) are attached
/// to the agent's session (§3.5, Q10).
/// `preg_match(…, $tw_check)` dies on an array.
fn three_way_check(cx: &mut Cx<'_>, agent_user: &str, agent: &LiveAgent) -> Result<(), Halt> {
    cx.die_on_array(Param::TwCheck)?;
    let tw_check = cx.p.get(Param::TwCheck);
    if !tw_check.to_ascii_uppercase().contains("YES") {
        return Ok(());
    }
    let server_ip = &agent.server_ip;
    cx.db(format!("SELECT conf_engine from servers where server_ip='{server_ip}';"));
    cx.db(format!(
        "SELECT count(*) from live_sip_channels where server_ip='{server_ip}' and channel_group LIKE \"DC%W\" and \
         extension='{}';",
        agent.conf_exten
    ));
    let count = cx
        .dir
        .sip_channels
        .iter()
        .filter(|c| {
            collation_eq(&c.server_ip, &agent.server_ip)
                && collation_eq(&c.extension, &agent.conf_exten)
                && like_dc_w(&c.channel_group)
        })
        .count() as u32;
    if count > 0 {
        return Err(
            ApiError::CurrentActive3Way { agent_user: agent_user.into(), count, tw_check: tw_check.into() }.into()
        );
    }
    Ok(())
}

/// `channel_group LIKE "DC%W"` under the collation: one character equal to `D`, one to
/// `C`, anything, one equal to `W` (MariaDB's LIKE compares character by character).
fn like_dc_w(group: &str) -> bool {
    let chars: Vec<char> = group.chars().collect();
    let is = |c: char, w: &str| collation_eq(c.encode_utf8(&mut [0; 4]), w);
    chars.len() >= 3 && is(chars[0], "D") && is(chars[1], "C") && is(chars[chars.len() - 1], "W")
}
