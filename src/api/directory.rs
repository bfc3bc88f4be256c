//! The server-side world api.php reads and writes: the rows of the VICIdial tables the
//! four functions touch, as one serde (JSON) document.

use super::collation::{collation_cmp, collation_eq};
use super::query::Charset;
use serde::{Deserialize, Serialize};

/// Everything api.php consults for the four transfer functions.
///
/// Every look-up by a key compares as the database does ([`collation_eq`], §15.3).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Directory {
    /// The JSON Schema the file names (`"$schema"`, for editors); read and ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `system_settings` and the server's character handling.
    pub system: System,
    /// `vicidial_users`, in user-id order (api.php's `alt_user` look-up sorts them by
    /// `user`: [`Directory::user_by_custom_three`]).
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
    /// `vicidial_settings_containers`: the remote API URLs of [`CccRecord`]s.
    pub containers: Vec<SettingsContainer>,
    /// `servers`: the login needs one that is active and an active Asterisk server, else
    /// it answers `ERRSERVERS` (§15.1). Absent from a world file: one such server.
    pub servers: Vec<Server>,
}

impl Default for Directory {
    fn default() -> Self {
        Directory {
            schema: None,
            system: System::default(),
            users: Vec::new(),
            agents: Vec::new(),
            auto_calls: Vec::new(),
            ingroups: Vec::new(),
            campaigns: Vec::new(),
            group_aliases: Vec::new(),
            press_live: Vec::new(),
            press_multi: Vec::new(),
            sip_channels: Vec::new(),
            ccc: Vec::new(),
            containers: Vec::new(),
            servers: vec![Server::default()],
        }
    }
}

/// A `servers` row, as far as the login counts it
/// (`SELECT count(*) FROM servers where active='Y' and active_asterisk_server='Y'`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    /// `server_ip` (informative).
    pub server_ip: String,
    /// `active = 'Y'`.
    pub active: bool,
    /// `active_asterisk_server = 'Y'`.
    pub active_asterisk_server: bool,
}

impl Default for Server {
    fn default() -> Self {
        Server { server_ip: String::new(), active: true, active_asterisk_server: true }
    }
}

/// System settings that change api.php's answers.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct System {
    /// `vdc_agent_api_active = '1'`.
    pub api_active: bool,
    /// Which letters the sanitisers keep.
    pub charset: Charset,
    /// The VICIdial build of api.php (§17); the newest when absent.
    pub build: crate::config::Build,
    /// `allow_web_debug`: a request's `DB` parameter prints api.php's debug statements
    /// (§15.5; api.php line 337 turns `DB` off without it). Off when absent.
    pub allow_web_debug: bool,
    /// The web server's offset from UTC in seconds, for the times api.php prints with
    /// PHP's `date()` (the `version` answer, debug statements). A fixed offset (no daylight
    /// saving rules); 0 (UTC) when absent.
    pub utc_offset: i32,
}

impl Default for System {
    fn default() -> Self {
        System {
            api_active: true,
            charset: Charset::Latin,
            build: crate::config::Build::default(),
            allow_web_debug: false,
            utc_offset: 0,
        }
    }
}

/// A `vicidial_users` row (API users and agents alike).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Shorthand for a locked-out user: reads as `failed_login_count` 10 with the last
    /// login at the request's epoch (so `LOCK` while it is set).
    pub locked: bool,
    /// `user_level`; 0 cannot log in (the login requires `user_level > 0`). Default 1, as
    /// in VICIdial's schema.
    pub user_level: u8,
    /// `failed_login_count`: 10 or more locks the login for 15 minutes after
    /// `last_login_date` (§15.1).
    pub failed_login_count: u8,
    /// `UNIX_TIMESTAMP(last_login_date)` in epoch seconds. Default: the schema's default
    /// `2001-01-01 00:00:01` (UTC), long ago.
    pub last_login_date: u64,
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
            user_level: 1,
            failed_login_count: 0,
            last_login_date: DEFAULT_LAST_LOGIN,
            agent_api_access: false,
            api_allowed_functions: " ALL_FUNCTIONS ".into(),
            custom_three: String::new(),
        }
    }
}

/// `last_login_date`'s schema default, `2001-01-01 00:00:01` UTC, in epoch seconds.
pub(crate) const DEFAULT_LAST_LOGIN: u64 = 978_307_201;

/// A `vicidial_live_agents` row: a logged-in agent and its three command slots.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Campaign {
    /// `campaign_id`.
    pub campaign_id: String,
    /// `default_xfer_group` (DEFAULTINGROUP on an outbound call).
    pub default_xfer_group: String,
}

/// A `groups_alias` row.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupAlias {
    /// `group_alias_id`.
    pub group_alias_id: String,
    /// `caller_id_number` (text; api.php compares it with 4 numerically).
    pub caller_id_number: String,
}

/// A `vicidial_3way_press_live` row.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// A `vicidial_ccc_log` row: where `LOCAL_AND_CCC` forwards a lead it has no fronter for
/// (§15.7). Only the first row of a lead is read.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CccRecord {
    /// `lead_id`: the local lead.
    pub lead_id: u64,
    /// `remote_lead_id`: the lead's id on the other cluster, which the forwarded request
    /// carries.
    pub remote_lead_id: u64,
    /// `container_id`: the settings container holding the remote API URL, printed on
    /// success.
    pub container_id: String,
    /// Whether fetching the URL gives a non-empty answer (the model has no network): a
    /// refused connection or an empty answer is not sent.
    pub reachable: bool,
    /// The remote api.php's answer, when `reachable`: its first line is what `DB` prints
    /// after the fetch (§15.5). Empty when absent.
    pub response: String,
}

/// A `vicidial_settings_containers` row: the URL template of a remote cluster's API.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsContainer {
    /// `container_id` (collation-equal look-up).
    pub container_id: String,
    /// `container_entry`: the URL, with `ccc_lead_info` where the request goes. Empty is
    /// a PHP 8 fatal error in api.php (HTTP 500, empty body).
    pub container_entry: String,
}

impl Directory {
    /// The first user with this login (`where user='…'`, collation-equal).
    pub fn user(&self, user: &str) -> Option<&User> {
        self.users.iter().find(|u| collation_eq(&u.user, user))
    }

    /// The first user with this login, for writing.
    pub fn user_mut(&mut self, user: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| collation_eq(&u.user, user))
    }

    /// The logged-in agent with this login (collation-equal).
    pub fn agent(&self, user: &str) -> Option<&LiveAgent> {
        self.agents.iter().find(|a| collation_eq(&a.user, user))
    }

    /// The logged-in agent with this login, for writing.
    pub fn agent_mut(&mut self, user: &str) -> Option<&mut LiveAgent> {
        self.agents.iter_mut().find(|a| collation_eq(&a.user, user))
    }

    /// The user whose `custom_three` is `alt` (§2, collation-equal) that api.php takes:
    /// `… order by user`, the first in the collation's order; between users that compare
    /// equal, the first in the directory.
    pub fn user_by_custom_three(&self, alt: &str) -> Option<&User> {
        self.users.iter().filter(|u| collation_eq(&u.custom_three, alt)).min_by(|a, b| collation_cmp(&a.user, &b.user))
    }

    /// An in-group by id (collation-equal).
    pub fn ingroup(&self, id: &str) -> Option<&InGroup> {
        self.ingroups.iter().find(|g| collation_eq(&g.group_id, id))
    }

    /// A campaign by id (collation-equal).
    pub fn campaign(&self, id: &str) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| collation_eq(&c.campaign_id, id))
    }

    /// A group alias by id (collation-equal).
    pub fn group_alias(&self, id: &str) -> Option<&GroupAlias> {
        self.group_aliases.iter().find(|g| collation_eq(&g.group_alias_id, id))
    }

    /// The live call with this call id (collation-equal).
    pub fn auto_call(&self, callerid: &str) -> Option<&AutoCall> {
        self.auto_calls.iter().find(|c| collation_eq(&c.callerid, callerid))
    }

    /// The agent's press-1 multi-dial row (collation-equal).
    pub fn press_multi_of(&self, user: &str) -> Option<&PressMulti> {
        self.press_multi.iter().find(|r| collation_eq(&r.user, user))
    }

    /// How many servers the login counts (`active` and `active_asterisk_server`).
    pub fn active_servers(&self) -> usize {
        self.servers.iter().filter(|s| s.active && s.active_asterisk_server).count()
    }

    /// Reads a directory from JSON.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json(text: &str) -> Result<Directory, serde_json::Error> {
        serde_json::from_str(text)
    }
}
