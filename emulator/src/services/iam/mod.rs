//! IAM (`iam`, AWS Query with XML responses; global, so its state is the account's): roles, their inline
//! and attached policies, customer managed policies with versions, tags, and the caller as a user.
//! Enough for what the Terraform AWS provider creates, reads on every refresh, imports and deletes for a
//! CloudTrail delivery role.

mod output;

use super::handler::{operations, Call, NoOutput, Style};
use super::shapes::Tag;
use crate::error::service_errors;
use crate::model::iam::{unique_id, Iam, ManagedPolicy, PolicyVersion, Role};
use crate::protocol::output::Timestamp;
use output::*;
use serde::Deserialize;

service_errors! {
    /// The errors IAM answers with here.
    pub enum IamError {
        NoSuchEntity = "NoSuchEntity", 404;
        EntityAlreadyExists = "EntityAlreadyExists", 409;
        DeleteConflict = "DeleteConflict", 409;
        LimitExceeded = "LimitExceeded", 409;
        MalformedPolicyDocument = "MalformedPolicyDocument", 400;
        InvalidInput = "InvalidInput", 400;
        ValidationError = "ValidationError", 400;
        InvalidAction = "InvalidAction", 400;
    }
}

type Result<T> = std::result::Result<T, IamError>;

/// A managed policy keeps at most five versions.
const MAX_VERSIONS: usize = 5;

operations! {
    style: Style::Query("ValidationError"),
    unknown: |op| crate::error::ApiError::from(IamError::InvalidAction(format!(
        "Could not find operation {op} for version 2010-05-08"
    )));
    "CreateRole" => create_role,
    "GetRole" => get_role,
    "DeleteRole" => delete_role,
    "ListRoles" => list_roles,
    "UpdateRole" => update_role,
    "UpdateRoleDescription" => update_role_description,
    "UpdateAssumeRolePolicy" => update_assume_role_policy,
    "TagRole" => tag_role,
    "UntagRole" => untag_role,
    "ListRoleTags" => list_role_tags,
    "PutRolePolicy" => put_role_policy,
    "GetRolePolicy" => get_role_policy,
    "DeleteRolePolicy" => delete_role_policy,
    "ListRolePolicies" => list_role_policies,
    "AttachRolePolicy" => attach_role_policy,
    "DetachRolePolicy" => detach_role_policy,
    "ListAttachedRolePolicies" => list_attached_role_policies,
    "ListInstanceProfilesForRole" => list_instance_profiles_for_role,
    "CreatePolicy" => create_policy,
    "GetPolicy" => get_policy,
    "DeletePolicy" => delete_policy,
    "ListPolicies" => list_policies,
    "CreatePolicyVersion" => create_policy_version,
    "GetPolicyVersion" => get_policy_version,
    "DeletePolicyVersion" => delete_policy_version,
    "ListPolicyVersions" => list_policy_versions,
    "SetDefaultPolicyVersion" => set_default_policy_version,
    "TagPolicy" => tag_policy,
    "UntagPolicy" => untag_policy,
    "ListPolicyTags" => list_policy_tags,
    "ListEntitiesForPolicy" => list_entities_for_policy,
    "GetUser" => get_user,
}

fn iam<'c>(call: &'c mut Call<'_>) -> &'c mut Iam {
    let account = call.ctx.account.clone();
    &mut call.state.account(&account).iam
}

fn no_role(name: &str) -> IamError {
    IamError::NoSuchEntity(format!("The role with name {name} cannot be found."))
}

fn role<'i>(iam: &'i mut Iam, name: &str) -> Result<&'i mut Role> {
    iam.roles.get_mut(name).ok_or_else(|| no_role(name))
}

fn no_policy(arn: &str) -> IamError {
    IamError::NoSuchEntity(format!("Policy {arn} was not found."))
}

fn policy<'i>(iam: &'i mut Iam, arn: &str) -> Result<&'i mut ManagedPolicy> {
    iam.policies.get_mut(arn).ok_or_else(|| no_policy(arn))
}

/// A policy document must be JSON with a `Statement` (IAM's grammar in full is the policy evaluator's).
fn check_document(doc: &str) -> Result<()> {
    let v: serde_json::Value = serde_json::from_str(doc).map_err(|_| {
        IamError::MalformedPolicyDocument("This policy contains invalid Json".into())
    })?;
    if v.get("Statement").is_none() {
        return Err(IamError::MalformedPolicyDocument(
            "Syntax errors in policy.".into(),
        ));
    }
    Ok(())
}

/// A path begins and ends with `/`.
fn check_path(path: &str) -> Result<()> {
    if path.starts_with('/') && path.ends_with('/') && path.len() <= 512 {
        return Ok(());
    }
    Err(IamError::ValidationError(
        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.".into(),
    ))
}

fn check_name(field: &str, name: &str, max: usize) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        return Ok(());
    }
    Err(IamError::ValidationError(format!(
        "1 validation error detected: Value '{name}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateRoleInput {
    role_name: String,
    assume_role_policy_document: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    max_session_duration: Option<i64>,
    #[serde(default)]
    permissions_boundary: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

fn create_role(call: &mut Call<'_>, i: CreateRoleInput) -> Result<RoleOutput> {
    check_name("roleName", &i.role_name, 64)?;
    let path = i.path.unwrap_or_else(|| "/".into());
    check_path(&path)?;
    check_document(&i.assume_role_policy_document)?;
    let max = i.max_session_duration.unwrap_or(3600);
    if !(3600..=43200).contains(&max) {
        return Err(IamError::ValidationError(format!(
            "1 validation error detected: Value '{max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"
        )));
    }
    let (account, now) = (call.ctx.account.clone(), call.now());
    let iam = iam(call);
    if iam.roles.contains_key(&i.role_name) {
        return Err(IamError::EntityAlreadyExists(format!(
            "Role with name {} already exists.",
            i.role_name
        )));
    }
    let role = Role {
        arn: format!("arn:aws:iam::{account}:role{path}{}", i.role_name),
        name: i.role_name.clone(),
        path,
        id: unique_id("AROA"),
        created: now,
        assume_role_policy: i.assume_role_policy_document,
        description: i.description,
        max_session_duration: max,
        permissions_boundary: i.permissions_boundary,
        tags: i.tags.into_iter().map(|t| (t.key, t.value)).collect(),
        inline: Default::default(),
        attached: Vec::new(),
    };
    let out = RoleShape::new(&role);
    iam.roles.insert(i.role_name, role);
    Ok(RoleOutput { role: out })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleNameInput {
    role_name: String,
}

fn get_role(call: &mut Call<'_>, i: RoleNameInput) -> Result<RoleOutput> {
    let r = role(iam(call), &i.role_name)?;
    Ok(RoleOutput {
        role: RoleShape::new(r),
    })
}

fn delete_role(call: &mut Call<'_>, i: RoleNameInput) -> Result<NoOutput> {
    let iam = iam(call);
    let r = role(iam, &i.role_name)?;
    if !r.inline.is_empty() {
        return Err(IamError::DeleteConflict(
            "Cannot delete entity, must delete policies first.".into(),
        ));
    }
    if !r.attached.is_empty() {
        return Err(IamError::DeleteConflict(
            "Cannot delete entity, must detach all policies first.".into(),
        ));
    }
    iam.roles.remove(&i.role_name);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    #[serde(default)]
    path_prefix: Option<String>,
}

fn list_roles(call: &mut Call<'_>, i: ListInput) -> Result<RolesOutput> {
    let prefix = i.path_prefix.unwrap_or_else(|| "/".into());
    let roles = iam(call)
        .roles
        .values()
        .filter(|r| r.path.starts_with(&prefix))
        .map(RoleShape::new)
        .collect();
    Ok(RolesOutput {
        roles,
        is_truncated: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateRoleInput {
    role_name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    max_session_duration: Option<i64>,
}

fn update_role(call: &mut Call<'_>, i: UpdateRoleInput) -> Result<super::handler::EmptyOutput> {
    let r = role(iam(call), &i.role_name)?;
    if let Some(d) = i.description {
        r.description = Some(d);
    }
    if let Some(m) = i.max_session_duration {
        r.max_session_duration = m;
    }
    Ok(super::handler::EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateDescriptionInput {
    role_name: String,
    description: String,
}

fn update_role_description(call: &mut Call<'_>, i: UpdateDescriptionInput) -> Result<RoleOutput> {
    let r = role(iam(call), &i.role_name)?;
    r.description = Some(i.description);
    Ok(RoleOutput {
        role: RoleShape::new(r),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRolePolicyInput {
    role_name: String,
    policy_document: String,
}

fn update_assume_role_policy(call: &mut Call<'_>, i: AssumeRolePolicyInput) -> Result<NoOutput> {
    check_document(&i.policy_document)?;
    role(iam(call), &i.role_name)?.assume_role_policy = i.policy_document;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagRoleInput {
    role_name: String,
    tags: Vec<Tag>,
}

fn tag_role(call: &mut Call<'_>, i: TagRoleInput) -> Result<NoOutput> {
    let r = role(iam(call), &i.role_name)?;
    r.tags.extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagRoleInput {
    role_name: String,
    tag_keys: Vec<String>,
}

fn untag_role(call: &mut Call<'_>, i: UntagRoleInput) -> Result<NoOutput> {
    let r = role(iam(call), &i.role_name)?;
    for k in &i.tag_keys {
        r.tags.remove(k);
    }
    Ok(NoOutput)
}

fn list_role_tags(call: &mut Call<'_>, i: RoleNameInput) -> Result<TagsListOutput> {
    Ok(TagsListOutput::new(&role(iam(call), &i.role_name)?.tags))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRolePolicyInput {
    role_name: String,
    policy_name: String,
    policy_document: String,
}

fn put_role_policy(call: &mut Call<'_>, i: PutRolePolicyInput) -> Result<NoOutput> {
    check_name("policyName", &i.policy_name, 128)?;
    check_document(&i.policy_document)?;
    role(iam(call), &i.role_name)?
        .inline
        .insert(i.policy_name, i.policy_document);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RolePolicyInput {
    role_name: String,
    policy_name: String,
}

fn no_role_policy(name: &str) -> IamError {
    IamError::NoSuchEntity(format!("The role policy with name {name} cannot be found."))
}

fn get_role_policy(call: &mut Call<'_>, i: RolePolicyInput) -> Result<RolePolicyOutput> {
    let r = role(iam(call), &i.role_name)?;
    let doc = r
        .inline
        .get(&i.policy_name)
        .ok_or_else(|| no_role_policy(&i.policy_name))?;
    Ok(RolePolicyOutput {
        role_name: r.name.clone(),
        policy_name: i.policy_name.clone(),
        policy_document: url_encode(doc),
    })
}

fn delete_role_policy(call: &mut Call<'_>, i: RolePolicyInput) -> Result<NoOutput> {
    let r = role(iam(call), &i.role_name)?;
    r.inline
        .remove(&i.policy_name)
        .ok_or_else(|| no_role_policy(&i.policy_name))?;
    Ok(NoOutput)
}

fn list_role_policies(call: &mut Call<'_>, i: RoleNameInput) -> Result<PolicyNamesOutput> {
    let r = role(iam(call), &i.role_name)?;
    Ok(PolicyNamesOutput {
        policy_names: r.inline.keys().cloned().collect(),
        is_truncated: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AttachInput {
    role_name: String,
    policy_arn: String,
}

fn attach_role_policy(call: &mut Call<'_>, i: AttachInput) -> Result<NoOutput> {
    let iam = iam(call);
    if !iam.policies.contains_key(&i.policy_arn) {
        return Err(IamError::NoSuchEntity(format!(
            "Policy {} does not exist or is not attachable.",
            i.policy_arn
        )));
    }
    let r = role(iam, &i.role_name)?;
    if !r.attached.contains(&i.policy_arn) {
        r.attached.push(i.policy_arn);
    }
    Ok(NoOutput)
}

fn detach_role_policy(call: &mut Call<'_>, i: AttachInput) -> Result<NoOutput> {
    let r = role(iam(call), &i.role_name)?;
    let before = r.attached.len();
    r.attached.retain(|a| a != &i.policy_arn);
    if r.attached.len() == before {
        return Err(IamError::NoSuchEntity(format!(
            "Policy {} was not found.",
            i.policy_arn
        )));
    }
    Ok(NoOutput)
}

fn list_attached_role_policies(
    call: &mut Call<'_>,
    i: RoleNameInput,
) -> Result<AttachedPoliciesOutput> {
    let iam = iam(call);
    let r = role(iam, &i.role_name)?.attached.clone();
    let attached_policies = r
        .into_iter()
        .map(|arn| AttachedPolicy {
            policy_name: iam
                .policies
                .get(&arn)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or_default().to_string()),
            policy_arn: arn,
        })
        .collect();
    Ok(AttachedPoliciesOutput {
        attached_policies,
        is_truncated: false,
    })
}

/// Instance profiles are not modelled: a role is in none.
fn list_instance_profiles_for_role(
    call: &mut Call<'_>,
    i: RoleNameInput,
) -> Result<InstanceProfilesOutput> {
    role(iam(call), &i.role_name)?;
    Ok(InstanceProfilesOutput {
        instance_profiles: Vec::new(),
        is_truncated: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreatePolicyInput {
    policy_name: String,
    policy_document: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

fn create_policy(call: &mut Call<'_>, i: CreatePolicyInput) -> Result<PolicyOutput> {
    check_name("policyName", &i.policy_name, 128)?;
    let path = i.path.unwrap_or_else(|| "/".into());
    check_path(&path)?;
    check_document(&i.policy_document)?;
    let (account, now) = (call.ctx.account.clone(), call.now());
    let arn = format!("arn:aws:iam::{account}:policy{path}{}", i.policy_name);
    let iam = iam(call);
    if iam.policies.values().any(|p| p.name == i.policy_name) {
        return Err(IamError::EntityAlreadyExists(format!(
            "A policy called {} already exists. Duplicate names are not allowed.",
            i.policy_name
        )));
    }
    let p = ManagedPolicy {
        name: i.policy_name,
        path,
        id: unique_id("ANPA"),
        arn: arn.clone(),
        created: now,
        updated: now,
        description: i.description,
        default_version: "v1".into(),
        versions: vec![PolicyVersion {
            id: "v1".into(),
            document: i.policy_document,
            created: now,
        }],
        next_version: 2,
        tags: i.tags.into_iter().map(|t| (t.key, t.value)).collect(),
    };
    let out = PolicyShape::new(&p, 0);
    iam.policies.insert(arn, p);
    Ok(PolicyOutput { policy: out })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyArnInput {
    policy_arn: String,
}

fn get_policy(call: &mut Call<'_>, i: PolicyArnInput) -> Result<PolicyOutput> {
    let iam = iam(call);
    let n = iam.attachments(&i.policy_arn).len();
    let p = policy(iam, &i.policy_arn)?;
    Ok(PolicyOutput {
        policy: PolicyShape::new(p, n),
    })
}

fn delete_policy(call: &mut Call<'_>, i: PolicyArnInput) -> Result<NoOutput> {
    let iam = iam(call);
    let attached = !iam.attachments(&i.policy_arn).is_empty();
    let p = policy(iam, &i.policy_arn)?;
    if attached {
        return Err(IamError::DeleteConflict(
            "Cannot delete a policy attached to entities.".into(),
        ));
    }
    if p.versions.len() > 1 {
        return Err(IamError::DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.".into()));
    }
    iam.policies.remove(&i.policy_arn);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListPoliciesInput {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    path_prefix: Option<String>,
}

fn list_policies(call: &mut Call<'_>, i: ListPoliciesInput) -> Result<PoliciesOutput> {
    let prefix = i.path_prefix.unwrap_or_else(|| "/".into());
    let iam = iam(call);
    let policies = if i.scope.as_deref() == Some("AWS") {
        Vec::new()
    } else {
        iam.policies
            .values()
            .filter(|p| p.path.starts_with(&prefix))
            .map(|p| PolicyShape::new(p, iam.attachments(&p.arn).len()))
            .collect()
    };
    Ok(PoliciesOutput {
        policies,
        is_truncated: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateVersionInput {
    policy_arn: String,
    policy_document: String,
    #[serde(default)]
    set_as_default: bool,
}

fn create_policy_version(
    call: &mut Call<'_>,
    i: CreateVersionInput,
) -> Result<PolicyVersionOutput> {
    check_document(&i.policy_document)?;
    let now = call.now();
    let p = policy(iam(call), &i.policy_arn)?;
    if p.versions.len() >= MAX_VERSIONS {
        return Err(IamError::LimitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.".into()));
    }
    let id = format!("v{}", p.next_version);
    p.next_version += 1;
    p.versions.push(PolicyVersion {
        id: id.clone(),
        document: i.policy_document,
        created: now,
    });
    if i.set_as_default {
        p.default_version = id.clone();
        p.updated = now;
    }
    let v = p
        .versions
        .last()
        .map(|v| VersionShape::new(v, &p.default_version, false));
    v.map(|policy_version| PolicyVersionOutput { policy_version })
        .ok_or_else(|| no_policy(&i.policy_arn))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VersionInput {
    policy_arn: String,
    version_id: String,
}

fn no_version(arn: &str, v: &str) -> IamError {
    IamError::NoSuchEntity(format!(
        "Policy {arn} version {v} does not exist or is not attachable."
    ))
}

fn get_policy_version(call: &mut Call<'_>, i: VersionInput) -> Result<PolicyVersionOutput> {
    let p = policy(iam(call), &i.policy_arn)?;
    let v = p
        .versions
        .iter()
        .find(|v| v.id == i.version_id)
        .ok_or_else(|| no_version(&i.policy_arn, &i.version_id))?;
    Ok(PolicyVersionOutput {
        policy_version: VersionShape::new(v, &p.default_version, true),
    })
}

fn delete_policy_version(call: &mut Call<'_>, i: VersionInput) -> Result<NoOutput> {
    let p = policy(iam(call), &i.policy_arn)?;
    if p.default_version == i.version_id {
        return Err(IamError::DeleteConflict(
            "Cannot delete the default version of a policy.".into(),
        ));
    }
    let before = p.versions.len();
    p.versions.retain(|v| v.id != i.version_id);
    if p.versions.len() == before {
        return Err(no_version(&i.policy_arn, &i.version_id));
    }
    Ok(NoOutput)
}

fn list_policy_versions(call: &mut Call<'_>, i: PolicyArnInput) -> Result<VersionsOutput> {
    let p = policy(iam(call), &i.policy_arn)?;
    let mut versions: Vec<VersionShape> = p
        .versions
        .iter()
        .map(|v| VersionShape::new(v, &p.default_version, false))
        .collect();
    versions.reverse();
    Ok(VersionsOutput {
        versions,
        is_truncated: false,
    })
}

fn set_default_policy_version(call: &mut Call<'_>, i: VersionInput) -> Result<NoOutput> {
    let now = call.now();
    let p = policy(iam(call), &i.policy_arn)?;
    if !p.versions.iter().any(|v| v.id == i.version_id) {
        return Err(no_version(&i.policy_arn, &i.version_id));
    }
    p.default_version = i.version_id;
    p.updated = now;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagPolicyInput {
    policy_arn: String,
    tags: Vec<Tag>,
}

fn tag_policy(call: &mut Call<'_>, i: TagPolicyInput) -> Result<NoOutput> {
    let p = policy(iam(call), &i.policy_arn)?;
    p.tags.extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagPolicyInput {
    policy_arn: String,
    tag_keys: Vec<String>,
}

fn untag_policy(call: &mut Call<'_>, i: UntagPolicyInput) -> Result<NoOutput> {
    let p = policy(iam(call), &i.policy_arn)?;
    for k in &i.tag_keys {
        p.tags.remove(k);
    }
    Ok(NoOutput)
}

fn list_policy_tags(call: &mut Call<'_>, i: PolicyArnInput) -> Result<TagsListOutput> {
    Ok(TagsListOutput::new(&policy(iam(call), &i.policy_arn)?.tags))
}

fn list_entities_for_policy(call: &mut Call<'_>, i: PolicyArnInput) -> Result<EntitiesOutput> {
    let iam = iam(call);
    policy(iam, &i.policy_arn)?;
    let policy_roles = iam
        .attachments(&i.policy_arn)
        .into_iter()
        .map(|r| PolicyRole {
            role_name: r.name.clone(),
            role_id: r.id.clone(),
        })
        .collect();
    Ok(EntitiesOutput {
        policy_groups: Vec::new(),
        policy_users: Vec::new(),
        policy_roles,
        is_truncated: false,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetUserInput {
    #[serde(default)]
    user_name: Option<String>,
}

/// The caller, as STS GetCallerIdentity names it (`user/orgwatch`).
fn get_user(call: &mut Call<'_>, i: GetUserInput) -> Result<UserOutput> {
    let account = call.ctx.account.clone();
    let name = i.user_name.unwrap_or_else(|| "orgwatch".into());
    if name != "orgwatch" {
        return Err(IamError::NoSuchEntity(format!(
            "The user with name {name} cannot be found."
        )));
    }
    Ok(UserOutput {
        user: UserShape {
            path: "/".into(),
            user_id: format!("AIDA{account}"),
            arn: format!("arn:aws:iam::{account}:user/{name}"),
            user_name: name,
            create_date: Timestamp(0.0),
        },
    })
}
