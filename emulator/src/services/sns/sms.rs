//! SNS text messaging: the region's SMS settings and its opt-out list, with SNS's validation and recorded
//! messages. Nothing is sent to a phone: a message published to a number is recorded in the outbox. A
//! number opts out on AWS by replying STOP, which nothing here can do, so the list stays empty unless a
//! saved state holds numbers.

use super::shared::{bad_token, invalid, Result, SnsError};
use crate::services::handler::{Call, EmptyOutput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The SMS attributes SNS takes, and the one it shows when never set (`MonthlySpendLimit`, 1 USD).
const SMS_ATTRIBUTES: &[&str] = &[
    "DefaultSenderID",
    "DefaultSMSType",
    "DeliveryStatusIAMRole",
    "DeliveryStatusSuccessSamplingRate",
    "MonthlySpendLimit",
    "UsageReportS3Bucket",
];
const DEFAULT_MONTHLY_SPEND_LIMIT: &str = "1";

/// An E.164 number, as Publish's `PhoneNumber` takes it: `+` then up to 15 digits, the first not 0.
pub(super) fn is_e164(n: &str) -> bool {
    let digits = n.strip_prefix('+').unwrap_or(n);
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

#[derive(Deserialize)]
pub(super) struct SetSmsAttributesInput {
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

pub(super) fn set_sms_attributes(
    call: &mut Call<'_>,
    i: SetSmsAttributesInput,
) -> Result<EmptyOutput> {
    for (k, v) in &i.attributes {
        if !SMS_ATTRIBUTES.contains(&k.as_str()) {
            return Err(SnsError::InvalidParameter(format!(
                "{k} is not a valid attribute"
            )));
        }
        if k == "DefaultSMSType" && v != "Promotional" && v != "Transactional" {
            return Err(SnsError::InvalidParameter(
                "DefaultSMSType is invalid".into(),
            ));
        }
    }
    call.region().sms_attributes.extend(i.attributes);
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
pub(super) struct GetSmsAttributesInput {
    #[serde(default)]
    attributes: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct SmsAttributesOutput {
    attributes: BTreeMap<String, String>,
}

/// The region's settings with the default spend limit; only the names asked for, when some are.
pub(super) fn get_sms_attributes(
    call: &mut Call<'_>,
    i: GetSmsAttributesInput,
) -> Result<SmsAttributesOutput> {
    let mut all = call.region().sms_attributes.clone();
    all.entry("MonthlySpendLimit".into())
        .or_insert_with(|| DEFAULT_MONTHLY_SPEND_LIMIT.into());
    if !i.attributes.is_empty() {
        all.retain(|k, _| i.attributes.contains(k));
    }
    Ok(SmsAttributesOutput { attributes: all })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PhoneNumberInput {
    phone_number: String,
}

fn checked(n: &str) -> Result<&str> {
    if is_e164(n) {
        Ok(n)
    } else {
        Err(invalid("PhoneNumber Reason: input incorrectly formatted"))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OptedOutOutput {
    is_opted_out: bool,
}

pub(super) fn check_if_phone_number_is_opted_out(
    call: &mut Call<'_>,
    i: PhoneNumberInput,
) -> Result<OptedOutOutput> {
    let n = checked(&i.phone_number)?;
    Ok(OptedOutOutput {
        is_opted_out: call.region().phone_numbers_opted_out.contains(n),
    })
}

/// Opting in a number that is not opted out succeeds (recorded).
pub(super) fn opt_in_phone_number(call: &mut Call<'_>, i: PhoneNumberInput) -> Result<EmptyOutput> {
    let n = checked(&i.phone_number)?.to_string();
    call.region().phone_numbers_opted_out.remove(&n);
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NextTokenInput {
    next_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OptedOutListOutput {
    phone_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Every opted-out number on one page (AWS pages by 100; a list this short needs no token).
pub(super) fn list_phone_numbers_opted_out(
    call: &mut Call<'_>,
    i: NextTokenInput,
) -> Result<OptedOutListOutput> {
    if i.next_token.is_some() {
        return Err(bad_token());
    }
    Ok(OptedOutListOutput {
        phone_numbers: call
            .region()
            .phone_numbers_opted_out
            .iter()
            .cloned()
            .collect(),
        next_token: None,
    })
}
