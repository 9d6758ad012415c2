//! Condition blocks: every condition of a statement must hold. The operators these policies use: the
//! String, Arn, Bool and Null families, with `…IfExists` and the `ForAnyValue:`/`ForAllValues:` set
//! qualifiers. As AWS documents: a key absent from the request makes a condition false, except a negated
//! operator (`StringNotEquals`, `ArnNotLike`, …), which is then true, and `…IfExists`, which is then true.
//! An operator this evaluator does not know makes the condition false (a statement it cannot judge never
//! grants, and never denies on a guess: see [`crate::evaluate`]).

use crate::document::Condition;
use crate::matching::wildcard;
use crate::request::Request;

/// Whether one condition holds for the request; `None` when the operator is unknown.
pub fn holds(c: &Condition, req: &Request) -> Option<bool> {
    let (qualifier, op) = match c.operator.split_once(':') {
        Some((q, op)) => (Some(q), op),
        None => (None, c.operator.as_str()),
    };
    let (op, if_exists) = match op.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (op, false),
    };
    let values = req.key(&c.key);
    if op == "Null" {
        let want_absent = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        return Some(want_absent == values.is_none());
    }
    let (negated, compare): (bool, fn(&str, &str) -> bool) = match op {
        "StringEquals" | "ArnEquals" => (false, |p, v| p == v),
        "StringNotEquals" | "ArnNotEquals" => (true, |p, v| p == v),
        "StringEqualsIgnoreCase" => (false, |p, v| p.eq_ignore_ascii_case(v)),
        "StringNotEqualsIgnoreCase" => (true, |p, v| p.eq_ignore_ascii_case(v)),
        "StringLike" | "ArnLike" => (false, wildcard),
        "StringNotLike" | "ArnNotLike" => (true, wildcard),
        "Bool" => (false, |p, v| p.eq_ignore_ascii_case(v)),
        _ => return None,
    };
    let Some(values) = values else {
        return Some(if_exists || negated);
    };
    let matches = |v: &String| c.values.iter().any(|p| compare(p, v));
    let any = match qualifier {
        Some("ForAllValues") => values.iter().all(matches),
        _ => values.iter().any(matches),
    };
    Some(if negated { !any } else { any })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::service;

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: op.into(),
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn operators_follow_aws_rules_for_present_and_absent_keys() {
        let req =
            crate::request::Request::new(service("cloudtrail.amazonaws.com"), "s3:PutObject", "r")
                .with("s3:x-amz-acl", "bucket-owner-full-control")
                .with(
                    "aws:SourceArn",
                    "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
                );
        let yes = |c: Condition| holds(&c, &req) == Some(true);
        assert!(yes(cond(
            "StringEquals",
            "s3:x-amz-acl",
            &["bucket-owner-full-control"]
        )));
        assert!(yes(cond(
            "StringEquals",
            "S3:X-AMZ-ACL",
            &["bucket-owner-full-control"]
        )));
        assert!(!yes(cond("StringEquals", "s3:x-amz-acl", &["private"])));
        assert!(yes(cond(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:cloudtrail:*:111122223333:trail/*"]
        )));
        assert!(!yes(cond(
            "ArnNotLike",
            "aws:SourceArn",
            &["arn:aws:cloudtrail:*:111122223333:trail/*"]
        )));
        // Absent keys: false, except negated operators and IfExists.
        assert!(!yes(cond(
            "StringEquals",
            "aws:SourceAccount",
            &["111122223333"]
        )));
        assert!(yes(cond(
            "StringNotEquals",
            "aws:SourceAccount",
            &["111122223333"]
        )));
        assert!(yes(cond(
            "StringEqualsIfExists",
            "aws:SourceAccount",
            &["111122223333"]
        )));
        assert!(yes(cond("Null", "aws:SourceAccount", &["true"])));
        assert!(!yes(cond("Null", "aws:SourceArn", &["true"])));
        assert!(!yes(cond("Bool", "aws:SecureTransport", &["false"])));
        assert_eq!(holds(&cond("NumericLessThan", "k", &["1"]), &req), None);
    }
}
