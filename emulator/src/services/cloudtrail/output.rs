//! CloudTrail's output shapes, as the CloudTrail API model names them, built from the model.

use crate::model::cloudtrail::{AdvancedEventSelector, EventSelector, Trail};
use crate::protocol::output::Timestamp;
use serde::Serialize;

/// A trail as CreateTrail, UpdateTrail, GetTrail and DescribeTrails show it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrailOut {
    name: String,
    s3_bucket_name: String,
    s3_key_prefix: Option<String>,
    sns_topic_name: Option<String>,
    #[serde(rename = "SnsTopicARN")]
    sns_topic_arn: Option<String>,
    include_global_service_events: bool,
    is_multi_region_trail: bool,
    home_region: String,
    #[serde(rename = "TrailARN")]
    trail_arn: String,
    log_file_validation_enabled: bool,
    cloud_watch_logs_log_group_arn: Option<String>,
    cloud_watch_logs_role_arn: Option<String>,
    kms_key_id: Option<String>,
    has_custom_event_selectors: bool,
    has_insight_selectors: bool,
    is_organization_trail: bool,
}

impl From<&Trail> for TrailOut {
    fn from(t: &Trail) -> Self {
        TrailOut {
            name: t.name.clone(),
            s3_bucket_name: t.s3_bucket_name.clone(),
            s3_key_prefix: t.s3_key_prefix.clone(),
            sns_topic_name: t.sns_topic_name.clone(),
            sns_topic_arn: t
                .sns_topic_name
                .as_ref()
                .map(|topic| format!("arn:aws:sns:{}:{}:{topic}", t.home_region, t.account)),
            include_global_service_events: t.include_global_service_events,
            is_multi_region_trail: t.is_multi_region_trail,
            home_region: t.home_region.clone(),
            trail_arn: t.arn(),
            log_file_validation_enabled: t.log_file_validation_enabled,
            cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn.clone(),
            cloud_watch_logs_role_arn: t.cloud_watch_logs_role_arn.clone(),
            kms_key_id: t.kms_key_id.clone(),
            has_custom_event_selectors: t.event_selectors.is_some()
                || t.advanced_event_selectors.is_some(),
            has_insight_selectors: false,
            is_organization_trail: t.is_organization_trail,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTrailOutput {
    pub trail: TrailOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeTrailsOutput {
    pub trail_list: Vec<TrailOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrailInfo {
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    pub name: String,
    pub home_region: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTrailStatusOutput {
    is_logging: bool,
    start_logging_time: Option<Timestamp>,
    stop_logging_time: Option<Timestamp>,
    latest_cloud_watch_logs_delivery_time: Option<Timestamp>,
    latest_delivery_time: Option<Timestamp>,
    latest_cloud_watch_logs_delivery_error: Option<String>,
    time_logging_started: Option<String>,
    time_logging_stopped: Option<String>,
}

impl From<&Trail> for GetTrailStatusOutput {
    fn from(t: &Trail) -> Self {
        GetTrailStatusOutput {
            is_logging: t.is_logging,
            start_logging_time: t.start_logging_time.map(Timestamp),
            stop_logging_time: t.stop_logging_time.map(Timestamp),
            latest_cloud_watch_logs_delivery_time: t
                .latest_cloud_watch_logs_delivery_time
                .map(Timestamp),
            latest_delivery_time: t.latest_delivery_time.map(Timestamp),
            latest_cloud_watch_logs_delivery_error: t
                .latest_cloud_watch_logs_delivery_error
                .clone(),
            time_logging_started: t.start_logging_time.map(crate::clock::iso8601),
            time_logging_stopped: t.stop_logging_time.map(crate::clock::iso8601),
        }
    }
}

/// PutEventSelectors and GetEventSelectors. The selectors are documents AWS echoes back as given, so
/// the model's selector types serve as their wire shape.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSelectorsOutput {
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    pub event_selectors: Option<Vec<EventSelector>>,
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceTag {
    pub resource_id: String,
    pub tags_list: Vec<crate::services::shapes::Tag>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsOutput {
    pub resource_tag_list: Vec<ResourceTag>,
}
