//! KMS's output shapes (botocore's `kms` model).

use crate::model::kms::{Key, KeyState};
use crate::protocol::output::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    #[serde(rename = "AWSAccountId")]
    aws_account_id: String,
    key_id: String,
    arn: String,
    creation_date: Timestamp,
    enabled: bool,
    description: String,
    key_usage: &'static str,
    key_state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending_deletion_window_in_days: Option<i64>,
    origin: &'static str,
    key_manager: &'static str,
    customer_master_key_spec: &'static str,
    key_spec: &'static str,
    encryption_algorithms: Vec<&'static str>,
    multi_region: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadataOutput {
    key_metadata: KeyMetadata,
}

impl KeyMetadataOutput {
    pub fn new(k: &Key, account: &str) -> Self {
        KeyMetadataOutput {
            key_metadata: KeyMetadata {
                aws_account_id: account.to_string(),
                key_id: k.id.clone(),
                arn: k.arn.clone(),
                creation_date: Timestamp(k.created),
                enabled: k.state == KeyState::Enabled,
                description: k.description.clone(),
                key_usage: "ENCRYPT_DECRYPT",
                key_state: k.state.as_str(),
                deletion_date: k.deletion_date.map(Timestamp),
                pending_deletion_window_in_days: k.pending_window_days,
                origin: "AWS_KMS",
                key_manager: k.manager.as_str(),
                customer_master_key_spec: "SYMMETRIC_DEFAULT",
                key_spec: "SYMMETRIC_DEFAULT",
                encryption_algorithms: vec!["SYMMETRIC_DEFAULT"],
                multi_region: false,
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyListEntry {
    pub key_id: String,
    pub key_arn: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeysOutput {
    pub keys: Vec<KeyListEntry>,
    pub truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyOutput {
    pub policy: String,
    pub policy_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyNamesOutput {
    pub policy_names: Vec<String>,
    pub truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationOutput {
    pub key_rotation_enabled: bool,
    pub key_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_period_in_days: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletionOutput {
    pub key_id: String,
    pub deletion_date: Timestamp,
    pub key_state: &'static str,
    pub pending_window_in_days: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyIdOutput {
    pub key_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct KmsTagOut {
    tag_key: String,
    tag_value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagsOutput {
    tags: Vec<KmsTagOut>,
    truncated: bool,
}

impl TagsOutput {
    pub fn new(t: &BTreeMap<String, String>) -> Self {
        TagsOutput {
            tags: t
                .iter()
                .map(|(k, v)| KmsTagOut {
                    tag_key: k.clone(),
                    tag_value: v.clone(),
                })
                .collect(),
            truncated: false,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasEntry {
    alias_name: String,
    alias_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creation_date: Option<Timestamp>,
}

impl AliasEntry {
    pub fn new(
        name: &str,
        target: Option<&str>,
        created: Option<f64>,
        account: &str,
        region: &str,
    ) -> Self {
        AliasEntry {
            alias_name: name.to_string(),
            alias_arn: format!("arn:aws:kms:{region}:{account}:{name}"),
            target_key_id: target.map(str::to_string),
            creation_date: created.map(Timestamp),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasesOutput {
    pub aliases: Vec<AliasEntry>,
    pub truncated: bool,
}
