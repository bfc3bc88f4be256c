//! The api.php world the edge tests share (`tests/api_edges.rs`, `tests/api_debug.rs`).

use vicixfer::api::*;

/// The server's clock in these tests.
pub const EPOCH: u64 = 1_700_000_000;
/// The call id of `agentx`'s call.
pub const CID: &str = "V1000000000000000100";

/// A user with agent API access.
pub fn api_user(login: &str, pass: &str) -> User {
    User { user: login.into(), pass: pass.into(), agent_api_access: true, ..User::default() }
}

/// A logged-in agent on `10.0.0.1`, conference `8600051`.
pub fn live(login: &str, lead_id: u64, callerid: &str, last_call_time: u64) -> LiveAgent {
    LiveAgent {
        user: login.into(),
        server_ip: "10.0.0.1".into(),
        conf_exten: "8600051".into(),
        status: "INCALL".into(),
        lead_id,
        callerid: callerid.into(),
        last_call_time,
        ..LiveAgent::default()
    }
}

/// API user `6666`/`1234`; agent `agentx` (spelled in lower case, `custom_three`
/// `CRM1001`) live on lead 100, outbound through campaign `OUTBOUND`; in-group
/// `SALESLINE`; group alias `VALIDCID`.
pub fn world() -> Directory {
    let mut d = Directory::default();
    d.users.push(api_user("6666", "1234"));
    d.users.push(User { user: "agentx".into(), custom_three: "CRM1001".into(), ..User::default() });
    d.agents.push(live("agentx", 100, CID, 1000));
    d.auto_calls.push(AutoCall { callerid: CID.into(), call_type: CallType::Out, campaign_id: "OUTBOUND".into() });
    d.campaigns.push(Campaign { campaign_id: "OUTBOUND".into(), default_xfer_group: "SALESLINE".into() });
    d.ingroups.push(InGroup { group_id: "SALESLINE".into(), ..InGroup::default() });
    d.group_aliases.push(GroupAlias { group_alias_id: "VALIDCID".into(), caller_id_number: "3125551234".into() });
    d
}

/// `agentx` alone on lead 100, whose first cross-cluster row names container `CCC_B`
/// and remote lead 77.
pub fn ccc_world(entry: &str, reachable: bool) -> Directory {
    let mut d = world();
    d.ccc.push(CccRecord {
        lead_id: 100,
        remote_lead_id: 77,
        container_id: "CCC_B".into(),
        reachable,
        ..CccRecord::default()
    });
    d.containers.push(SettingsContainer { container_id: "ccc_b".into(), container_entry: entry.into() });
    d
}
