//! AWS REST-XML, as S3 speaks it: the operation is the HTTP method, the bucket and key, and the
//! subresource named in the query string (`PUT /bucket?policy` is PutBucketPolicy). The bucket comes from
//! the path (`/bucket/key`, path-style) or the host (`bucket.s3.<host>`, virtual-host-style). Handlers get
//! the request's parts as an [`HttpInput`] and answer an [`HttpReply`] (status, headers, body), since S3's
//! members live in headers and bodies alike; errors are S3's `<Error>` document, with no body for HEAD.

use super::document::{header, Decoded, Document, Protocol};
pub use super::http_message::{HttpInput, HttpReply};
use crate::error::ApiError;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;

/// S3's XML namespace.
pub const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The subresources that select an operation, as query keys (others, like `list-type`, are parameters).
const SUBRESOURCES: &[(&str, &str)] = &[
    ("policy", "BucketPolicy"),
    ("acl", "BucketAcl"),
    ("cors", "BucketCors"),
    ("website", "BucketWebsite"),
    ("versioning", "BucketVersioning"),
    ("accelerate", "BucketAccelerateConfiguration"),
    ("requestPayment", "BucketRequestPayment"),
    ("logging", "BucketLogging"),
    ("lifecycle", "BucketLifecycleConfiguration"),
    ("replication", "BucketReplication"),
    ("encryption", "BucketEncryption"),
    ("object-lock", "ObjectLockConfiguration"),
    ("tagging", "BucketTagging"),
    ("ownershipControls", "BucketOwnershipControls"),
    ("publicAccessBlock", "PublicAccessBlock"),
    ("notification", "BucketNotificationConfiguration"),
    ("policyStatus", "BucketPolicyStatus"),
    ("location", "BucketLocation"),
    ("versions", "ObjectVersions"),
    ("delete", "Objects"),
    ("uploads", "MultipartUploads"),
];

/// The bucket a virtual-host-style host names (`bucket.s3.amazonaws.com`, `bucket.s3.localhost:4566`).
fn bucket_of_host(host: &str) -> Option<String> {
    let host = host.split(':').next().unwrap_or(host);
    let (bucket, _) = host
        .split_once(".s3.")
        .or_else(|| host.split_once(".s3-"))?;
    (!bucket.is_empty()).then(|| bucket.to_string())
}

/// Reads an S3 request.
pub fn decode(
    method: &str,
    path: &str,
    query_string: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded, ApiError> {
    let query: BTreeMap<String, String> = query_string
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let path = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| s3_error("InvalidURI", 400, "Couldn't parse the specified URI."))?;
    let (bucket, key) = match header(headers, "host").as_deref().and_then(bucket_of_host) {
        Some(b) => (Some(b), Some(path.trim_start_matches('/').to_string())),
        None => {
            let rest = path.trim_start_matches('/');
            match rest.split_once('/') {
                Some((b, k)) => (Some(b.to_string()), Some(k.to_string())),
                None => ((!rest.is_empty()).then(|| rest.to_string()), None),
            }
        }
    };
    let key = key.filter(|k| !k.is_empty());
    let subresource = SUBRESOURCES
        .iter()
        .find(|(q, _)| query.contains_key(*q))
        .copied();
    let operation = operation(method, bucket.is_some(), key.is_some(), subresource, &query);
    let headers = headers
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.as_str().to_ascii_lowercase(),
                v.to_str().ok()?.to_string(),
            ))
        })
        .collect();
    let body = decode_chunked(&headers, body)?;
    Ok(Decoded {
        protocol: Protocol::RestXml,
        operation,
        implied_service: Some("s3"),
        input: Document::Http(Box::new(HttpInput {
            method: method.to_string(),
            bucket,
            key,
            subresource: subresource.map(|(q, _)| q),
            query,
            headers,
            body,
        })),
        query_mode: false,
    })
}

/// The operation of a method S3 has for no resource (`PATCH`, `OPTIONS` without CORS, anything else):
/// answered `405 MethodNotAllowed`.
pub const METHOD_NOT_ALLOWED: &str = "MethodNotAllowed";

/// Query keys that select an S3 operation this emulator does not serve (inventory, analytics and
/// metrics configurations, object retention and legal hold, restores, selects, multipart parts,
/// metadata tables, annotations): named so that such a request is answered `NotImplemented`, never
/// taken for a listing or a read. With [`SUBRESOURCES`], every query key that selects an operation in
/// botocore 1.44.18's S3 model (`requestUri` after `?`), `list-type` aside.
const UNSERVED: &[&str] = &[
    "abac",
    "analytics",
    "annotation",
    "attributes",
    "default-storage-class",
    "intelligent-tiering",
    "inventory",
    "legal-hold",
    "metadataAnnotationTable",
    "metadataConfiguration",
    "metadataInventoryTable",
    "metadataJournalTable",
    "metadataTable",
    "metrics",
    "part",
    "partNumber",
    "renameObject",
    "restore",
    "retention",
    "select",
    "select-type",
    "session",
    "torrent",
    "uploadId",
];

/// The operation's name, as S3's model calls it.
fn operation(
    method: &str,
    bucket: bool,
    key: bool,
    sub: Option<(&str, &str)>,
    query: &BTreeMap<String, String>,
) -> String {
    let verb = match method {
        "GET" => "Get",
        "PUT" => "Put",
        "DELETE" => "Delete",
        "HEAD" => "Head",
        "POST" => "Post",
        _ => return METHOD_NOT_ALLOWED.into(),
    };
    // No HEAD operation has one of them: a HEAD with one is a HeadObject or HeadBucket.
    if let Some(q) = UNSERVED
        .iter()
        .find(|q| method != "HEAD" && query.contains_key(**q))
    {
        return format!("{verb} ?{q}");
    }
    match (bucket, key, sub) {
        // No subresource of a bucket or an object has a HEAD.
        (_, _, Some(_)) if method == "HEAD" => METHOD_NOT_ALLOWED.into(),
        (false, _, _) if method == "GET" => "ListBuckets".into(),
        (false, _, _) => METHOD_NOT_ALLOWED.into(),
        (true, false, Some(("versions", _))) if method == "GET" => "ListObjectVersions".into(),
        (true, false, Some(("uploads", _))) if method == "GET" => "ListMultipartUploads".into(),
        (true, false, Some(("delete", _))) if method == "POST" => "DeleteObjects".into(),
        (true, false, Some((_, name))) => format!("{verb}{name}"),
        (true, false, None) => match method {
            "PUT" => "CreateBucket".into(),
            "HEAD" => "HeadBucket".into(),
            "DELETE" => "DeleteBucket".into(),
            // A browser form upload.
            "POST" => "PostObject".into(),
            _ if query.get("list-type").map(String::as_str) == Some("2") => "ListObjectsV2".into(),
            _ => "ListObjects".into(),
        },
        (true, true, Some(("tagging", _))) => format!("{verb}ObjectTagging"),
        // An object's own subresources (`?acl`, `?uploads`): none is served.
        (true, true, Some((q, _))) => format!("{verb}Object ?{q}"),
        (true, true, None) if method == "POST" => "PostObject".into(),
        (true, true, None) => format!("{verb}Object"),
    }
}

/// A body sent with `Content-Encoding: aws-chunked` (the SDKs' streaming uploads): the chunks' data,
/// without their size lines, signatures and trailers.
fn decode_chunked(headers: &BTreeMap<String, String>, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let chunked = headers
        .get("content-encoding")
        .is_some_and(|v| v.contains("aws-chunked"))
        || headers
            .get("x-amz-content-sha256")
            .is_some_and(|v| v.starts_with("STREAMING-"));
    if !chunked {
        return Ok(body.to_vec());
    }
    let bad = || {
        s3_error(
            "IncompleteBody",
            400,
            "The request body terminated unexpectedly",
        )
    };
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let line = std::str::from_utf8(&rest[..line_end]).map_err(|_| bad())?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad())?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if rest.len() < size {
            return Err(bad());
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest[size..].strip_prefix(b"\r\n").ok_or_else(bad)?;
    }
}

/// An S3 error.
pub fn s3_error(code: &str, status: u16, message: &str) -> ApiError {
    ApiError::new(code, status, message)
}

pub fn respond_ok(reply: &HttpReply, request_id: &str) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, reply.body.clone()).into_response();
    let h = resp.headers_mut();
    if let Some(ct) = reply.content_type {
        h.insert("content-type", HeaderValue::from_static(ct));
    }
    for (k, v) in &reply.headers {
        if let (Ok(k), Ok(v)) = (
            axum::http::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    request_headers(h, request_id);
    resp
}

fn request_headers(h: &mut HeaderMap, request_id: &str) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amz-request-id", v.clone());
        h.insert("x-amz-id-2", v);
    }
}

/// S3's `<Error>` document; a HEAD request gets the status alone.
pub fn respond_err(err: &ApiError, request_id: &str, head: bool) -> Response {
    let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = if head {
        Vec::new()
    } else {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{request_id}</RequestId><HostId>{request_id}</HostId></Error>",
            escape(&err.code),
            escape(&err.message)
        )
        .into_bytes()
    };
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    if !head {
        h.insert("content-type", HeaderValue::from_static("application/xml"));
    }
    request_headers(h, request_id);
    resp
}

/// Whether XML 1.0 can carry the character (its `Char` production): tab, LF, CR and U+0020 up, but for the
/// surrogates (which a Rust `char` never is) and U+FFFE, U+FFFF.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// XML text escaping, for every answer but S3's object keys. A character XML 1.0 cannot carry never gets
/// this far from a Query request (its codec refuses it); one stored through another protocol (a JSON
/// client's alarm description, read back over Query) is written as U+FFFD, so the answer stays XML.
pub fn escape(s: &str) -> String {
    escape_with(s, |_, o| o.push('\u{FFFD}'))
}

/// An S3 object key in a listing without `encoding-type=url`, as S3 writes it: a character XML 1.0 cannot
/// carry becomes a character reference (`&#x1;`). S3 documents that XML 1.0 parsers refuse these and that
/// `encoding-type=url` is the way to list such keys (which botocore always asks for); the reference is
/// still well-formed XML 1.1 and keeps the key recoverable.
pub fn escape_key(s: &str) -> String {
    escape_with(s, |c, o| o.push_str(&format!("&#x{:X};", u32::from(c))))
}

fn escape_with(s: &str, forbidden: impl Fn(char, &mut String)) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if !xml_char(c) => forbidden(c, &mut o),
            _ => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str, q: Option<&str>) -> String {
        decode(method, path, q, &HeaderMap::new(), b"")
            .map(|d| d.operation)
            .unwrap_or_default()
    }

    #[test]
    fn operations_come_from_method_path_and_subresource() {
        assert_eq!(op("GET", "/", None), "ListBuckets");
        assert_eq!(op("PUT", "/b", None), "CreateBucket");
        assert_eq!(op("GET", "/b", Some("policy")), "GetBucketPolicy");
        assert_eq!(
            op("PUT", "/b", Some("publicAccessBlock=")),
            "PutPublicAccessBlock"
        );
        assert_eq!(
            op("GET", "/b", Some("list-type=2&prefix=a")),
            "ListObjectsV2"
        );
        assert_eq!(op("GET", "/b", Some("versions")), "ListObjectVersions");
        assert_eq!(op("POST", "/b", Some("delete")), "DeleteObjects");
        assert_eq!(
            op("GET", "/b", Some("object-lock")),
            "GetObjectLockConfiguration"
        );
        assert_eq!(op("PUT", "/b/AWSLogs/1/x.json.gz", None), "PutObject");
        assert_eq!(op("HEAD", "/b", None), "HeadBucket");
    }

    #[test]
    fn virtual_host_style_names_the_bucket_in_the_host() {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("logs.s3.localhost:4566"));
        let d = decode("GET", "/a%20b", None, &h, b"").expect("decodes");
        let Document::Http(i) = d.input else {
            panic!("not http")
        };
        assert_eq!(i.bucket.as_deref(), Some("logs"));
        assert_eq!(i.key.as_deref(), Some("a b"));
        assert_eq!(d.operation, "GetObject");
    }

    #[test]
    fn aws_chunked_bodies_lose_their_framing() {
        let mut h = BTreeMap::new();
        h.insert("content-encoding".to_string(), "aws-chunked".to_string());
        let body =
            b"5;chunk-signature=ab\r\nhello\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n";
        assert_eq!(decode_chunked(&h, body).expect("decodes"), b"hello!");
        assert!(decode_chunked(&h, b"5\r\nhel").is_err());
    }
}
