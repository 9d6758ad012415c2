//! The drill's report: one line per Organizations event (notified or not, after how long on the
//! virtual clock, to which subscribers), a verdict, and the same as JSON.

use serde::Serialize;

/// Why a drilled event counts against the chain: the drill's vocabulary, as [`orgwatch_checker::Reason`]
/// is the checker's (the report formats take their rules from both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillReason {
    /// The event reached no confirmed subscriber within the horizon.
    NotNotified,
    /// The event notified, but the alarm stayed in ALARM, so the next change notifies nobody.
    DidNotRecover,
}

impl DrillReason {
    pub const ALL: &'static [DrillReason] = &[DrillReason::NotNotified, DrillReason::DidNotRecover];

    pub fn code(self) -> &'static str {
        match self {
            DrillReason::NotNotified => "drill-event-not-notified",
            DrillReason::DidNotRecover => "drill-alarm-did-not-recover",
        }
    }

    pub fn severity(self) -> orgwatch_checker::Severity {
        match self {
            DrillReason::NotNotified => orgwatch_checker::Severity::Failure,
            DrillReason::DidNotRecover => orgwatch_checker::Severity::Warning,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            DrillReason::NotNotified => {
                "the injected Organizations event reached no confirmed subscriber within the horizon"
            }
            DrillReason::DidNotRecover => {
                "the alarm did not leave ALARM after notifying, so the next change would notify nobody"
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub alarm: String,
    pub topic: String,
    pub protocol: String,
    pub endpoint: String,
    /// Virtual seconds from the record to the alarm's change to ALARM (its message's `StateChangeTime`).
    pub alarm_after_seconds: Option<f64>,
    /// Virtual seconds from the record to this delivery.
    pub delivered_after_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventResult {
    pub event: String,
    pub injected_at: String,
    /// Log groups a trail wrote the record to.
    pub log_groups: usize,
    pub notified: bool,
    /// Virtual seconds from the record to the notification.
    pub seconds_to_notify: Option<f64>,
    pub notifications: Vec<Notice>,
    /// Whether the alarms left ALARM afterwards (so the next event can notify again).
    pub recovered: Option<bool>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrillReport {
    pub endpoint: String,
    pub account: String,
    pub region: String,
    /// `PASS` when every event notified a confirmed subscriber.
    pub status: &'static str,
    pub notified: usize,
    pub events: Vec<EventResult>,
    pub elapsed_seconds: f64,
    /// The control drilled, when it was asked for (`drill --control`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// What the events are, for the summary line (`Organizations events`).
    #[serde(skip)]
    pub what: String,
}

impl EventResult {
    /// What counts against the chain for this event (nothing when it notified and the alarm recovered).
    pub fn reasons(&self) -> Vec<DrillReason> {
        if !self.notified {
            vec![DrillReason::NotNotified]
        } else if self.recovered == Some(false) {
            vec![DrillReason::DidNotRecover]
        } else {
            vec![]
        }
    }
}

impl DrillReport {
    pub fn new(
        endpoint: &str,
        account: &str,
        region: &str,
        events: Vec<EventResult>,
        elapsed: f64,
    ) -> DrillReport {
        let notified = events.iter().filter(|e| e.notified).count();
        DrillReport {
            endpoint: endpoint.into(),
            account: account.into(),
            region: region.into(),
            status: if notified == events.len() {
                "PASS"
            } else {
                "FAIL"
            },
            notified,
            events,
            elapsed_seconds: elapsed,
            control: None,
            what: "Organizations events".into(),
        }
    }

    pub fn passed(&self) -> bool {
        self.status == "PASS"
    }

    pub fn to_text(&self) -> String {
        let mut out = format!(
            "orgwatch drill: account {} region {} ({})\n",
            self.account, self.region, self.endpoint
        );
        for e in &self.events {
            let line = match (e.notified, e.seconds_to_notify) {
                (true, Some(s)) => {
                    let to: Vec<String> = e
                        .notifications
                        .iter()
                        .map(|n| format!("{} {} via {}", n.protocol, n.endpoint, n.alarm))
                        .collect();
                    let mut l = format!("notified after {s:.0} s: {}", to.join("; "));
                    if e.recovered == Some(false) {
                        l.push_str(" (the alarm did not leave ALARM afterwards)");
                    }
                    l
                }
                _ => format!(
                    "NOT notified: {}",
                    e.note.as_deref().unwrap_or("no notification")
                ),
            };
            out.push_str(&format!("  {:<30} {line}\n", e.event));
        }
        out.push_str(&format!(
            "{}: {} of {} {} reached a confirmed subscriber ({:.2} s)\n",
            self.status,
            self.notified,
            self.events.len(),
            self.what,
            self.elapsed_seconds
        ));
        out
    }
}
