//! CloudTrail refuses a trail whose bucket, bucket policy, log group, delivery role or KMS key would not
//! let it deliver, with AWS's exceptions, through the AWS SDK for Rust.

mod common;

use aws_sdk_cloudtrail::Client;

const ROLE: &str = "arn:aws:iam::123456789012:role/delivery";
const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*";

fn code<E: aws_sdk_cloudtrail::error::ProvideErrorMetadata>(e: &E) -> String {
    e.code().unwrap_or_default().to_string()
}

#[tokio::test]
async fn each_destination_aws_checks_is_checked() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    let ct = Client::new(&conf);
    let s3 = common::s3(&conf);
    let iam = aws_sdk_iam::Client::new(&conf);
    let create = || {
        ct.create_trail()
            .name("org-trail")
            .s3_bucket_name("trail-bucket")
    };

    let e = create().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "S3BucketDoesNotExistException");
    s3.create_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    let e = create().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InsufficientS3BucketPolicyException");
    assert_eq!(
        e.meta().message(),
        Some("Incorrect S3 bucket policy is detected for bucket: trail-bucket")
    );
    // A policy for another account's prefix is not enough.
    let wrong = common::cloudtrail_bucket_policy("trail-bucket")
        .replace("AWSLogs/*", "AWSLogs/999988887777/*");
    s3.put_bucket_policy()
        .bucket("trail-bucket")
        .policy(wrong)
        .send()
        .await
        .unwrap();
    let e = create().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InsufficientS3BucketPolicyException");
    s3.put_bucket_policy()
        .bucket("trail-bucket")
        .policy(common::cloudtrail_bucket_policy("trail-bucket"))
        .send()
        .await
        .unwrap();

    // The log group must exist, and a role must come with it.
    let with_logs = || {
        create()
            .cloud_watch_logs_log_group_arn(GROUP)
            .cloud_watch_logs_role_arn(ROLE)
    };
    let e = create()
        .cloud_watch_logs_log_group_arn(GROUP)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e.into_service_error()),
        "InvalidCloudWatchLogsRoleArnException"
    );
    let e = with_logs().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InvalidCloudWatchLogsLogGroupArnException");
    aws_sdk_cloudwatchlogs::Client::new(&conf)
        .create_log_group()
        .log_group_name("trail-logs")
        .send()
        .await
        .unwrap();
    // A role that trusts EC2 is refused; one that trusts CloudTrail but may not deliver too.
    let ec2 = common::CLOUDTRAIL_TRUST.replace("cloudtrail.amazonaws.com", "ec2.amazonaws.com");
    iam.create_role()
        .role_name("delivery")
        .assume_role_policy_document(ec2)
        .send()
        .await
        .unwrap();
    let e = with_logs().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InvalidCloudWatchLogsRoleArnException");
    assert_eq!(
        e.meta().message(),
        Some("Access denied. Check the trust relationships for your role.")
    );
    iam.update_assume_role_policy()
        .role_name("delivery")
        .policy_document(common::CLOUDTRAIL_TRUST)
        .send()
        .await
        .unwrap();
    let e = with_logs().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InvalidCloudWatchLogsLogGroupArnException");
    assert_eq!(
        e.meta().message(),
        Some("Access denied. Check the permissions for your role.")
    );
    // Allowed, but a Deny on PutLogEvents wins.
    let deny = r#"{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"},{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
    iam.put_role_policy()
        .role_name("delivery")
        .policy_name("p")
        .policy_document(deny)
        .send()
        .await
        .unwrap();
    let e = with_logs().send().await.unwrap_err().into_service_error();
    assert_eq!(code(&e), "InvalidCloudWatchLogsLogGroupArnException");
    iam.put_role_policy()
        .role_name("delivery")
        .policy_name("p")
        .policy_document(common::LOGS_DELIVERY)
        .send()
        .await
        .unwrap();

    // A KMS key must exist and let CloudTrail use it.
    let kms = aws_sdk_kms::Client::new(&conf);
    let e = with_logs()
        .kms_key_id("alias/trail")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "KmsKeyNotFoundException");
    let key = kms.create_key().send().await.unwrap();
    let key_id = key.key_metadata().unwrap().key_id().to_string();
    let e = with_logs()
        .kms_key_id(&key_id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InsufficientEncryptionPolicyException");
    let policy = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}]}"#;
    kms.put_key_policy()
        .key_id(&key_id)
        .policy(policy)
        .send()
        .await
        .unwrap();
    with_logs().kms_key_id(&key_id).send().await.unwrap();

    // UpdateTrail checks the trail it would leave.
    let e = ct
        .update_trail()
        .name("org-trail")
        .s3_bucket_name("no-such-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e.into_service_error()),
        "S3BucketDoesNotExistException"
    );
    let t = ct.get_trail().name("org-trail").send().await.unwrap();
    assert_eq!(t.trail().unwrap().s3_bucket_name(), Some("trail-bucket"));
}
