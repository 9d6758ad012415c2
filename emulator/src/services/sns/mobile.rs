//! SNS mobile push: platform applications (a platform's credentials) and their device endpoints, with
//! SNS's validation and recorded messages. Nothing is pushed to a platform: a message published to an
//! endpoint, directly or through a topic, is recorded in the outbox like every other delivery.

use super::output::AttributesOutput;
use super::shared::{arn_home, bad_token, invalid, not_found, Result, SnsError};
use crate::model::sns::{PlatformApplication, PlatformEndpoint};
use crate::services::handler::{Call, NoOutput};
use crate::services::shapes::{Listing, Members};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The platforms SNS pushes to.
const PLATFORMS: &[&str] = &[
    "ADM",
    "APNS",
    "APNS_SANDBOX",
    "APNS_VOIP",
    "APNS_VOIP_SANDBOX",
    "MACOS",
    "MACOS_SANDBOX",
    "BAIDU",
    "GCM",
    "MPNS",
    "WNS",
];

/// The attributes an endpoint may be given.
const ENDPOINT_ATTRIBUTES: &[&str] = &["CustomUserData", "Enabled", "Token"];

/// `CustomUserData`: at most 2 KiB of UTF-8.
const MAX_CUSTOM_USER_DATA: usize = 2048;

/// The attributes an application shows: never its credentials.
const SECRET_ATTRIBUTES: &[&str] = &["PlatformCredential", "PlatformPrincipal"];

/// A required map left out is refused before anything else, in the validation framework's words (recorded
/// for CreatePlatformApplication, SetPlatformApplicationAttributes and SetEndpointAttributes).
fn required_attributes(a: Option<BTreeMap<String, String>>) -> Result<BTreeMap<String, String>> {
    a.filter(|a| !a.is_empty()).ok_or_else(|| {
        SnsError::ValidationError(
            "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null".into(),
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CreatePlatformApplicationInput {
    name: String,
    platform: String,
    attributes: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PlatformApplicationArnOutput {
    platform_application_arn: String,
}

pub(super) fn create_platform_application(
    call: &mut Call<'_>,
    i: CreatePlatformApplicationInput,
) -> Result<PlatformApplicationArnOutput> {
    let attributes = required_attributes(i.attributes)?;
    let name = &i.name;
    if name.is_empty() {
        return Err(invalid(" Reason: cannot be empty"));
    }
    if name.chars().count() > 256 {
        return Err(invalid(format!(
            "{name} Reason: must be at most 256 characters long"
        )));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(invalid(format!(
            "{name} Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'"
        )));
    }
    if !PLATFORMS.contains(&i.platform.as_str()) {
        return Err(invalid(format!(
            "Platform Reason: {} is not supported",
            i.platform
        )));
    }
    // A principal and a credential go together; GCM (Firebase) takes a credential alone.
    let has = |k: &str| attributes.contains_key(k);
    if has("PlatformPrincipal") && !has("PlatformCredential") {
        return Err(invalid(
            "Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential",
        ));
    }
    if has("PlatformCredential") && !has("PlatformPrincipal") && i.platform != "GCM" {
        return Err(invalid(
            "Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal",
        ));
    }
    let arn = format!(
        "arn:aws:sns:{}:{}:app/{}/{name}",
        call.ctx.region, call.ctx.account, i.platform
    );
    let app = PlatformApplication {
        arn: arn.clone(),
        name: name.clone(),
        platform: i.platform,
        attributes,
    };
    call.region().platform_applications.insert(arn.clone(), app);
    Ok(PlatformApplicationArnOutput {
        platform_application_arn: arn,
    })
}

/// What an application shows of its attributes: `Enabled` and what was set, credentials left out.
fn shown(app: &PlatformApplication) -> BTreeMap<String, String> {
    let mut a: BTreeMap<String, String> = app
        .attributes
        .iter()
        .filter(|(k, _)| !SECRET_ATTRIBUTES.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    a.entry("Enabled".into()).or_insert_with(|| "true".into());
    a
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApplicationArnInput {
    platform_application_arn: String,
}

fn application<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut PlatformApplication> {
    arn_home(call, arn, "PlatformApplicationArn")?
        .platform_applications
        .get_mut(arn)
        .ok_or_else(|| not_found("PlatformApplication"))
}

pub(super) fn get_platform_application_attributes(
    call: &mut Call<'_>,
    i: ApplicationArnInput,
) -> Result<AttributesOutput> {
    let app = application(call, &i.platform_application_arn)?;
    Ok(AttributesOutput {
        attributes: shown(app),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SetApplicationAttributesInput {
    platform_application_arn: String,
    attributes: Option<BTreeMap<String, String>>,
}

pub(super) fn set_platform_application_attributes(
    call: &mut Call<'_>,
    i: SetApplicationAttributesInput,
) -> Result<NoOutput> {
    // The ARN is read first, then the map, then the application (recorded).
    arn_home(call, &i.platform_application_arn, "PlatformApplicationArn")?;
    let attributes = required_attributes(i.attributes)?;
    application(call, &i.platform_application_arn)?
        .attributes
        .extend(attributes);
    Ok(NoOutput)
}

/// Deleting an application deletes its endpoints; deleting one already gone succeeds.
pub(super) fn delete_platform_application(
    call: &mut Call<'_>,
    i: ApplicationArnInput,
) -> Result<NoOutput> {
    let arn = i.platform_application_arn;
    let r = arn_home(call, &arn, "PlatformApplicationArn")?;
    r.platform_applications.remove(&arn);
    r.platform_endpoints.retain(|_, e| e.application_arn != arn);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct NextTokenInput {
    next_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApplicationOut {
    platform_application_arn: String,
    attributes: BTreeMap<String, String>,
}

/// ListPlatformApplications and ListEndpointsByPlatformApplication: up to 100 a page.
const PAGE: usize = 100;

pub(super) fn list_platform_applications(
    call: &mut Call<'_>,
    i: NextTokenInput,
) -> Result<Listing<ApplicationOut>> {
    let apps: Vec<PlatformApplication> = call
        .region()
        .platform_applications
        .values()
        .cloned()
        .collect();
    let members = Members {
        items: "PlatformApplications",
        token: "NextToken",
    };
    Listing::page(
        members,
        &apps,
        i.next_token.as_deref(),
        PAGE,
        bad_token,
        |a| ApplicationOut {
            attributes: shown(&a),
            platform_application_arn: a.arn,
        },
    )
}

/// Checks an endpoint's attributes: only SNS's three names, `CustomUserData` at most 2 KiB.
fn check_endpoint_attributes(a: &BTreeMap<String, String>) -> Result<()> {
    for (k, v) in a {
        if !ENDPOINT_ATTRIBUTES.contains(&k.as_str()) {
            return Err(invalid(format!(
                "Attributes Reason: Invalid attribute name: {k}"
            )));
        }
        if k == "CustomUserData" && v.len() > MAX_CUSTOM_USER_DATA {
            return Err(invalid(
                "Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding",
            ));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CreatePlatformEndpointInput {
    platform_application_arn: String,
    token: String,
    custom_user_data: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EndpointArnOutput {
    endpoint_arn: String,
}

/// Creating an endpoint for a token the application already has returns that endpoint when the
/// attributes are the same, and is refused when they differ (recorded).
pub(super) fn create_platform_endpoint(
    call: &mut Call<'_>,
    i: CreatePlatformEndpointInput,
) -> Result<EndpointArnOutput> {
    check_endpoint_attributes(&i.attributes)?;
    let app = application(call, &i.platform_application_arn)?;
    let (platform, name) = (app.platform.clone(), app.name.clone());
    let mut attributes = BTreeMap::from([
        ("Enabled".to_string(), "true".to_string()),
        ("Token".to_string(), i.token.clone()),
    ]);
    if let Some(data) = i.custom_user_data {
        attributes.insert("CustomUserData".into(), data);
    }
    // `CustomUserData` given twice: the attribute wins over the parameter (recorded).
    attributes.extend(i.attributes);
    let (region, account) = (call.ctx.region.clone(), call.ctx.account.clone());
    let r = arn_home(call, &i.platform_application_arn, "PlatformApplicationArn")?;
    if let Some(e) = r.platform_endpoints.values().find(|e| {
        e.application_arn == i.platform_application_arn
            && e.attributes.get("Token") == Some(&i.token)
    }) {
        if e.attributes != attributes {
            return Err(invalid(format!(
                "Token Reason: Endpoint {} already exists with the same Token, but different attributes.",
                e.arn
            )));
        }
        return Ok(EndpointArnOutput {
            endpoint_arn: e.arn.clone(),
        });
    }
    let arn = format!(
        "arn:aws:sns:{region}:{account}:endpoint/{platform}/{name}/{}",
        uuid::Uuid::new_v4()
    );
    r.platform_endpoints.insert(
        arn.clone(),
        PlatformEndpoint {
            arn: arn.clone(),
            application_arn: i.platform_application_arn,
            attributes,
        },
    );
    Ok(EndpointArnOutput { endpoint_arn: arn })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EndpointArnInput {
    endpoint_arn: String,
}

fn endpoint<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut PlatformEndpoint> {
    arn_home(call, arn, "EndpointArn")?
        .platform_endpoints
        .get_mut(arn)
        .ok_or_else(|| not_found("Endpoint"))
}

pub(super) fn get_endpoint_attributes(
    call: &mut Call<'_>,
    i: EndpointArnInput,
) -> Result<AttributesOutput> {
    Ok(AttributesOutput {
        attributes: endpoint(call, &i.endpoint_arn)?.attributes.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SetEndpointAttributesInput {
    endpoint_arn: String,
    attributes: Option<BTreeMap<String, String>>,
}

pub(super) fn set_endpoint_attributes(
    call: &mut Call<'_>,
    i: SetEndpointAttributesInput,
) -> Result<NoOutput> {
    let attributes = required_attributes(i.attributes)?;
    let e = endpoint(call, &i.endpoint_arn)?;
    check_endpoint_attributes(&attributes)?;
    e.attributes.extend(attributes);
    Ok(NoOutput)
}

/// Deleting an endpoint leaves its subscriptions (AWS's guide: unsubscribe them too; recorded); deleting
/// one already gone succeeds.
pub(super) fn delete_endpoint(call: &mut Call<'_>, i: EndpointArnInput) -> Result<NoOutput> {
    arn_home(call, &i.endpoint_arn, "EndpointArn")?
        .platform_endpoints
        .remove(&i.endpoint_arn);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListEndpointsInput {
    platform_application_arn: String,
    next_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EndpointOut {
    endpoint_arn: String,
    attributes: BTreeMap<String, String>,
}

pub(super) fn list_endpoints_by_platform_application(
    call: &mut Call<'_>,
    i: ListEndpointsInput,
) -> Result<Listing<EndpointOut>> {
    let arn = &i.platform_application_arn;
    let r = arn_home(call, arn, "PlatformApplicationArn")?;
    if !r.platform_applications.contains_key(arn) {
        return Err(not_found("PlatformApplication"));
    }
    let endpoints: Vec<PlatformEndpoint> = r
        .platform_endpoints
        .values()
        .filter(|e| &e.application_arn == arn)
        .cloned()
        .collect();
    let members = Members {
        items: "Endpoints",
        token: "NextToken",
    };
    Listing::page(
        members,
        &endpoints,
        i.next_token.as_deref(),
        PAGE,
        bad_token,
        |e| EndpointOut {
            endpoint_arn: e.arn,
            attributes: e.attributes,
        },
    )
}
