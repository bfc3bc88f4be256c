//! api.php sections `park_call` (§4.1) and `external_hangup` (§4.2): the value is stored
//! verbatim, after a lead check (park_call) or none at all (external_hangup).

use super::query::Param;
use super::response::{ApiError, Function, Success};
use super::{Cx, Halt};
use crate::config::Build;
use crate::input::ApiWrite;
use crate::slot::{HangupSlot, ParkSlot, SlotName};

/// The words a park_call value must contain (case-sensitive substring, §4.1).
pub(crate) const PARK_WORDS: [&str; 6] =
    ["PARK_CUSTOMER", "GRAB_CUSTOMER", "PARK_IVR_CUSTOMER", "GRAB_IVR_CUSTOMER", "PARK_XFER", "GRAB_XFER"];

/// Answers park_call or external_hangup (`function` says which), with the debug
/// statements of api.php lines 3922-3956 and 813-839.
pub(crate) fn answer(cx: &mut Cx<'_>, function: Function) -> Result<(), Halt> {
    let value = cx.p.get(Param::Value);
    let park = function == Function::ParkCall;
    if !function.value_passes(value, cx.dir.system.build) || !cx.has_agent() {
        return Err(cx.not_valid(function).into());
    }
    let agent_user = cx.permitted_agent(function)?;
    let agent = cx.logged_in(&agent_user)?;
    let (slot, write, success) = if park {
        cx.db(format!("select lead_id from vicidial_live_agents where user='{agent_user}';"));
        if agent.lead_id == 0 {
            return Err(ApiError::NoLead { agent_user }.into());
        }
        let success = Success::ParkCall { value: value.into(), agent_user: agent_user.clone() };
        let write: fn(&str) -> ApiWrite = |v| ApiWrite::ParkCall(ParkSlot::decode(v));
        (SlotName::Park, write, success)
    } else {
        let success = Success::ExternalHangup { value: value.into(), agent_user: agent_user.clone() };
        let write: fn(&str) -> ApiWrite = |v| ApiWrite::ExternalHangup(HangupSlot(v.into()));
        (SlotName::Hangup, write, success)
    };
    // The statement and the answer show the whole value; the row found keeps what fits
    // (§15.4).
    cx.page_comment(&format!("UPDATE vicidial_live_agents set {}='{value}' where user='{agent_user}';", slot.column()));
    cx.store(&agent.user, slot, value, |v| Some(write(v)));
    cx.success(success);
    Ok(())
}

/// park_call's value test by build (§17, finding F4): before 240429 only a length of at
/// least 10 (PHP `strlen`, bytes; api.php 230519-0731 line 3777), so PARK_XFER and
/// GRAB_XFER are refused and any long junk passes; from 240429-2220 the substring list
/// (api.php 3903).
pub(crate) fn park_value_valid(build: Build, value: &str) -> bool {
    match build {
        Build::Pre240429 => value.len() >= 10,
        _ => PARK_WORDS.iter().any(|w| value.contains(w)),
    }
}
