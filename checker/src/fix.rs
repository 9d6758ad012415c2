//! The AWS CLI commands that mend each broken link, filled in with the account's real names; the control's
//! remediation (`shared/reference/cis-control.md`) is the template. Placeholders a checker cannot know
//! (an S3 bucket, an email address, a role) are written `<like-this>`.

use crate::reason::Reason;
use orgwatch_pattern::cis;
use orgwatch_pattern::family::{Benchmark, Control};

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
    /// The account that owns the chain's resources.
    pub account: Option<String>,
    /// The trail's CloudWatch Logs role (its name).
    pub role: Option<String>,
    /// The log group's KMS key, and the topic's.
    pub group_key: Option<String>,
    pub topic_key: Option<String>,
    /// A confirmed subscription whose filter policy drops the alarm's notification.
    pub filtered_subscription: Option<String>,
    /// The control the chain is judged for (Organizations changes when unset) and the benchmark version
    /// whose reference filter the fix writes.
    pub control: Option<&'static Control>,
    pub benchmark: Option<Benchmark>,
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
    fn control(&self) -> &'static Control {
        self.control.unwrap_or(Control::ORGANIZATIONS)
    }
    fn metric(&self) -> String {
        self.metric
            .clone()
            .unwrap_or_else(|| self.control().metric.into())
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
            .unwrap_or_else(|| self.control().metric.into())
    }

    fn account(&self) -> String {
        self.account.clone().unwrap_or_else(|| "<account>".into())
    }
    fn role(&self) -> String {
        self.role.clone().unwrap_or_else(|| "<role-name>".into())
    }
    fn topic_region(&self) -> String {
        self.topic
            .as_deref()
            .and_then(|t| t.split(':').nth(3))
            .unwrap_or("<region>")
            .to_string()
    }

    fn put_filter(&self) -> String {
        format!(
            "aws logs put-metric-filter --region {} --log-group-name {} --filter-name {} --metric-transformations metricName={},metricNamespace={},metricValue=1 --filter-pattern {}",
            self.group_region(),
            q(&self.group()),
            self.control().metric,
            self.metric(),
            self.namespace(),
            q(self
                .control()
                .fix_pattern(self.benchmark.unwrap_or(Benchmark::LATEST)))
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

/// The trust policy a CloudTrail delivery role needs.
pub fn delivery_trust() -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole"
    }]})
}

/// The statement that lets the role create CloudTrail's streams in the group and put events in them.
pub fn delivery_statement(region: &str, account: &str, group: &str) -> serde_json::Value {
    serde_json::json!({
        "Sid": "CloudTrailDelivery",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": format!("arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:*")
    })
}

/// The key-policy statement CloudWatch Logs' guide gives for an encrypted group.
pub fn logs_key_statement(region: &str, account: &str, group: &str) -> serde_json::Value {
    serde_json::json!({
        "Sid": "AllowCloudWatchLogs",
        "Effect": "Allow",
        "Principal": {"Service": format!("logs.{region}.amazonaws.com")},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": format!("arn:aws:logs:{region}:{account}:log-group:{group}")}}
    })
}

/// The key-policy statement that lets CloudWatch alarms publish to a topic encrypted with the key.
pub fn alarm_key_statement() -> serde_json::Value {
    serde_json::json!({
        "Sid": "AllowCloudWatchAlarms",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*"
    })
}

/// The topic-policy statement AWS's guide gives for alarm notifications, limited to the account's alarms.
pub fn alarm_publish_statement(topic: &str, region: &str, account: &str) -> serde_json::Value {
    serde_json::json!({
        "Sid": "Allow_Publish_Alarms",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": topic,
        "Condition": {"ArnLike": {"aws:SourceArn": format!("arn:aws:cloudwatch:{region}:{account}:alarm:*")}}
    })
}

fn doc(statements: Vec<serde_json::Value>) -> String {
    q(&serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string())
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
        Reason::TrailNoManagementEvents | Reason::TrailExcludesOrganizationsEvents | Reason::TrailExcludesControlEvents | Reason::TrailWriteOnly => vec![format!(
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
        Reason::TrailDeliveryRoleInvalid => {
            let role = q(&n.role());
            let (region, account, group) = (n.group_region(), n.account(), n.group());
            vec![
                format!("aws iam create-role --role-name {role} --assume-role-policy-document {}   # only if the role does not exist", q(&delivery_trust().to_string())),
                format!("aws iam update-assume-role-policy --role-name {role} --policy-document {}", q(&delivery_trust().to_string())),
                format!("aws iam put-role-policy --role-name {role} --policy-name cloudtrail-delivery --policy-document {}", doc(vec![delivery_statement(&region, &account, &group)])),
                "# and remove any statement of the role's policies that denies logs:CreateLogStream or logs:PutLogEvents".into(),
            ]
        }
        Reason::LogGroupKeyUnusable => {
            let key = n.group_key.clone().unwrap_or_else(|| "<key-id>".into());
            let (region, group) = (n.group_region(), q(&n.group()));
            vec![
                format!("aws kms enable-key --region {region} --key-id {key}   # if it is disabled"),
                format!("aws kms cancel-key-deletion --region {region} --key-id {key}   # if it is pending deletion (then enable it)"),
                format!("aws kms get-key-policy --region {region} --key-id {key} --policy-name default --output text > key-policy.json   # add the finding's statement, then:"),
                format!("aws kms put-key-policy --region {region} --key-id {key} --policy-name default --policy file://key-policy.json"),
                format!("# or stop encrypting the group: aws logs disassociate-kms-key --region {region} --log-group-name {group}"),
            ]
        }
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
        Reason::TopicKeyDeniesCloudwatch => {
            let (topic, region, account) = (n.topic(), n.topic_region(), n.account());
            let policy = doc(vec![
                serde_json::json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"}),
                alarm_key_statement(),
            ]);
            vec![
                format!("aws kms create-key --region {region} --description 'CIS alarm topic' --policy {policy}   # a customer managed key: an AWS managed key's policy cannot admit CloudWatch"),
                format!("aws sns set-topic-attributes --topic-arn {topic} --attribute-name KmsMasterKeyId --attribute-value <key-id-from-create-key>"),
            ]
        }
        Reason::TopicPolicyDeniesCloudwatch => {
            let (topic, region, account) = (n.topic(), n.topic_region(), n.account());
            vec![
                format!("aws sns get-topic-attributes --topic-arn {topic} --query Attributes.Policy --output text > topic-policy.json   # add the finding's statement, remove any Deny of sns:Publish to CloudWatch, then:"),
                format!("aws sns set-topic-attributes --topic-arn {topic} --attribute-name Policy --attribute-value file://topic-policy.json"),
                format!("# the statement to add: {}", alarm_publish_statement(&topic, &region, &account)),
            ]
        }
        Reason::SubscriptionFilterDropsAlarms => {
            let sub = n.filtered_subscription.clone().unwrap_or_else(|| "<subscription-arn>".into());
            let set = format!("aws sns set-subscription-attributes --region {} --subscription-arn {sub}", n.topic_region());
            vec![
                format!("{set} --attribute-name FilterPolicy --attribute-value '{{}}'   # an empty policy: every message reaches the subscriber"),
                "# or keep filtering, on the notification's body (alarm notifications carry no message attributes):".into(),
                format!("{set} --attribute-name FilterPolicy --attribute-value {}", q(&serde_json::json!({"AlarmName": [n.alarm()]}).to_string())),
                format!("{set} --attribute-name FilterPolicyScope --attribute-value MessageBody"),
            ]
        }
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
