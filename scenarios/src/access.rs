//! A scenario's KMS keys and IAM roles, applied the way they come about on AWS: a key is made first with a
//! policy every service of the chain may use (AWS refuses to encrypt a log group with a key CloudWatch Logs
//! may not use), and given the scenario's policy and state only once the chain exists; a role replaces the
//! delivery role the harness made for a trail after the trail exists (CloudTrail checks the role when the
//! trail is made, not when it delivers).

use crate::format::{IamRole, Key, Resources};
use crate::sdk::sdk;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;

/// Every service principal of the chain, and the account, may use a key while the chain is made.
fn setup_policy(account: &str, region: &str) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "orgwatch-setup", "Effect": "Allow",
         "Principal": {"Service": [format!("logs.{region}.amazonaws.com"), "cloudwatch.amazonaws.com", "cloudtrail.amazonaws.com", "sns.amazonaws.com"]},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*"}
    ]})
    .to_string()
}

/// KMS's default key policy (what CreateKey gives without one).
fn default_policy(account: &str) -> String {
    serde_json::json!({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"}
    ]})
    .to_string()
}

/// A policy given as a JSON object or as a string.
pub fn document(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Makes the region's keys (unless their alias exists); their ARNs by alias.
pub async fn make_keys(
    endpoint: &str,
    account: &str,
    region: &str,
    keys: &[Key],
) -> Result<BTreeMap<String, String>> {
    let kms = aws_sdk_kms::Client::new(&sdk(endpoint, account, region).await);
    let mut out = BTreeMap::new();
    for k in keys {
        if !k.alias.starts_with("alias/") || k.alias.starts_with("alias/aws/") {
            bail!(
                "key alias {} must start with alias/ and not alias/aws/",
                k.alias
            );
        }
        let arn = match kms.describe_key().key_id(&k.alias).send().await {
            Ok(o) => o.key_metadata.and_then(|m| m.arn).unwrap_or_default(),
            Err(_) => {
                let arn = kms
                    .create_key()
                    .policy(setup_policy(account, region))
                    .send()
                    .await
                    .with_context(|| format!("CreateKey for {}", k.alias))?
                    .key_metadata
                    .and_then(|m| m.arn)
                    .unwrap_or_default();
                kms.create_alias()
                    .alias_name(&k.alias)
                    .target_key_id(&arn)
                    .send()
                    .await
                    .with_context(|| format!("CreateAlias {}", k.alias))?;
                arn
            }
        };
        out.insert(k.alias.clone(), arn);
    }
    Ok(out)
}

/// The key ARN a scenario's reference names: one of its aliases, or an ARN as given.
pub fn resolve(keys: &BTreeMap<String, String>, id: &str) -> String {
    keys.get(id).cloned().unwrap_or_else(|| id.to_string())
}

/// Gives each key its scenario policy and state, once the chain exists.
pub async fn finish_keys(endpoint: &str, account: &str, region: &str, keys: &[Key]) -> Result<()> {
    let kms = aws_sdk_kms::Client::new(&sdk(endpoint, account, region).await);
    for k in keys {
        let policy = k
            .policy
            .as_ref()
            .map_or_else(|| default_policy(account), document);
        kms.put_key_policy()
            .key_id(&k.alias)
            .policy_name("default")
            .policy(policy)
            .send()
            .await
            .with_context(|| format!("PutKeyPolicy {}", k.alias))?;
        match k.key_state.as_deref().unwrap_or("Enabled") {
            "Enabled" => {}
            "Disabled" => {
                kms.disable_key()
                    .key_id(&k.alias)
                    .send()
                    .await
                    .with_context(|| format!("DisableKey {}", k.alias))?;
            }
            "PendingDeletion" => {
                kms.schedule_key_deletion()
                    .key_id(&k.alias)
                    .pending_window_in_days(7)
                    .send()
                    .await
                    .with_context(|| format!("ScheduleKeyDeletion {}", k.alias))?;
            }
            other => bail!(
                "key {}: KeyState {other} is not Enabled, Disabled or PendingDeletion",
                k.alias
            ),
        }
    }
    Ok(())
}

/// Replaces each role's trust policy and inline policies (making the role if it does not exist).
pub async fn apply_roles(endpoint: &str, account: &str, roles: &[IamRole]) -> Result<()> {
    let iam = aws_sdk_iam::Client::new(&sdk(endpoint, account, "us-east-1").await);
    for r in roles {
        let trust = document(&r.assume_role_policy_document);
        let created = iam
            .create_role()
            .role_name(&r.role_name)
            .assume_role_policy_document(&trust)
            .send()
            .await;
        if let Err(e) = created {
            if !e
                .as_service_error()
                .is_some_and(|e| e.is_entity_already_exists_exception())
            {
                return Err(e).with_context(|| format!("CreateRole {}", r.role_name));
            }
            iam.update_assume_role_policy()
                .role_name(&r.role_name)
                .policy_document(&trust)
                .send()
                .await
                .with_context(|| format!("UpdateAssumeRolePolicy {}", r.role_name))?;
        }
        let existing = iam
            .list_role_policies()
            .role_name(&r.role_name)
            .send()
            .await
            .context("ListRolePolicies")?;
        for name in existing.policy_names() {
            if !r.policies.iter().any(|p| &p.policy_name == name) {
                iam.delete_role_policy()
                    .role_name(&r.role_name)
                    .policy_name(name)
                    .send()
                    .await
                    .with_context(|| format!("DeleteRolePolicy {name}"))?;
            }
        }
        for p in &r.policies {
            iam.put_role_policy()
                .role_name(&r.role_name)
                .policy_name(&p.policy_name)
                .policy_document(document(&p.policy_document))
                .send()
                .await
                .with_context(|| format!("PutRolePolicy {}", p.policy_name))?;
        }
    }
    Ok(())
}

/// Whether a region's resources need anything from this module.
pub fn any(r: &Resources) -> bool {
    !r.keys.is_empty() || !r.roles.is_empty()
}
