//! S3 (REST-XML), IAM (Query) and KMS (JSON 1.1) through the AWS SDK for Rust: what a Terraform stack
//! creates, reads on refresh and deletes.

mod common;

use aws_sdk_s3::primitives::ByteStream;

#[tokio::test]
async fn buckets_answer_refresh_reads_as_aws_does() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    let s3 = common::s3(&conf);
    s3.create_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    let head = s3
        .head_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(head.bucket_region(), Some("us-east-1"));
    // Never configured: AWS's "not configured" errors, or its defaults.
    let e = s3
        .get_bucket_policy()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("NoSuchBucketPolicy")
    );
    let e = s3
        .get_bucket_tagging()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.into_service_error().meta().code(), Some("NoSuchTagSet"));
    let e = s3
        .get_bucket_lifecycle_configuration()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("NoSuchLifecycleConfiguration")
    );
    let enc = s3
        .get_bucket_encryption()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    let rule = &enc.server_side_encryption_configuration().unwrap().rules()[0];
    assert_eq!(
        rule.apply_server_side_encryption_by_default()
            .map(|d| d.sse_algorithm().as_str()),
        Some("AES256")
    );
    let v = s3
        .get_bucket_versioning()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    assert!(v.status().is_none());
    let pab = s3
        .get_public_access_block()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(
        pab.public_access_block_configuration()
            .and_then(|c| c.block_public_acls()),
        Some(true)
    );
    // Set, read back as given, deleted.
    let policy = common::cloudtrail_bucket_policy("trail-bucket");
    s3.put_bucket_policy()
        .bucket("trail-bucket")
        .policy(&policy)
        .send()
        .await
        .unwrap();
    let got = s3
        .get_bucket_policy()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy(), Some(policy.as_str()));
    s3.delete_public_access_block()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    let e = s3
        .get_public_access_block()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("NoSuchPublicAccessBlockConfiguration")
    );
    let e = s3
        .put_bucket_policy()
        .bucket("trail-bucket")
        .policy("not json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("MalformedPolicy")
    );
    // Objects: a bucket with objects is not deleted; emptied, it is.
    s3.put_object()
        .bucket("trail-bucket")
        .key("AWSLogs/123456789012/x.json")
        .body(ByteStream::from_static(b"{}"))
        .send()
        .await
        .unwrap();
    let listed = s3
        .list_objects_v2()
        .bucket("trail-bucket")
        .prefix("AWSLogs/")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.key_count(), Some(1));
    let got = s3
        .get_object()
        .bucket("trail-bucket")
        .key("AWSLogs/123456789012/x.json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        b"{}"
    );
    let e = s3
        .delete_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.into_service_error().meta().code(), Some("BucketNotEmpty"));
    let versions = s3
        .list_object_versions()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(versions.versions().len(), 1);
    s3.delete_objects()
        .bucket("trail-bucket")
        .delete(
            aws_sdk_s3::types::Delete::builder()
                .objects(
                    aws_sdk_s3::types::ObjectIdentifier::builder()
                        .key("AWSLogs/123456789012/x.json")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    s3.delete_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap();
    let e = s3
        .head_bucket()
        .bucket("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_not_found());
    let e = s3
        .create_bucket()
        .bucket("Bad_Name")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("InvalidBucketName")
    );
}

#[tokio::test]
async fn another_account_cannot_take_a_bucket_name() {
    let h = common::emulator().await;
    let mine = common::s3(&common::default_sdk(&h).await);
    let theirs = common::s3(&common::sdk(&h, "us-east-1", "210987654321").await);
    mine.create_bucket()
        .bucket("shared-name")
        .send()
        .await
        .unwrap();
    let e = theirs
        .create_bucket()
        .bucket("shared-name")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_bucket_already_exists());
    assert_eq!(
        theirs.list_buckets().send().await.unwrap().buckets().len(),
        0
    );
    assert_eq!(mine.list_buckets().send().await.unwrap().buckets().len(), 1);
}

#[tokio::test]
async fn roles_policies_and_attachments() {
    let h = common::emulator().await;
    let iam = aws_sdk_iam::Client::new(&common::default_sdk(&h).await);
    let created = iam
        .create_role()
        .role_name("delivery")
        .assume_role_policy_document(common::CLOUDTRAIL_TRUST)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("cost")
                .value("1234")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let role = created.role().unwrap();
    assert_eq!(role.arn(), "arn:aws:iam::123456789012:role/delivery");
    assert!(role.role_id().starts_with("AROA"));
    // The document comes back URL-encoded, as IAM sends it; decoded, it is the one given.
    let got = iam.get_role().role_name("delivery").send().await.unwrap();
    let doc = got.role().unwrap().assume_role_policy_document().unwrap();
    let decoded = percent_encoding::percent_decode_str(doc)
        .decode_utf8()
        .unwrap();
    assert_eq!(decoded, common::CLOUDTRAIL_TRUST);
    assert_eq!(got.role().unwrap().tags()[0].value(), "1234");
    let e = iam
        .create_role()
        .role_name("delivery")
        .assume_role_policy_document(common::CLOUDTRAIL_TRUST)
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_entity_already_exists_exception());
    iam.put_role_policy()
        .role_name("delivery")
        .policy_name("deliver")
        .policy_document(common::LOGS_DELIVERY)
        .send()
        .await
        .unwrap();
    let names = iam
        .list_role_policies()
        .role_name("delivery")
        .send()
        .await
        .unwrap();
    assert_eq!(names.policy_names(), ["deliver"]);
    let managed = iam
        .create_policy()
        .policy_name("logs")
        .policy_document(common::LOGS_DELIVERY)
        .send()
        .await
        .unwrap();
    let arn = managed.policy().unwrap().arn().unwrap().to_string();
    iam.attach_role_policy()
        .role_name("delivery")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    let e = iam
        .delete_role()
        .role_name("delivery")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_delete_conflict_exception());
    let v2 = iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(common::LOGS_DELIVERY)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    assert_eq!(v2.policy_version().unwrap().version_id(), Some("v2"));
    let p = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(p.policy().unwrap().attachment_count(), Some(1));
    assert_eq!(p.policy().unwrap().default_version_id(), Some("v2"));
    let e = iam
        .delete_policy_version()
        .policy_arn(&arn)
        .version_id("v2")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_delete_conflict_exception());
    iam.detach_role_policy()
        .role_name("delivery")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    iam.delete_role_policy()
        .role_name("delivery")
        .policy_name("deliver")
        .send()
        .await
        .unwrap();
    iam.delete_role()
        .role_name("delivery")
        .send()
        .await
        .unwrap();
    let e = iam
        .get_role()
        .role_name("delivery")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_no_such_entity_exception());
    let e = iam
        .put_role_policy()
        .role_name("nobody")
        .policy_name("p")
        .policy_document("{")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.into_service_error().meta().code(),
        Some("MalformedPolicyDocument")
    );
}

#[tokio::test]
async fn keys_policies_aliases_and_deletion() {
    let h = common::emulator().await;
    let kms = aws_sdk_kms::Client::new(&common::default_sdk(&h).await);
    let key = kms.create_key().description("alarms").send().await.unwrap();
    let id = key.key_metadata().unwrap().key_id().to_string();
    // No policy given: KMS's default, which admits the account.
    let p = kms.get_key_policy().key_id(&id).send().await.unwrap();
    assert!(p
        .policy()
        .unwrap()
        .contains("arn:aws:iam::123456789012:root"));
    kms.enable_key_rotation().key_id(&id).send().await.unwrap();
    assert!(kms
        .get_key_rotation_status()
        .key_id(&id)
        .send()
        .await
        .unwrap()
        .key_rotation_enabled());
    kms.create_alias()
        .alias_name("alias/alarms")
        .target_key_id(&id)
        .send()
        .await
        .unwrap();
    let by_alias = kms
        .describe_key()
        .key_id("alias/alarms")
        .send()
        .await
        .unwrap();
    assert_eq!(by_alias.key_metadata().unwrap().key_id(), id);
    let e = kms
        .create_alias()
        .alias_name("alias/alarms")
        .target_key_id(&id)
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_already_exists_exception());
    // The AWS managed key behind alias/aws/sns exists on first use and cannot be changed.
    let sns_key = kms
        .describe_key()
        .key_id("alias/aws/sns")
        .send()
        .await
        .unwrap();
    let meta = sns_key.key_metadata().unwrap();
    assert_eq!(meta.key_manager().map(|m| m.as_str()), Some("AWS"));
    let e = kms
        .put_key_policy()
        .key_id(meta.key_id())
        .policy("{\"Statement\":[]}")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_unsupported_operation_exception());
    let aliases = kms.list_aliases().send().await.unwrap();
    assert!(aliases
        .aliases()
        .iter()
        .any(|a| a.alias_name() == Some("alias/aws/logs")));
    // Scheduled deletion, then cancelled: the key is disabled, as on AWS.
    let d = kms
        .schedule_key_deletion()
        .key_id(&id)
        .pending_window_in_days(7)
        .send()
        .await
        .unwrap();
    assert_eq!(d.key_state().map(|s| s.as_str()), Some("PendingDeletion"));
    let e = kms
        .enable_key_rotation()
        .key_id(&id)
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_kms_invalid_state_exception());
    kms.cancel_key_deletion().key_id(&id).send().await.unwrap();
    let m = kms.describe_key().key_id(&id).send().await.unwrap();
    assert_eq!(
        m.key_metadata().unwrap().key_state().map(|s| s.as_str()),
        Some("Disabled")
    );
    let e = kms
        .describe_key()
        .key_id("alias/none")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_not_found_exception());
}
