//! AWS Query: form-encoded requests (`Dimensions.member.1.Name=...`, `Attributes.entry.1.key=...`) and XML
//! responses (`<OpResponse><OpResult>...</OpResult><ResponseMetadata>...`), with lists as `<member>`.

use super::output::Out;
use super::rest_xml::{escape, xml_char};
use crate::error::ApiError;
use crate::limits::MAX_QUERY_NAME_PARTS;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Default)]
enum Node {
    #[default]
    Empty,
    Leaf(String),
    Obj(BTreeMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn obj(&mut self) -> Option<&mut BTreeMap<String, Node>> {
        if matches!(self, Node::Empty) {
            *self = Node::Obj(BTreeMap::new());
        }
        match self {
            Node::Obj(m) => Some(m),
            _ => None,
        }
    }

    fn list(&mut self) -> Option<&mut BTreeMap<usize, Node>> {
        if matches!(self, Node::Empty) {
            *self = Node::List(BTreeMap::new());
        }
        match self {
            Node::List(m) => Some(m),
            _ => None,
        }
    }
}

/// The form parameters as a document of text leaves (everything but `Action` and `Version`). A name of more
/// than [`MAX_QUERY_NAME_PARTS`] parts is refused before anything is built, so the tree (and the reader
/// that walks it) is never deeper than that; so is a name or value XML 1.0 cannot carry, since a Query
/// answer is XML and errors echo what was sent.
pub fn decode(pairs: &[(String, String)]) -> Result<Value, ApiError> {
    let mut root = Node::Obj(BTreeMap::new());
    for (k, v) in pairs {
        if let Some(c) = k.chars().chain(v.chars()).find(|c| !xml_char(*c)) {
            return Err(ApiError::new(
                "MalformedQueryString",
                400,
                format!(
                    "The parameter {} holds the character U+{:04X}, which XML 1.0 cannot carry",
                    escape(k),
                    u32::from(c)
                ),
            ));
        }
        if k == "Action" || k == "Version" {
            continue;
        }
        let path: Vec<&str> = k.split('.').collect();
        if path.len() > MAX_QUERY_NAME_PARTS {
            return Err(ApiError::new(
                "MalformedQueryString",
                400,
                format!(
                    "The parameter name {}... has {} parts; at most {MAX_QUERY_NAME_PARTS} are allowed",
                    escape(&path[..4].join(".")),
                    path.len()
                ),
            ));
        }
        insert(&mut root, &path, v);
    }
    Ok(to_value(root))
}

fn insert(node: &mut Node, path: &[&str], v: &str) {
    let Some((first, rest)) = path.split_first() else {
        *node = Node::Leaf(v.to_string());
        return;
    };
    // `member.N` and `entry.N` are list positions (entries are turned into maps later).
    if (*first == "member" || *first == "entry") && !rest.is_empty() {
        if let (Ok(i), Some(list)) = (rest[0].parse::<usize>(), node.list()) {
            insert(list.entry(i).or_default(), &rest[1..], v);
            return;
        }
    }
    // A flattened list (SQS: `AttributeName.1`, `Attribute.1.Name`) has its positions right after the
    // member's name; Query never uses a number as a member name.
    if let Ok(i) = first.parse::<usize>() {
        if let Some(list) = node.list() {
            insert(list.entry(i).or_default(), rest, v);
            return;
        }
    }
    if let Some(m) = node.obj() {
        insert(m.entry(first.to_string()).or_default(), rest, v);
    }
}

/// The tree as a document: `member.N`/`entry.N` lists become arrays, every leaf stays text (the operation's
/// input type decides what each leaf is: [`super::query_input`]).
fn to_value(n: Node) -> Value {
    match n {
        Node::Empty => Value::Null,
        Node::Leaf(s) => Value::String(s),
        Node::Obj(m) => Value::Object(m.into_iter().map(|(k, v)| (k, to_value(v))).collect()),
        Node::List(items) => Value::Array(items.into_values().map(to_value).collect()),
    }
}

fn namespace(service: &str) -> &'static str {
    match service {
        "sns" => "http://sns.amazonaws.com/doc/2010-03-31/",
        "sts" => "https://sts.amazonaws.com/doc/2011-06-15/",
        "iam" => "https://iam.amazonaws.com/doc/2010-05-08/",
        "sqs" => "http://queue.amazonaws.com/doc/2012-11-05/",
        _ => "http://monitoring.amazonaws.com/doc/2010-08-01/",
    }
}

/// SQS's Query wire flattens its lists and maps: each item is an element named as the model's
/// `locationName` says, with no wrapper, and a map entry is `Name`/`Value` (a tag `Key`/`Value`). The
/// element, entry key and entry value names of an SQS output member, by operation.
fn sqs_flattened(op: &str, member: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match member {
        "QueueUrls" | "queueUrls" => ("QueueUrl", "", ""),
        "Messages" => ("Message", "", ""),
        "Attributes" => ("Attribute", "Name", "Value"),
        "MessageAttributes" => ("MessageAttribute", "Name", "Value"),
        "Tags" => ("Tag", "Key", "Value"),
        "Successful" => match op {
            "SendMessageBatch" => ("SendMessageBatchResultEntry", "", ""),
            "DeleteMessageBatch" => ("DeleteMessageBatchResultEntry", "", ""),
            _ => ("ChangeMessageVisibilityBatchResultEntry", "", ""),
        },
        "Failed" => ("BatchResultErrorEntry", "", ""),
        _ => return None,
    })
}

/// How lists and maps are written: wrapped (`<member>`, `<entry>`), or flattened as SQS writes them for
/// the named operation.
#[derive(Clone, Copy)]
enum Lists<'a> {
    Wrapped,
    Flattened(&'a str),
}

fn write(out: &mut String, key: &str, v: &Out, lists: Lists<'_>) {
    let flat = match lists {
        Lists::Flattened(op) => sqs_flattened(op, key),
        Lists::Wrapped => None,
    };
    match (v, flat) {
        (Out::List(items), Some((elem, _, _))) => {
            for i in items {
                write(out, elem, i, lists);
            }
        }
        (Out::Map(entries), Some((elem, k_name, v_name))) => {
            for (k, v) in entries {
                out.push_str(&format!("<{elem}><{k_name}>{}</{k_name}>", escape(k)));
                write(out, v_name, v, lists);
                out.push_str(&format!("</{elem}>"));
            }
        }
        (Out::Null | Out::Absent | Out::Http(_), _) => {}
        (Out::List(items), None) => {
            out.push_str(&format!("<{key}>"));
            for i in items {
                write(out, "member", i, lists);
            }
            out.push_str(&format!("</{key}>"));
        }
        (Out::Map(entries), None) => {
            out.push_str(&format!("<{key}>"));
            for (k, v) in entries {
                out.push_str(&format!("<entry><key>{}</key>", escape(k)));
                write(out, "value", v, lists);
                out.push_str("</entry>");
            }
            out.push_str(&format!("</{key}>"));
        }
        (Out::Struct(fields), _) => {
            out.push_str(&format!("<{key}>"));
            for (k, v) in fields {
                write(out, k, v, lists);
            }
            out.push_str(&format!("</{key}>"));
        }
        (Out::Str(s), _) => out.push_str(&format!("<{key}>{}</{key}>", escape(s))),
        (Out::Bool(b), _) => out.push_str(&format!("<{key}>{b}</{key}>")),
        (Out::Int(i), _) => out.push_str(&format!("<{key}>{i}</{key}>")),
        // Doubles as AWS writes them (`1.0`, not `1`).
        (Out::Float(f), _) => out.push_str(&format!("<{key}>{}</{key}>", Value::from(*f))),
        (Out::Timestamp(t), _) => out.push_str(&format!("<{key}>{}</{key}>", timestamp(*t))),
    }
}

/// A timestamp as Query answers write it: ISO 8601 in UTC, milliseconds only when there are any (AWS's
/// recorded GetMetricData answer has `2025-12-17T13:23:00Z` for a whole-minute datapoint; botocore's own
/// Query serializer follows the same rule).
fn timestamp(t: f64) -> String {
    let text = crate::clock::iso8601(t);
    match text.strip_suffix(".000Z") {
        Some(whole) => format!("{whole}Z"),
        None => text,
    }
}

pub fn encode_ok(service: &str, op: &str, output: &Out, request_id: &str) -> String {
    let mut out = format!("<{op}Response xmlns=\"{}\">", namespace(service));
    // An operation with no output shape gets no result element; one whose output is an empty
    // structure still gets `<OpResult></OpResult>` (botocore looks for it).
    let lists = if service == "sqs" {
        Lists::Flattened(op)
    } else {
        Lists::Wrapped
    };
    if let Out::Struct(fields) = output {
        if fields.is_empty() {
            out.push_str(&format!("<{op}Result></{op}Result>"));
        } else {
            write(&mut out, &format!("{op}Result"), output, lists);
        }
    }
    out.push_str(&format!(
        "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{op}Response>"
    ));
    out
}

pub fn encode_err(service: &str, err: &ApiError, fault: &str, request_id: &str) -> String {
    // EC2's error document is its own.
    if service == "ec2" {
        return format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>",
            escape(&err.code),
            escape(&err.message)
        );
    }
    // An error without a message has no `<Message>` element (CloudWatch's SetAlarmState not-found).
    let message = if err.message.is_empty() {
        String::new()
    } else {
        format!("<Message>{}</Message>", escape(&err.message))
    };
    format!(
        "<ErrorResponse xmlns=\"{}\"><Error><Type>{fault}</Type><Code>{}</Code>{message}</Error><RequestId>{request_id}</RequestId></ErrorResponse>",
        namespace(service),
        escape(&err.code),
    )
}
