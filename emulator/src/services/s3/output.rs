//! S3's XML answers (botocore's `s3` model: lists of buckets wrapped, of contents and versions flattened).

use crate::clock::iso8601;
use crate::model::s3::{Bucket, Object};
use crate::protocol::rest_xml::NAMESPACE as NS;
use crate::protocol::rest_xml::{escape, escape_key};

/// How object keys (and the prefixes and markers made of them) are written in a listing: as S3 writes them
/// by default ([`escape_key`]), or form-encoded when the request asked `encoding-type=url`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    Xml,
    Url,
}

impl Keys {
    fn text(self, key: &str) -> String {
        match self {
            Keys::Xml => escape_key(key),
            Keys::Url => form_urlencoded::byte_serialize(key.as_bytes()).collect(),
        }
    }

    /// The `<EncodingType>` element S3 adds when it encoded the keys.
    fn element(self) -> &'static str {
        match self {
            Keys::Xml => "",
            Keys::Url => "<EncodingType>url</EncodingType>",
        }
    }
}

fn owner(account: &str) -> String {
    format!("<Owner><ID>{account}</ID><DisplayName>orgwatch</DisplayName></Owner>")
}

pub fn list_buckets(account: &str, buckets: &[&Bucket]) -> String {
    let mut s = format!(
        "<ListAllMyBucketsResult xmlns=\"{NS}\">{}<Buckets>",
        owner(account)
    );
    for b in buckets {
        s.push_str(&format!(
            "<Bucket><Name>{}</Name><CreationDate>{}</CreationDate><BucketRegion>{}</BucketRegion></Bucket>",
            escape(&b.name),
            iso8601(b.created),
            b.region
        ));
    }
    s.push_str("</Buckets></ListAllMyBucketsResult>");
    s
}

/// us-east-1 is the empty location constraint.
pub fn location(region: &str) -> String {
    let r = if region == "us-east-1" { "" } else { region };
    format!("<LocationConstraint xmlns=\"{NS}\">{r}</LocationConstraint>")
}

fn object_fields(k: &str, o: &Object, keys: Keys) -> String {
    format!(
        "<Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass>",
        keys.text(k),
        iso8601(o.modified),
        escape(&o.etag),
        o.size
    )
}

/// One page of a listing: its objects, the key to go on from, and the page size asked.
pub struct Page<'a> {
    pub items: &'a [(&'a String, &'a Object)],
    pub next: Option<&'a str>,
    pub max: usize,
}

pub fn list_objects(
    bucket: &str,
    prefix: &str,
    page: Page<'_>,
    v2: bool,
    account: &str,
    keys: Keys,
) -> String {
    let Page { items, next, max } = page;
    let mut s = format!(
        "<ListBucketResult xmlns=\"{NS}\"><Name>{}</Name><Prefix>{}</Prefix><MaxKeys>{max}</MaxKeys>{}<IsTruncated>{}</IsTruncated>",
        escape(bucket),
        keys.text(prefix),
        keys.element(),
        next.is_some()
    );
    if v2 {
        s.push_str(&format!("<KeyCount>{}</KeyCount>", items.len()));
        if let Some(n) = next {
            s.push_str(&format!(
                "<NextContinuationToken>{}</NextContinuationToken>",
                escape(n)
            ));
        }
    } else if let Some(n) = next {
        s.push_str(&format!("<NextMarker>{}</NextMarker>", keys.text(n)));
    }
    for (k, o) in items {
        s.push_str(&format!(
            "<Contents>{}{}</Contents>",
            object_fields(k, o, keys),
            if v2 { String::new() } else { owner(account) }
        ));
    }
    s.push_str("</ListBucketResult>");
    s
}

/// Versioning is not modelled: each object is its one version, `null`.
pub fn list_versions(
    bucket: &str,
    prefix: &str,
    page: Page<'_>,
    account: &str,
    keys: Keys,
) -> String {
    let Page { items, next, max } = page;
    let mut s = format!(
        "<ListVersionsResult xmlns=\"{NS}\"><Name>{}</Name><Prefix>{}</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>{max}</MaxKeys>{}<IsTruncated>{}</IsTruncated>",
        escape(bucket),
        keys.text(prefix),
        keys.element(),
        next.is_some()
    );
    if let Some(n) = next {
        s.push_str(&format!(
            "<NextKeyMarker>{}</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>",
            keys.text(n)
        ));
    }
    for (k, o) in items {
        s.push_str(&format!(
            "<Version>{}<VersionId>null</VersionId><IsLatest>true</IsLatest>{}</Version>",
            object_fields(k, o, keys),
            owner(account)
        ));
    }
    s.push_str("</ListVersionsResult>");
    s
}

pub fn deleted(keys: &[String]) -> String {
    let mut s = format!("<DeleteResult xmlns=\"{NS}\">");
    for k in keys {
        s.push_str(&format!("<Deleted><Key>{}</Key></Deleted>", escape(k)));
    }
    s.push_str("</DeleteResult>");
    s
}
