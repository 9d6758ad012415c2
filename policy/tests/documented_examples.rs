//! The evaluator against the policy examples AWS documents for the links of the chain: IAM's evaluation
//! logic (an explicit Deny wins, `NotAction`, wildcards in actions and ARNs), the SNS default topic policy
//! and the statement CloudWatch's guide gives for alarms (service principals, `aws:SourceArn` with
//! `ArnLike`, `aws:SourceAccount`), CloudWatch Logs' key-policy statement (an encryption-context condition
//! with `ArnEquals`), an AWS managed key's policy (which no service principal satisfies), and `IfExists`.

use orgwatch_policy::{evaluate, parse, service, Decision, Principal, Request};

const ACCOUNT: &str = "111122223333";
const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:cis-alarms";
const ALARM: &str = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:organizations_changes";

fn decide(policy: serde_json::Value, req: &Request) -> Decision {
    evaluate(&parse(&policy.to_string()).expect("policy"), req).decision
}

fn alarm_publish() -> Request {
    Request::new(service("cloudwatch.amazonaws.com"), "sns:Publish", TOPIC)
        .with("aws:SourceArn", ALARM)
        .with("aws:SourceAccount", ACCOUNT)
        .with("AWS:SourceOwner", ACCOUNT)
}

#[test]
fn the_default_topic_policy_admits_the_accounts_alarms_only() {
    let default = serde_json::json!({"Version": "2008-10-17", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                   "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
        "Resource": TOPIC,
        "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]});
    assert_eq!(decide(default.clone(), &alarm_publish()), Decision::Allow);
    let other = Request::new(service("cloudwatch.amazonaws.com"), "sns:Publish", TOPIC)
        .with("AWS:SourceOwner", "444455556666");
    assert_eq!(decide(default, &other), Decision::ImplicitDeny);
}

#[test]
fn the_guides_alarm_statement_is_limited_by_source_arn() {
    let policy = |pattern: &str| {
        serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "Allow_Publish_Alarms", "Effect": "Allow",
            "Principal": {"Service": ["cloudwatch.amazonaws.com"]}, "Action": "sns:Publish", "Resource": TOPIC,
            "Condition": {"ArnLike": {"aws:SourceArn": pattern}}}]})
    };
    let mine = format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*");
    assert_eq!(decide(policy(&mine), &alarm_publish()), Decision::Allow);
    let theirs = "arn:aws:cloudwatch:us-east-1:444455556666:alarm:*";
    assert_eq!(
        decide(policy(theirs), &alarm_publish()),
        Decision::ImplicitDeny
    );
    // A service principal statement names no IAM principal: an IAM user of the account is not admitted.
    let user = Request::new(
        Principal::Aws {
            arn: format!("arn:aws:iam::{ACCOUNT}:user/alice"),
            account: ACCOUNT.into(),
        },
        "sns:Publish",
        TOPIC,
    );
    assert_eq!(decide(policy(&mine), &user), Decision::ImplicitDeny);
}

#[test]
fn an_explicit_deny_of_cloudwatch_wins_over_the_default_statement() {
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:*", "Resource": "*",
         "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}},
        {"Effect": "Deny", "Principal": {"Service": "cloudwatch.amazonaws.com"}, "NotAction": "sns:Subscribe",
         "Resource": "arn:aws:sns:us-east-1:*:cis-*"}]});
    assert_eq!(decide(policy, &alarm_publish()), Decision::ExplicitDeny);
}

#[test]
fn the_logs_key_statement_admits_only_its_log_group() {
    let group = format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:cloudtrail-logs");
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group}}}]});
    let key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let req = |g: &str, region: &str| {
        Request::new(
            service(&format!("logs.{region}.amazonaws.com")),
            "kms:GenerateDataKey",
            &key,
        )
        .with("kms:EncryptionContext:aws:logs:arn", g)
    };
    assert_eq!(
        decide(policy.clone(), &req(&group, "us-east-1")),
        Decision::Allow
    );
    assert_eq!(
        decide(policy.clone(), &req(&format!("{group}-other"), "us-east-1")),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(policy, &req(&group, "eu-west-1")),
        Decision::ImplicitDeny
    );
}

#[test]
fn an_aws_managed_key_policy_admits_no_service_principal() {
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT, "kms:ViaService": "sns.us-east-1.amazonaws.com"}}}]});
    let req = Request::new(service("cloudwatch.amazonaws.com"), "kms:Decrypt", "*")
        .with("aws:SourceArn", ALARM)
        .with("aws:SourceAccount", ACCOUNT);
    assert_eq!(decide(policy, &req), Decision::ImplicitDeny);
}

#[test]
fn source_account_and_if_exists_conditions() {
    let trust = |condition: serde_json::Value| {
        serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": condition}]})
    };
    let role = format!("arn:aws:iam::{ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role");
    let assume = Request::new(service("cloudtrail.amazonaws.com"), "sts:AssumeRole", &role)
        .with("aws:SourceAccount", ACCOUNT);
    let same = serde_json::json!({"StringEquals": {"aws:SourceAccount": ACCOUNT}});
    assert_eq!(decide(trust(same), &assume), Decision::Allow);
    let other = serde_json::json!({"StringEquals": {"aws:SourceAccount": "444455556666"}});
    assert_eq!(decide(trust(other), &assume), Decision::ImplicitDeny);
    // IfExists: an absent key satisfies the condition; a present one must match.
    let if_exists = serde_json::json!({"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}});
    assert_eq!(decide(trust(if_exists.clone()), &assume), Decision::Allow);
    let with_arn = assume.clone().with(
        "aws:SourceArn",
        "arn:aws:cloudtrail:us-east-1:444455556666:trail/x",
    );
    assert_eq!(decide(trust(if_exists), &with_arn), Decision::ImplicitDeny);
}

#[test]
fn wildcards_in_actions_and_resources() {
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "logs:Put*",
        "Resource": "arn:aws:logs:*:111122223333:log-group:cloudtrail-*:log-stream:*"}]});
    let role = Principal::Aws {
        arn: format!("arn:aws:iam::{ACCOUNT}:role/r"),
        account: ACCOUNT.into(),
    };
    let stream = "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail-logs:log-stream:111122223333_CloudTrail_us-east-1";
    assert_eq!(
        decide(
            policy.clone(),
            &Request::new(role.clone(), "logs:PutLogEvents", stream)
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            policy.clone(),
            &Request::new(role.clone(), "logs:CreateLogStream", stream)
        ),
        Decision::ImplicitDeny
    );
    let other_group = stream.replace("cloudtrail-logs", "app-logs");
    assert_eq!(
        decide(
            policy,
            &Request::new(role, "logs:PutLogEvents", &other_group)
        ),
        Decision::ImplicitDeny
    );
}
