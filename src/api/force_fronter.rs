//! api.php section `force_fronter_leave_3way` (§4.3): a closer tells the fronter still
//! on its lead to leave the 3-way call; the command lands in the *fronter's* slot.

use super::collation::collation_eq;
use super::query::Param;
use super::response::{ApiError, Function, Success};
use super::{Cx, Fatal, Write};
use crate::ids::CommandId;
use crate::input::ApiWrite;
use crate::slot::SlotName;

/// The three values force_fronter_leave_3way accepts (exact match).
pub(crate) const FRONTER_VALUES: [&str; 3] = ["LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE"];

pub(crate) fn answer(cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let function = Function::ForceFronterLeave3Way;
    let value = cx.p.get(Param::Value);
    if !function.value_passes(value, cx.dir.system.build) || !cx.has_agent() {
        return Err(cx.not_valid(function));
    }
    let agent_user = cx.permitted_agent(function)?;
    let remote = value == "CCC_REMOTE";
    let agent = cx.dir.agent(&agent_user);
    if agent.is_none() && !remote {
        return Err(ApiError::NotLoggedIn { agent_user });
    }
    let lead_param = cx.p.get(Param::LeadId);
    // The check is on the requesting agent's own lead (§1.5, §12), or a CCC_REMOTE lead_id.
    let agent_lead = agent.map_or(0, |a| a.lead_id);
    if agent_lead == 0 && (!remote || lead_param.is_empty()) {
        return Err(ApiError::NotOnPhoneCall { agent_user });
    }
    let lead = if remote {
        // Digits only; PHP would go to a float beyond i64, which no lead id reaches. An
        // empty parameter (accepted above for an agent with a lead) is lead 0.
        lead_param.parse::<u64>().unwrap_or(if lead_param.is_empty() { 0 } else { u64::MAX })
    } else {
        agent_lead
    };
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
        return forward(cx, lead, agent_user);
    }
    Err(ApiError::NoFronterFound { agent_user })
}

/// `LOCAL_AND_CCC` without a local fronter (§15.7): the lead's first `vicidial_ccc_log`
/// row, its settings container, the rewritten URL fetched; only a non-empty answer is
/// sent. An empty container entry kills the script (HTTP 500).
fn forward(cx: &mut Cx<'_>, lead: u64, agent_user: String) -> Result<(), ApiError> {
    let no_fronter = || ApiError::NoFronterFound { agent_user: agent_user.clone() };
    let record = cx.dir.ccc.iter().find(|r| r.lead_id == lead).ok_or_else(no_fronter)?;
    let container = cx
        .dir
        .containers
        .iter()
        .find(|c| collation_eq(&c.container_id, &record.container_id))
        .ok_or_else(no_fronter)?;
    let container_id = record.container_id.clone();
    if container.container_entry.is_empty() {
        cx.out.fatal = Some(Fatal::EmptyContainerEntry { container_id });
        return Ok(());
    }
    if !record.reachable {
        return Err(no_fronter());
    }
    let url = remote_url(&container.container_entry, record.remote_lead_id);
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
