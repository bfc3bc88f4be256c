//! Campaign, phone and server settings that change what a command does. Fixed for the
//! life of a session; everything that changes during a call lives in [`Session`](crate::Session).

use crate::ids::Text;
use crate::slot::ParkValue;
use serde::{Deserialize, Serialize};

/// Which transfer paths keep the agent on the lead instead of opening the disposition
/// screen (campaign `transfer_no_dispo`, the `CALL*` outcome of docs/vicidial.md §12).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferNoDispo {
    /// `LOCAL`: LOCAL_CLOSER.
    pub local: bool,
    /// `EXTERNAL`: BLIND_TRANSFER and LEAVE_VM.
    pub external: bool,
    /// `LEAVE3WAY`: LEAVE_3WAY_CALL.
    pub leave3way: bool,
}

/// The phone's caller id for a 3-way leg when no alias caller id applies
/// (campaign `three_way_call_cid`, or a one-dial `cid_choice` override).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CidSource {
    /// The campaign caller id.
    #[default]
    Campaign,
    /// The agent phone's outbound caller id.
    AgentPhone,
    /// The lead's phone number.
    Customer,
    /// The lead's `security_phrase` field.
    CustomCid,
    /// The caller id the agent (or the alias) chose.
    AgentChoose,
}

impl CidSource {
    /// The screen's exact-match reading of a `three_way_call_cid` word; anything else
    /// falls back to the campaign caller id.
    pub fn from_word(word: &str) -> Self {
        match word {
            "AGENT_PHONE" => CidSource::AgentPhone,
            "CUSTOMER" => CidSource::Customer,
            "CUSTOM_CID" => CidSource::CustomCid,
            "AGENT_CHOOSE" => CidSource::AgentChoose,
            _ => CidSource::Campaign,
        }
    }
}

/// Campaign `agent_hangup_route`: where external_hangup sends the customer instead of
/// hanging up (§9).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HangupRoute {
    /// `HANGUP`: ordinary agent hangup.
    #[default]
    Hangup,
    /// `MESSAGE`, `EXTENSION` or `CALLMENU` with its value: a blind redirect there.
    Redirect(Text),
    /// `IN_GROUP` with its value: a local-closer redirect into that in-group.
    InGroup(Text),
}

/// The VICIdial build of the installation (§17). A whole `www/agc` tree comes from one SVN
/// revision, so one value names the builds of vicidial.php, api.php and manager_send.php
/// together (docs/screen-requests.md, "Proposed profiles"). Ordered oldest first.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Build {
    /// Before 240429 (e.g. vicidial.php 230615-0842, api.php 230519-0731): park_call takes
    /// any value of 10 or more characters (finding F4); the screen runs only the four
    /// customer park values.
    Pre240429,
    /// api.php 240429-2220 (the substring list), vicidial.php 240429-2237 (the screen runs
    /// PARK_XFER and GRAB_XFER), manager_send.php 240430-1046.
    B240429,
    /// vicidial.php 240624-1357: the screen also runs SWAP_PARK_CUSTOMER, SWAP_PARK_XFER
    /// and HANGUP_XFER_GRAB_CUSTOMER.
    B240624,
    /// vicidial.php 240627-1937 and later (the mirror's HEAD, 240830-1112): the campaign
    /// option `leave_3way_stop_recording` exists.
    #[default]
    B240627,
}

impl Build {
    /// Every profile, oldest first.
    pub const ALL: [Build; 4] = [Build::Pre240429, Build::B240429, Build::B240624, Build::B240627];

    /// Does this build's screen act on `value` (vicidial.php 8361-8387; old 7602-7609)? A
    /// value it does not know matches none of the park block's exact tests: nothing is
    /// sent, and the value stays in the slot until the disposition.
    pub fn screen_runs(self, value: ParkValue) -> bool {
        use ParkValue::*;
        match value {
            ParkCustomer | GrabCustomer | ParkIvrCustomer | GrabIvrCustomer => true,
            ParkXfer | GrabXfer => self >= Build::B240429,
            SwapParkCustomer | SwapParkXfer | HangupXferGrabCustomer => self >= Build::B240624,
        }
    }

    /// Has this build `leave_3way_stop_recording` (vicidial.php 7469-7475, changelog 744)?
    pub fn has_leave_3way_stop_recording(self) -> bool {
        self >= Build::B240627
    }
}

/// Settings of the agent's campaign, phone and server that the transfer paths read.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The agent's conference room at login.
    pub first_room: u64,
    /// Campaign `transfer_no_dispo`.
    pub transfer_no_dispo: TransferNoDispo,
    /// `auto_dial_level == 0`: redirects disable pending-dial cancellation (race R12).
    pub manual_dial: bool,
    /// Campaign `three_way_dial_prefix` (`X` or empty means none).
    pub three_way_dial_prefix: Text,
    /// The lead's `phone_code`, prepended to long numbers.
    pub phone_code: Text,
    /// Campaign `omit_phone_code = Y`.
    pub omit_phone_code: bool,
    /// Campaign `manual_dial_override_field = DISABLED`: the override box is ignored.
    pub override_disabled: bool,
    /// Campaign `three_way_call_cid`.
    pub three_way_call_cid: CidSource,
    /// Campaign `hangup_xfer_record_start = Y`.
    pub hangup_xfer_record_start: bool,
    /// Campaign `leave_3way_stop_recording = ALL_CALLS`.
    pub leave_3way_stop_recording: bool,
    /// Phone `VDstop_rec_after_each_call = 1` with `hangup_all_non_reserved` (default on):
    /// agent hangup makes the server hang up every other channel in the session.
    pub server_cleanup_on_hangup: bool,
    /// Ticks of the consultative custom-fields delay (`consult_custom_delay`, 0 = none;
    /// only when the campaign has custom fields).
    pub consult_delay: u8,
    /// Campaign `allow_required_fields = Y` with required fields: a new call starts with
    /// them empty, which blocks every agent hangup until the agent fills them (R13).
    pub required_fields: bool,
    /// Campaign `agent_hangup_route`.
    pub agent_hangup_route: HangupRoute,
    /// Consecutive cleanup runs a left-3way conference may hold at most one party (or
    /// none) before the cleanup kicks it and frees it (open question Q13).
    pub leave_3way_cleanup_checks: u8,
    /// The VICIdial build (§17); the newest when absent.
    pub build: Build,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            first_room: 8600051,
            transfer_no_dispo: TransferNoDispo::default(),
            manual_dial: false,
            three_way_dial_prefix: "".into(),
            phone_code: "1".into(),
            omit_phone_code: false,
            override_disabled: false,
            three_way_call_cid: CidSource::Campaign,
            hangup_xfer_record_start: false,
            leave_3way_stop_recording: false,
            server_cleanup_on_hangup: true,
            consult_delay: 0,
            required_fields: false,
            agent_hangup_route: HangupRoute::Hangup,
            leave_3way_cleanup_checks: 3,
            build: Build::B240627,
        }
    }
}

impl Config {
    /// §7.6: the number as dialled for a blind transfer or a 3-way dial. Unless it
    /// contains `XFER`, a number longer than 7 characters gets the dial prefix and the
    /// phone code when the override box is off (or overriding is disabled).
    pub fn dial_string(&self, number: &Text, override_checked: bool) -> Text {
        let prefixed =
            !number.contains("XFER") && (!override_checked || self.override_disabled) && number.chars().count() > 7;
        if !prefixed {
            return number.clone();
        }
        let prefix = match &*self.three_way_dial_prefix {
            "X" => "",
            p => p,
        };
        let code = if self.omit_phone_code { "" } else { &self.phone_code };
        format!("{prefix}{code}{number}").into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Text {
        s.into()
    }

    #[test]
    fn long_numbers_get_prefix_and_phone_code_unless_overridden() {
        let c = Config { three_way_dial_prefix: "9".into(), phone_code: "1".into(), ..Config::default() };
        assert_eq!(&*c.dial_string(&t("3125551234"), false), "913125551234");
        assert_eq!(&*c.dial_string(&t("3125551234"), true), "3125551234");
        assert_eq!(&*c.dial_string(&t("5551234"), false), "5551234", "7 characters: unchanged");
        assert_eq!(&*c.dial_string(&t("12XFER345678"), false), "12XFER345678");
        let disabled = Config { override_disabled: true, ..c.clone() };
        assert_eq!(&*disabled.dial_string(&t("3125551234"), true), "913125551234");
        let omit = Config { omit_phone_code: true, three_way_dial_prefix: "X".into(), ..c };
        assert_eq!(&*omit.dial_string(&t("3125551234"), false), "3125551234");
    }

    #[test]
    fn cid_words_match_exactly() {
        assert_eq!(CidSource::from_word("CUSTOMER"), CidSource::Customer);
        assert_eq!(CidSource::from_word("XCUSTOMERX"), CidSource::Campaign);
    }
}
