//! What CloudTrail checks about a trail's destinations before CreateTrail or UpdateTrail changes anything,
//! read from the other services' models and decided with the `policy` evaluator, each refused with AWS's
//! exception and message:
//!
//! | check | exception | message (source) |
//! |---|---|---|
//! | the bucket exists | `S3BucketDoesNotExistException` | `S3 bucket <name> does not exist.` (moto's wording; AWS's is not recorded here) |
//! | its policy lets `cloudtrail.amazonaws.com` `s3:GetBucketAcl` the bucket and `s3:PutObject` under `[prefix/]AWSLogs/<account>/` with the `bucket-owner-full-control` ACL | `InsufficientS3BucketPolicyException` | `Incorrect S3 bucket policy is detected for bucket: <name>` (recorded in public issues) |
//! | a log group needs a role and a role a log group | `InvalidCloudWatchLogsRoleArnException` / `InvalidCloudWatchLogsLogGroupArnException` | `You must specify a role ARN as well as a log group.` (recorded) |
//! | the log group exists | `InvalidCloudWatchLogsLogGroupArnException` | `CloudTrail cannot validate the specified log group ARN.` (recorded) |
//! | the role exists and trusts `cloudtrail.amazonaws.com` | `InvalidCloudWatchLogsRoleArnException` | `Access denied. Check the trust relationships for your role.` (recorded) |
//! | the role may `logs:CreateLogStream` and `logs:PutLogEvents` in the group | `InvalidCloudWatchLogsLogGroupArnException` | `Access denied. Check the permissions for your role.` (recorded) |
//! | a KMS key exists | `KmsKeyNotFoundException` | `KMS key <id> does not exist.` (chosen) |
//! | it is enabled | `KmsKeyDisabledException` / `KmsException` | chosen |
//! | its policy lets CloudTrail `kms:GenerateDataKey*` | `InsufficientEncryptionPolicyException` | `Insufficient permissions to access S3 bucket <b> or KMS key <arn>.` (recorded) |

use super::error::CloudTrailError;
use crate::access::{self, RoleRefusal};
use crate::arn::parse_arn;
use crate::model::kms::KeyState;
use crate::model::State;
use orgwatch_policy::{evaluate, parse, service, Request};

/// The settings a trail will have once the call succeeds.
pub struct Destinations<'a> {
    pub account: &'a str,
    pub region: &'a str,
    /// The trail's ARN (`Trail::arn`), the `aws:SourceArn` of CloudTrail's requests.
    pub trail_arn: String,
    pub bucket: &'a str,
    pub key_prefix: Option<&'a str>,
    pub log_group_arn: Option<&'a str>,
    pub role_arn: Option<&'a str>,
    pub kms_key_id: Option<&'a str>,
}

const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

impl Destinations<'_> {
    fn request(&self, action: &str, resource: &str) -> Request {
        Request::new(service(CLOUDTRAIL), action, resource)
            .with("aws:SourceArn", &self.trail_arn)
            .with("aws:SourceAccount", self.account)
    }

    /// Every check, in the order CloudTrail makes them.
    pub fn check(&self, state: &State) -> Result<(), CloudTrailError> {
        self.bucket(state)?;
        self.logs(state)?;
        self.key(state)
    }

    fn bucket(&self, state: &State) -> Result<(), CloudTrailError> {
        let Some(b) = state.buckets.get(self.bucket) else {
            return Err(CloudTrailError::S3BucketDoesNotExist(format!(
                "S3 bucket {} does not exist.",
                self.bucket
            )));
        };
        let insufficient = || {
            CloudTrailError::InsufficientS3BucketPolicy(format!(
                "Incorrect S3 bucket policy is detected for bucket: {}",
                self.bucket
            ))
        };
        let policy = b
            .document("policy")
            .and_then(|d| parse(d).ok())
            .ok_or_else(insufficient)?;
        let prefix = self
            .key_prefix
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        let object = format!(
            "arn:aws:s3:::{}/{prefix}AWSLogs/{}/CloudTrail/{}/orgwatch.json.gz",
            self.bucket, self.account, self.region
        );
        let acl = self.request("s3:GetBucketAcl", &format!("arn:aws:s3:::{}", self.bucket));
        let put = self
            .request("s3:PutObject", &object)
            .with("s3:x-amz-acl", "bucket-owner-full-control");
        if evaluate(&policy, &acl).allowed() && evaluate(&policy, &put).allowed() {
            Ok(())
        } else {
            Err(insufficient())
        }
    }

    fn logs(&self, state: &State) -> Result<(), CloudTrailError> {
        let group = self.log_group_arn.filter(|a| !a.is_empty());
        let role = self.role_arn.filter(|a| !a.is_empty());
        let (group, role) = match (group, role) {
            (None, None) => return Ok(()),
            (Some(_), None) => {
                return Err(CloudTrailError::InvalidCloudWatchLogsRoleArn(
                    "You must specify a role ARN as well as a log group.".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(CloudTrailError::InvalidCloudWatchLogsLogGroupArn(
                    "You must specify a log group as well as a role ARN.".into(),
                ))
            }
            (Some(g), Some(r)) => (g, r),
        };
        let invalid_group = || {
            CloudTrailError::InvalidCloudWatchLogsLogGroupArn(
                "CloudTrail cannot validate the specified log group ARN.".into(),
            )
        };
        let g = parse_arn(group)
            .filter(|a| a.service == "logs")
            .ok_or_else(invalid_group)?;
        let name = g
            .resource
            .strip_prefix("log-group:")
            .map(|n| n.strip_suffix(":*").unwrap_or(n))
            .ok_or_else(invalid_group)?;
        let exists = state
            .accounts
            .get(&g.account)
            .and_then(|a| a.regions.get(&g.region))
            .is_some_and(|r| r.log_groups.contains_key(name));
        if !exists {
            return Err(invalid_group());
        }
        match access::delivery_role(
            state,
            role,
            &self.trail_arn,
            self.account,
            (&g.account, &g.region, name),
            &format!("{}_CloudTrail_{}", self.account, self.region),
        ) {
            Ok(()) => Ok(()),
            Err(RoleRefusal::Untrusted) => Err(CloudTrailError::InvalidCloudWatchLogsRoleArn(
                "Access denied. Check the trust relationships for your role.".into(),
            )),
            Err(RoleRefusal::NotPermitted) => {
                Err(CloudTrailError::InvalidCloudWatchLogsLogGroupArn(
                    "Access denied. Check the permissions for your role.".into(),
                ))
            }
        }
    }

    fn key(&self, state: &State) -> Result<(), CloudTrailError> {
        let Some(id) = self.kms_key_id.filter(|k| !k.is_empty()) else {
            return Ok(());
        };
        let key = access::key(state, id, self.account, self.region).ok_or_else(|| {
            CloudTrailError::KmsKeyNotFound(format!("KMS key {id} does not exist."))
        })?;
        match key.state {
            KeyState::Enabled => {}
            KeyState::Disabled => {
                return Err(CloudTrailError::KmsKeyDisabled(format!(
                    "KMS key {} is disabled.",
                    key.arn
                )))
            }
            KeyState::PendingDeletion => {
                return Err(CloudTrailError::Kms(format!(
                    "KMS key {} is pending deletion.",
                    key.arn
                )))
            }
        }
        let req = self
            .request("kms:GenerateDataKey", &key.arn)
            .with("kms:EncryptionContext:aws:cloudtrail:arn", &self.trail_arn);
        let allowed = parse(&key.policy)
            .map(|p| evaluate(&p, &req).allowed())
            .unwrap_or(false);
        if !allowed {
            return Err(CloudTrailError::InsufficientEncryptionPolicy(format!(
                "Insufficient permissions to access S3 bucket {} or KMS key {}.",
                self.bucket, key.arn
            )));
        }
        Ok(())
    }
}
