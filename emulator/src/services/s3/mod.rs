//! S3 (`s3`, REST-XML): buckets (path-style and virtual-host-style), the bucket subresources a Terraform
//! refresh reads ([`subresources`]), and objects enough for `force_destroy` and for CloudTrail's log
//! files. Buckets share one namespace across accounts, as on AWS.

mod output;
pub mod subresources;

use super::handler::Call;
use crate::error::{service_errors, ApiError, ApiResult};
use crate::model::s3::{Bucket, Object};
use crate::protocol::output::Out;
use crate::protocol::rest_xml::{xml_char, HttpInput, HttpReply, METHOD_NOT_ALLOWED};
use crate::protocol::Document;
use base64::Engine;
use subresources::Unset;

service_errors! {
    /// The errors S3 answers with here.
    pub enum S3Error {
        NoSuchBucket = "NoSuchBucket", 404;
        NoSuchKey = "NoSuchKey", 404;
        BucketAlreadyExists = "BucketAlreadyExists", 409;
        BucketAlreadyOwnedByYou = "BucketAlreadyOwnedByYou", 409;
        BucketNotEmpty = "BucketNotEmpty", 409;
        InvalidBucketName = "InvalidBucketName", 400;
        IllegalLocationConstraint = "IllegalLocationConstraintException", 400;
        MalformedPolicy = "MalformedPolicy", 400;
        MalformedXml = "MalformedXML", 400;
        NotImplemented = "NotImplemented", 501;
        MethodNotAllowed = "MethodNotAllowed", 405;
        AccessDenied = "AccessDenied", 403;
        InvalidArgument = "InvalidArgument", 400;
    }
}

type Result<T> = std::result::Result<T, S3Error>;

/// Every operation served (for the health report and the README).
pub const OPERATIONS: &[&str] = &[
    "ListBuckets",
    "CreateBucket",
    "HeadBucket",
    "DeleteBucket",
    "GetBucketLocation",
    "GetBucket<Subresource>",
    "PutBucket<Subresource>",
    "DeleteBucket<Subresource>",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "PutObject",
    "GetObject",
    "HeadObject",
    "DeleteObject",
    "DeleteObjects",
];

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Out> {
    let Document::Http(i) = input else {
        return Err(ApiError::new("InvalidRequest", 400, "Not an S3 request"));
    };
    Ok(Out::Http(Box::new(route(call, op, &i)?)))
}

/// The operation's answer. A subresource's "not configured" error carries the table's own code, so reading
/// one answers an `ApiError` directly; every other operation answers with S3's errors.
fn route(call: &mut Call<'_>, op: &str, i: &HttpInput) -> ApiResult<HttpReply> {
    let bucket = i.bucket.as_deref().unwrap_or_default();
    let key = i.key.as_deref().unwrap_or_default();
    let reply = match op {
        "ListBuckets" => list_buckets(call),
        "CreateBucket" => create_bucket(call, bucket, &i.body),
        "HeadBucket" => head_bucket(call, bucket),
        "DeleteBucket" => delete_bucket(call, bucket),
        "GetBucketLocation" => get_bucket_location(call, bucket),
        "ListObjects" | "ListObjectsV2" => list_objects(call, bucket, i, op == "ListObjectsV2"),
        "ListObjectVersions" => list_object_versions(call, bucket, i),
        "PutObject" => put_object(call, bucket, key, i),
        "GetObject" | "HeadObject" => get_object(call, bucket, key, op == "HeadObject"),
        "DeleteObject" => delete_object(call, bucket, key),
        "DeleteObjects" => delete_objects(call, bucket, &i.body),
        _ => match (
            i.method.as_str(),
            i.subresource.and_then(subresources::find),
        ) {
            ("GET", Some(s)) => return get_subresource(call, bucket, s),
            ("PUT", Some(s)) => put_subresource(call, bucket, s, i),
            ("DELETE", Some(s)) => delete_subresource(call, bucket, s),
            // A method the resource does not have (`PATCH /b?policy`, `GET /b?delete`, `HEAD /b?acl`).
            _ if op == METHOD_NOT_ALLOWED || (i.key.is_none() && i.subresource.is_some()) => {
                Err(method_not_allowed())
            }
            // An operation S3 has and this emulator does not serve (PostObject, `?inventory`,
            // multipart uploads): S3's own answer for functionality it does not implement.
            _ => Err(S3Error::NotImplemented(format!(
                "{op} is not implemented by this emulator"
            ))),
        },
    };
    reply.map_err(ApiError::from)
}

fn method_not_allowed() -> S3Error {
    S3Error::MethodNotAllowed("The specified method is not allowed against this resource.".into())
}

fn malformed_xml() -> S3Error {
    S3Error::MalformedXml(
        "The XML you provided was not well-formed or did not validate against our published schema"
            .into(),
    )
}

fn no_bucket() -> S3Error {
    S3Error::NoSuchBucket("The specified bucket does not exist".into())
}

/// The bucket, if it exists. Buckets of other accounts are reachable as their policy would allow; this
/// emulator lets the caller through (CloudTrail's cross-account writes go through the pipeline).
fn bucket<'c>(call: &'c mut Call<'_>, name: &str) -> Result<&'c mut Bucket> {
    call.state.buckets.get_mut(name).ok_or_else(no_bucket)
}

/// S3's naming rules for new buckets: 3–63 characters, lower-case letters, digits, dots and hyphens,
/// beginning and ending with a letter or digit, not shaped like an IP address.
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// The text of every element named `name` in an XML document.
fn element_texts(body: &[u8], name: &str) -> Result<Vec<String>> {
    use quick_xml::events::Event;
    let malformed = malformed_xml;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut inside = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|_| malformed())? {
            Event::Start(e) if e.local_name().as_ref() == name.as_bytes() => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.local_name().as_ref() == name.as_bytes() => inside = false,
            Event::Text(t) if inside => {
                let text = t.unescape().map_err(|_| malformed())?;
                // What XML 1.0 cannot carry, raw or as a reference (`&#x1;`), S3 refuses.
                if !text.chars().all(xml_char) {
                    return Err(malformed());
                }
                if let Some(last) = out.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// A configuration document S3 stores as given must still be well-formed XML with the root element its
/// schema names: an empty body, a document of another root, or text after the root is `MalformedXML`.
fn check_document(body: &[u8], root: &str) -> Result<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|_| malformed_xml())?
        {
            Event::Start(e) => {
                if depth == 0 {
                    roots += 1;
                    if e.local_name().as_ref() != root.as_bytes() || roots > 1 {
                        return Err(malformed_xml());
                    }
                }
                depth += 1;
            }
            Event::Empty(e) if depth == 0 => {
                roots += 1;
                if e.local_name().as_ref() != root.as_bytes() || roots > 1 {
                    return Err(malformed_xml());
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(malformed_xml());
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|_| malformed_xml())?;
                if !text.chars().all(xml_char) {
                    return Err(malformed_xml());
                }
            }
            Event::Eof if roots == 1 && depth == 0 => return Ok(()),
            Event::Eof => return Err(malformed_xml()),
            _ => {}
        }
        buf.clear();
    }
}

fn list_buckets(call: &mut Call<'_>) -> Result<HttpReply> {
    let account = call.ctx.account.clone();
    let mine: Vec<&Bucket> = call
        .state
        .buckets
        .values()
        .filter(|b| b.account == account)
        .collect();
    Ok(HttpReply::xml(output::list_buckets(&account, &mine)))
}

fn create_bucket(call: &mut Call<'_>, name: &str, body: &[u8]) -> Result<HttpReply> {
    if !valid_bucket_name(name) {
        return Err(S3Error::InvalidBucketName(
            "The specified bucket is not valid.".into(),
        ));
    }
    let region = call.ctx.region.clone();
    let constraint = if body.is_empty() {
        None
    } else {
        element_texts(body, "LocationConstraint")?
            .into_iter()
            .next()
    };
    match constraint.as_deref() {
        None | Some("") if region != "us-east-1" => {
            return Err(S3Error::IllegalLocationConstraint("The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.".into()));
        }
        Some(c) if !c.is_empty() && c != region => {
            return Err(S3Error::IllegalLocationConstraint(format!("The {c} location constraint is incompatible for the region specific endpoint this request was sent to.")));
        }
        _ => {}
    }
    let (account, now) = (call.ctx.account.clone(), call.now());
    if let Some(b) = call.state.buckets.get(name) {
        if b.account != account {
            return Err(S3Error::BucketAlreadyExists("The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.".into()));
        }
        // us-east-1 answers a repeated create by the owner with success (AWS's legacy behaviour).
        if region != "us-east-1" {
            return Err(S3Error::BucketAlreadyOwnedByYou("Your previous request to create the named bucket succeeded and you already own it.".into()));
        }
    } else {
        call.state.buckets.insert(
            name.to_string(),
            Bucket {
                name: name.to_string(),
                account,
                region,
                created: now,
                config: Default::default(),
                objects: Default::default(),
            },
        );
    }
    Ok(HttpReply::empty(200).with_header("location", format!("/{name}")))
}

fn head_bucket(call: &mut Call<'_>, name: &str) -> Result<HttpReply> {
    let b = bucket(call, name)?;
    Ok(HttpReply::empty(200).with_header("x-amz-bucket-region", b.region.clone()))
}

fn delete_bucket(call: &mut Call<'_>, name: &str) -> Result<HttpReply> {
    let b = bucket(call, name)?;
    if !b.objects.is_empty() {
        return Err(S3Error::BucketNotEmpty(
            "The bucket you tried to delete is not empty".into(),
        ));
    }
    call.state.buckets.remove(name);
    Ok(HttpReply::empty(204))
}

fn get_bucket_location(call: &mut Call<'_>, name: &str) -> Result<HttpReply> {
    let b = bucket(call, name)?;
    Ok(HttpReply::xml(output::location(&b.region)))
}

fn unset(answer: Unset, owner: &str) -> ApiResult<String> {
    match answer {
        Unset::Default(doc) => Ok(doc(owner)),
        Unset::Missing(code, message) => Err(ApiError::new(code, 404, message)),
    }
}

fn get_subresource(
    call: &mut Call<'_>,
    name: &str,
    s: &subresources::Subresource,
) -> ApiResult<HttpReply> {
    let b = bucket(call, name)?;
    let doc = match b.config.get(s.key) {
        Some(Some(doc)) => doc.clone(),
        Some(None) => unset(s.deleted, &b.account)?,
        None => unset(s.unset, &b.account)?,
    };
    Ok(subresource_reply(s, doc))
}

fn subresource_reply(s: &subresources::Subresource, doc: String) -> HttpReply {
    if s.json {
        let mut r = HttpReply::empty(200);
        r.content_type = Some("application/json");
        r.body = doc.into_bytes();
        return r;
    }
    let doc = if doc.starts_with("<?xml") {
        doc
    } else {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{doc}")
    };
    let mut r = HttpReply::empty(200);
    r.content_type = Some("application/xml");
    r.body = doc.into_bytes();
    r
}

fn put_subresource(
    call: &mut Call<'_>,
    name: &str,
    s: &subresources::Subresource,
    i: &HttpInput,
) -> Result<HttpReply> {
    let body = &i.body;
    // A canned ACL (`x-amz-acl: private`) or grant headers stand in for the document: the owner keeps
    // full control, which is what the default document says.
    if s.key == "acl"
        && body.is_empty()
        && i.headers
            .keys()
            .any(|h| h == "x-amz-acl" || h.starts_with("x-amz-grant-"))
    {
        bucket(call, name)?;
        return Ok(HttpReply::empty(200));
    }
    let text = String::from_utf8(body.to_vec()).map_err(|_| malformed_xml())?;
    if s.json {
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            S3Error::MalformedPolicy(
                "Policies must be valid JSON and the first byte must be '{'".into(),
            )
        })?;
        if v.get("Statement").is_none() {
            return Err(S3Error::MalformedPolicy(
                "Missing required field Statement".into(),
            ));
        }
    } else {
        check_document(body, s.root)?;
    }
    let b = bucket(call, name)?;
    b.config.insert(s.key.to_string(), Some(text));
    Ok(HttpReply::empty(if s.json { 204 } else { 200 }))
}

fn delete_subresource(
    call: &mut Call<'_>,
    name: &str,
    s: &subresources::Subresource,
) -> Result<HttpReply> {
    let b = bucket(call, name)?;
    b.config.insert(s.key.to_string(), None);
    Ok(HttpReply::empty(204))
}

/// Objects whose keys begin with `prefix`, from after `start`, at most `max`; and whether more follow.
fn page<'b>(
    b: &'b Bucket,
    prefix: &str,
    start: Option<&str>,
    max: usize,
) -> (Vec<(&'b String, &'b Object)>, Option<String>) {
    let mut items: Vec<(&String, &Object)> = b
        .objects
        .iter()
        .filter(|(k, _)| k.starts_with(prefix) && start.is_none_or(|s| k.as_str() > s))
        .take(max + 1)
        .collect();
    let next = (items.len() > max).then(|| {
        items.truncate(max);
        items.last().map(|(k, _)| (*k).clone()).unwrap_or_default()
    });
    (items, next)
}

fn max_keys(i: &HttpInput) -> usize {
    i.query("max-keys")
        .and_then(|m| m.parse().ok())
        .unwrap_or(1000usize)
        .min(1000)
}

/// How a listing writes its keys: `encoding-type=url`, or none; S3 refuses any other.
fn key_encoding(i: &HttpInput) -> Result<output::Keys> {
    match i.query("encoding-type") {
        None => Ok(output::Keys::Xml),
        Some("url") => Ok(output::Keys::Url),
        Some(_) => Err(S3Error::InvalidArgument(
            "Invalid Encoding Method specified in Request".into(),
        )),
    }
}

fn list_objects(call: &mut Call<'_>, name: &str, i: &HttpInput, v2: bool) -> Result<HttpReply> {
    let keys = key_encoding(i)?;
    let b = bucket(call, name)?;
    let prefix = i.query("prefix").unwrap_or_default();
    let max = max_keys(i);
    let start = if v2 {
        i.query("continuation-token").or(i.query("start-after"))
    } else {
        i.query("marker")
    };
    let (items, next) = page(b, prefix, start, max);
    Ok(HttpReply::xml(output::list_objects(
        &b.name,
        prefix,
        output::Page {
            items: &items,
            next: next.as_deref(),
            max,
        },
        v2,
        &b.account,
        keys,
    )))
}

fn list_object_versions(call: &mut Call<'_>, name: &str, i: &HttpInput) -> Result<HttpReply> {
    let keys = key_encoding(i)?;
    let b = bucket(call, name)?;
    let prefix = i.query("prefix").unwrap_or_default();
    let max = max_keys(i);
    let (items, next) = page(b, prefix, i.query("key-marker"), max);
    Ok(HttpReply::xml(output::list_versions(
        &b.name,
        prefix,
        output::Page {
            items: &items,
            next: next.as_deref(),
            max,
        },
        &b.account,
        keys,
    )))
}

/// The ETag of a single-part upload: the content's MD5, quoted.
fn etag(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    format!("\"{}\"", hex::encode(Md5::digest(data)))
}

/// Stores an object (the pipeline's CloudTrail log files come through here too).
pub fn store_object(
    b: &mut Bucket,
    key: &str,
    data: &[u8],
    content_type: Option<String>,
    now: f64,
) -> String {
    let tag = etag(data);
    b.objects.insert(
        key.to_string(),
        Object {
            data: base64::engine::general_purpose::STANDARD.encode(data),
            size: data.len() as u64,
            etag: tag.clone(),
            modified: now,
            content_type,
        },
    );
    tag
}

fn put_object(call: &mut Call<'_>, name: &str, key: &str, i: &HttpInput) -> Result<HttpReply> {
    let now = call.now();
    let b = bucket(call, name)?;
    let tag = store_object(
        b,
        key,
        &i.body,
        i.header("content-type").map(str::to_string),
        now,
    );
    Ok(HttpReply::empty(200).with_header("etag", tag))
}

fn get_object(call: &mut Call<'_>, name: &str, key: &str, head: bool) -> Result<HttpReply> {
    let b = bucket(call, name)?;
    let o = b
        .objects
        .get(key)
        .ok_or_else(|| S3Error::NoSuchKey("The specified key does not exist.".into()))?;
    let data = base64::engine::general_purpose::STANDARD
        .decode(&o.data)
        .map_err(|_| S3Error::NoSuchKey("The specified key does not exist.".into()))?;
    let mut r = HttpReply::empty(200)
        .with_header("etag", o.etag.clone())
        .with_header("last-modified", crate::clock::http_date(o.modified))
        .with_header("content-length", o.size.to_string());
    r.content_type = Some("binary/octet-stream");
    if !head {
        r.body = data;
    }
    Ok(r)
}

fn delete_object(call: &mut Call<'_>, name: &str, key: &str) -> Result<HttpReply> {
    bucket(call, name)?.objects.remove(key);
    Ok(HttpReply::empty(204))
}

fn delete_objects(call: &mut Call<'_>, name: &str, body: &[u8]) -> Result<HttpReply> {
    let keys = element_texts(body, "Key")?;
    let quiet = element_texts(body, "Quiet")?
        .first()
        .is_some_and(|q| q == "true");
    let b = bucket(call, name)?;
    for k in &keys {
        b.objects.remove(k);
    }
    let shown: &[String] = if quiet { &[] } else { &keys };
    Ok(HttpReply::xml(output::deleted(shown)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_s3s_rules() {
        for ok in ["abc", "org-trail-bucket", "a.b-c", "123"] {
            assert!(valid_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "Upper",
            "-start",
            "end-",
            "a..b",
            "192.168.0.1",
            "under_score",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn element_texts_reads_every_key_and_refuses_bad_xml() {
        let body = b"<Delete xmlns=\"x\"><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key></Object><Quiet>true</Quiet></Delete>";
        assert_eq!(
            element_texts(body, "Key").ok(),
            Some(vec!["a&b".to_string(), "c".to_string()])
        );
        assert!(element_texts(b"<a><b></a>", "b").is_err());
    }
}
