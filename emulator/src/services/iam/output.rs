//! IAM's output shapes (botocore's `iam` model), as IAM writes them: policy documents URL-encoded.

use crate::model::iam::{ManagedPolicy, PolicyVersion, Role};
use crate::protocol::output::Timestamp;
use crate::services::shapes::Tag;
use serde::Serialize;
use std::collections::BTreeMap;

/// IAM answers policy documents percent-encoded (botocore and the Go SDK's callers decode them); spaces as
/// `%20`, so that both `unquote` and `QueryUnescape` give the document back.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn tags(t: &BTreeMap<String, String>) -> Vec<Tag> {
    t.iter()
        .map(|(k, v)| Tag {
            key: k.clone(),
            value: v.clone(),
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleShape {
    path: String,
    role_name: String,
    role_id: String,
    arn: String,
    create_date: Timestamp,
    assume_role_policy_document: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    max_session_duration: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary: Option<Boundary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
    role_last_used: RoleLastUsed,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Boundary {
    permissions_boundary_type: &'static str,
    permissions_boundary_arn: String,
}

#[derive(Serialize)]
pub struct RoleLastUsed {}

impl RoleShape {
    pub fn new(r: &Role) -> Self {
        RoleShape {
            path: r.path.clone(),
            role_name: r.name.clone(),
            role_id: r.id.clone(),
            arn: r.arn.clone(),
            create_date: Timestamp(r.created),
            assume_role_policy_document: url_encode(&r.assume_role_policy),
            description: r.description.clone(),
            max_session_duration: r.max_session_duration,
            permissions_boundary: r.permissions_boundary.as_ref().map(|a| Boundary {
                permissions_boundary_type: "Policy",
                permissions_boundary_arn: a.clone(),
            }),
            tags: tags(&r.tags),
            role_last_used: RoleLastUsed {},
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleOutput {
    pub role: RoleShape,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RolesOutput {
    pub roles: Vec<RoleShape>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RolePolicyOutput {
    pub role_name: String,
    pub policy_name: String,
    pub policy_document: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyNamesOutput {
    pub policy_names: Vec<String>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    pub policy_name: String,
    pub policy_arn: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPoliciesOutput {
    pub attached_policies: Vec<AttachedPolicy>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceProfilesOutput {
    pub instance_profiles: Vec<()>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagsListOutput {
    pub tags: Vec<Tag>,
    pub is_truncated: bool,
}

impl TagsListOutput {
    pub fn new(t: &BTreeMap<String, String>) -> Self {
        TagsListOutput {
            tags: tags(t),
            is_truncated: false,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyShape {
    policy_name: String,
    policy_id: String,
    arn: String,
    path: String,
    default_version_id: String,
    attachment_count: i64,
    permissions_boundary_usage_count: i64,
    is_attachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    create_date: Timestamp,
    update_date: Timestamp,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}

impl PolicyShape {
    pub fn new(p: &ManagedPolicy, attachments: usize) -> Self {
        PolicyShape {
            policy_name: p.name.clone(),
            policy_id: p.id.clone(),
            arn: p.arn.clone(),
            path: p.path.clone(),
            default_version_id: p.default_version.clone(),
            attachment_count: attachments as i64,
            permissions_boundary_usage_count: 0,
            is_attachable: true,
            description: p.description.clone(),
            create_date: Timestamp(p.created),
            update_date: Timestamp(p.updated),
            tags: tags(&p.tags),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyOutput {
    pub policy: PolicyShape,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoliciesOutput {
    pub policies: Vec<PolicyShape>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<String>,
    version_id: String,
    is_default_version: bool,
    create_date: Timestamp,
}

impl VersionShape {
    pub fn new(v: &PolicyVersion, default: &str, with_document: bool) -> Self {
        VersionShape {
            document: with_document.then(|| url_encode(&v.document)),
            version_id: v.id.clone(),
            is_default_version: v.id == default,
            create_date: Timestamp(v.created),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersionOutput {
    pub policy_version: VersionShape,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionsOutput {
    pub versions: Vec<VersionShape>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyRole {
    pub role_name: String,
    pub role_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EntitiesOutput {
    pub policy_groups: Vec<()>,
    pub policy_users: Vec<()>,
    pub policy_roles: Vec<PolicyRole>,
    pub is_truncated: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserShape {
    pub path: String,
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub create_date: Timestamp,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserOutput {
    pub user: UserShape,
}
