//! The CIS control this project exists for, in one place: "a log metric filter and alarm exist for AWS
//! Organizations changes" (CIS AWS Foundations 4.15 in v1.3.0–v5.0.0, 5.15 in v6.0.0).

/// The event source of every Organizations event.
pub const EVENT_SOURCE: &str = "organizations.amazonaws.com";

/// The region CloudTrail logs Organizations events in (a global service's events go to us-east-1).
pub const EVENT_REGION: &str = "us-east-1";

/// The 18 event names the control requires, in the order the control lists them.
pub const EVENT_NAMES: [&str; 18] = [
    "AcceptHandshake",
    "AttachPolicy",
    "CreateAccount",
    "CreateOrganizationalUnit",
    "CreatePolicy",
    "DeclineHandshake",
    "DeleteOrganization",
    "DeleteOrganizationalUnit",
    "DeletePolicy",
    "DetachPolicy",
    "DisablePolicyType",
    "EnablePolicyType",
    "InviteAccountToOrganization",
    "LeaveOrganization",
    "MoveAccount",
    "RemoveAccountFromOrganization",
    "UpdatePolicy",
    "UpdateOrganizationalUnit",
];

/// The filter pattern exactly as the control prints it, spacing included.
pub const PATTERN: &str = r#"{ ($.eventSource = organizations.amazonaws.com) &&(($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") ||($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit")|| ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") ||($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#;

/// The metric namespace the control suggests.
pub const NAMESPACE: &str = "CISBenchmark";

/// The control's identifiers, for reports.
pub const CONTROL_IDS: &str = "CIS AWS Foundations 4.15 (v1.3.0-v5.0.0) / 5.15 (v6.0.0)";

/// Ordinary management events of other services, `(eventSource, eventName, readOnly)`: what every
/// CloudTrail log group receives all the time. A filter that matches any of them breaches in every period
/// of a live account, so its alarm never leaves ALARM and an Organizations change notifies nobody. The
/// checker tests filters against these records; the drill sends them as background traffic.
pub const ORDINARY_EVENTS: [(&str, &str, bool); 5] = [
    ("ec2.amazonaws.com", "DescribeInstances", true),
    ("kms.amazonaws.com", "Decrypt", true),
    ("s3.amazonaws.com", "PutBucketTagging", false),
    ("sts.amazonaws.com", "AssumeRole", false),
    ("iam.amazonaws.com", "ListRoles", true),
];

/// The read calls an organization makes all the time in its management account (the console, Security Hub,
/// Config, GuardDuty, IAM Identity Center and Control Tower call them every few minutes; members see
/// `DescribeOrganization` too). They are management events with `readOnly: true`, so a trail recording
/// read events delivers them, and a filter that matches every Organizations event (a source-only
/// pattern, `||` written for `&&`, `eventName = "*"`) breaches in every period of an account in an
/// organization. None of them is one of the 18.
pub const ORGANIZATION_READS: [&str; 8] = [
    "DescribeOrganization",
    "ListAccounts",
    "ListRoots",
    "DescribeAccount",
    "ListPoliciesForTarget",
    "ListOrganizationalUnitsForParent",
    "ListDelegatedAdministrators",
    "ListAWSServiceAccessForOrganization",
];

/// The ordinary traffic of an account: [`ORDINARY_EVENTS`], and in an organization the
/// [`ORGANIZATION_READS`] too, as `(eventSource, eventName, readOnly)`.
pub fn ordinary_traffic(in_organization: bool) -> Vec<(&'static str, &'static str, bool)> {
    let mut out = ORDINARY_EVENTS.to_vec();
    if in_organization {
        out.extend(ORGANIZATION_READS.iter().map(|n| (EVENT_SOURCE, *n, true)));
    }
    out
}

/// The CloudTrail record of one of [`ORDINARY_EVENTS`].
pub fn ordinary_record(source: &str, name: &str, read_only: bool) -> serde_json::Value {
    let mut r = crate::coverage::schema::cloudtrail_template(source, name);
    r["readOnly"] = serde_json::Value::Bool(read_only);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_reads_are_ordinary_only_in_an_organization_and_the_cis_pattern_ignores_them() {
        let cis = crate::Pattern::parse(PATTERN).expect("the control's pattern");
        let source_only = crate::Pattern::parse("{ $.eventSource = organizations.amazonaws.com }")
            .expect("pattern");
        for name in ORGANIZATION_READS {
            assert!(!EVENT_NAMES.contains(&name), "{name} is one of the 18");
            let r = ordinary_record(EVENT_SOURCE, name, true).to_string();
            assert!(!cis.matches(&r), "the control's pattern matches {name}");
            assert!(
                source_only.matches(&r),
                "a source-only pattern misses {name}"
            );
        }
        assert_eq!(ordinary_traffic(false).len(), ORDINARY_EVENTS.len());
        assert_eq!(
            ordinary_traffic(true).len(),
            ORDINARY_EVENTS.len() + ORGANIZATION_READS.len()
        );
    }
}
