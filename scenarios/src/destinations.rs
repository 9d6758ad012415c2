//! What a trail needs before CloudTrail accepts it, made the way a user makes it: the S3 bucket with the
//! bucket policy CloudTrail's guide gives, and the CloudWatch Logs delivery role (trusting CloudTrail,
//! allowed to create streams and put events). A scenario describes the trail, not these, so the harness
//! provides them; a scenario's log group that does not exist is made for the trail and deleted after it,
//! which is how a trail delivering to a missing group comes about on AWS.

use crate::format::Trail;
use crate::sdk::sdk;
use anyhow::{Context, Result};
use orgwatch_emulator::arn::parse_arn;

/// The documented CloudTrail bucket policy, for every account's `AWSLogs/` prefix (a scenario's accounts
/// may share the default bucket).
fn bucket_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{bucket}")
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/*"),
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
            }
        ]
    })
    .to_string()
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const DELIVER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:*"}]}"#;

/// A log group made only so that CloudTrail accepts the trail; deleted once the trail exists.
pub struct Interim {
    endpoint: String,
    account: String,
    region: String,
    group: String,
}

impl Interim {
    pub async fn remove(self) -> Result<()> {
        let conf = sdk(&self.endpoint, &self.account, &self.region).await;
        aws_sdk_cloudwatchlogs::Client::new(&conf)
            .delete_log_group()
            .log_group_name(&self.group)
            .send()
            .await
            .with_context(|| format!("DeleteLogGroup {} (made for the trail)", self.group))?;
        Ok(())
    }
}

/// Makes the trail's bucket, its policy and its delivery role where they do not exist yet.
pub async fn prepare(
    endpoint: &str,
    account: &str,
    region: &str,
    t: &Trail,
) -> Result<Option<Interim>> {
    bucket(endpoint, account, region, &t.s3_bucket_name).await?;
    let (Some(group), Some(role_arn)) = (
        t.cloud_watch_logs_log_group_arn.as_deref(),
        t.cloud_watch_logs_role_arn.as_deref(),
    ) else {
        return Ok(None);
    };
    role(endpoint, role_arn).await?;
    interim_group(endpoint, group).await
}

/// A bucket CloudTrail may write to (created with the documented policy unless it exists).
pub async fn bucket(endpoint: &str, account: &str, region: &str, name: &str) -> Result<()> {
    let conf = sdk(endpoint, account, region).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    let mut create = s3.create_bucket().bucket(name);
    if region != "us-east-1" {
        create = create.create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(region))
                .build(),
        );
    }
    match create.send().await {
        Ok(_) => {
            s3.put_bucket_policy()
                .bucket(name)
                .policy(bucket_policy(name))
                .send()
                .await
                .context("PutBucketPolicy")?;
            Ok(())
        }
        Err(e) => {
            let taken = e.as_service_error().is_some_and(|e| {
                e.is_bucket_already_exists() || e.is_bucket_already_owned_by_you()
            });
            if taken {
                Ok(())
            } else {
                Err(e).with_context(|| format!("CreateBucket {name}"))
            }
        }
    }
}

/// The CloudWatch Logs delivery role an ARN names (trusting CloudTrail, allowed to deliver), unless it
/// exists.
pub async fn role(endpoint: &str, role_arn: &str) -> Result<()> {
    let Some(r) = parse_arn(role_arn).filter(|r| r.service == "iam") else {
        return Ok(());
    };
    let name = r
        .resource
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let iam = aws_sdk_iam::Client::new(&sdk(endpoint, &r.account, "us-east-1").await);
    let created = iam
        .create_role()
        .role_name(&name)
        .assume_role_policy_document(TRUST)
        .send()
        .await;
    match created {
        Ok(_) => {
            iam.put_role_policy()
                .role_name(&name)
                .policy_name("cloudtrail-delivery")
                .policy_document(DELIVER)
                .send()
                .await
                .context("PutRolePolicy")?;
            Ok(())
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_entity_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("CreateRole {name}")),
    }
}

/// The log group a trail names, made if it does not exist (to be removed once the trail exists).
async fn interim_group(endpoint: &str, group: &str) -> Result<Option<Interim>> {
    let Some(g) = parse_arn(group).filter(|g| g.service == "logs") else {
        return Ok(None);
    };
    let Some(name) = g
        .resource
        .strip_prefix("log-group:")
        .map(|n| n.strip_suffix(":*").unwrap_or(n).to_string())
    else {
        return Ok(None);
    };
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk(endpoint, &g.account, &g.region).await);
    match logs.create_log_group().log_group_name(&name).send().await {
        Ok(_) => Ok(Some(Interim {
            endpoint: endpoint.to_string(),
            account: g.account,
            region: g.region,
            group: name,
        })),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_already_exists_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| format!("CreateLogGroup {name} (for the trail)")),
    }
}
