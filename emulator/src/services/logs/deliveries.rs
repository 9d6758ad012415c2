//! CloudWatch Logs vended-log deliveries: delivery destinations (with their policies), delivery sources,
//! and the deliveries that connect them, with AWS's validation and recorded messages. Nothing flows
//! through a delivery here: the emulated services do not emit vended logs; the configuration is kept and
//! answered as AWS answers it.

use super::shared::{limit, page_by_index, LogsError, Result};
use crate::arn::parse_arn;
use crate::model::logs::{
    Delivery, DeliveryDestination, DeliverySource, DestinationConfiguration,
    S3DeliveryConfiguration,
};
use crate::services::handler::{Call, NoOutput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `outputFormat`'s values, in AWS's order (recorded in its validation message).
const OUTPUT_FORMATS: &[&str] = &["w3c", "raw", "json", "plain", "parquet"];

/// The services that can be a delivery source ("Enable logging from AWS services", vended logs). A
/// resource of another service is refused as AWS refuses an S3 bucket (recorded).
const SOURCE_SERVICES: &[&str] = &[
    "apprunner",
    "appsync",
    "bedrock",
    "bedrock-agentcore",
    "cloudfront",
    "codewhisperer",
    "cognito-idp",
    "connect",
    "elasticache",
    "entityresolution",
    "mediapackage",
    "mediatailor",
    "network-firewall",
    "pcs",
    "q",
    "qdeveloper",
    "rum",
    "sagemaker",
    "securitylake",
    "ses",
    "wisdom",
    "workmail",
    "xray",
];

/// CloudFront access logs: the fields and S3 suffix a delivery gets when it names none (recorded; the
/// only source whose defaults AWS's answers show).
const CLOUDFRONT_ACCESS_LOG_FIELDS: &[&str] = &[
    "date",
    "time",
    "x-edge-location",
    "sc-bytes",
    "c-ip",
    "cs-method",
    "cs(Host)",
    "cs-uri-stem",
    "sc-status",
    "cs(Referer)",
    "cs(User-Agent)",
    "cs-uri-query",
    "cs(Cookie)",
    "x-edge-result-type",
    "x-edge-request-id",
    "x-host-header",
    "cs-protocol",
    "cs-bytes",
    "time-taken",
    "x-forwarded-for",
    "ssl-protocol",
    "ssl-cipher",
    "x-edge-response-result-type",
    "cs-protocol-version",
    "fle-status",
    "fle-encrypted-fields",
    "c-port",
    "time-to-first-byte",
    "x-edge-detailed-result-type",
    "sc-content-type",
    "sc-content-len",
    "sc-range-start",
    "sc-range-end",
];

fn not_found(what: &str) -> LogsError {
    LogsError::ResourceNotFound(format!("Requested {what} does not exist in this account."))
}

fn logs_arn(call: &Call<'_>, kind: &str, name: &str) -> String {
    format!(
        "arn:aws:logs:{}:{}:{kind}:{name}",
        call.ctx.region, call.ctx.account
    )
}

/// A destination's type, from its resource's service.
fn destination_type(resource_arn: &str) -> Result<&'static str> {
    match parse_arn(resource_arn).map(|a| a.service) {
        Some(s) if s == "s3" => Ok("S3"),
        Some(s) if s == "logs" => Ok("CWL"),
        Some(s) if s == "firehose" => Ok("FH"),
        Some(s) if s == "xray" => Ok("XRAY"),
        _ => Err(LogsError::Validation(
            "Invalid destination resource ARN.".into(),
        )),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PutDeliveryDestinationInput {
    name: String,
    output_format: Option<String>,
    delivery_destination_configuration: DestinationConfiguration,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeliveryDestinationOutput {
    delivery_destination: DeliveryDestination,
}

/// Putting a destination that exists replaces it (its policy stays).
pub(super) fn put_delivery_destination(
    call: &mut Call<'_>,
    i: PutDeliveryDestinationInput,
) -> Result<DeliveryDestinationOutput> {
    if let Some(f) = &i.output_format {
        if !OUTPUT_FORMATS.contains(&f.as_str()) {
            return Err(LogsError::Validation(format!(
                "1 validation error detected: Value '{f}' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                OUTPUT_FORMATS.join(", ")
            )));
        }
    }
    let kind = destination_type(
        &i.delivery_destination_configuration
            .destination_resource_arn,
    )?;
    let arn = logs_arn(call, "delivery-destination", &i.name);
    let destinations = &mut call.region().delivery_destinations;
    let kept = destinations.iter().position(|d| d.name == i.name);
    let policy = kept.and_then(|k| destinations[k].policy.clone());
    let d = DeliveryDestination {
        name: i.name.clone(),
        arn,
        delivery_destination_type: kind.into(),
        output_format: i.output_format,
        delivery_destination_configuration: i.delivery_destination_configuration,
        tags: i.tags,
        policy,
    };
    match kept {
        Some(k) => destinations[k] = d.clone(),
        None => destinations.push(d.clone()),
    }
    Ok(DeliveryDestinationOutput {
        delivery_destination: d,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NameInput {
    name: String,
}

pub(super) fn get_delivery_destination(
    call: &mut Call<'_>,
    i: NameInput,
) -> Result<DeliveryDestinationOutput> {
    let d = destination(call, &i.name)?.clone();
    Ok(DeliveryDestinationOutput {
        delivery_destination: d,
    })
}

pub(super) fn delete_delivery_destination(call: &mut Call<'_>, i: NameInput) -> Result<NoOutput> {
    destination(call, &i.name)?;
    call.region()
        .delivery_destinations
        .retain(|d| d.name != i.name);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageInput {
    next_token: Option<String>,
    limit: Option<i64>,
}

/// One page of a collection, `nextToken` the index of the next item.
fn page<T: Clone>(all: Vec<T>, i: &PageInput) -> Result<(Vec<T>, Option<String>)> {
    page_by_index(all, i.next_token.as_deref(), limit(i.limit, 50)?)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeliveryDestinationsOutput {
    delivery_destinations: Vec<DeliveryDestination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub(super) fn describe_delivery_destinations(
    call: &mut Call<'_>,
    i: PageInput,
) -> Result<DeliveryDestinationsOutput> {
    let all = call.region().delivery_destinations.clone();
    let (delivery_destinations, next_token) = page(all, &i)?;
    Ok(DeliveryDestinationsOutput {
        delivery_destinations,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PutPolicyInput {
    delivery_destination_name: String,
    delivery_destination_policy: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Policy {
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_destination_policy: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PolicyOutput {
    policy: Policy,
}

fn destination<'c>(call: &'c mut Call<'_>, name: &str) -> Result<&'c mut DeliveryDestination> {
    call.region()
        .delivery_destinations
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| not_found("Delivery Destination"))
}

pub(super) fn put_delivery_destination_policy(
    call: &mut Call<'_>,
    i: PutPolicyInput,
) -> Result<PolicyOutput> {
    if serde_json::from_str::<serde_json::Value>(&i.delivery_destination_policy).is_err() {
        return Err(LogsError::InvalidParameter(
            "Policy document is not valid JSON.".into(),
        ));
    }
    destination(call, &i.delivery_destination_name)?.policy =
        Some(i.delivery_destination_policy.clone());
    Ok(PolicyOutput {
        policy: Policy {
            delivery_destination_policy: Some(i.delivery_destination_policy),
        },
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DestinationNameInput {
    delivery_destination_name: String,
}

/// A destination without a policy answers an empty policy (recorded).
pub(super) fn get_delivery_destination_policy(
    call: &mut Call<'_>,
    i: DestinationNameInput,
) -> Result<PolicyOutput> {
    let policy = destination(call, &i.delivery_destination_name)?
        .policy
        .clone();
    Ok(PolicyOutput {
        policy: Policy {
            delivery_destination_policy: policy,
        },
    })
}

pub(super) fn delete_delivery_destination_policy(
    call: &mut Call<'_>,
    i: DestinationNameInput,
) -> Result<NoOutput> {
    destination(call, &i.delivery_destination_name)?.policy = None;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PutDeliverySourceInput {
    name: String,
    resource_arn: String,
    log_type: String,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeliverySourceOutput {
    delivery_source: DeliverySource,
}

pub(super) fn put_delivery_source(
    call: &mut Call<'_>,
    i: PutDeliverySourceInput,
) -> Result<DeliverySourceOutput> {
    let service = parse_arn(&i.resource_arn)
        .map(|a| a.service)
        .filter(|s| SOURCE_SERVICES.contains(&s.as_str()))
        .ok_or_else(|| LogsError::ResourceNotFound("Cannot access provided service.".into()))?;
    let s = DeliverySource {
        arn: logs_arn(call, "delivery-source", &i.name),
        name: i.name.clone(),
        resource_arns: vec![i.resource_arn],
        service,
        log_type: i.log_type,
        tags: i.tags,
    };
    let sources = &mut call.region().delivery_sources;
    match sources.iter_mut().find(|k| k.name == i.name) {
        Some(kept) => *kept = s.clone(),
        None => sources.push(s.clone()),
    }
    Ok(DeliverySourceOutput { delivery_source: s })
}

/// AWS words a missing source with two full stops (recorded).
fn no_source() -> LogsError {
    LogsError::ResourceNotFound("Requested Delivery Source does not exist in this account..".into())
}

fn source(call: &mut Call<'_>, name: &str) -> Result<DeliverySource> {
    call.region()
        .delivery_sources
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .ok_or_else(no_source)
}

pub(super) fn get_delivery_source(
    call: &mut Call<'_>,
    i: NameInput,
) -> Result<DeliverySourceOutput> {
    let s = source(call, &i.name)?;
    Ok(DeliverySourceOutput { delivery_source: s })
}

pub(super) fn delete_delivery_source(call: &mut Call<'_>, i: NameInput) -> Result<NoOutput> {
    source(call, &i.name)?;
    call.region().delivery_sources.retain(|s| s.name != i.name);
    Ok(NoOutput)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeliverySourcesOutput {
    delivery_sources: Vec<DeliverySource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub(super) fn describe_delivery_sources(
    call: &mut Call<'_>,
    i: PageInput,
) -> Result<DeliverySourcesOutput> {
    let all = call.region().delivery_sources.clone();
    let (delivery_sources, next_token) = page(all, &i)?;
    Ok(DeliverySourcesOutput {
        delivery_sources,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateDeliveryInput {
    delivery_source_name: String,
    delivery_destination_arn: String,
    #[serde(default)]
    record_fields: Vec<String>,
    field_delimiter: Option<String>,
    s3_delivery_configuration: Option<S3DeliveryConfiguration>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Serialize)]
pub(super) struct DeliveryOutput {
    delivery: Delivery,
}

/// A delivery from a source to a destination of this region; what it does not name takes the source's
/// defaults (CloudFront access logs': every field, and `AWSLogs/{account-id}/CloudFront/` in S3).
pub(super) fn create_delivery(
    call: &mut Call<'_>,
    i: CreateDeliveryInput,
) -> Result<DeliveryOutput> {
    let source = source(call, &i.delivery_source_name)?;
    let destination = call
        .region()
        .delivery_destinations
        .iter()
        .find(|d| d.arn == i.delivery_destination_arn)
        .cloned()
        .ok_or_else(|| not_found("Delivery Destination"))?;
    let cloudfront_access = source.service == "cloudfront" && source.log_type == "ACCESS_LOGS";
    let record_fields = if i.record_fields.is_empty() && cloudfront_access {
        CLOUDFRONT_ACCESS_LOG_FIELDS
            .iter()
            .map(|f| f.to_string())
            .collect()
    } else {
        i.record_fields
    };
    let s3_delivery_configuration = (destination.delivery_destination_type == "S3").then(|| {
        i.s3_delivery_configuration
            .unwrap_or(S3DeliveryConfiguration {
                suffix_path: cloudfront_access.then(|| "AWSLogs/{account-id}/CloudFront/".into()),
                enable_hive_compatible_path: false,
            })
    });
    let id: String = uuid::Uuid::new_v4().simple().to_string()[..16].into();
    let d = Delivery {
        arn: logs_arn(call, "delivery", &id),
        id: id.clone(),
        delivery_source_name: source.name,
        delivery_destination_arn: destination.arn,
        delivery_destination_type: destination.delivery_destination_type,
        record_fields,
        field_delimiter: i.field_delimiter,
        s3_delivery_configuration,
        tags: i.tags,
    };
    call.region().deliveries.push(d.clone());
    Ok(DeliveryOutput { delivery: d })
}

#[derive(Deserialize)]
pub(super) struct IdInput {
    id: String,
}

pub(super) fn get_delivery(call: &mut Call<'_>, i: IdInput) -> Result<DeliveryOutput> {
    let d = call
        .region()
        .deliveries
        .iter()
        .find(|d| d.id == i.id)
        .cloned()
        .ok_or_else(|| not_found("Delivery"))?;
    Ok(DeliveryOutput { delivery: d })
}

pub(super) fn delete_delivery(call: &mut Call<'_>, i: IdInput) -> Result<NoOutput> {
    let deliveries = &mut call.region().deliveries;
    let k = deliveries
        .iter()
        .position(|d| d.id == i.id)
        .ok_or_else(|| not_found("Delivery"))?;
    deliveries.remove(k);
    Ok(NoOutput)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeliveriesOutput {
    deliveries: Vec<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub(super) fn describe_deliveries(call: &mut Call<'_>, i: PageInput) -> Result<DeliveriesOutput> {
    let all = call.region().deliveries.clone();
    let (deliveries, next_token) = page(all, &i)?;
    Ok(DeliveriesOutput {
        deliveries,
        next_token,
    })
}
