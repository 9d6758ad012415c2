//! How to run the emulator.

use crate::sigv4;
use std::path::PathBuf;

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Loaded at start, saved on shutdown and on `POST /_orgwatch/state/save`.
    pub state_file: Option<PathBuf>,
    pub default_account: String,
    /// Confirm HTTP/HTTPS and email subscriptions at once.
    pub auto_confirm: bool,
    /// Verify SigV4 signatures against these keys (off when `None`).
    pub verify_signatures: Option<sigv4::Keys>,
    /// Also serve TLS on the port, with this certificate (see [`crate::tls`]).
    pub tls: Option<crate::tls::TlsFiles>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 4566,
            state_file: None,
            default_account: "123456789012".into(),
            auto_confirm: false,
            verify_signatures: None,
            tls: None,
        }
    }
}
