//! The server-side world api.php reads and writes: the rows of the VICIdial tables the
//! four functions touch, as one serde (JSON) document.

use super::query::Charset;
use serde::{Deserialize, Serialize};

/// Everything api.php consults for the four transfer functions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Directory {
    /// `system_settings` and the server's character handling.
    pub system: System,
    /// `vicidial_users`, in user-id order (api.php's `alt_user` look-up takes the first).
    pub users: Vec<User>,
    /// `vicidial_live_agents`: logged-in agents.
    pub agents: Vec<LiveAgent>,
    /// `vicidial_auto_calls`: live calls by caller id (DEFAULTINGROUP resolution).
    pub auto_calls: Vec<AutoCall>,
    /// `vicidial_inbound_groups`.
    pub ingroups: Vec<InGroup>,
    /// `vicidial_campaigns`.
    pub campaigns: Vec<Campaign>,
    /// `groups_alias`.
    pub group_aliases: Vec<GroupAlias>,
    /// `vicidial_3way_press_live`: press-1 calls (`md_check`).
    pub press_live: Vec<PressLive>,
    /// `vicidial_3way_press_multi`: one pending multi-dial row per agent.
    pub press_multi: Vec<PressMulti>,
    /// `live_sip_channels` (`tw_check`).
    pub sip_channels: Vec<SipChannel>,
    /// Cross-cluster records for `LOCAL_AND_CCC` (the first one for a lead is the one used).
    pub ccc: Vec<CccRecord>,
}

/// System settings that change api.php's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct System {
    /// `vdc_agent_api_active = '1'`.
    pub api_active: bool,
    /// Which letters the sanitisers keep.
    pub charset: Charset,
    /// The VICIdial build of api.php (§17); the newest when absent.
    pub build: crate::config::Build,
}

impl Default for System {
    fn default() -> Self {
        System { api_active: true, charset: Charset::Latin, build: crate::config::Build::default() }
    }
}

/// A `vicidial_users` row (API users and agents alike).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct User {
    /// Login.
    pub user: String,
    /// Password (compared as stored).
    pub pass: String,
    /// `user_group`, echoed by the permission error.
    pub user_group: String,
    /// `active = 'Y'`.
    pub active: bool,
    /// Too many failed logins: authentication answers `LOCK`.
    pub locked: bool,
    /// `vdc_agent_api_access = '1'`.
    pub agent_api_access: bool,
    /// `api_allowed_functions`, space-delimited, or containing `ALL_FUNCTIONS`.
    pub api_allowed_functions: String,
    /// `custom_three`, matched by `alt_user`.
    pub custom_three: String,
}

impl Default for User {
    fn default() -> Self {
        User {
            user: String::new(),
            pass: String::new(),
            user_group: "ADMIN".into(),
            active: true,
            locked: false,
            agent_api_access: false,
            api_allowed_functions: " ALL_FUNCTIONS ".into(),
            custom_three: String::new(),
        }
    }
}

/// A `vicidial_live_agents` row: a logged-in agent and its three command slots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiveAgent {
    /// The agent's login.
    pub user: String,
    /// The server the agent's session lives on.
    pub server_ip: String,
    /// The agent's conference (`conf_exten`).
    pub conf_exten: String,
    /// `INCALL`, `PAUSED`, `READY`, ... (read, never decided on).
    pub status: String,
    /// `lead_id`; 0 is "no lead on screen".
    pub lead_id: u64,
    /// `callerid` of the call; longer than 15 characters while a call is live.
    pub callerid: String,
    /// `last_call_time` (epoch seconds): force_fronter picks the oldest.
    pub last_call_time: u64,
    /// `external_transferconf`.
    pub external_transferconf: String,
    /// `external_park`.
    pub external_park: String,
    /// `external_hangup`.
    pub external_hangup: String,
}

/// Whether a live call came in through an in-group or went out from a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallType {
    /// Inbound: `campaign_id` is the in-group.
    #[serde(rename = "IN")]
    In,
    /// Outbound: `campaign_id` is the campaign.
    #[default]
    #[serde(rename = "OUT")]
    Out,
}

/// A `vicidial_auto_calls` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AutoCall {
    /// The call id (`VLA.callerid` of the agent on it).
    pub callerid: String,
    /// `IN` or `OUT`.
    pub call_type: CallType,
    /// In-group id (`IN`) or campaign id (`OUT`).
    pub campaign_id: String,
}

/// A `vicidial_inbound_groups` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InGroup {
    /// `group_id`.
    pub group_id: String,
    /// `active = 'Y'`.
    pub active: bool,
    /// `default_xfer_group` (DEFAULTINGROUP on an inbound call).
    pub default_xfer_group: String,
}

impl Default for InGroup {
    fn default() -> Self {
        InGroup { group_id: String::new(), active: true, default_xfer_group: String::new() }
    }
}

/// A `vicidial_campaigns` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Campaign {
    /// `campaign_id`.
    pub campaign_id: String,
    /// `default_xfer_group` (DEFAULTINGROUP on an outbound call).
    pub default_xfer_group: String,
}

/// A `groups_alias` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupAlias {
    /// `group_alias_id`.
    pub group_alias_id: String,
    /// `caller_id_number` (text; api.php compares it with 4 numerically).
    pub caller_id_number: String,
}

/// A `vicidial_3way_press_live` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PressLive {
    /// The agent.
    pub user: String,
    /// `call_date` (epoch seconds).
    pub call_date: u64,
    /// `NEW`, `ANSWERED`, `HUNGUP`, ...
    pub status: String,
}

/// A `vicidial_3way_press_multi` row (one per agent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PressMulti {
    /// The agent.
    pub user: String,
    /// Accepted numbers, comma-joined.
    pub phone_numbers: String,
    /// How many.
    pub phone_numbers_ct: u32,
    /// `NEW` until the press-1 AGI takes it.
    pub status: String,
    /// `call_date` (epoch seconds).
    pub call_date: u64,
}

/// A `live_sip_channels` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SipChannel {
    /// The server it is on.
    pub server_ip: String,
    /// The conference it is attached to.
    pub extension: String,
    /// The call id (`DC…W` for the screen's 3-way dials).
    pub channel_group: String,
}

/// A cross-cluster record: where `LOCAL_AND_CCC` forwards a lead it has no fronter for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CccRecord {
    /// The lead.
    pub lead_id: u64,
    /// The remote container id printed on success.
    pub container_id: String,
    /// Whether the remote API call succeeds (the model has no network).
    pub reachable: bool,
}

impl Directory {
    /// The first user with this login.
    pub fn user(&self, user: &str) -> Option<&User> {
        self.users.iter().find(|u| u.user == user)
    }

    /// The logged-in agent with this login.
    pub fn agent(&self, user: &str) -> Option<&LiveAgent> {
        self.agents.iter().find(|a| a.user == user)
    }

    /// The logged-in agent with this login, for writing.
    pub fn agent_mut(&mut self, user: &str) -> Option<&mut LiveAgent> {
        self.agents.iter_mut().find(|a| a.user == user)
    }

    /// The first user (by user id) whose `custom_three` is `alt` (§2).
    pub fn user_by_custom_three(&self, alt: &str) -> Option<&User> {
        self.users.iter().find(|u| u.custom_three == alt)
    }

    /// An in-group by id.
    pub fn ingroup(&self, id: &str) -> Option<&InGroup> {
        self.ingroups.iter().find(|g| g.group_id == id)
    }

    /// Reads a directory from JSON.
    #[cfg(feature = "sim")]
    pub fn from_json(text: &str) -> Result<Directory, serde_json::Error> {
        serde_json::from_str(text)
    }
}
