//! Shapes more than one service answers with: a tag as CloudTrail, CloudWatch and SNS spell it, a list of
//! them, and one page of a listing under the member names each operation's output gives it.

use super::handler::page;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{Key, Value}` (CloudTrail, CloudWatch and SNS; CloudWatch Logs tags are a map).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// `ListTagsForResource` in CloudWatch and SNS.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagsOutput {
    pub tags: Vec<Tag>,
}

impl TagsOutput {
    pub fn new(tags: &BTreeMap<String, String>) -> Self {
        TagsOutput {
            tags: tags
                .iter()
                .map(|(k, v)| Tag {
                    key: k.clone(),
                    value: v.clone(),
                })
                .collect(),
        }
    }
}

/// Where a listing puts its items and its next-page token: the member names of the operation's output
/// (`logGroups`/`nextToken`, `Topics`/`NextToken`, …).
#[derive(Debug, Clone, Copy)]
pub struct Members {
    pub items: &'static str,
    pub token: &'static str,
}

/// One page of a listing, typed by its items; the token is present only when there is another page.
pub struct Listing<T> {
    members: Members,
    items: Vec<T>,
    next_token: Option<String>,
}

impl<T> Listing<T> {
    /// The page of `all` after `token`, at most `limit` long, each item shown as `show` makes it.
    pub fn page<S: Clone, E>(
        members: Members,
        all: &[S],
        token: Option<&str>,
        limit: usize,
        bad_token: impl FnOnce() -> E,
        show: impl FnMut(S) -> T,
    ) -> Result<Self, E> {
        let (items, next_token) = page(all, token, limit, bad_token)?;
        Ok(Listing {
            members,
            items: items.into_iter().map(show).collect(),
            next_token,
        })
    }
}

impl<T: Serialize> Serialize for Listing<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Listing", 2)?;
        out.serialize_field(self.members.items, &self.items)?;
        match &self.next_token {
            Some(t) => out.serialize_field(self.members.token, t)?,
            None => out.skip_field(self.members.token)?,
        }
        out.end()
    }
}
