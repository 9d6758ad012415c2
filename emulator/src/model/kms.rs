//! KMS's model: keys (customer and AWS managed), their policies, rotation and state, and aliases. Keys
//! live in a region of an account.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

aws_enum!(
    /// The key states this emulator reaches (AWS's `KeyState` names).
    KeyState {
        Enabled = "Enabled",
        Disabled = "Disabled",
        PendingDeletion = "PendingDeletion",
    }
);

aws_enum!(
    /// Who manages a key.
    KeyManager {
        Customer = "CUSTOMER",
        Aws = "AWS",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Key {
    pub id: String,
    pub arn: String,
    pub created: f64,
    #[serde(default)]
    pub description: String,
    pub state: KeyState,
    pub manager: KeyManager,
    pub policy: String,
    #[serde(default)]
    pub rotation: bool,
    #[serde(default = "default_rotation_days")]
    pub rotation_period_days: i64,
    #[serde(default)]
    pub deletion_date: Option<f64>,
    #[serde(default)]
    pub pending_window_days: Option<i64>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn default_rotation_days() -> i64 {
    365
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub target_key_id: String,
    pub created: f64,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Kms {
    #[serde(default)]
    pub keys: BTreeMap<String, Key>,
    /// Aliases by name (`alias/...`).
    #[serde(default)]
    pub aliases: BTreeMap<String, Alias>,
}

impl Kms {
    /// The key a key id, key ARN, alias name or alias ARN names.
    pub fn resolve(&self, id: &str) -> Option<&Key> {
        let bare = match id.split_once(":key/") {
            Some((_, k)) => k,
            None => id,
        };
        if let Some(k) = self.keys.get(bare) {
            return Some(k);
        }
        let alias = match id.split_once(":alias/") {
            Some((_, a)) => format!("alias/{a}"),
            None => id.to_string(),
        };
        self.aliases
            .get(&alias)
            .and_then(|a| self.keys.get(&a.target_key_id))
    }
}

/// The policy KMS gives a key created without one: the account's principals may use it as IAM lets them.
pub fn default_key_policy(account: &str) -> String {
    format!(
        "{{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {{\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {{\n      \"AWS\" : \"arn:aws:iam::{account}:root\"\n    }},\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }} ]\n}}"
    )
}

/// The policy of an AWS managed key (`alias/aws/<service>`): principals of the account may use it through
/// that service only, and no other service principal is named, so no policy change can admit one.
pub fn aws_managed_key_policy(account: &str, region: &str, service: &str) -> String {
    format!(
        "{{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"auto-{service}-2\",\n  \"Statement\" : [ {{\n    \"Sid\" : \"Allow access through {service} for all principals in the account that are authorized to use {service}\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {{\n      \"AWS\" : \"*\"\n    }},\n    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\" ],\n    \"Resource\" : \"*\",\n    \"Condition\" : {{\n      \"StringEquals\" : {{\n        \"kms:CallerAccount\" : \"{account}\",\n        \"kms:ViaService\" : \"{service}.{region}.amazonaws.com\"\n      }}\n    }}\n  }}, {{\n    \"Sid\" : \"Allow direct access to key metadata to the account\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {{\n      \"AWS\" : \"arn:aws:iam::{account}:root\"\n    }},\n    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\" ],\n    \"Resource\" : \"*\"\n  }} ]\n}}"
    )
}

/// The services whose AWS managed key exists on first use (`alias/aws/<service>`).
pub const AWS_MANAGED_ALIASES: &[&str] = &["sns", "sqs", "logs", "cloudtrail", "s3"];

/// Creates the AWS managed key behind `alias/aws/<service>` if it does not exist yet; its id.
pub fn ensure_aws_managed(
    kms: &mut Kms,
    account: &str,
    region: &str,
    service: &str,
    now: f64,
) -> Option<String> {
    if !AWS_MANAGED_ALIASES.contains(&service) {
        return None;
    }
    let alias = format!("alias/aws/{service}");
    if let Some(a) = kms.aliases.get(&alias) {
        return Some(a.target_key_id.clone());
    }
    let id = uuid::Uuid::new_v4().to_string();
    kms.keys.insert(
        id.clone(),
        Key {
            arn: format!("arn:aws:kms:{region}:{account}:key/{id}"),
            id: id.clone(),
            created: now,
            description: format!(
                "Default key that protects my {service} data when no other key is defined"
            ),
            state: KeyState::Enabled,
            manager: KeyManager::Aws,
            policy: aws_managed_key_policy(account, region, service),
            rotation: true,
            rotation_period_days: 365,
            deletion_date: None,
            pending_window_days: None,
            tags: BTreeMap::new(),
        },
    );
    kms.aliases.insert(
        alias.clone(),
        Alias {
            name: alias,
            target_key_id: id.clone(),
            created: now,
        },
    );
    Some(id)
}
