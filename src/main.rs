//! `orgwatch`: proves, without an AWS account, that an AWS organization is watched for Organizations
//! changes (CIS AWS Foundations 4.15 / 5.15).

mod allocator;
mod check_cmd;
mod common_args;
mod control_args;
mod drill_cmd;
mod emulator_cmd;
mod healthcheck_cmd;
mod logging;
mod pattern_cmd;
mod scenarios_cmd;
mod terraform_cmd;

use clap::{Parser, Subcommand};

use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "orgwatch",
    version,
    about = "Proves that an AWS organization is watched for Organizations changes (CIS 4.15 / 5.15)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide the control against an endpoint (real AWS by default), read-only.
    Check(check_cmd::CheckArgs),
    /// The fire drill: inject each Organizations event into an orgwatch emulator and check that a
    /// confirmed subscriber is notified (and notified again after the alarm recovers).
    Drill(drill_cmd::DrillArgs),
    /// Serve the CloudTrail, CloudWatch Logs, CloudWatch, SNS, STS and Organizations emulator.
    Emulator(emulator_cmd::EmulatorArgs),
    /// Exit 0 when a running emulator answers that it is ready (a container's HEALTHCHECK).
    Healthcheck(healthcheck_cmd::HealthcheckArgs),
    /// Work with CloudWatch Logs filter patterns: analyze coverage, test against messages.
    Pattern {
        #[command(subcommand)]
        command: pattern_cmd::PatternCommand,
    },
    /// Run scenario files (a configuration and the verdict it must get) against embedded emulators.
    Scenarios {
        #[command(subcommand)]
        command: scenarios_cmd::ScenariosCommand,
    },
    /// Run one Terraform command with every aws provider aimed at a running orgwatch emulator.
    Terraform(terraform_cmd::TerraformArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check_cmd::run(args),
        Command::Drill(args) => drill_cmd::run(args),
        Command::Emulator(args) => emulator_cmd::run(args),
        Command::Healthcheck(args) => healthcheck_cmd::run(args),
        Command::Pattern { command } => pattern_cmd::run(command),
        Command::Scenarios { command } => scenarios_cmd::run(command),
        Command::Terraform(args) => terraform_cmd::run(args),
    }
}
