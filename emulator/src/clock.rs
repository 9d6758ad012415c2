//! The one clock every timestamp comes from: real time by default, or virtual (set and advanced through
//! the admin API) so that tests and drills are deterministic.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, Default)]
pub struct Clock {
    /// `Some(t)`: virtual time, frozen at `t` epoch seconds until set or advanced.
    virtual_now: Mutex<Option<f64>>,
}

impl Clock {
    pub fn now(&self) -> f64 {
        match *self.virtual_now.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(t) => t,
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0),
        }
    }

    pub fn now_millis(&self) -> i64 {
        (self.now() * 1000.0).round() as i64
    }

    pub fn is_virtual(&self) -> bool {
        self.virtual_now
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Switches to virtual time at `t`.
    pub fn set(&self, t: f64) {
        *self.virtual_now.lock().unwrap_or_else(|e| e.into_inner()) = Some(t);
    }

    /// Advances virtual time (starting it at the current real time if needed); returns the new time.
    pub fn advance(&self, seconds: f64) -> f64 {
        let now = self.now();
        let t = now + seconds;
        self.set(t);
        t
    }

    pub fn reset(&self) {
        *self.virtual_now.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// `2026-11-27T01:02:03.123Z`
pub fn iso8601(epoch: f64) -> String {
    let nanos = (epoch * 1e9).round() as i128;
    match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => {
            let ms = t.millisecond();
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                ms
            )
        }
        Err(_) => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Accepts ISO 8601 / RFC 3339 text or epoch seconds.
pub fn parse_timestamp(s: &str) -> Option<f64> {
    if let Ok(n) = s.parse::<f64>() {
        return Some(n);
    }
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp_nanos() as f64 / 1e9)
}

/// `Wed, 02 Dec 2026 18:58:40 GMT` (HTTP dates: S3's `Last-Modified`).
pub fn http_date(epoch: f64) -> String {
    use time::format_description::well_known::Rfc2822;
    OffsetDateTime::from_unix_timestamp(epoch as i64)
        .ok()
        .and_then(|t| t.format(&Rfc2822).ok())
        .map(|s| s.replace("+0000", "GMT"))
        .unwrap_or_else(|| "Thu, 01 Jan 1970 00:00:00 GMT".to_string())
}
