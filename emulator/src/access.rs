//! Who may use what across services: the permission checks AWS makes when one service acts for a
//! customer, read from the [`model`](crate::model) and decided with `orgwatch_policy`. CloudTrail's
//! CreateTrail and the pipeline's trail delivery both ask [`delivery_role`]; CloudWatch Logs'
//! CreateLogGroup and every ingest ask [`logs_key`]; an alarm action asks [`alarm_publish`]; SNS delivery to
//! a queue asks [`sns_to_queue`]. Each answers why it refuses, so every caller words the refusal as AWS
//! does where it does.

use crate::arn::parse_arn;
use crate::model::kms::{Key, KeyState};
use crate::model::State;
use orgwatch_policy::{evaluate, parse, service, Decision, Policy, Principal, Request};

/// Why a trail's CloudWatch Logs role cannot deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleRefusal {
    /// The role does not exist, or its trust policy does not let CloudTrail assume it.
    Untrusted,
    /// The role may not `logs:CreateLogStream` and `logs:PutLogEvents` on the stream (or a Deny says so).
    NotPermitted,
}

/// Whether CloudTrail, for the trail `trail_arn` of `trail_account`, may assume `role_arn` and write
/// `stream` in log group `group` (`account`, `region`, `name`).
pub fn delivery_role(
    state: &State,
    role_arn: &str,
    trail_arn: &str,
    trail_account: &str,
    group: (&str, &str, &str),
    stream: &str,
) -> Result<(), RoleRefusal> {
    let (g_account, g_region, g_name) = group;
    let r = parse_arn(role_arn)
        .filter(|a| a.service == "iam")
        .ok_or(RoleRefusal::Untrusted)?;
    let role_name = r.resource.rsplit('/').next().unwrap_or_default();
    let iam = &state
        .accounts
        .get(&r.account)
        .ok_or(RoleRefusal::Untrusted)?
        .iam;
    let role = iam.roles.get(role_name).ok_or(RoleRefusal::Untrusted)?;
    let trust = parse(&role.assume_role_policy).map_err(|_| RoleRefusal::Untrusted)?;
    let assume = Request::new(
        service("cloudtrail.amazonaws.com"),
        "sts:AssumeRole",
        &role.arn,
    )
    .with("aws:SourceArn", trail_arn)
    .with("aws:SourceAccount", trail_account);
    if !evaluate(&trust, &assume).allowed() {
        return Err(RoleRefusal::Untrusted);
    }
    let identity: Vec<Policy> = iam
        .role_permission_documents(role)
        .iter()
        .filter_map(|d| parse(d).ok())
        .collect();
    let stream =
        format!("arn:aws:logs:{g_region}:{g_account}:log-group:{g_name}:log-stream:{stream}");
    let as_role = Principal::Aws {
        arn: role.arn.clone(),
        account: r.account.clone(),
    };
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        if !identity_allows(&identity, &Request::new(as_role.clone(), action, &stream)) {
            return Err(RoleRefusal::NotPermitted);
        }
    }
    Ok(())
}

/// The union of a principal's identity policies, same account: allowed when one allows and none denies.
fn identity_allows(policies: &[Policy], req: &Request) -> bool {
    let outcomes: Vec<Decision> = policies.iter().map(|p| evaluate(p, req).decision).collect();
    !outcomes.contains(&Decision::ExplicitDeny) && outcomes.contains(&Decision::Allow)
}

/// The key an id names (a key ARN or alias ARN in its own account and region; a key id or alias name in
/// `account` and `region`, where the resource that names it lives).
pub fn key<'s>(state: &'s State, id: &str, account: &str, region: &str) -> Option<&'s Key> {
    let (account, region) = match parse_arn(id) {
        Some(a) => (a.account, a.region),
        None => (account.to_string(), region.to_string()),
    };
    state
        .accounts
        .get(&account)
        .and_then(|a| a.regions.get(&region))
        .and_then(|r| r.kms.resolve(id))
}

/// Whether CloudWatch Logs of `region` may use the key `key_id` (an ARN) for the group `group_arn`: the key
/// exists, is enabled, and its policy lets `logs.<region>.amazonaws.com` encrypt, decrypt and make data
/// keys with the group's encryption context.
pub fn logs_key(state: &State, key_id: &str, region: &str, group_arn: &str) -> bool {
    // CloudWatch Logs takes a key ARN only.
    if parse_arn(key_id).is_none_or(|a| a.service != "kms") {
        return false;
    }
    let Some(key) = key(state, key_id, "", region).filter(|k| k.state == KeyState::Enabled) else {
        return false;
    };
    let Ok(policy) = parse(&key.policy) else {
        return false;
    };
    let logs = service(&format!("logs.{region}.amazonaws.com"));
    ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
        .iter()
        .all(|action| {
            let req = Request::new(logs.clone(), action, &key.arn)
                .with("kms:EncryptionContext:aws:logs:arn", group_arn);
            evaluate(&policy, &req).allowed()
        })
}

/// Why an alarm action could not publish: the history's `Received error` text, as AWS words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishRefusal {
    /// The topic policy does not let the alarm publish (or denies it).
    TopicPolicy(String),
    /// The topic's KMS key is missing, disabled, or does not let CloudWatch use it.
    Key(String),
}

impl PublishRefusal {
    pub fn error(&self) -> &str {
        match self {
            PublishRefusal::TopicPolicy(e) | PublishRefusal::Key(e) => e,
        }
    }
}

/// Whether CloudWatch may publish the alarm `alarm_arn` of `account` to `topic_arn`: the topic policy
/// lets `cloudwatch.amazonaws.com` `sns:Publish` (the default policy's account-scoped statement does), and
/// a topic encrypted with a KMS key lets CloudWatch `kms:Decrypt` and `kms:GenerateDataKey*` with it (an
/// AWS managed key never does). A missing topic is not refused here: publishing to it delivers nothing.
pub fn alarm_publish(
    state: &State,
    alarm_arn: &str,
    account: &str,
    topic_arn: &str,
) -> Result<(), PublishRefusal> {
    let Some(t) = parse_arn(topic_arn) else {
        return Ok(());
    };
    let Some(topic) = state
        .accounts
        .get(&t.account)
        .and_then(|a| a.regions.get(&t.region))
        .and_then(|r| r.topics.get(topic_arn))
    else {
        return Ok(());
    };
    let cloudwatch = || service("cloudwatch.amazonaws.com");
    let publish = Request::new(cloudwatch(), "sns:Publish", topic_arn)
        .with("aws:SourceArn", alarm_arn)
        .with("aws:SourceAccount", account)
        .with("AWS:SourceOwner", account);
    // A topic never given a policy has SNS's default one (the account-scoped statement).
    let policy = topic
        .attributes
        .get("Policy")
        .cloned()
        .unwrap_or_else(|| crate::model::sns::default_topic_policy(topic_arn, &t.account));
    let allowed = parse(&policy).is_ok_and(|p| evaluate(&p, &publish).allowed());
    if !allowed {
        return Err(PublishRefusal::TopicPolicy(format!(
            "Resource: {alarm_arn} is not authorized to perform: SNS:Publish on resource: {topic_arn}"
        )));
    }
    let Some(key_id) = topic
        .attributes
        .get("KmsMasterKeyId")
        .filter(|k| !k.is_empty())
    else {
        return Ok(());
    };
    let kms_denied = || {
        PublishRefusal::Key(
            "null (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Proxy: null)"
                .into(),
        )
    };
    let key = key(state, key_id, &t.account, &t.region)
        .filter(|k| k.state == KeyState::Enabled)
        .ok_or_else(kms_denied)?;
    let policy = parse(&key.policy).map_err(|_| kms_denied())?;
    let usable = ["kms:Decrypt", "kms:GenerateDataKey"].iter().all(|action| {
        let req = Request::new(cloudwatch(), action, &key.arn)
            .with("aws:SourceArn", alarm_arn)
            .with("aws:SourceAccount", account);
        evaluate(&policy, &req).allowed()
    });
    if usable {
        Ok(())
    } else {
        Err(kms_denied())
    }
}

/// Whether SNS may deliver a message of `topic_arn` to `queue`: the queue policy lets `sns.amazonaws.com`
/// `sqs:SendMessage` (with the topic as `aws:SourceArn`; a queue without a policy admits no service, even
/// in the topic's account), and a queue encrypted with a KMS key lets SNS `kms:GenerateDataKey` and
/// `kms:Decrypt` with it (`alias/aws/sqs` never does). The refusal is the delivery-status text AWS logs.
pub fn sns_to_queue(
    state: &State,
    topic_arn: &str,
    queue: &crate::model::sqs::Queue,
    queue_url: &str,
) -> Result<(), String> {
    let topic_account = parse_arn(topic_arn).map(|a| a.account).unwrap_or_default();
    let sns = || service("sns.amazonaws.com");
    let send = Request::new(sns(), "sqs:SendMessage", &queue.arn)
        .with("aws:SourceArn", topic_arn)
        .with("aws:SourceAccount", &topic_account);
    let allowed = queue
        .attributes
        .get("Policy")
        .and_then(|p| parse(p).ok())
        .is_some_and(|p| evaluate(&p, &send).allowed());
    if !allowed {
        return Err(format!(
            "AccessDenied: Access to the resource {queue_url} is denied."
        ));
    }
    let Some(key_id) = queue.attributes.get("KmsMasterKeyId") else {
        return Ok(());
    };
    let (q_account, q_region) = parse_arn(&queue.arn)
        .map(|a| (a.account, a.region))
        .unwrap_or_default();
    let denied = || {
        format!(
            "KMS.AccessDeniedException: SNS may not use the key {key_id} of the queue {queue_url}."
        )
    };
    let key = key(state, key_id, &q_account, &q_region)
        .filter(|k| k.state == KeyState::Enabled)
        .ok_or_else(denied)?;
    let policy = parse(&key.policy).map_err(|_| denied())?;
    let usable = ["kms:GenerateDataKey", "kms:Decrypt"].iter().all(|action| {
        let req = Request::new(sns(), action, &key.arn)
            .with("aws:SourceArn", topic_arn)
            .with("aws:SourceAccount", &topic_account);
        evaluate(&policy, &req).allowed()
    });
    if usable {
        Ok(())
    } else {
        Err(denied())
    }
}
