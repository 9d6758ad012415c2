//! KMS (`kms`, AWS JSON 1.1, target prefix `TrentService`): keys, key policies (KMS's default policy when
//! none is given), rotation, state (enable, disable, scheduled deletion and its cancellation), tags and
//! aliases. `alias/aws/<service>` names an AWS managed key, created on first use as on AWS.

mod output;

use super::handler::{operations, Call, NoOutput, Style};
use crate::error::service_errors;
use crate::model::kms::{self, default_key_policy, Alias, Key, KeyManager, KeyState, Kms};
use output::*;
use serde::Deserialize;
use std::collections::BTreeMap;

service_errors! {
    /// The errors KMS answers with here.
    pub enum KmsError {
        NotFound = "NotFoundException", 400;
        InvalidState = "KMSInvalidStateException", 400;
        AlreadyExists = "AlreadyExistsException", 400;
        MalformedPolicyDocument = "MalformedPolicyDocumentException", 400;
        Validation = "ValidationException", 400;
        InvalidAliasName = "InvalidAliasNameException", 400;
        NotAuthorized = "NotAuthorizedException", 400;
        UnsupportedOperation = "UnsupportedOperationException", 400;
        Tag = "TagException", 400;
    }
}

type Result<T> = std::result::Result<T, KmsError>;

operations! {
    style: Style::Json("ValidationException"),
    unknown: crate::error::ApiError::unknown_operation;
    "CreateKey" => create_key,
    "DescribeKey" => describe_key,
    "ListKeys" => list_keys,
    "GetKeyPolicy" => get_key_policy,
    "PutKeyPolicy" => put_key_policy,
    "ListKeyPolicies" => list_key_policies,
    "GetKeyRotationStatus" => get_key_rotation_status,
    "EnableKeyRotation" => enable_key_rotation,
    "DisableKeyRotation" => disable_key_rotation,
    "EnableKey" => enable_key,
    "DisableKey" => disable_key,
    "ScheduleKeyDeletion" => schedule_key_deletion,
    "CancelKeyDeletion" => cancel_key_deletion,
    "UpdateKeyDescription" => update_key_description,
    "TagResource" => tag_resource,
    "UntagResource" => untag_resource,
    "ListResourceTags" => list_resource_tags,
    "CreateAlias" => create_alias,
    "UpdateAlias" => update_alias,
    "DeleteAlias" => delete_alias,
    "ListAliases" => list_aliases,
}

fn kms<'c>(call: &'c mut Call<'_>) -> &'c mut Kms {
    &mut call.region().kms
}

/// The key `id` names (an AWS managed alias creates its key on first use).
fn key<'c>(call: &'c mut Call<'_>, id: &str) -> Result<&'c mut Key> {
    let (account, region, now) = (
        call.ctx.account.clone(),
        call.ctx.region.clone(),
        call.now(),
    );
    let kms = kms(call);
    if let Some(service) = id.strip_prefix("alias/aws/") {
        kms::ensure_aws_managed(kms, &account, &region, service, now);
    }
    let found = kms.resolve(id).map(|k| k.id.clone());
    match found.and_then(|k| kms.keys.get_mut(&k)) {
        Some(k) => Ok(k),
        None if id.starts_with("alias/") || id.contains(":alias/") => {
            let arn = if id.starts_with("arn:") {
                id.to_string()
            } else {
                format!("arn:aws:kms:{region}:{account}:{id}")
            };
            Err(KmsError::NotFound(format!("Alias {arn} is not found.")))
        }
        None => {
            let arn = if id.starts_with("arn:") {
                id.to_string()
            } else {
                format!("arn:aws:kms:{region}:{account}:key/{id}")
            };
            Err(KmsError::NotFound(format!("Key '{arn}' does not exist")))
        }
    }
}

/// A key that may be used or changed: not pending deletion.
fn usable(k: &mut Key) -> Result<&mut Key> {
    if k.state == KeyState::PendingDeletion {
        return Err(KmsError::InvalidState(format!(
            "{} is pending deletion.",
            k.arn
        )));
    }
    Ok(k)
}

fn customer(k: &mut Key) -> Result<&mut Key> {
    if k.manager == KeyManager::Aws {
        return Err(KmsError::UnsupportedOperation(format!(
            "{} is an AWS managed key and cannot be modified.",
            k.arn
        )));
    }
    Ok(k)
}

fn check_policy(doc: &str) -> Result<()> {
    let v: serde_json::Value = serde_json::from_str(doc).map_err(|_| {
        KmsError::MalformedPolicyDocument(
            "The new key policy will not allow you to update the key policy in the future.".into(),
        )
    })?;
    if v.get("Statement").is_none() {
        return Err(KmsError::MalformedPolicyDocument(
            "Policy contains a statement with no principal.".into(),
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KmsTag {
    tag_key: String,
    tag_value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateKeyInput {
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    key_usage: Option<String>,
    #[serde(default)]
    key_spec: Option<String>,
    #[serde(default)]
    tags: Vec<KmsTag>,
}

fn create_key(call: &mut Call<'_>, i: CreateKeyInput) -> Result<KeyMetadataOutput> {
    if let Some(u) = &i.key_usage {
        super::handler::check_enum("keyUsage", u, &["ENCRYPT_DECRYPT"])
            .map_err(KmsError::Validation)?;
    }
    if let Some(s) = &i.key_spec {
        super::handler::check_enum("keySpec", s, &["SYMMETRIC_DEFAULT"])
            .map_err(KmsError::Validation)?;
    }
    if let Some(p) = &i.policy {
        check_policy(p)?;
    }
    let (account, region, now) = (
        call.ctx.account.clone(),
        call.ctx.region.clone(),
        call.now(),
    );
    let id = uuid::Uuid::new_v4().to_string();
    let k = Key {
        arn: format!("arn:aws:kms:{region}:{account}:key/{id}"),
        id: id.clone(),
        created: now,
        description: i.description.unwrap_or_default(),
        state: KeyState::Enabled,
        manager: KeyManager::Customer,
        policy: i.policy.unwrap_or_else(|| default_key_policy(&account)),
        rotation: false,
        rotation_period_days: 365,
        deletion_date: None,
        pending_window_days: None,
        tags: i
            .tags
            .into_iter()
            .map(|t| (t.tag_key, t.tag_value))
            .collect(),
    };
    let out = KeyMetadataOutput::new(&k, &account);
    kms(call).keys.insert(id, k);
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeyIdInput {
    key_id: String,
}

fn describe_key(call: &mut Call<'_>, i: KeyIdInput) -> Result<KeyMetadataOutput> {
    let account = call.ctx.account.clone();
    let k = key(call, &i.key_id)?;
    Ok(KeyMetadataOutput::new(k, &account))
}

fn list_keys(call: &mut Call<'_>, _: serde_json::Value) -> Result<KeysOutput> {
    let keys = kms(call)
        .keys
        .values()
        .map(|k| KeyListEntry {
            key_id: k.id.clone(),
            key_arn: k.arn.clone(),
        })
        .collect();
    Ok(KeysOutput {
        keys,
        truncated: false,
    })
}

fn get_key_policy(call: &mut Call<'_>, i: KeyIdInput) -> Result<PolicyOutput> {
    let k = key(call, &i.key_id)?;
    Ok(PolicyOutput {
        policy: k.policy.clone(),
        policy_name: "default".into(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutKeyPolicyInput {
    key_id: String,
    policy: String,
    #[serde(default)]
    policy_name: Option<String>,
}

fn put_key_policy(call: &mut Call<'_>, i: PutKeyPolicyInput) -> Result<NoOutput> {
    if let Some(n) = i.policy_name.as_deref().filter(|n| *n != "default") {
        return Err(KmsError::Validation(format!(
            "1 validation error detected: Value '{n}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: default"
        )));
    }
    check_policy(&i.policy)?;
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    k.policy = i.policy;
    Ok(NoOutput)
}

fn list_key_policies(call: &mut Call<'_>, i: KeyIdInput) -> Result<PolicyNamesOutput> {
    key(call, &i.key_id)?;
    Ok(PolicyNamesOutput {
        policy_names: vec!["default".into()],
        truncated: false,
    })
}

fn get_key_rotation_status(call: &mut Call<'_>, i: KeyIdInput) -> Result<RotationOutput> {
    let k = usable(key(call, &i.key_id)?)?;
    Ok(RotationOutput {
        key_rotation_enabled: k.rotation,
        key_id: k.arn.clone(),
        rotation_period_in_days: k.rotation.then_some(k.rotation_period_days),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EnableRotationInput {
    key_id: String,
    #[serde(default)]
    rotation_period_in_days: Option<i64>,
}

fn enable_key_rotation(call: &mut Call<'_>, i: EnableRotationInput) -> Result<NoOutput> {
    let days = i.rotation_period_in_days.unwrap_or(365);
    if !(90..=2560).contains(&days) {
        return Err(KmsError::Validation(format!(
            "1 validation error detected: Value '{days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560"
        )));
    }
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    if k.state == KeyState::Disabled {
        return Err(KmsError::InvalidState(format!("{} is disabled.", k.arn)));
    }
    k.rotation = true;
    k.rotation_period_days = days;
    Ok(NoOutput)
}

fn disable_key_rotation(call: &mut Call<'_>, i: KeyIdInput) -> Result<NoOutput> {
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    if k.state == KeyState::Disabled {
        return Err(KmsError::InvalidState(format!("{} is disabled.", k.arn)));
    }
    k.rotation = false;
    Ok(NoOutput)
}

fn enable_key(call: &mut Call<'_>, i: KeyIdInput) -> Result<NoOutput> {
    customer(usable(key(call, &i.key_id)?)?)?.state = KeyState::Enabled;
    Ok(NoOutput)
}

fn disable_key(call: &mut Call<'_>, i: KeyIdInput) -> Result<NoOutput> {
    customer(usable(key(call, &i.key_id)?)?)?.state = KeyState::Disabled;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ScheduleDeletionInput {
    key_id: String,
    #[serde(default)]
    pending_window_in_days: Option<i64>,
}

fn schedule_key_deletion(call: &mut Call<'_>, i: ScheduleDeletionInput) -> Result<DeletionOutput> {
    let days = i.pending_window_in_days.unwrap_or(30);
    if !(7..=30).contains(&days) {
        return Err(KmsError::Validation(format!(
            "1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30"
        )));
    }
    let now = call.now();
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    k.state = KeyState::PendingDeletion;
    k.rotation = false;
    k.deletion_date = Some(now + days as f64 * 86_400.0);
    k.pending_window_days = Some(days);
    Ok(DeletionOutput {
        key_id: k.arn.clone(),
        deletion_date: crate::protocol::output::Timestamp(now + days as f64 * 86_400.0),
        key_state: k.state.as_str(),
        pending_window_in_days: days,
    })
}

/// A cancelled deletion leaves the key disabled, as on AWS.
fn cancel_key_deletion(call: &mut Call<'_>, i: KeyIdInput) -> Result<KeyIdOutput> {
    let k = key(call, &i.key_id)?;
    if k.state != KeyState::PendingDeletion {
        return Err(KmsError::InvalidState(format!(
            "{} is not pending deletion.",
            k.arn
        )));
    }
    k.state = KeyState::Disabled;
    k.deletion_date = None;
    k.pending_window_days = None;
    Ok(KeyIdOutput {
        key_id: k.arn.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescriptionInput {
    key_id: String,
    description: String,
}

fn update_key_description(call: &mut Call<'_>, i: DescriptionInput) -> Result<NoOutput> {
    customer(usable(key(call, &i.key_id)?)?)?.description = i.description;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagInput {
    key_id: String,
    tags: Vec<KmsTag>,
}

fn tag_resource(call: &mut Call<'_>, i: TagInput) -> Result<NoOutput> {
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    k.tags
        .extend(i.tags.into_iter().map(|t| (t.tag_key, t.tag_value)));
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagInput {
    key_id: String,
    tag_keys: Vec<String>,
}

fn untag_resource(call: &mut Call<'_>, i: UntagInput) -> Result<NoOutput> {
    let k = customer(usable(key(call, &i.key_id)?)?)?;
    for t in &i.tag_keys {
        k.tags.remove(t);
    }
    Ok(NoOutput)
}

fn list_resource_tags(call: &mut Call<'_>, i: KeyIdInput) -> Result<TagsOutput> {
    let k = key(call, &i.key_id)?;
    Ok(TagsOutput::new(&k.tags))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AliasInput {
    alias_name: String,
    target_key_id: String,
}

fn check_alias(name: &str) -> Result<()> {
    if !name.starts_with("alias/") || name.len() > 256 || name.len() <= 6 {
        return Err(KmsError::Validation(format!(
            "1 validation error detected: Value '{name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$"
        )));
    }
    if name.starts_with("alias/aws/") {
        return Err(KmsError::NotAuthorized(
            "Cannot create or modify an alias with the reserved prefix alias/aws/.".into(),
        ));
    }
    Ok(())
}

fn create_alias(call: &mut Call<'_>, i: AliasInput) -> Result<NoOutput> {
    check_alias(&i.alias_name)?;
    let (account, region, now) = (
        call.ctx.account.clone(),
        call.ctx.region.clone(),
        call.now(),
    );
    let target = customer(usable(key(call, &i.target_key_id)?)?)?.id.clone();
    let kms = kms(call);
    if kms.aliases.contains_key(&i.alias_name) {
        return Err(KmsError::AlreadyExists(format!(
            "An alias with the name arn:aws:kms:{region}:{account}:{} already exists",
            i.alias_name
        )));
    }
    kms.aliases.insert(
        i.alias_name.clone(),
        Alias {
            name: i.alias_name,
            target_key_id: target,
            created: now,
        },
    );
    Ok(NoOutput)
}

fn no_alias(call: &Call<'_>, name: &str) -> KmsError {
    KmsError::NotFound(format!(
        "Alias arn:aws:kms:{}:{}:{name} is not found.",
        call.ctx.region, call.ctx.account
    ))
}

fn update_alias(call: &mut Call<'_>, i: AliasInput) -> Result<NoOutput> {
    check_alias(&i.alias_name)?;
    let target = customer(usable(key(call, &i.target_key_id)?)?)?.id.clone();
    let missing = no_alias(call, &i.alias_name);
    let a = kms(call).aliases.get_mut(&i.alias_name).ok_or(missing)?;
    a.target_key_id = target;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AliasNameInput {
    alias_name: String,
}

fn delete_alias(call: &mut Call<'_>, i: AliasNameInput) -> Result<NoOutput> {
    check_alias(&i.alias_name)?;
    let missing = no_alias(call, &i.alias_name);
    kms(call).aliases.remove(&i.alias_name).ok_or(missing)?;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListAliasesInput {
    #[serde(default)]
    key_id: Option<String>,
}

/// AWS lists the AWS managed aliases of a region even before their keys exist (without a target).
fn list_aliases(call: &mut Call<'_>, i: ListAliasesInput) -> Result<AliasesOutput> {
    let (account, region) = (call.ctx.account.clone(), call.ctx.region.clone());
    let only = match &i.key_id {
        Some(id) => Some(key(call, id)?.id.clone()),
        None => None,
    };
    let kms = kms(call);
    let mut aliases: BTreeMap<String, AliasEntry> = BTreeMap::new();
    if only.is_none() {
        for s in kms::AWS_MANAGED_ALIASES {
            let name = format!("alias/aws/{s}");
            aliases.insert(
                name.clone(),
                AliasEntry::new(&name, None, None, &account, &region),
            );
        }
    }
    for a in kms.aliases.values() {
        if only.as_ref().is_some_and(|k| *k != a.target_key_id) {
            continue;
        }
        aliases.insert(
            a.name.clone(),
            AliasEntry::new(
                &a.name,
                Some(&a.target_key_id),
                Some(a.created),
                &account,
                &region,
            ),
        );
    }
    Ok(AliasesOutput {
        aliases: aliases.into_values().collect(),
        truncated: false,
    })
}
