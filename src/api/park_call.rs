//! api.php sections `park_call` (§4.1) and `external_hangup` (§4.2): the value is stored
//! verbatim, after a lead check (park_call) or none at all (external_hangup).

use super::query::Param;
use super::response::{ApiError, Function, Success};
use super::Cx;
use crate::config::Build;
use crate::input::ApiWrite;
use crate::slot::{HangupSlot, ParkSlot, SlotName};

/// The words a park_call value must contain (case-sensitive substring, §4.1).
pub(crate) const PARK_WORDS: [&str; 6] =
    ["PARK_CUSTOMER", "GRAB_CUSTOMER", "PARK_IVR_CUSTOMER", "GRAB_IVR_CUSTOMER", "PARK_XFER", "GRAB_XFER"];

/// Answers park_call or external_hangup (`function` says which).
pub(crate) fn answer(cx: &mut Cx<'_>, function: Function) -> Result<(), ApiError> {
    let value = cx.p.get(Param::Value);
    let park = function == Function::ParkCall;
    let valid = if park { park_value_valid(cx.dir.system.build, value) } else { !value.is_empty() };
    if !valid || !cx.has_agent() {
        return Err(cx.not_valid(function));
    }
    let agent_user = cx.permitted_agent(function)?;
    let agent = cx.logged_in(&agent_user)?;
    let (slot, write, success) = if park {
        if agent.lead_id == 0 {
            return Err(ApiError::NoLead { agent_user });
        }
        let success = Success::ParkCall { value: value.into(), agent_user: agent_user.clone() };
        (SlotName::Park, ApiWrite::ParkCall(ParkSlot::decode(value)), success)
    } else {
        let success = Success::ExternalHangup { value: value.into(), agent_user: agent_user.clone() };
        (SlotName::Hangup, ApiWrite::ExternalHangup(HangupSlot(value.into())), success)
    };
    cx.store(&agent_user, slot, value.into(), write);
    cx.success(success);
    Ok(())
}

/// park_call's value test by build (§17, finding F4): before 240429 only a length of at
/// least 10 (PHP `strlen`, bytes; api.php 230519-0731 line 3777), so PARK_XFER and
/// GRAB_XFER are refused and any long junk passes; from 240429-2220 the substring list
/// (api.php 3903).
fn park_value_valid(build: Build, value: &str) -> bool {
    match build {
        Build::Pre240429 => value.len() >= 10,
        _ => PARK_WORDS.iter().any(|w| value.contains(w)),
    }
}
