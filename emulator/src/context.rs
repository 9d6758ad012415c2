//! Who is calling, where: the account, region and service of one request.
//!
//! Clients configured with one endpoint send every service to it; the SigV4 credential scope
//! (`Credential=AKID/20261127/us-east-1/monitoring/aws4_request`) names the region and the service. An
//! access key id of exactly 12 digits selects that account; any other key the default account.

use axum::http::HeaderMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    pub account: String,
    pub region: String,
    pub service: String,
    pub access_key: String,
    pub request_id: String,
}

/// The identity every caller of an account is: STS GetCallerIdentity's `Arn`, IAM GetUser's user, the
/// principal AWS names in an access-denied message and a subscription's `SubscriptionPrincipal`.
pub fn caller_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:user/orgwatch")
}

/// The parts of a SigV4 `Authorization` header's credential scope, borrowed from the header (read on
/// every request, so it copies nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope<'a> {
    pub access_key: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

impl<'a> Scope<'a> {
    /// The service the scope names, as the emulator routes it (CloudWatch signs for `monitoring`'s
    /// endpoint with the name `cloudwatch`).
    pub fn routed_service(&self) -> &'a str {
        match self.service {
            "cloudwatch" => "monitoring",
            other => other,
        }
    }
}

pub fn parse_scope(headers: &HeaderMap) -> Option<Scope<'_>> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let cred = auth.split("Credential=").nth(1)?;
    let cred = cred.split([',', ' ']).next()?;
    let mut parts = cred.split('/');
    let (access_key, date, region, service) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    Some(Scope {
        access_key,
        date,
        region,
        service,
    })
}

/// The account an access key selects.
pub fn account_for_key(key: &str, default_account: &str) -> String {
    if key.len() == 12 && key.bytes().all(|b| b.is_ascii_digit()) {
        key.to_string()
    } else {
        default_account.to_string()
    }
}
