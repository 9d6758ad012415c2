//! The emulator's log: which lines (`--log-level` / `ORGWATCH_LOG`, else `RUST_LOG`, else `info`), in
//! which form (`--log-format text|json`), with colour only on a terminal when `NO_COLOR` is unset, and
//! written off the request path ([`batch`]): a line is formatted where it happens and appended to a
//! buffer that a writer thread writes to standard error in batches, so a slow reader of the log (a
//! pipe, `docker logs`) never holds a request.

mod batch;

use clap::ValueEnum;
use std::ffi::OsStr;
use tracing_subscriber::EnvFilter;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum LogFormat {
    Text,
    Json,
}

/// The installed log: flushes what is pending when dropped (keep it until the process ends), and says
/// how many lines were dropped.
pub struct Installed {
    writer: batch::BatchWriter,
    _guard: batch::Guard,
}

impl Installed {
    /// Lines dropped because the log's reader fell [`batch::MAX_PENDING`] bytes behind.
    pub fn dropped(&self) -> usize {
        self.writer.dropped()
    }
}

/// What to log: the level given (`--log-level`, or `ORGWATCH_LOG` through clap), else `RUST_LOG`, else
/// `info`. Any `EnvFilter` directive is accepted (`off`, `warn`, `orgwatch_emulator=debug`); one that does
/// not parse is an error naming it, not a silent default.
pub fn filter(given: Option<&str>, rust_log: Option<&OsStr>) -> Result<EnvFilter, String> {
    let (directives, from) = match (given, rust_log.and_then(OsStr::to_str)) {
        (Some(level), _) => (level, "--log-level / ORGWATCH_LOG"),
        (None, Some(env)) if !env.trim().is_empty() => (env, "RUST_LOG"),
        _ => ("info", "the default"),
    };
    EnvFilter::builder()
        .parse(directives)
        .map_err(|e| format!("{from}: `{directives}` is not a log level or filter: {e}"))
}

/// Colour only when the log goes to a terminal and `NO_COLOR` is unset or empty (no-color.org: "when
/// present and not an empty string").
pub fn colour(is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// Installs the log (its writer thread could not be started: the error).
pub fn init(filter: EnvFilter, format: LogFormat) -> std::io::Result<Installed> {
    let ansi = colour(
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let (writer, guard) = batch::start(std::io::stderr())?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer.clone());
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
    Ok(Installed {
        writer,
        _guard: guard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_needs_a_terminal_and_no_no_color() {
        assert!(colour(true, None));
        assert!(colour(true, Some(OsStr::new(""))));
        assert!(!colour(true, Some(OsStr::new("1"))));
        assert!(!colour(false, None));
        assert!(!colour(false, Some(OsStr::new(""))));
    }

    #[test]
    fn the_level_given_wins_over_rust_log_which_wins_over_info() {
        let rust_log = Some(OsStr::new("debug"));
        assert_eq!(filter(Some("off"), rust_log).unwrap().to_string(), "off");
        assert_eq!(filter(None, rust_log).unwrap().to_string(), "debug");
        assert_eq!(filter(None, None).unwrap().to_string(), "info");
        assert_eq!(
            filter(None, Some(OsStr::new(" "))).unwrap().to_string(),
            "info"
        );
    }

    #[test]
    fn a_filter_that_does_not_parse_is_an_error_naming_it() {
        let e = filter(Some("loud=="), None).unwrap_err();
        assert!(e.contains("`loud==`"), "{e}");
        assert!(e.contains("ORGWATCH_LOG"), "{e}");
    }
}
