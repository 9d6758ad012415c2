//! The AWS CLI commands that mend each broken link, filled in with the account's real names; the control's
//! remediation (`shared/reference/cis-control.md`) is the template. Placeholders a checker cannot know
//! (an S3 bucket, an email address, a role) are written `<like-this>`.

use crate::reason::Reason;
use orgwatch_pattern::cis;

/// The names a fix refers to.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub trail: Option<String>,
    pub trail_region: Option<String>,
    pub log_group: Option<String>,
    pub log_group_region: Option<String>,
    pub metric: Option<String>,
    pub namespace: Option<String>,
    pub alarm: Option<String>,
    pub topic: Option<String>,
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Names {
    fn trail(&self) -> String {
        self.trail.clone().unwrap_or_else(|| "<trail-name>".into())
    }
    fn group(&self) -> String {
        self.log_group
            .clone()
            .unwrap_or_else(|| "<cloudtrail-log-group>".into())
    }
    fn group_region(&self) -> String {
        self.log_group_region
            .clone()
            .or_else(|| self.trail_region.clone())
            .unwrap_or_else(|| "<region>".into())
    }
    fn metric(&self) -> String {
        self.metric
            .clone()
            .unwrap_or_else(|| "organizations_changes".into())
    }
    fn namespace(&self) -> String {
        self.namespace
            .clone()
            .unwrap_or_else(|| cis::NAMESPACE.into())
    }
    fn topic(&self) -> String {
        self.topic
            .clone()
            .unwrap_or_else(|| "<sns-topic-arn>".into())
    }
    fn alarm(&self) -> String {
        self.alarm
            .clone()
            .unwrap_or_else(|| "organizations_changes".into())
    }

    fn put_filter(&self) -> String {
        format!(
            "aws logs put-metric-filter --region {} --log-group-name {} --filter-name organizations_changes --metric-transformations metricName={},metricNamespace={},metricValue=1 --filter-pattern {}",
            self.group_region(),
            q(&self.group()),
            self.metric(),
            self.namespace(),
            q(cis::PATTERN)
        )
    }

    fn put_alarm(&self, extra: &str) -> String {
        format!(
            "aws cloudwatch put-metric-alarm --region {} --alarm-name {} --metric-name {} --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --namespace {} --alarm-actions {}{extra}",
            self.group_region(),
            q(&self.alarm()),
            q(&self.metric()),
            q(&self.namespace()),
            self.topic()
        )
    }
}

/// The commands for one reason (every reason is matched: a new one cannot silently lose its fix).
pub fn commands(reason: Reason, n: &Names) -> Vec<String> {
    let trail = q(&n.trail());
    match reason {
        Reason::TrailMissing => vec![
            "aws logs create-log-group --log-group-name cloudtrail-logs".into(),
            "aws cloudtrail create-trail --name organizations-trail --s3-bucket-name <bucket> --is-multi-region-trail --cloud-watch-logs-log-group-arn arn:aws:logs:<region>:<account>:log-group:cloudtrail-logs:* --cloud-watch-logs-role-arn <role-arn>".into(),
            "aws cloudtrail start-logging --name organizations-trail".into(),
            n.put_filter(),
        ],
        Reason::TrailNotMultiRegion => vec![format!("aws cloudtrail update-trail --name {trail} --is-multi-region-trail")],
        Reason::TrailNotLogging => vec![format!("aws cloudtrail start-logging --name {trail}")],
        Reason::TrailNoManagementEvents | Reason::TrailExcludesOrganizationsEvents | Reason::TrailWriteOnly => vec![format!(
            "aws cloudtrail put-event-selectors --trail-name {trail} --event-selectors '[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]'"
        )],
        Reason::TrailNoCloudwatchLogs => vec![
            format!("aws logs create-log-group --log-group-name {}", q(&n.group())),
            format!("aws cloudtrail update-trail --name {trail} --cloud-watch-logs-log-group-arn arn:aws:logs:<region>:<account>:log-group:{}:* --cloud-watch-logs-role-arn <role-arn>", n.group()),
        ],
        Reason::TrailDeliveryFailing => vec![
            format!("aws cloudtrail get-trail-status --name {trail}   # read LatestCloudWatchLogsDeliveryError"),
            "# check that the role in CloudWatchLogsRoleArn trusts cloudtrail.amazonaws.com and may call logs:CreateLogStream and logs:PutLogEvents".into(),
        ],
        Reason::LogGroupMissing => vec![format!("aws logs create-log-group --region {} --log-group-name {}", n.group_region(), q(&n.group()))],
        Reason::FilterMissing | Reason::FilterIncomplete | Reason::FilterConditional | Reason::FilterMetricValueNotPositive | Reason::FilterOverMatches | Reason::FilterMatchesOrdinaryTraffic | Reason::FilterMetricValueExtracted => vec![n.put_filter()],
        Reason::AlarmMissing | Reason::AlarmNeverFires => vec![n.put_alarm("")],
        Reason::AlarmStaysInAlarm => vec![n.put_alarm(" --treat-missing-data notBreaching")],
        Reason::AlarmActionsDisabled => vec![format!("aws cloudwatch enable-alarm-actions --region {} --alarm-names {}", n.group_region(), q(&n.alarm()))],
        Reason::AlarmNoSnsAction => vec![format!("aws sns create-topic --region {} --name cis-alarms", n.group_region()), n.put_alarm("")],
        Reason::TopicMissing => {
            let name = n.topic().rsplit(':').next().unwrap_or("cis-alarms").to_string();
            let region = n.topic.as_deref().and_then(|t| t.split(':').nth(3)).unwrap_or("<region>").to_string();
            vec![format!("aws sns create-topic --region {region} --name {name}")]
        }
        Reason::TopicNoConfirmedSubscription => vec![
            format!("aws sns subscribe --topic-arn {} --protocol email --notification-endpoint <security-team@example.com>", n.topic()),
            "# then confirm the subscription from the message SNS sends".into(),
        ],
        // Nothing to run: the link could not be read, or the analysis cannot decide; the message says why.
        Reason::FilterUnproven
        | Reason::AlarmUnverifiable
        | Reason::AlarmMathUnverified
        | Reason::AccessDenied
        | Reason::CrossAccountUnverifiable
        | Reason::CallFailed
        | Reason::EngineDisagrees => Vec::new(),
    }
}
