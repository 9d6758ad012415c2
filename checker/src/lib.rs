//! The checker: decides the CIS Organizations-changes control against any endpoint (real AWS or the
//! emulator) through the official AWS SDK for Rust, read-only, and explains the verdict as chains.
//!
//! [`collect`] gathers an [`inventory::Inventory`] (I/O); [`decide::decide`] turns it into a
//! [`report::Report`] (pure); [`fix`] fills the remediation commands. [`check`] runs both.

pub mod collect;
pub mod decide;
pub mod fix;
pub mod inventory;
pub mod report;

pub use collect::Target;
pub use report::{Report, Status};

/// Collects and decides.
pub async fn check(target: &Target) -> (inventory::Inventory, Report) {
    let conf = collect::sdk_config(target).await;
    let inv = collect::collect(&conf).await;
    let report = decide::decide(&inv);
    (inv, report)
}
