//! What every machine format says, read once from a check or a drill report: the verdict, the cases
//! (one per chain link, or per drilled event) grouped in suites, the findings, and the rules they cite.
//! SARIF, OCSF, ASFF and JUnit are each a different writing of this digest; nothing here decides
//! anything (the verdicts are the checker's and the drill's).

use crate::input::Subject;
use orgwatch_checker::fix::{self, Names};
use orgwatch_checker::report::Finding;
use orgwatch_checker::{Reason, Severity, Status};
use orgwatch_drill::report::{DrillReason, DrillReport};
use orgwatch_pattern::cis;
use sha2::{Digest as _, Sha256};

/// Which tool made the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Check,
    Drill,
}

impl Kind {
    /// The command that made the report (`check`, `drill`).
    pub fn command(self) -> &'static str {
        match self {
            Kind::Check => "check",
            Kind::Drill => "drill",
        }
    }
}

/// A rule a finding cites: one per reason code of the checker's or the drill's vocabulary.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub short: &'static str,
    /// The meaning and the fix, with placeholders where a finding names the real resources.
    pub help: String,
}

/// The state of one case (a chain link, or a drilled event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Passed,
    Broken,
    Unknown,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Passed => "passed",
            CaseState::Broken => "broken",
            CaseState::Unknown => "unknown",
        }
    }

    /// The compliance status this case gives, as [`Status`].
    pub fn status(self) -> Status {
        match self {
            CaseState::Passed => Status::Pass,
            CaseState::Broken => Status::Fail,
            CaseState::Unknown => Status::Unknown,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Case {
    /// `metric-filter organizations_changes`, or the event's name for a drill.
    pub name: String,
    /// `trail`, `log-group`, `metric-filter`, `alarm`, `topic`, or `event`.
    pub kind: String,
    pub resource: String,
    pub state: CaseState,
    pub evidence: Vec<String>,
    /// Indices into [`Digest::findings`] of the findings about this case.
    pub findings: Vec<usize>,
}

/// The key of the suite holding the findings no chain holds.
pub const ACCOUNT_SUITE: &str = "account";

/// One chain (or the drill): a JUnit test suite, an ASFF finding.
#[derive(Debug, Clone)]
pub struct Suite {
    pub name: String,
    /// A short name, fit for identifiers (the trail's name, `account`, `drill`).
    pub key: String,
    pub status: Status,
    pub cases: Vec<Case>,
    /// The findings no chain holds (the `account` suite), whatever the suite's key.
    pub account_wide: bool,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub resources: Vec<String>,
    pub events: Vec<String>,
    pub witness: Option<serde_json::Value>,
    pub fix: Vec<String>,
    /// Stable across runs for the same rule and resources (not the message, whose figures may change).
    pub fingerprint: String,
}

#[derive(Debug, Clone)]
pub struct Digest {
    pub kind: Kind,
    pub status: Status,
    pub account: String,
    pub region: String,
    pub title: String,
    pub rules: Vec<Rule>,
    pub suites: Vec<Suite>,
    pub findings: Vec<Item>,
}

/// The account reports name when the report has none (an unreachable STS): twelve digits, as AWS's are.
pub const UNKNOWN_ACCOUNT: &str = "000000000000";

impl Suite {
    /// Whether this suite is a chain of the check (not the account-wide findings, not the drill).
    pub fn is_chain(&self) -> bool {
        !self.account_wide && self.cases.iter().all(|c| c.kind != "event")
    }
}

impl Digest {
    pub fn of(subject: &Subject<'_>) -> Digest {
        match subject {
            Subject::Check { report, .. } => check(report),
            Subject::Family { report, .. } => family(report),
            Subject::Drill(d) => drill(d),
        }
    }

    pub fn rule(&self, id: &str) -> Option<(usize, &Rule)> {
        self.rules.iter().enumerate().find(|(_, r)| r.id == id)
    }

    /// Every resource the report names, in order of first mention.
    pub fn resources(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let named = self
            .suites
            .iter()
            .flat_map(|s| s.cases.iter().map(|c| c.resource.as_str()));
        let found = self
            .findings
            .iter()
            .flat_map(|f| f.resources.iter().map(String::as_str));
        for r in named.chain(found) {
            if !r.is_empty() && !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }
}

fn fingerprint(rule: &str, resources: &[String], extra: &str) -> String {
    let mut sorted: Vec<&str> = resources.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    for r in sorted {
        h.update(b"\n");
        h.update(r.as_bytes());
    }
    h.update(b"\n");
    h.update(extra.as_bytes());
    hex::encode(&h.finalize()[..16])
}

fn check_rules() -> Vec<Rule> {
    Reason::ALL
        .iter()
        .map(|r| {
            let commands = fix::commands(*r, &Names::default());
            let mut help = format!("{}.", r.meaning());
            if !commands.is_empty() {
                help.push_str(" Fix:\n");
                for c in commands {
                    help.push_str(&c);
                    help.push('\n');
                }
            }
            Rule {
                id: r.code(),
                severity: r.severity(),
                short: r.meaning(),
                help,
            }
        })
        .collect()
}

fn item(f: &Finding) -> Item {
    Item {
        rule: f.reason.code(),
        severity: f.severity,
        message: f.message.clone(),
        resources: f.resources.clone(),
        events: f.events.clone(),
        witness: f.witness.clone(),
        fix: f.fix.clone(),
        fingerprint: fingerprint(f.reason.code(), &f.resources, &f.events.join(",")),
    }
}

fn case_state(state: &str) -> CaseState {
    match state {
        "passed" => CaseState::Passed,
        "broken" => CaseState::Broken,
        _ => CaseState::Unknown,
    }
}

/// Several controls: each control's digest, its suites named and keyed by the control (`5.3
/// root-account-usage: chain from trail main`), its findings appended and fingerprinted with the control
/// (the same trail finding under two controls is two results).
fn family(report: &orgwatch_checker::FamilyReport) -> Digest {
    let mut d = Digest {
        kind: Kind::Check,
        status: report.status,
        account: report
            .account
            .clone()
            .unwrap_or_else(|| UNKNOWN_ACCOUNT.into()),
        region: report.region.clone(),
        title: format!(
            "The CIS monitoring family, {}: {} controls, {} PASS, {} FAIL, {} UNKNOWN",
            report.benchmark,
            report.controls.len(),
            report.passed,
            report.failed,
            report.unknown
        ),
        rules: check_rules(),
        suites: Vec::new(),
        findings: Vec::new(),
    };
    for r in &report.controls {
        let (slug, label) = match &r.control_id {
            Some(c) => (
                c.id.clone(),
                format!("{} {}", c.cis.as_deref().unwrap_or("-"), c.id),
            ),
            None => ("control".to_string(), r.control.clone()),
        };
        let one = check(r);
        let offset = d.findings.len();
        for mut s in one.suites {
            s.name = format!("{label}: {}", s.name);
            s.key = format!("{slug}.{}", s.key);
            for c in &mut s.cases {
                c.findings.iter_mut().for_each(|i| *i += offset);
            }
            d.suites.push(s);
        }
        d.findings.extend(one.findings.into_iter().map(|mut f| {
            f.fingerprint = fingerprint(
                f.rule,
                &f.resources,
                &format!("{slug}\n{}", f.events.join(",")),
            );
            f.message = format!("{label}: {}", f.message);
            f
        }));
    }
    d
}

fn check(report: &orgwatch_checker::Report) -> Digest {
    let findings: Vec<Item> = report.findings.iter().map(item).collect();
    let index = |f: &Finding| report.findings.iter().position(|g| g == f);
    let mut suites = Vec::new();
    for chain in &report.chains {
        let mut cases: Vec<Case> = chain
            .links
            .iter()
            .map(|l| Case {
                name: format!("{} {}", l.kind, short_name(&l.resource)),
                kind: l.kind.clone(),
                resource: l.resource.clone(),
                state: case_state(&l.state),
                evidence: l.evidence.clone(),
                findings: Vec::new(),
            })
            .collect();
        for f in &chain.findings {
            let Some(i) = index(f) else { continue };
            // A finding belongs to the link it names; one that names none (a missing link) to the first
            // link that is not passed, else the last link.
            let at = cases
                .iter()
                .position(|c| f.resources.contains(&c.resource))
                .or_else(|| cases.iter().position(|c| c.state != CaseState::Passed))
                .or(cases.len().checked_sub(1));
            if let Some(at) = at {
                cases[at].findings.push(i);
            }
        }
        suites.push(Suite {
            name: format!("chain from trail {}", chain.trail),
            key: short_name(&chain.trail).to_string(),
            status: chain.status,
            cases,
            account_wide: false,
        });
    }
    // Findings no chain holds (no trail at all, a call that failed before any chain): one case of their own.
    let held: Vec<usize> = suites
        .iter()
        .flat_map(|s| s.cases.iter().flat_map(|c| c.findings.iter().copied()))
        .collect();
    let loose: Vec<usize> = (0..findings.len()).filter(|i| !held.contains(i)).collect();
    if !loose.is_empty() || suites.is_empty() {
        let state = if loose
            .iter()
            .any(|i| findings[*i].severity == Severity::Failure)
        {
            CaseState::Broken
        } else if loose
            .iter()
            .any(|i| findings[*i].severity == Severity::Unknown)
        {
            CaseState::Unknown
        } else {
            CaseState::Passed
        };
        suites.push(Suite {
            name: ACCOUNT_SUITE.into(),
            key: ACCOUNT_SUITE.into(),
            status: state.status(),
            cases: vec![Case {
                name: "account-wide findings".into(),
                kind: "account".into(),
                resource: String::new(),
                state,
                evidence: vec![report.organization.clone()],
                findings: loose,
            }],
            account_wide: true,
        });
    }
    Digest {
        kind: Kind::Check,
        status: report.status,
        account: report
            .account
            .clone()
            .unwrap_or_else(|| UNKNOWN_ACCOUNT.into()),
        region: report.region.clone(),
        title: format!(
            "A log metric filter and alarm exist for AWS Organizations changes ({})",
            cis::CONTROL_IDS
        ),
        rules: check_rules(),
        suites,
        findings,
    }
}

fn drill(d: &DrillReport) -> Digest {
    let rules = DrillReason::ALL
        .iter()
        .map(|r| Rule {
            id: r.code(),
            severity: r.severity(),
            short: r.meaning(),
            help: format!(
                "{}. Run `orgwatch check` against the same account: its findings name the broken link and the commands that mend it.",
                r.meaning()
            ),
        })
        .collect();
    let mut findings = Vec::new();
    let mut cases = Vec::new();
    for e in &d.events {
        let mut mine = Vec::new();
        for reason in e.reasons() {
            let resources: Vec<String> = e.notifications.iter().map(|n| n.alarm.clone()).collect();
            let message = match reason {
                DrillReason::NotNotified => format!(
                    "{} reached no confirmed subscriber: {}",
                    e.event,
                    e.note.as_deref().unwrap_or("no notification")
                ),
                DrillReason::DidNotRecover => {
                    format!(
                        "{} notified, but the alarm did not leave ALARM afterwards",
                        e.event
                    )
                }
            };
            mine.push(findings.len());
            findings.push(Item {
                rule: reason.code(),
                severity: reason.severity(),
                message,
                fingerprint: fingerprint(reason.code(), &resources, &e.event),
                resources,
                events: vec![e.event.clone()],
                witness: None,
                fix: Vec::new(),
            });
        }
        let evidence = match e.seconds_to_notify {
            Some(s) => e
                .notifications
                .iter()
                .map(|n| {
                    format!(
                        "notified after {s:.0} s: {} {} via {}",
                        n.protocol, n.endpoint, n.alarm
                    )
                })
                .collect(),
            None => vec![e.note.clone().unwrap_or_else(|| "no notification".into())],
        };
        cases.push(Case {
            name: e.event.clone(),
            kind: "event".into(),
            resource: String::new(),
            state: if e.notified {
                CaseState::Passed
            } else {
                CaseState::Broken
            },
            evidence,
            findings: mine,
        });
    }
    let status = if d.passed() {
        Status::Pass
    } else {
        Status::Fail
    };
    Digest {
        kind: Kind::Drill,
        status,
        account: d.account.clone(),
        region: d.region.clone(),
        title: match &d.control {
            None => format!(
                "Each of the 18 AWS Organizations changes notifies a confirmed subscriber ({})",
                cis::CONTROL_IDS
            ),
            Some(control) => format!(
                "Each of the {} {} of {control} notifies a confirmed subscriber",
                d.events.len(),
                d.what
            ),
        },
        rules,
        suites: vec![Suite {
            name: "drill".into(),
            key: "drill".into(),
            status,
            cases,
            account_wide: false,
        }],
        findings,
    }
}

/// The last part of an ARN (`...:alarm:organizations_changes` → `organizations_changes`).
pub fn short_name(arn: &str) -> &str {
    let tail = arn.rsplit(':').next().unwrap_or(arn);
    let tail = if tail == "*" {
        arn.trim_end_matches(":*").rsplit(':').next().unwrap_or(arn)
    } else {
        tail
    };
    tail.rsplit('/').next().unwrap_or(tail)
}
