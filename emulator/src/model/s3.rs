//! S3's model: buckets (one namespace for every account, as on AWS), their subresource configurations as
//! the client sent them, and their objects (CloudTrail's log files among them).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub account: String,
    pub region: String,
    pub created: f64,
    /// Subresource documents by their query key (`policy`, `tagging`, …): a document as put, or `None`
    /// once deleted where deleting differs from never having set it (see the S3 service's table).
    #[serde(default)]
    pub config: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub objects: BTreeMap<String, Object>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Object {
    /// The content, base64 (the state file is JSON).
    pub data: String,
    pub size: u64,
    pub etag: String,
    pub modified: f64,
    #[serde(default)]
    pub content_type: Option<String>,
}

impl Bucket {
    /// The stored document of a subresource, if one is set.
    pub fn document(&self, subresource: &str) -> Option<&str> {
        self.config.get(subresource).and_then(|d| d.as_deref())
    }
}
