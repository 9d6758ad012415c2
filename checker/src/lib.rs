//! The checker: decides the CIS Organizations-changes control — or any of the fifteen controls of the CIS
//! monitoring family, from one inventory — against any endpoint (real AWS or the emulator) through the
//! official AWS SDK for Rust, read-only, and explains each verdict as chains.
//!
//! [`collect`] gathers an [`inventory::Inventory`] (I/O); [`decide::decide`] turns it into a
//! [`report::Report`] (pure); [`fix`] fills the remediation commands. [`check`] runs both.

pub mod collect;
pub mod decide;
pub mod fix;
pub mod inventory;
pub mod reason;
pub mod report;
pub mod verify;

pub use collect::Target;
pub use reason::{Reason, Severity};
pub use report::{FamilyReport, Report, Status};

/// Collects and decides.
pub async fn check(target: &Target) -> (inventory::Inventory, Report) {
    check_with(target, false).await
}

/// Collects and decides; with `verify_with_service`, also cross-checks the analyzer's witnesses with the
/// endpoint's TestMetricFilter (disagreements are reported as `engine-disagrees` warnings).
pub async fn check_with(
    target: &Target,
    verify_with_service: bool,
) -> (inventory::Inventory, Report) {
    let conf = collect::sdk_config(target).await;
    check_config(&conf, verify_with_service).await
}

/// Collects with a ready SDK configuration (callers that check many endpoints share one HTTP client).
pub async fn check_config(
    conf: &aws_config::SdkConfig,
    verify_with_service: bool,
) -> (inventory::Inventory, Report) {
    let mut inv = collect::collect(conf).await;
    let mut report = decide::decide(&inv);
    if verify_with_service {
        let (findings, calls) = verify::verify_with_service(conf, &inv).await;
        *inv.calls.entry("logs:TestMetricFilter".into()).or_default() += calls;
        report.api_calls += calls;
        report.findings.extend(findings);
    }
    (inv, report)
}

/// Collects once and decides several controls of the family in benchmark version `b`.
pub async fn check_family(
    conf: &aws_config::SdkConfig,
    controls: &[&'static orgwatch_pattern::family::Control],
    b: orgwatch_pattern::family::Benchmark,
) -> (inventory::Inventory, FamilyReport) {
    let inv = collect::collect(conf).await;
    let report = decide::decide_family(&inv, controls, b);
    (inv, report)
}
