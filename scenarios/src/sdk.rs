//! The AWS SDK for Rust as the harness uses it: one configuration per account (its 12-digit access key)
//! and region of an emulator, sharing one HTTP client.

use aws_config::{BehaviorVersion, Region, SdkConfig};

/// One SDK configuration (and so one HTTP client, whose TLS set-up is the costly part) for every scenario.
static BASE: tokio::sync::OnceCell<SdkConfig> = tokio::sync::OnceCell::const_new();

async fn base() -> &'static SdkConfig {
    BASE.get_or_init(|| async {
        let creds = aws_credential_types::Credentials::new(
            "AKIDEXAMPLE",
            "orgwatch",
            None,
            None,
            "orgwatch-scenario",
        );
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(creds)
            .load()
            .await
    })
    .await
}

/// The SDK configuration for one account (its 12-digit access key) and region of an emulator.
pub async fn sdk(endpoint: &str, account: &str, region: &str) -> SdkConfig {
    let creds = aws_credential_types::Credentials::new(
        account,
        "orgwatch",
        None,
        None,
        "orgwatch-scenario",
    );
    base()
        .await
        .to_builder()
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build()
}
