//! A [testcontainers](https://docs.rs/testcontainers) module for the orgwatch image: the emulator of
//! CloudTrail, CloudWatch Logs, CloudWatch, SNS, SQS, STS, S3, IAM, KMS and Organizations, started for a
//! test and ready once it prints `Ready.` (its listener bound and its init scenarios applied).
//!
//! The image is built locally from the orgwatch repository (`./build-image.sh`; nothing is pulled): its
//! name is `orgwatch`, its tag this crate's version. [`start`] fails with a message that says so when
//! the engine does not hold it, rather than trying a registry.
//!
//! ```no_run
//! use orgwatch_testcontainers::{admin, sdk_config, start, Orgwatch};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // A container holding the configuration of a scenario file, subscriptions confirmed at once.
//! let container = start(
//!     Orgwatch::default()
//!         .with_scenario("scenarios/compliant-as-the-control-prints-it.json")
//!         .with_auto_confirm(),
//! )
//! .await?;
//! // The AWS SDK for Rust, aimed at it (the default account; `sdk_config_for` picks another).
//! let sns = aws_sdk_sns::Client::new(&sdk_config(&container).await?);
//! let topics = sns.list_topics().send().await?;
//! assert_eq!(topics.topics().len(), 1);
//! // What no AWS API does: the emulator's clock, injected records, the SNS outbox.
//! let clock = admin(&container).await?.clock().await?;
//! assert!(!clock.is_virtual);
//! # Ok(())
//! # }
//! ```

use aws_config::{BehaviorVersion, Region, SdkConfig};
use orgwatch_emulator::admin::client::AdminClient;
use std::borrow::Cow;
use std::path::Path;
use testcontainers::core::{ContainerPort, Mount, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, ContainerRequest, CopyTargetOptions, CopyToContainer, Image};

/// The image's name.
pub const NAME: &str = "orgwatch";
/// The image's tag: the version of orgwatch this crate belongs to.
pub const TAG: &str = env!("CARGO_PKG_VERSION");
/// The port the emulator serves inside the container (AWS APIs, `/_orgwatch/`, LocalStack's health).
pub const PORT: ContainerPort = ContainerPort::Tcp(4566);
/// The line the emulator prints on standard output once it serves and holds its init scenarios.
pub const READY: &str = "Ready.";
/// Where the image reads its init scenarios from.
pub const INIT_DIR: &str = "/etc/orgwatch/init";
/// Where the image keeps its state when asked to ([`Orgwatch::with_state_volume`]).
pub const STATE_DIR: &str = "/var/lib/orgwatch";
/// The account an access key that is not 12 digits acts in, unless [`Orgwatch::with_default_account`].
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The orgwatch emulator image, configured for a test.
#[derive(Debug, Clone)]
pub struct Orgwatch {
    name: String,
    tag: String,
    env: Vec<(String, String)>,
    scenarios: Vec<CopyToContainer>,
    mounts: Vec<Mount>,
    default_account: String,
}

impl Default for Orgwatch {
    fn default() -> Self {
        Orgwatch {
            name: NAME.into(),
            tag: TAG.into(),
            env: Vec::new(),
            scenarios: Vec::new(),
            mounts: Vec::new(),
            default_account: DEFAULT_ACCOUNT.into(),
        }
    }
}

impl Orgwatch {
    /// Another image name (a copy pushed to a registry of your own, say).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Another tag.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = tag.into();
        self
    }

    /// A scenario file whose configuration (`given`) the container applies before it is ready. Files
    /// are applied in the order given; a file that is not valid stops the container, with the file,
    /// line, column and reason on its standard error.
    pub fn with_scenario(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let file = path
            .file_name()
            .map_or_else(|| "scenario.json".into(), |f| f.to_string_lossy());
        // A numeric prefix keeps the order of the calls: the image applies its folder in name order.
        let target = format!("{INIT_DIR}/{:03}-{file}", self.scenarios.len());
        self.scenarios.push(CopyToContainer::new(
            path.to_path_buf(),
            CopyTargetOptions::new(target).with_mode(0o644),
        ));
        self
    }

    /// Confirms HTTP/HTTPS and email subscriptions at once instead of leaving them pending.
    pub fn with_auto_confirm(self) -> Self {
        self.with_env("ORGWATCH_AUTO_CONFIRM", "true")
    }

    /// The account that access keys which are not 12 digits act in (and that [`sdk_config`] uses).
    pub fn with_default_account(mut self, account: impl Into<String>) -> Self {
        self.default_account = account.into();
        let account = self.default_account.clone();
        self.with_env("ORGWATCH_DEFAULT_ACCOUNT", account)
    }

    /// Keeps the state on the named Docker volume: a container started later on the same volume holds
    /// everything this one answered. A new volume takes the image's folder, owned by the user the
    /// emulator runs as.
    pub fn with_state_volume(mut self, volume: impl Into<String>) -> Self {
        self.mounts.push(Mount::volume_mount(volume, STATE_DIR));
        self.with_env("ORGWATCH_STATE", format!("{STATE_DIR}/state.json"))
    }

    /// Any `ORGWATCH_*` setting of `orgwatch emulator` (each flag has one).
    pub fn with_env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// The account [`sdk_config`] acts in.
    pub fn default_account(&self) -> &str {
        &self.default_account
    }
}

impl Image for Orgwatch {
    fn name(&self) -> &str {
        &self.name
    }

    fn tag(&self) -> &str {
        &self.tag
    }

    fn ready_conditions(&self) -> Vec<WaitFor> {
        vec![WaitFor::message_on_stdout(READY)]
    }

    fn env_vars(
        &self,
    ) -> impl IntoIterator<Item = (impl Into<Cow<'_, str>>, impl Into<Cow<'_, str>>)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn mounts(&self) -> impl IntoIterator<Item = &Mount> {
        &self.mounts
    }

    fn copy_to_sources(&self) -> impl IntoIterator<Item = &CopyToContainer> {
        &self.scenarios
    }

    fn expose_ports(&self) -> &[ContainerPort] {
        &[PORT]
    }
}

/// Why a container could not be started or reached.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the Docker engine has no image {0}: build it in the orgwatch repository with `./build-image.sh` (images are built locally; none is pulled)"
    )]
    ImageMissing(String),
    #[error("the Docker engine could not be asked about image {0}: {1}")]
    Engine(String, String),
    #[error(transparent)]
    Testcontainers(#[from] testcontainers::TestcontainersError),
    #[error(transparent)]
    Admin(#[from] orgwatch_emulator::admin::client::AdminError),
}

/// Starts a container of the image once the engine is known to hold it (a missing image is an
/// [`Error::ImageMissing`] that says how to build it, never a pull from a registry). Takes an
/// [`Orgwatch`], or a request made from one with [`testcontainers::ImageExt`] (a network, a host name).
pub async fn start(
    request: impl Into<ContainerRequest<Orgwatch>>,
) -> Result<ContainerAsync<Orgwatch>, Error> {
    let request = request.into();
    let reference = format!("{}:{}", request.image().name(), request.image().tag());
    let docker = testcontainers::core::client::docker_client_instance()
        .await
        .map_err(|e| Error::Engine(reference.clone(), e.to_string()))?;
    match docker.inspect_image(&reference).await {
        Ok(_) => {}
        Err(testcontainers::bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }) => return Err(Error::ImageMissing(reference)),
        Err(e) => return Err(Error::Engine(reference, e.to_string())),
    }
    Ok(request.start().await?)
}

/// The endpoint URL of the container's emulator on this host (`http://127.0.0.1:49153`).
pub async fn endpoint_url(container: &ContainerAsync<Orgwatch>) -> Result<String, Error> {
    let host = container.get_host().await?;
    let port = container.get_host_port_ipv4(PORT).await?;
    Ok(format!("http://{host}:{port}"))
}

/// An SDK configuration aimed at the container, acting in its default account in us-east-1.
pub async fn sdk_config(container: &ContainerAsync<Orgwatch>) -> Result<SdkConfig, Error> {
    let account = container.image().default_account().to_string();
    sdk_config_for(container, &account, "us-east-1").await
}

/// An SDK configuration aimed at the container, acting in `account` (a 12-digit access key selects
/// the account) and `region`.
pub async fn sdk_config_for(
    container: &ContainerAsync<Orgwatch>,
    account: &str,
    region: &str,
) -> Result<SdkConfig, Error> {
    let endpoint = endpoint_url(container).await?;
    let credentials =
        aws_credential_types::Credentials::new(account, "orgwatch", None, None, "orgwatch");
    Ok(aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(credentials)
        .load()
        .await)
}

/// The typed client of the container's admin API (`/_orgwatch/`: the clock, injected CloudTrail
/// records, the SNS outbox, faults, state export).
pub async fn admin(container: &ContainerAsync<Orgwatch>) -> Result<AdminClient, Error> {
    Ok(AdminClient::new(&endpoint_url(container).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_copied_in_the_order_given_readable_by_the_emulator() {
        let image = Orgwatch::default()
            .with_scenario("b/zeta.json")
            .with_scenario("a/alpha.json");
        // CopyToContainer shows its target and mode only through Debug.
        let targets: Vec<String> = image
            .copy_to_sources()
            .into_iter()
            .map(|c| format!("{c:?}"))
            .collect();
        assert_eq!(targets.len(), 2);
        assert!(
            targets[0].contains("\"/etc/orgwatch/init/000-zeta.json\""),
            "{targets:?}"
        );
        assert!(
            targets[1].contains("\"/etc/orgwatch/init/001-alpha.json\""),
            "{targets:?}"
        );
        assert!(
            targets.iter().all(|t| t.contains("mode: Some(420)")),
            "0o644: {targets:?}"
        );
    }

    #[test]
    fn settings_become_the_emulators_environment() {
        let image = Orgwatch::default()
            .with_auto_confirm()
            .with_default_account("111122223333")
            .with_state_volume("kept");
        let env: Vec<(String, String)> = image
            .env_vars()
            .into_iter()
            .map(|(k, v)| (k.into().into_owned(), v.into().into_owned()))
            .collect();
        assert!(env.contains(&("ORGWATCH_AUTO_CONFIRM".into(), "true".into())));
        assert!(env.contains(&("ORGWATCH_DEFAULT_ACCOUNT".into(), "111122223333".into())));
        assert!(env.contains(&(
            "ORGWATCH_STATE".into(),
            "/var/lib/orgwatch/state.json".into()
        )));
        assert_eq!(image.default_account(), "111122223333");
        let mounts: Vec<&Mount> = image.mounts().into_iter().collect();
        assert_eq!(mounts[0].source(), Some("kept"));
        assert_eq!(mounts[0].target(), Some(STATE_DIR));
        assert_eq!(image.name(), "orgwatch");
        assert_eq!(image.tag(), env!("CARGO_PKG_VERSION"));
    }
}
