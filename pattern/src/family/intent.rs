//! What each control exists to notify, written in the filter-pattern language, and every reading of the
//! benchmark that takes a side.
//!
//! The intent of a control is the set of CloudTrail records whose arrival must notify someone. It is the
//! union of [`Case`]s: for the eleven event-name controls one case per event, the emitting service and the
//! name (`eventSource` is part of the intent even where the benchmark's text omits it: a filter without it
//! still covers the intent, and matches of other services' calls of the same name are reported as
//! over-matches); for the four predicate controls the condition itself. A filter passes when it matches
//! every record of the intent that CloudTrail can write ([`crate::coverage::schema::CLOUDTRAIL_FACTS`]).
//!
//! Readings (each tested in `tests/family.rs`):
//! - **Unauthorized API calls (x.1).** The intent is what the issue of the control states: an `errorCode`
//!   ending in `UnauthorizedOperation` or starting with `AccessDenied`, not delivered by
//!   `delivery.logs.amazonaws.com` and not a `HeadBucket` call, both exclusions on both codes. The v2.0+
//!   text `A || B && C && D` means `A || (B && C && D)` (`&&` binds tighter, `semantics.rs`), so it covers
//!   the intent and over-matches `UnauthorizedOperation` records from log delivery (a warning). The
//!   v1.3–v1.5 text joins all four clauses with `||`: it covers the intent but matches nearly every record
//!   (`eventName != "HeadBucket"`), which the checker reports as matching ordinary traffic — the text itself
//!   cannot work. `!=` is false on a missing field, so a record without `sourceIPAddress` is outside the
//!   intent, as it is outside every printed text; CloudTrail writes the field in every API call record.
//! - **Console sign-in without MFA (x.2).** The intent is a *successful* sign-in of an *IAM user* without
//!   MFA: the narrowing of the benchmark's SSO alternative (and of Security Hub's CloudWatch.3). A failed
//!   sign-in is x.6's, a root sign-in x.3's, and a federated (SSO) user's MFA is its identity provider's,
//!   which CloudTrail records as `MFAUsed: No`. The plain text covers the intent and over-matches those
//!   (a warning); the alternative covers it exactly.
//! - **Root usage (x.3).** The benchmark's condition, as printed: root identity, not invoked by a
//!   service, not an `AwsServiceEvent`.
//! - **Console authentication failures (x.6).** `ConsoleLogin` with `errorMessage` `Failed authentication`,
//!   as printed.
//! - **Security groups (x.10).** `ModifySecurityGroupRules` is part of the intent from v5.0, where the
//!   benchmark added it; the v1.2–v4.0 text (and Security Hub's CloudWatch.10) is judged against the six
//!   names it was written for.
//! - **Route tables (x.13).** The intent is EC2's seven route-table calls. The v3.0+ audit text
//!   `(ec2 && CreateRoute) || CreateRouteTable || …` covers it and over-matches other services' calls of
//!   the six other names (a warning).
//! - **Organizations (x.15).** The 18 names; not a control of v1.2.

use super::{Benchmark, Control};
use crate::coverage::schema::{cloudtrail, cloudtrail_facts, cloudtrail_template};
use crate::coverage::{Case, EventClass};
use serde_json::{json, Value};

/// The emitting service and event names of the eleven event-name controls.
fn events(control: &Control, b: Benchmark) -> Option<(&'static str, Vec<&'static str>)> {
    const EC2: &str = "ec2.amazonaws.com";
    Some(match control.slug {
        "iam-policy-changes" => (
            "iam.amazonaws.com",
            vec![
                "DeleteGroupPolicy",
                "DeleteRolePolicy",
                "DeleteUserPolicy",
                "PutGroupPolicy",
                "PutRolePolicy",
                "PutUserPolicy",
                "CreatePolicy",
                "DeletePolicy",
                "CreatePolicyVersion",
                "DeletePolicyVersion",
                "AttachRolePolicy",
                "DetachRolePolicy",
                "AttachUserPolicy",
                "DetachUserPolicy",
                "AttachGroupPolicy",
                "DetachGroupPolicy",
            ],
        ),
        "cloudtrail-config-changes" => (
            "cloudtrail.amazonaws.com",
            vec![
                "CreateTrail",
                "UpdateTrail",
                "DeleteTrail",
                "StartLogging",
                "StopLogging",
            ],
        ),
        "cmk-disable-or-scheduled-deletion" => (
            "kms.amazonaws.com",
            vec!["DisableKey", "ScheduleKeyDeletion"],
        ),
        "s3-bucket-policy-changes" => (
            "s3.amazonaws.com",
            vec![
                "PutBucketAcl",
                "PutBucketPolicy",
                "PutBucketCors",
                "PutBucketLifecycle",
                "PutBucketReplication",
                "DeleteBucketPolicy",
                "DeleteBucketCors",
                "DeleteBucketLifecycle",
                "DeleteBucketReplication",
            ],
        ),
        "aws-config-changes" => (
            "config.amazonaws.com",
            vec![
                "StopConfigurationRecorder",
                "DeleteDeliveryChannel",
                "PutDeliveryChannel",
                "PutConfigurationRecorder",
            ],
        ),
        "security-group-changes" => {
            let mut names = vec![
                "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress",
                "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress",
                "CreateSecurityGroup",
                "DeleteSecurityGroup",
            ];
            if b >= Benchmark::V5_0 {
                names.push("ModifySecurityGroupRules");
            }
            (EC2, names)
        }
        "nacl-changes" => (
            EC2,
            vec![
                "CreateNetworkAcl",
                "CreateNetworkAclEntry",
                "DeleteNetworkAcl",
                "DeleteNetworkAclEntry",
                "ReplaceNetworkAclEntry",
                "ReplaceNetworkAclAssociation",
            ],
        ),
        "network-gateway-changes" => (
            EC2,
            vec![
                "CreateCustomerGateway",
                "DeleteCustomerGateway",
                "AttachInternetGateway",
                "CreateInternetGateway",
                "DeleteInternetGateway",
                "DetachInternetGateway",
            ],
        ),
        "route-table-changes" => (
            EC2,
            vec![
                "CreateRoute",
                "CreateRouteTable",
                "ReplaceRoute",
                "ReplaceRouteTableAssociation",
                "DeleteRouteTable",
                "DeleteRoute",
                "DisassociateRouteTable",
            ],
        ),
        "vpc-changes" => (
            EC2,
            vec![
                "CreateVpc",
                "DeleteVpc",
                "ModifyVpcAttribute",
                "AcceptVpcPeeringConnection",
                "CreateVpcPeeringConnection",
                "DeleteVpcPeeringConnection",
                "RejectVpcPeeringConnection",
                "AttachClassicLinkVpc",
                "DetachClassicLinkVpc",
                "DisableVpcClassicLink",
                "EnableVpcClassicLink",
            ],
        ),
        "organizations-changes" => (crate::cis::EVENT_SOURCE, crate::cis::EVENT_NAMES.to_vec()),
        _ => return None,
    })
}

/// A console sign-in record as CloudTrail writes it.
fn console_login(identity: &str, outcome: &str, mfa: &str) -> Value {
    let mut r = cloudtrail_template("signin.amazonaws.com", "ConsoleLogin");
    r["userIdentity"] = json!({
        "type": identity,
        "principalId": "AIDAEXAMPLEUSERID",
        "arn": "arn:aws:iam::111122223333:user/alice",
        "accountId": "111122223333",
        "userName": "alice"
    });
    r["eventType"] = json!("AwsConsoleSignIn");
    r["userAgent"] = json!("Mozilla/5.0");
    r["requestParameters"] = Value::Null;
    r["responseElements"] = json!({ "ConsoleLogin": outcome });
    r["additionalEventData"] = json!({
        "LoginTo": "https://console.aws.amazon.com/console/home",
        "MobileVersion": "No",
        "MFAUsed": mfa
    });
    if let Some(m) = r.as_object_mut() {
        m.remove("readOnly");
        m.remove("requestID");
    }
    if outcome == "Failure" {
        r["errorMessage"] = json!("Failed authentication");
    }
    r
}

/// A failed API call record: CloudTrail writes `errorCode` and `errorMessage` only on failures.
fn failed_call(source: &str, name: &str, code: &str, message: &str) -> Value {
    let mut r = cloudtrail_template(source, name);
    r["errorCode"] = json!(code);
    r["errorMessage"] = json!(message);
    r
}

/// A call made with the root user's credentials.
fn root_call() -> Value {
    let mut r = cloudtrail_template("iam.amazonaws.com", "CreateAccessKey");
    r["userIdentity"] = json!({
        "type": "Root",
        "principalId": "111122223333",
        "arn": "arn:aws:iam::111122223333:root",
        "accountId": "111122223333",
        "accessKeyId": "ASIAEXAMPLEROOTKEY"
    });
    r
}

/// The predicate controls' cases: `(label, pattern, a record of the case)`.
fn conditions(control: &Control) -> Vec<(&'static str, &'static str, Value)> {
    match control.slug {
        "unauthorized-api-calls" => vec![
            (
                "errorCode *UnauthorizedOperation",
                r#"{ ($.errorCode = "*UnauthorizedOperation") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
                failed_call(
                    "ec2.amazonaws.com",
                    "RunInstances",
                    "Client.UnauthorizedOperation",
                    "You are not authorized to perform this operation.",
                ),
            ),
            (
                "errorCode AccessDenied*",
                r#"{ ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
                failed_call(
                    "s3.amazonaws.com",
                    "GetBucketPolicy",
                    "AccessDenied",
                    "Access Denied",
                ),
            ),
        ],
        "console-signin-without-mfa" => vec![(
            "ConsoleLogin by an IAM user without MFA",
            r#"{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") && ($.additionalEventData.MFAUsed != "Yes") }"#,
            console_login("IAMUser", "Success", "No"),
        )],
        "root-account-usage" => vec![(
            "a call by the root user",
            r#"{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }"#,
            root_call(),
        )],
        "console-auth-failures" => vec![(
            "ConsoleLogin failed authentication",
            r#"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#,
            console_login("IAMUser", "Failure", "No"),
        )],
        _ => Vec::new(),
    }
}

impl Control {
    /// What the control exists to notify in version `b`.
    pub fn class(&self, b: Benchmark) -> EventClass {
        class(self, b)
    }
}

/// The control's intent in version `b`, as the class the analyzer judges filters against. The patterns
/// are constants; a test parses every one, so none is ever left out here.
pub fn class(control: &Control, b: Benchmark) -> EventClass {
    let cases: Vec<Case> = match events(control, b) {
        Some((source, names)) => names
            .iter()
            .filter_map(|n| Case::event(source, n).ok())
            .collect(),
        None => conditions(control)
            .into_iter()
            .filter_map(|(label, pattern, template)| Case::new(label, pattern, template).ok())
            .collect(),
    };
    EventClass {
        cases,
        shape: cloudtrail(),
        facts: cloudtrail_facts(),
    }
}

/// How many cases the control's intent has in version `b`, counted from the constants (a test compares it
/// with the class, so a case that failed to parse cannot go unnoticed).
pub fn case_count(control: &Control, b: Benchmark) -> usize {
    events(control, b).map_or_else(|| conditions(control).len(), |(_, n)| n.len())
}

/// The one service whose events an event-name control watches; `None` for the predicate controls, whose
/// records may come from any service.
pub fn event_source(control: &Control, b: Benchmark) -> Option<&'static str> {
    events(control, b).map(|(source, _)| source)
}
