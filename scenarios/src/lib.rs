//! Scenarios: a configuration plus the verdict the checker must reach, run against a fresh embedded
//! emulator. [`format`] (the file format and its `file:line:col` errors), [`apply`] (the configuration,
//! through the AWS APIs), [`steps`] (what happens after, and what must hold), [`record`] (a scenario from
//! a live account's inventory), [`terraform`] (a scenario from `terraform show -json`), [`runner`] (behind
//! `orgwatch check --scenario` and `orgwatch scenarios test`, and `boot_catalogue`: an emulator holding a
//! catalogue scenario in one call), and [`files`] (loading and finding scenario files). The command line only
//! parses arguments and prints.
//!
//! Everything but [`format`] and loading sits behind the default `harness` feature (the emulator's SDK
//! clients, the checker, Terraform): the scenario-loader fuzz target builds without them.

#[cfg(feature = "harness")]
pub mod access;
#[cfg(feature = "harness")]
pub mod apply;
#[cfg(feature = "harness")]
pub mod check;
#[cfg(feature = "harness")]
pub mod destinations;
pub mod files;
pub mod format;
#[cfg(feature = "harness")]
pub mod init;
#[cfg(feature = "harness")]
pub mod options;
#[cfg(feature = "harness")]
pub mod record;
#[cfg(feature = "harness")]
pub mod runner;
#[cfg(feature = "harness")]
pub mod sdk;
#[cfg(feature = "harness")]
pub mod snapshot;
#[cfg(feature = "harness")]
pub mod steps;
#[cfg(feature = "harness")]
pub mod terraform;
#[cfg(feature = "harness")]
pub mod tfconfig;
#[cfg(feature = "harness")]
pub mod tfrun;
#[cfg(feature = "harness")]
pub mod tfsteps;

pub use files::{catalogue, catalogue_dir, discover, load};
#[cfg(feature = "harness")]
pub use options::Options;
#[cfg(feature = "harness")]
pub use runner::*;
