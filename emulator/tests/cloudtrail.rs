//! CloudTrail through the AWS SDK for Rust (AWS JSON 1.1).

mod common;

use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, EventSelector, ReadWriteType, Tag,
};
use aws_sdk_cloudtrail::Client;

const GROUP_ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*";

#[tokio::test]
async fn trails_status_selectors_and_shadows() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    common::trail_destinations(
        &conf,
        "trail-bucket",
        Some("CloudTrail_CloudWatchLogs_Role"),
    )
    .await;
    aws_sdk_cloudwatchlogs::Client::new(&conf)
        .create_log_group()
        .log_group_name("trail-logs")
        .send()
        .await
        .unwrap();
    let east = Client::new(&conf);
    let west = Client::new(&common::sdk(&h, "eu-west-1", "AKIDEXAMPLE").await);
    let created = east
        .create_trail()
        .name("org-trail")
        .s3_bucket_name("trail-bucket")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn(GROUP_ARN)
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        .tags_list(Tag::builder().key("owner").value("sec").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.trail_arn(),
        Some("arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail")
    );
    east.create_trail()
        .name("local")
        .s3_bucket_name("trail-bucket")
        .send()
        .await
        .unwrap();
    let err = east
        .create_trail()
        .name("local")
        .s3_bucket_name("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_trail_already_exists_exception());
    let err = east
        .create_trail()
        .name("x")
        .s3_bucket_name("trail-bucket")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_trail_name_exception());

    // The multi-region trail is a shadow trail in eu-west-1; the single-region one is not.
    let west_trails = west.describe_trails().send().await.unwrap();
    let names: Vec<_> = west_trails
        .trail_list()
        .iter()
        .filter_map(|t| t.name())
        .collect();
    assert_eq!(names, vec!["org-trail"]);
    assert_eq!(west_trails.trail_list()[0].home_region(), Some("us-east-1"));
    assert!(west
        .describe_trails()
        .include_shadow_trails(false)
        .send()
        .await
        .unwrap()
        .trail_list()
        .is_empty());
    assert_eq!(
        east.describe_trails()
            .send()
            .await
            .unwrap()
            .trail_list()
            .len(),
        2
    );
    assert_eq!(east.list_trails().send().await.unwrap().trails().len(), 2);

    let status = east
        .get_trail_status()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    assert_eq!(status.is_logging(), Some(false));
    east.start_logging().name("org-trail").send().await.unwrap();
    let status = west
        .get_trail_status()
        .name(created.trail_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(status.is_logging(), Some(true));
    assert!(status.start_logging_time().is_some());
    let err = west
        .stop_logging()
        .name(created.trail_arn().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_home_region_exception());

    let sel = east
        .get_event_selectors()
        .trail_name("org-trail")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sel.event_selectors()[0].read_write_type(),
        Some(&ReadWriteType::All)
    );
    assert_eq!(
        sel.event_selectors()[0].include_management_events(),
        Some(true)
    );
    east.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let sel = east
        .get_event_selectors()
        .trail_name("org-trail")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sel.event_selectors()[0].read_write_type(),
        Some(&ReadWriteType::WriteOnly)
    );
    let mgmt = AdvancedEventSelector::builder()
        .name("management")
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventCategory")
                .equals("Management")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    east.put_event_selectors()
        .trail_name("org-trail")
        .advanced_event_selectors(mgmt)
        .send()
        .await
        .unwrap();
    let sel = east
        .get_event_selectors()
        .trail_name("org-trail")
        .send()
        .await
        .unwrap();
    assert!(sel.event_selectors().is_empty());
    assert_eq!(
        sel.advanced_event_selectors()[0].field_selectors()[0].equals(),
        ["Management".to_string()]
    );

    let upd = east
        .update_trail()
        .name("local")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    assert_eq!(upd.is_multi_region_trail(), Some(true));
    let got = east.get_trail().name("org-trail").send().await.unwrap();
    assert_eq!(
        got.trail().unwrap().cloud_watch_logs_log_group_arn(),
        Some(GROUP_ARN)
    );
    east.add_tags()
        .resource_id(created.trail_arn().unwrap())
        .tags_list(Tag::builder().key("k").value("v").build().unwrap())
        .send()
        .await
        .unwrap();
    let tags = east
        .list_tags()
        .resource_id_list(created.trail_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(tags.resource_tag_list()[0].tags_list().len(), 2);
    east.remove_tags()
        .resource_id(created.trail_arn().unwrap())
        .tags_list(Tag::builder().key("k").build().unwrap())
        .send()
        .await
        .unwrap();
    let tags = east
        .list_tags()
        .resource_id_list(created.trail_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(tags.resource_tag_list()[0].tags_list().len(), 1);

    east.delete_trail().name("local").send().await.unwrap();
    let err = east
        .get_trail_status()
        .name("local")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_trail_not_found_exception());
}

/// A classic selector's `ReadWriteType` outside AWS's set is CloudTrail's own error, with AWS's message.
#[tokio::test]
async fn a_read_write_type_outside_the_set_is_refused_with_awss_message() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    common::trail_destinations(&conf, "trail-bucket", None).await;
    let ct = Client::new(&conf);
    ct.create_trail()
        .name("selectors")
        .s3_bucket_name("trail-bucket")
        .send()
        .await
        .unwrap();
    let err = ct
        .put_event_selectors()
        .trail_name("selectors")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::from("Writes"))
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_event_selectors_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("1 validation error detected: Value 'Writes' at 'readWriteType' failed to satisfy constraint: Member must satisfy enum value set: [ReadOnly, WriteOnly, All]")
    );
    let selectors = ct
        .get_event_selectors()
        .trail_name("selectors")
        .send()
        .await
        .unwrap();
    assert_eq!(
        selectors.event_selectors()[0].read_write_type(),
        Some(&ReadWriteType::All),
        "a refused call changes nothing"
    );
}
