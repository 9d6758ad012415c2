//! The CIS AWS Foundations monitoring family: fifteen controls that each ask for a metric filter, an alarm
//! and a subscribed topic for one kind of CloudTrail record, in every benchmark version.
//!
//! A [`Control`] is vocabulary (its slug, its number in each [`Benchmark`], its Security Hub id, its
//! title); [`references`] holds the benchmark's filter patterns verbatim (and `Control::references`,
//! `Control::fix_pattern`); [`intent`] holds what each control exists to notify, as the
//! [`crate::coverage::EventClass`] the coverage analyzer judges filters against (`Control::class`), with
//! every reading the benchmark leaves open. No verdict is made here: the checker and the drill judge with
//! these.

pub mod intent;
pub mod references;

/// A version of the CIS AWS Foundations Benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Benchmark {
    V1_2,
    V1_3,
    V1_4,
    V1_5,
    V2_0,
    V3_0,
    V4_0,
    V5_0,
    V6_0,
}

impl Benchmark {
    pub const ALL: [Benchmark; 9] = [
        Benchmark::V1_2,
        Benchmark::V1_3,
        Benchmark::V1_4,
        Benchmark::V1_5,
        Benchmark::V2_0,
        Benchmark::V3_0,
        Benchmark::V4_0,
        Benchmark::V5_0,
        Benchmark::V6_0,
    ];
    /// The version judged when none is named.
    pub const LATEST: Benchmark = Benchmark::V6_0;

    /// `v1.2`, `v6.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Benchmark::V1_2 => "v1.2",
            Benchmark::V1_3 => "v1.3",
            Benchmark::V1_4 => "v1.4",
            Benchmark::V1_5 => "v1.5",
            Benchmark::V2_0 => "v2.0",
            Benchmark::V3_0 => "v3.0",
            Benchmark::V4_0 => "v4.0",
            Benchmark::V5_0 => "v5.0",
            Benchmark::V6_0 => "v6.0",
        }
    }

    /// The benchmark's full name: `CIS AWS Foundations Benchmark v1.2.0`.
    pub fn title(self) -> String {
        format!("CIS AWS Foundations Benchmark {}.0", self.as_str())
    }

    /// Reads `v1.2`, `1.2`, `v1.2.0` or `1.2.0`.
    pub fn parse(s: &str) -> Option<Benchmark> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s
            .strip_suffix(".0")
            .filter(|t| t.contains('.'))
            .unwrap_or(s);
        Benchmark::ALL.into_iter().find(|b| &b.as_str()[1..] == s)
    }
}

impl std::fmt::Display for Benchmark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One control of the family.
#[derive(Debug, PartialEq, Eq)]
pub struct Control {
    /// The stable id: `root-account-usage`.
    pub slug: &'static str,
    /// Its place in the section, the same in every version: v1.2's 3.N is 4.N in v1.3–v5.0 and 5.N in v6.0.
    pub ordinal: u8,
    /// The Security Hub control, where one exists (none for Organizations changes).
    pub securityhub: Option<&'static str>,
    pub title: &'static str,
    /// The metric and filter name the fix commands create.
    pub metric: &'static str,
    /// Why the benchmark's own text for this control is uncertain, when it is.
    pub uncertain: Option<&'static str>,
    /// What the intent's records are, for messages: `Organizations events`, `root user calls`.
    pub noun: &'static str,
}

macro_rules! control {
    ($slug:literal, $n:literal, $sh:expr, $metric:literal, $title:literal, $noun:literal, $unc:expr) => {
        Control {
            slug: $slug,
            ordinal: $n,
            securityhub: $sh,
            title: $title,
            metric: $metric,
            uncertain: $unc,
            noun: $noun,
        }
    };
}

/// The fifteen controls, in the benchmark's order.
pub const CONTROLS: [Control; 15] = [
    control!("unauthorized-api-calls", 1, Some("CloudWatch.2"), "unauthorized_api_calls_metric", "unauthorized API calls", "unauthorized API calls",
        Some("v2.0 and v3.0: one transcription prints the v1.5 text (four clauses joined by ||), the other the v2.0+ text (|| then &&); the && form is taken as the benchmark's")),
    control!("console-signin-without-mfa", 2, Some("CloudWatch.3"), "no_mfa_console_signin_metric", "Management Console sign-in without MFA", "console sign-ins without MFA",
        Some("the SSO alternative is attested for v1.4 and v1.5 by one transcription only, and not checked for v1.3")),
    control!("root-account-usage", 3, Some("CloudWatch.1"), "root_usage_metric", "usage of the 'root' account", "root user calls", None),
    control!("iam-policy-changes", 4, Some("CloudWatch.4"), "iam_changes_metric", "IAM policy changes", "IAM policy events", None),
    control!("cloudtrail-config-changes", 5, Some("CloudWatch.5"), "cloudtrail_cfg_changes_metric", "CloudTrail configuration changes", "CloudTrail configuration events", None),
    control!("console-auth-failures", 6, Some("CloudWatch.6"), "console_signin_failure_metric", "AWS Management Console authentication failures", "failed console sign-ins", None),
    control!("cmk-disable-or-scheduled-deletion", 7, Some("CloudWatch.7"), "disable_or_delete_cmk_changes_metric", "disabling or scheduled deletion of customer created CMKs", "KMS key events", None),
    control!("s3-bucket-policy-changes", 8, Some("CloudWatch.8"), "s3_bucket_policy_changes_metric", "S3 bucket policy changes", "S3 bucket policy events", None),
    control!("aws-config-changes", 9, Some("CloudWatch.9"), "aws_config_changes_metric", "AWS Config configuration changes", "AWS Config events", None),
    control!("security-group-changes", 10, Some("CloudWatch.10"), "security_group_changes_metric", "security group changes", "security group events", None),
    control!("nacl-changes", 11, Some("CloudWatch.11"), "nacl_changes_metric", "changes to Network Access Control Lists (NACL)", "NACL events", None),
    control!("network-gateway-changes", 12, Some("CloudWatch.12"), "network_gw_changes_metric", "changes to network gateways", "network gateway events", None),
    control!("route-table-changes", 13, Some("CloudWatch.13"), "route_table_changes_metric", "route table changes", "route table events",
        Some("v3.0 and later: the audit procedure's text (an ungrouped eventSource condition) differs from the remediation's; it is attested by one transcription only")),
    control!("vpc-changes", 14, Some("CloudWatch.14"), "vpc_changes_metric", "VPC changes", "VPC events", None),
    control!("organizations-changes", 15, None, "organizations_changes", "AWS Organizations changes", "Organizations events",
        Some("v6.0: the two transcriptions disagree (one has an unbalanced quote, one drops every quote); the 18 names agree everywhere")),
];

impl Control {
    /// The control this project began with.
    pub const ORGANIZATIONS: &'static Control = &CONTROLS[14];

    /// The control's number in a benchmark version, or `None` when the version lacks it (v1.2 has no
    /// Organizations control).
    pub fn cis_id(&self, b: Benchmark) -> Option<String> {
        match b {
            Benchmark::V1_2 if self.ordinal == 15 => None,
            Benchmark::V1_2 => Some(format!("3.{}", self.ordinal)),
            Benchmark::V6_0 => Some(format!("5.{}", self.ordinal)),
            _ => Some(format!("4.{}", self.ordinal)),
        }
    }

    /// The benchmark's title: `Ensure a log metric filter and alarm exist for VPC changes`.
    pub fn full_title(&self) -> String {
        format!(
            "Ensure a log metric filter and alarm exist for {}",
            self.title
        )
    }

    /// Finds a control by slug (`root-account-usage`), CIS number in `b` (`4.3`) or Security Hub id
    /// (`CloudWatch.1`, any case).
    pub fn find(id: &str, b: Benchmark) -> Option<&'static Control> {
        let id = id.trim();
        CONTROLS.iter().find(|c| {
            c.slug == id
                || c.cis_id(b).as_deref() == Some(id)
                || c.securityhub.is_some_and(|s| s.eq_ignore_ascii_case(id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_section_in_every_version() {
        let vpc = Control::find("vpc-changes", Benchmark::V1_2).expect("slug");
        assert_eq!(vpc.cis_id(Benchmark::V1_2).as_deref(), Some("3.14"));
        assert_eq!(vpc.cis_id(Benchmark::V3_0).as_deref(), Some("4.14"));
        assert_eq!(vpc.cis_id(Benchmark::V6_0).as_deref(), Some("5.14"));
        assert_eq!(Control::ORGANIZATIONS.cis_id(Benchmark::V1_2), None);
        assert_eq!(
            Control::find("4.3", Benchmark::V5_0).map(|c| c.slug),
            Some("root-account-usage")
        );
        assert_eq!(Control::find("4.3", Benchmark::V6_0), None);
        assert_eq!(
            Control::find("cloudwatch.1", Benchmark::V6_0).map(|c| c.slug),
            Some("root-account-usage")
        );
        assert_eq!(Benchmark::parse("1.4.0"), Some(Benchmark::V1_4));
        assert_eq!(Benchmark::parse("v6.0"), Some(Benchmark::V6_0));
        assert_eq!(Benchmark::parse("v7.0"), None);
    }

    #[test]
    fn every_control_has_a_fix_pattern_in_every_version_it_exists_in() {
        for c in &CONTROLS {
            for b in Benchmark::ALL {
                if c.cis_id(b).is_some() {
                    let p = c.fix_pattern(b);
                    assert!(crate::Pattern::parse(p).is_ok(), "{} {b}: {p}", c.slug);
                }
            }
        }
        assert_eq!(
            Control::ORGANIZATIONS.fix_pattern(Benchmark::V6_0),
            crate::cis::PATTERN
        );
    }
}
