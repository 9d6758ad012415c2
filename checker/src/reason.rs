//! The checker's vocabulary: every reason a finding can give, with its code (the output contract), its
//! severity, and the one-line meaning the README's reason table shows (a test holds the two together).
//!
//! The fix commands for each reason are in [`crate::fix`], which matches every reason exhaustively. This is
//! vocabulary only: the checker decides with its own reading of AWS's rules, independent of the emulator's on
//! purpose (the oracle's strength is two independent readings), so nothing here decides anything.

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the chain.
    Failure,
    /// The link could not be verified.
    Unknown,
    /// Worth fixing, does not break the chain.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Failure => "failure",
            Severity::Unknown => "unknown",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! reasons {
    ($($variant:ident: $code:literal, $severity:ident, $meaning:literal;)*) => {
        /// Why a finding was made.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Reason {
            $(#[doc = $meaning] $variant,)*
        }

        impl Reason {
            /// Every reason, in the order of the README's table.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)*];

            /// The code reports and scenarios use (`trail-missing`).
            pub fn code(self) -> &'static str {
                match self {
                    $(Reason::$variant => $code,)*
                }
            }

            /// The severity of a finding for this reason. One exception is made where it is made: a
            /// `call-failed` of the optional `--verify-with-service` cross-check is a warning, because that
            /// cross-check cannot change a verdict.
            pub fn severity(self) -> Severity {
                match self {
                    $(Reason::$variant => Severity::$severity,)*
                }
            }

            /// One line: what the reason means (the README's table).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Reason::$variant => $meaning,)*
                }
            }
        }
    };
}

reasons! {
    TrailMissing: "trail-missing", Failure, "no trail visible in the region";
    TrailNotMultiRegion: "trail-not-multi-region", Failure, "the trail records only its home region";
    TrailNotLogging: "trail-not-logging", Failure, "IsLogging is false";
    TrailNoManagementEvents: "trail-no-management-events", Failure, "no selector records management events with ReadWriteType All";
    TrailExcludesOrganizationsEvents: "trail-excludes-organizations-events", Failure, "a selector excludes organizations.amazonaws.com";
    TrailWriteOnly: "trail-write-only", Failure, "the selectors record only write management events (CIS requires All; a policy failure, the 18 events still arrive)";
    TrailNoCloudwatchLogs: "trail-no-cloudwatch-logs", Failure, "the trail does not deliver to CloudWatch Logs";
    TrailDeliveryFailing: "trail-delivery-failing", Failure, "GetTrailStatus reports a CloudWatch Logs delivery error";
    TrailDeliveryRoleInvalid: "trail-delivery-role-invalid", Failure, "the role is missing, does not trust CloudTrail, or may not create streams and put events in the group";
    LogGroupMissing: "log-group-missing", Failure, "the log group of the trail's ARN does not exist (in that region and account)";
    LogGroupKeyUnusable: "log-group-key-unusable", Failure, "the group's KMS key is missing, disabled or pending deletion, or its policy does not admit CloudWatch Logs";
    FilterMissing: "filter-missing", Failure, "no metric filter matches any of the 18 events";
    FilterIncomplete: "filter-incomplete", Failure, "the filter never matches some of the 18 (`events`, `witness`)";
    FilterConditional: "filter-conditional", Failure, "some events match only under extra conditions (`events`, `witness`)";
    FilterUnproven: "filter-unproven", Unknown, "the analyzer cannot decide some events (text patterns)";
    FilterMetricValueNotPositive: "filter-metric-value-not-positive", Warning, "metricValue is a literal that is not positive (the alarm analysis decides whether the alarm fires on it)";
    FilterMetricValueExtracted: "filter-metric-value-extracted", Unknown, "metricValue is taken from each event (`$.field`): its value cannot be bounded statically";
    FilterMatchesOrdinaryTraffic: "filter-matches-ordinary-traffic", Failure, "the filter matches ordinary events (`witness`): of other services, or, in an organization whose trail records reads, the routine Organizations reads; the alarm never leaves ALARM in a live account";
    FilterOverMatches: "filter-over-matches", Warning, "the filter also matches events outside the 18 (`witness`)";
    AlarmMissing: "alarm-missing", Failure, "no alarm in the log group's region watches the metric";
    AlarmNeverFires: "alarm-never-fires", Failure, "one matching event does not make the alarm go to ALARM";
    AlarmStaysInAlarm: "alarm-stays-in-alarm", Failure, "after one ALARM, later events are never notified";
    AlarmUnverifiable: "alarm-unverifiable", Unknown, "a statistic or comparison the checker does not analyze";
    AlarmMathUnverified: "alarm-math-unverified", Unknown, "a metric-math expression alarm may watch the metric";
    AlarmActionsDisabled: "alarm-actions-disabled", Failure, "ActionsEnabled is false";
    AlarmNoSnsAction: "alarm-no-sns-action", Failure, "no SNS topic among AlarmActions";
    TopicMissing: "topic-missing", Failure, "the topic does not exist";
    TopicNoConfirmedSubscription: "topic-no-confirmed-subscription", Failure, "only pending (or no) subscriptions";
    TopicKeyDeniesCloudwatch: "topic-key-denies-cloudwatch", Failure, "the topic's KMS key is AWS-managed, missing, disabled, or its policy does not let CloudWatch use it";
    TopicPolicyDeniesCloudwatch: "topic-policy-denies-cloudwatch", Failure, "the topic policy does not let CloudWatch publish, or denies it";
    SubscriptionFilterDropsAlarms: "subscription-filter-drops-alarms", Failure, "every confirmed subscription's filter policy drops the alarm's notification (it carries no message attributes; a body policy must match the alarm's JSON)";
    AccessDenied: "access-denied", Unknown, "a call was denied";
    CrossAccountUnverifiable: "cross-account-unverifiable", Unknown, "a link lives in another account";
    CallFailed: "call-failed", Unknown, "a call failed for another reason";
    EngineDisagrees: "engine-disagrees", Warning, "`--verify-with-service`: TestMetricFilter disagrees with the engine on a witness";
    TrailExcludesControlEvents: "trail-excludes-control-events", Failure, "a selector excludes the service whose events the control watches (controls other than Organizations changes)";
}

impl Reason {
    /// The reason with this code.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// A reason equals its code (`finding.reason == "filter-incomplete"`).
impl PartialEq<&str> for Reason {
    fn eq(&self, code: &&str) -> bool {
        self.code() == *code
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Reason;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r.code()), Some(*r));
        }
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
        assert_eq!(Reason::from_code("trail-mising"), None);
    }
}
