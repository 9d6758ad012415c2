//! `orgwatch pattern ...`: the filter-pattern engine from the command line.
//!
//! `analyze` proves which of the 18 Organizations events a pattern matches (default: the CIS pattern), or,
//! with `--control`, which cases of another control's intent; `test` runs a pattern over messages as
//! TestMetricFilter does. Exit codes: 0 the pattern covers the whole intent (analyze) or matched something
//! (test), 1 it does not, 2 a usage error or an invalid pattern.

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use orgwatch_pattern::coverage::{analyze, brief, OverMatch, Verdict};
use orgwatch_pattern::family::{Benchmark, Control};
use orgwatch_pattern::{cis, Pattern};
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum PatternCommand {
    /// Decide, for each of the 18 Organizations events, whether the pattern always, sometimes or never
    /// matches it, with witness records.
    Analyze {
        /// The filter pattern (default: the CIS pattern, exactly as the control prints it).
        pattern: Option<String>,
        /// Read the pattern from a file instead.
        #[arg(long, conflicts_with = "pattern")]
        file: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Judge against this control of the CIS monitoring family (one id), whose reference filter is
        /// then the default pattern.
        #[command(flatten)]
        control: crate::control_args::ControlArgs,
    },
    /// Run a pattern over log messages as TestMetricFilter does.
    Test {
        /// The filter pattern.
        pattern: String,
        /// The log messages.
        #[arg(required = true)]
        messages: Vec<String>,
    },
}

pub fn run(cmd: PatternCommand) -> ExitCode {
    match run_inner(cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("orgwatch: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn parse(src: &str, origin: &str) -> anyhow::Result<Pattern> {
    Pattern::parse(src).map_err(|e| anyhow::anyhow!("{origin}:{}", e.render(src)))
}

fn run_inner(cmd: PatternCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PatternCommand::Analyze {
            pattern,
            file,
            format,
            control,
        } => {
            let (control, benchmark) = match control.resolve() {
                Ok(None) => (Control::ORGANIZATIONS, None),
                Ok(Some((cs, b))) if cs.len() == 1 => (cs[0], Some(b)),
                Ok(Some(_)) => anyhow::bail!("pattern analyze judges one control at a time"),
                Err(code) => return Ok(code),
            };
            let version = benchmark.unwrap_or(Benchmark::LATEST);
            let (src, origin) = match (pattern, file) {
                (Some(p), _) => (p, "pattern".to_string()),
                (None, Some(f)) => (
                    std::fs::read_to_string(&f)
                        .with_context(|| format!("reading {}", f.display()))?,
                    f.display().to_string(),
                ),
                (None, None) if control == Control::ORGANIZATIONS => {
                    (cis::PATTERN.to_string(), "the CIS pattern".to_string())
                }
                (None, None) => (
                    control.fix_pattern(version).to_string(),
                    format!("the {} reference filter of {}", version, control.slug),
                ),
            };
            let p = parse(&src, &origin)?;
            let class = control.class(version);
            let cov = analyze(&p, &class);
            let what = if control == Control::ORGANIZATIONS {
                "Organizations events".to_string()
            } else {
                format!("cases of {} ({})", control.slug, control.noun)
            };
            let mut o = String::new();
            if format == Format::Json {
                let mut out = serde_json::json!({"pattern": src, "complete": cov.complete(), "coverage": cov});
                if let Some(b) = benchmark {
                    out["control"] = control.slug.into();
                    out["benchmark"] = b.as_str().into();
                }
                writeln!(o, "{}", serde_json::to_string_pretty(&out)?)?;
            } else {
                writeln!(o, "pattern ({origin}):\n  {}", src.trim())?;
                writeln!(
                    o,
                    "matches {}/{} {what} always ({} sometimes, {} never, {} unproven)",
                    cov.count(Verdict::Always),
                    cov.events.len(),
                    cov.count(Verdict::Sometimes),
                    cov.count(Verdict::Never),
                    cov.count(Verdict::Unproven)
                )?;
                for e in &cov.events {
                    write!(o, "  {:<32} {}", e.name, e.verdict.as_str())?;
                    if let Some(w) = &e.non_matching {
                        write!(o, "  does not match: {}", brief(&p, w))?;
                    }
                    if let Some(n) = &e.note {
                        write!(o, "  ({n})")?;
                    }
                    writeln!(o)?;
                }
                match &cov.over_match {
                    OverMatch::None if control == Control::ORGANIZATIONS => writeln!(
                        o,
                        "over-match: none (proven: nothing outside the 18 events matches)"
                    )?,
                    OverMatch::None => writeln!(
                        o,
                        "over-match: none (proven: nothing outside the intent matches)"
                    )?,
                    OverMatch::Found { witness } => {
                        writeln!(o, "over-match: also matches {}", brief(&p, witness))?
                    }
                    OverMatch::Unproven { note } => writeln!(o, "over-match: unproven ({note})")?,
                }
            }
            emit(&o);
            Ok(if cov.complete() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        PatternCommand::Test { pattern, messages } => {
            let p = parse(&pattern, "pattern")?;
            let matches = p.test_messages(&messages);
            let out: Vec<_> = matches
                .iter()
                .map(|m| serde_json::json!({"eventNumber": m.event_number, "eventMessage": m.event_message, "extractedValues": m.extracted_values}))
                .collect();
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&serde_json::json!({ "matches": out }))?
            ));
            Ok(if matches.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes a report to `output`, or to standard output; `Err` carries the exit code of a write failure.
pub fn deliver(output: Option<&std::path::Path>, text: &str) -> Result<(), std::process::ExitCode> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            eprintln!("orgwatch: cannot write {}: {e}", path.display());
            std::process::ExitCode::from(2)
        }),
        None => {
            emit(text);
            Ok(())
        }
    }
}

/// The tokio runtime a command runs on; `Err` carries the exit code when it cannot start.
pub fn runtime() -> Result<tokio::runtime::Runtime, std::process::ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("orgwatch: cannot start the runtime: {e}");
            std::process::ExitCode::from(2)
        })
}
