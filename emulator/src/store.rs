//! The emulator's state: per account, and within an account per region, as AWS keeps it.
//!
//! Everything is plain serializable data, so the whole state can be exported and imported as versioned
//! JSON (`GET/PUT /_orgwatch/state`) and saved to `--state FILE`. One mutex guards it: operations are short,
//! and a single lock makes "64 writers at once lose nothing" true by construction.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever the layout changes incompatibly.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct AccountState {
    #[serde(default)]
    pub organization: OrgRole,
    /// Trails by name (names are unique per account across regions).
    #[serde(default)]
    pub trails: BTreeMap<String, crate::services::cloudtrail::Trail>,
    #[serde(default)]
    pub regions: BTreeMap<String, RegionState>,
}

/// This account's place in an AWS organization.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum OrgRole {
    #[default]
    None,
    Management {
        #[serde(default)]
        organization_id: Option<String>,
    },
    Member {
        management_account: String,
        #[serde(default)]
        organization_id: Option<String>,
    },
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct RegionState {
    #[serde(default)]
    pub log_groups: BTreeMap<String, crate::services::logs::LogGroup>,
    #[serde(default)]
    pub alarms: BTreeMap<String, crate::services::cloudwatch::Alarm>,
    #[serde(default)]
    pub alarm_history: Vec<crate::services::cloudwatch::HistoryItem>,
    #[serde(default)]
    pub metrics: Vec<crate::services::cloudwatch::Datum>,
    #[serde(default)]
    pub topics: BTreeMap<String, crate::services::sns::Topic>,
    #[serde(default)]
    pub subscriptions: Vec<crate::services::sns::Subscription>,
    #[serde(default)]
    pub outbox: Vec<crate::services::sns::Delivery>,
    #[serde(default)]
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
}

impl State {
    pub fn new() -> Self {
        State {
            version: STATE_VERSION,
            accounts: BTreeMap::new(),
        }
    }

    pub fn account(&mut self, account: &str) -> &mut AccountState {
        self.accounts.entry(account.to_string()).or_default()
    }

    pub fn region(&mut self, account: &str, region: &str) -> &mut RegionState {
        self.account(account)
            .regions
            .entry(region.to_string())
            .or_default()
    }
}
