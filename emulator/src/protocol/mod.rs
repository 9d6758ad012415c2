//! Wire protocols: each turns an HTTP request into `(operation, input document)` and a result back into
//! bytes, so that every operation has one handler whatever protocol the client speaks.
//!
//! Between codecs and handlers an input is a [`Document`], read into the operation's typed input struct:
//! JSON and CBOR documents carry their own scalar types, while a Query document's leaves are all text and
//! take the type the operation's input asks for ([`query_input`]), so a tag value `1234` stays a string.
//! Outputs are the operation's output types, serialized into a typed tree ([`output::Out`]) that tells each
//! codec what a member is (structure or map, integer or double, timestamp) from its Rust type.
//!
//! | protocol | recognised by | used by |
//! |---|---|---|
//! | AWS JSON 1.1 | `X-Amz-Target`, `application/x-amz-json-1.1` | CloudTrail, Logs, Organizations |
//! | AWS JSON 1.0 | `X-Amz-Target`, `application/x-amz-json-1.0` | CloudWatch (current botocore) |
//! | Smithy RPC v2 CBOR | `POST /service/<svc>/operation/<Op>` | CloudWatch (AWS SDK for Rust) |
//! | AWS Query (XML responses) | form body with `Action=` | SNS, STS, IAM, CloudWatch (older botocore) |
//! | AWS JSON 1.1 | `X-Amz-Target: TrentService.*` | KMS |
//! | AWS JSON 1.0 | `X-Amz-Target: AmazonSQS.*` | SQS (current SDKs and CLI) |
//! | AWS Query (flattened lists) | `Version=2012-11-05` | SQS (older clients) |
//! | REST-XML | SigV4 scope service `s3` | S3 ([`rest_xml`]) |

pub mod cbor;
pub mod document;
pub mod http_message;
pub mod json;
pub mod output;
pub mod query;
pub mod query_input;
pub mod rest_xml;

use crate::error::ApiError;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
pub use document::{header, Decoded, Document, Protocol};
use output::Out;

/// The service whose X-Amz-Target prefix or Query version this is.
fn service_of_target(prefix: &str) -> Option<&'static str> {
    let p = prefix.rsplit('.').next().unwrap_or(prefix);
    Some(match p {
        "CloudTrail_20131101" => "cloudtrail",
        "Logs_20140328" => "logs",
        "GraniteServiceVersion20100801" => "monitoring",
        "AWSOrganizationsV20161128" => "organizations",
        "TrentService" => "kms",
        "AmazonSQS" => "sqs",
        _ => return None,
    })
}

/// Which protocol a request speaks, from its path and headers alone (used to shape even decode errors).
pub fn detect(path: &str, headers: &HeaderMap) -> Protocol {
    // An S3 request is REST-XML whatever its path (`/service/...` is a bucket named `service`), unless it
    // names another protocol in its headers; then the scope is wrong, which the server answers.
    if crate::context::parse_scope(headers).is_some_and(|s| s.service == "s3")
        && !headers.contains_key("x-amz-target")
        && !headers.contains_key("smithy-protocol")
    {
        return Protocol::RestXml;
    }
    if path.starts_with("/service/") && path.contains("/operation/") {
        return Protocol::Cbor;
    }
    if headers.contains_key("x-amz-target") {
        let ct = header(headers, "content-type").unwrap_or_default();
        return if ct.contains("1.0") {
            Protocol::Json10
        } else {
            Protocol::Json11
        };
    }
    Protocol::Query
}

/// Decodes a request whatever its protocol: REST-XML needs the method, the others the body alone.
pub fn decode_request(
    method: &str,
    path: &str,
    query_string: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded, ApiError> {
    match detect(path, headers) {
        Protocol::RestXml => rest_xml::decode(method, path, query_string, headers, body),
        _ => decode(path, query_string, headers, body),
    }
}

/// Decodes a request body (already decompressed).
pub fn decode(
    path: &str,
    query_string: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded, ApiError> {
    let protocol = detect(path, headers);
    let query_mode =
        header(headers, "x-amzn-query-mode").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match protocol {
        Protocol::RestXml => Err(ApiError::new(
            "InvalidRequest",
            400,
            "An S3 request is decoded with its method (rest_xml::decode)",
        )),
        Protocol::Cbor => {
            let mut segs = path.trim_matches('/').split('/');
            let (_, svc, _, op) = (
                segs.next(),
                segs.next().unwrap_or(""),
                segs.next(),
                segs.next().unwrap_or(""),
            );
            let ct = header(headers, "content-type").unwrap_or_default();
            if !body.is_empty() && !ct.starts_with("application/cbor") {
                return Err(ApiError::serialization(format!(
                    "Unsupported Content-Type {ct:?}: expected application/cbor"
                )));
            }
            let input = cbor::decode(body)?;
            Ok(Decoded {
                protocol,
                operation: op.to_string(),
                implied_service: service_of_target(svc),
                input: Document::Typed(input),
                query_mode,
            })
        }
        Protocol::Json10 | Protocol::Json11 => {
            let target = header(headers, "x-amz-target").unwrap_or_default();
            let (prefix, op) = target.rsplit_once('.').unwrap_or(("", &target));
            let ct = header(headers, "content-type").unwrap_or_default();
            if !ct.starts_with("application/x-amz-json") && !ct.starts_with("application/json") {
                return Err(ApiError::serialization(format!(
                    "Unsupported Content-Type {ct:?}"
                )));
            }
            let input = json::decode(body)?;
            Ok(Decoded {
                protocol,
                operation: op.to_string(),
                implied_service: service_of_target(prefix),
                input: Document::Typed(input),
                query_mode,
            })
        }
        Protocol::Query => {
            let mut pairs: Vec<(String, String)> = Vec::new();
            if let Some(q) = query_string {
                pairs.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
            }
            if !body.is_empty() {
                let ct = header(headers, "content-type").unwrap_or_default();
                if !ct.starts_with("application/x-www-form-urlencoded") {
                    return Err(ApiError::new(
                        "MissingAction",
                        400,
                        format!("Could not determine the operation: unsupported Content-Type {ct:?} without X-Amz-Target"),
                    ));
                }
                pairs.extend(form_urlencoded::parse(body).into_owned());
            }
            let action = pairs
                .iter()
                .find(|(k, _)| k == "Action")
                .map(|(_, v)| v.clone());
            let version = pairs
                .iter()
                .find(|(k, _)| k == "Version")
                .map(|(_, v)| v.clone());
            let Some(op) = action else {
                return Err(ApiError::new("MissingAction", 400, "Missing Action"));
            };
            let implied = match version.as_deref() {
                Some("2010-03-31") => Some("sns"),
                Some("2011-06-15") => Some("sts"),
                Some("2010-08-01") => Some("monitoring"),
                Some("2010-05-08") => Some("iam"),
                Some("2016-11-15") => Some("ec2"),
                Some("2012-11-05") => Some("sqs"),
                _ => None,
            };
            let input = query::decode(&pairs)?;
            Ok(Decoded {
                protocol,
                operation: op,
                implied_service: implied,
                input: Document::Text(input),
                query_mode,
            })
        }
    }
}

/// A successful response.
pub fn respond_ok(
    protocol: Protocol,
    service: &str,
    operation: &str,
    output: &Out,
    request_id: &str,
) -> Response {
    if let Out::Http(reply) = output {
        return rest_xml::respond_ok(reply, request_id);
    }
    // No output shape is an empty structure on the JSON and CBOR wires; Query writes no result
    // element for it.
    let (ct, body) = match protocol {
        Protocol::RestXml => ("application/xml", Vec::new()),
        Protocol::Json10 => ("application/x-amz-json-1.0", json::encode(output)),
        Protocol::Json11 => ("application/x-amz-json-1.1", json::encode(output)),
        Protocol::Cbor => ("application/cbor", cbor::encode(output)),
        Protocol::Query => (
            "text/xml",
            query::encode_ok(service, operation, output, request_id).into_bytes(),
        ),
    };
    finish(protocol, StatusCode::OK, ct, body, request_id)
}

/// An error response in the protocol's exact shape.
pub fn respond_err(
    protocol: Protocol,
    service: &str,
    err: &ApiError,
    request_id: &str,
    query_mode: bool,
) -> Response {
    let fault = if err.sender { "Sender" } else { "Receiver" };
    // CloudWatch answers a not-found with 404 only to clients in query mode (recorded against AWS).
    let status = if service == "monitoring"
        && err.status == 404
        && !query_mode
        && protocol != Protocol::Query
    {
        400
    } else {
        err.status
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut resp = match protocol {
        Protocol::RestXml => return rest_xml::respond_err(err, request_id, false),
        Protocol::Json10 | Protocol::Json11 => {
            let ct = if protocol == Protocol::Json10 {
                "application/x-amz-json-1.0"
            } else {
                "application/x-amz-json-1.1"
            };
            finish(
                protocol,
                status,
                ct,
                json::encode(&error_body(err)),
                request_id,
            )
        }
        Protocol::Cbor => {
            let body = cbor::encode(&error_body(err));
            finish(protocol, status, "application/cbor", body, request_id)
        }
        Protocol::Query => finish(
            protocol,
            status,
            "text/xml",
            query::encode_err(service, err, fault, request_id).into_bytes(),
            request_id,
        ),
    };
    if protocol != Protocol::Query {
        if query_compatible(service) {
            if let Ok(v) = HeaderValue::from_str(&format!("{};{fault}", err.code)) {
                resp.headers_mut().insert("x-amzn-query-error", v);
            }
        }
        if let Ok(v) = HeaderValue::from_str(&err.shape) {
            resp.headers_mut().insert("x-amzn-errortype", v);
        }
    }
    resp
}

/// The services whose JSON and CBOR errors carry their Query code in `x-amzn-query-error`: those the
/// service models mark `awsQueryCompatible` (CloudWatch and SQS). Others (Logs, CloudTrail, Organizations,
/// KMS) never send the header.
pub fn query_compatible(service: &str) -> bool {
    matches!(service, "monitoring" | "sqs")
}

/// The JSON and CBOR error document; an error without a message has no `message` member.
fn error_body(err: &ApiError) -> Out {
    let mut members = vec![("__type", Out::Str(err.shape.clone()))];
    if !err.message.is_empty() {
        members.push(("message", Out::Str(err.message.clone())));
    }
    Out::Struct(members)
}

fn finish(
    protocol: Protocol,
    status: StatusCode,
    ct: &'static str,
    body: Vec<u8>,
    request_id: &str,
) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    if protocol == Protocol::Cbor {
        h.insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    }
    resp
}
