//! IAM's model: roles with their inline and attached policies, and customer managed policies with their
//! versions. IAM is global, so this lives in the account, not in a region. Policy documents are kept as the
//! client sent them (IAM answers them URL-encoded, as given).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Iam {
    #[serde(default)]
    pub roles: BTreeMap<String, Role>,
    /// Customer managed policies by ARN.
    #[serde(default)]
    pub policies: BTreeMap<String, ManagedPolicy>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub path: String,
    pub id: String,
    pub arn: String,
    pub created: f64,
    pub assume_role_policy: String,
    #[serde(default)]
    pub description: Option<String>,
    pub max_session_duration: i64,
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Inline policies by name.
    #[serde(default)]
    pub inline: BTreeMap<String, String>,
    /// Attached managed policies' ARNs, in attachment order.
    #[serde(default)]
    pub attached: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub name: String,
    pub path: String,
    pub id: String,
    pub arn: String,
    pub created: f64,
    pub updated: f64,
    #[serde(default)]
    pub description: Option<String>,
    pub default_version: String,
    pub versions: Vec<PolicyVersion>,
    /// The number the next version gets (`v<n>`; numbers are not reused).
    pub next_version: u32,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub id: String,
    pub document: String,
    pub created: f64,
}

impl Iam {
    /// The roles a managed policy is attached to.
    pub fn attachments(&self, policy_arn: &str) -> Vec<&Role> {
        self.roles
            .values()
            .filter(|r| r.attached.iter().any(|a| a == policy_arn))
            .collect()
    }

    /// Every policy document that grants a role permissions: inline ones, then the default version of
    /// each attached customer managed policy (AWS managed policies are not modelled).
    pub fn role_permission_documents(&self, role: &Role) -> Vec<String> {
        let mut docs: Vec<String> = role.inline.values().cloned().collect();
        for arn in &role.attached {
            if let Some(p) = self.policies.get(arn) {
                if let Some(v) = p.versions.iter().find(|v| v.id == p.default_version) {
                    docs.push(v.document.clone());
                }
            }
        }
        docs
    }
}

/// An IAM unique id: a prefix (`AROA` for roles, `ANPA` for policies) and 17 characters.
pub fn unique_id(prefix: &str) -> String {
    let raw = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("{prefix}{}", &raw[..17])
}
