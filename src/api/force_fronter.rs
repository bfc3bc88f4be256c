//! api.php section `force_fronter_leave_3way` (§4.3): a closer tells the fronter still
//! on its lead to leave the 3-way call; the command lands in the *fronter's* slot.

use super::collation::collation_eq;
use super::query::Param;
use super::response::{ApiError, Function, Success};
use super::{debug, Cx, Fatal, Halt, Write};
use crate::ids::CommandId;
use crate::input::ApiWrite;
use crate::slot::SlotName;

/// The three values force_fronter_leave_3way accepts (exact match).
pub(crate) const FRONTER_VALUES: [&str; 3] = ["LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE"];

/// Answers force_fronter_leave_3way, with the debug statements of api.php lines
/// 4861-4990.
pub(crate) fn answer(cx: &mut Cx<'_>) -> Result<(), Halt> {
    let function = Function::ForceFronterLeave3Way;
    let value = cx.p.get(Param::Value);
    if !function.value_passes(value, cx.dir.system.build) || !cx.has_agent() {
        return Err(cx.not_valid(function).into());
    }
    let agent_user = cx.permitted_agent(function)?;
    let remote = value == "CCC_REMOTE";
    cx.db(format!("SELECT count(*) from vicidial_live_agents where user='{agent_user}';"));
    let agent = cx.dir.agent(&agent_user);
    if agent.is_none() && !remote {
        return Err(ApiError::NotLoggedIn { agent_user }.into());
    }
    cx.db_bars(format!("SELECT lead_id from vicidial_live_agents where user='{agent_user}';"));
    // The check is on the requesting agent's own lead (§1.5, §12), or a CCC_REMOTE lead_id.
    let agent_lead = agent.map_or(0, |a| a.lead_id);
    // `strlen($lead_id)` runs (and dies on an array) only when the agent has no lead.
    if agent_lead == 0 {
        cx.die_on_array(Param::LeadId)?;
    }
    let lead_param = cx.p.get(Param::LeadId);
    if agent_lead == 0 && (!remote || lead_param.is_empty()) {
        return Err(ApiError::NotOnPhoneCall { agent_user }.into());
    }
    // `$QUERYlead_id` as the statements print it: the agent's lead, or the parameter as
    // sent (digits; `Array` for an array, which the database reads as 0).
    let (lead, query_lead) = if remote {
        // Digits only; PHP would go to a float beyond i64, which no lead id reaches. An
        // empty parameter (accepted above for an agent with a lead) is lead 0.
        let lead = lead_param.parse::<u64>().unwrap_or(if lead_param.is_empty() { 0 } else { u64::MAX });
        (lead, cx.text(Param::LeadId))
    } else {
        (agent_lead, agent_lead.to_string())
    };
    cx.db_bars(format!(
        "SELECT user from vicidial_live_agents where user!='{agent_user}' and lead_id='{query_lead}' order by \
         last_call_time limit 1;"
    ));
    // The other agent on the same lead with the oldest last_call_time (`order by
    // last_call_time limit 1`). Tie rule: the first in the directory's order (SQL leaves
    // it open; docs/decisions.md).
    let fronter = cx
        .dir
        .agents
        .iter()
        .filter(|a| !collation_eq(&a.user, &agent_user) && a.lead_id == lead)
        .min_by_key(|a| a.last_call_time);
    if let Some(f) = fronter {
        let raw = format!("LEAVE_3WAY_CALL---------NO------------{}", cx.epoch);
        let write = ApiWrite::ForcedLeave3Way(CommandId::epoch(cx.epoch));
        let fronter = f.user.clone();
        cx.store(&fronter, SlotName::TransferConf, &raw, |_| Some(write));
        cx.success(Success::FronterSent { fronter });
        return Ok(());
    }
    if value == "LOCAL_AND_CCC" {
        return forward(cx, lead, &query_lead, agent_user);
    }
    Err(ApiError::NoFronterFound { agent_user }.into())
}

/// `LOCAL_AND_CCC` without a local fronter (§15.7): the lead's first `vicidial_ccc_log`
/// row, its settings container, the rewritten URL fetched; only a non-empty answer is
/// sent. An empty container entry kills the script (HTTP 500) at the fetch.
fn forward(cx: &mut Cx<'_>, lead: u64, query_lead: &str, agent_user: String) -> Result<(), Halt> {
    let no_fronter = || ApiError::NoFronterFound { agent_user: agent_user.clone() };
    cx.db_bars(format!("SELECT remote_lead_id,container_id from vicidial_ccc_log where lead_id='{query_lead}';"));
    let dir = cx.dir;
    let record = dir.ccc.iter().find(|r| r.lead_id == lead).ok_or_else(no_fronter)?;
    let container_id = record.container_id.clone();
    cx.db_bars(format!(
        "SELECT container_entry from vicidial_settings_containers where container_id='{container_id}';"
    ));
    let container =
        dir.containers.iter().find(|c| collation_eq(&c.container_id, &container_id)).ok_or_else(no_fronter)?;
    let url = remote_url(&container.container_entry, record.remote_lead_id);
    let now = debug::date_time(cx.epoch, dir.system.utc_offset);
    let logged = debug::addslashes(&url.replace(';', ""));
    cx.db(format!(
        "INSERT INTO vicidial_url_log SET uniqueid='',url_date='{now}',url_type='start',url='{logged}',url_response='';"
    ));
    cx.db_br(&url);
    if container.container_entry.is_empty() {
        return Err(Halt::Fatal(Fatal::EmptyContainerEntry { container_id }));
    }
    // `$SCUfile[0]`: the answer's first line, its line end included (PHP's `file()`).
    let first = if record.reachable { record.response.split_inclusive('\n').next().unwrap_or_default() } else { "" };
    cx.db_br(first);
    if !record.reachable {
        return Err(no_fronter().into());
    }
    cx.out.writes.push(Write::Remote { container_id: container_id.clone(), lead_id: record.remote_lead_id, url });
    cx.success(Success::SentOverCcc { container_id });
    Ok(())
}

/// The container entry with `ccc_lead_info` replaced by the CCC_REMOTE request for the
/// remote lead, then `vicidial/non_agent_` and `admin/non_agent_` by `agc/` (api.php).
pub(crate) fn remote_url(entry: &str, remote_lead_id: u64) -> String {
    let request = format!("force_fronter_leave_3way&value=CCC_REMOTE&lead_id={remote_lead_id}&agent_user=CCC_REMOTE");
    entry.replace("ccc_lead_info", &request).replace("vicidial/non_agent_", "agc/").replace("admin/non_agent_", "agc/")
}
