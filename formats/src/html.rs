//! The evidence page: one self-contained HTML file (inline CSS and SVG, no script, no network) an auditor
//! can file or print. It states what was checked, where, when and by which version; draws each chain as
//! a diagram with its links coloured by state and their evidence beside them; lists each finding with
//! its witness record and fix commands; and, for a drill, charts when each of the 18 events was
//! injected and notified, and to which endpoint.

use crate::digest::{short_name, CaseState, Digest, Suite};
use crate::input::{Meta, Subject, TOOL};
use crate::xml::escape;
use orgwatch_drill::report::DrillReport;
use std::fmt::Write as _;

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 0 0 .25rem; }
.verdict { display: inline-block; padding: .1rem .6rem; border-radius: .3rem; color: #fff; font-weight: 700; }
.PASS { background: #1a7f37; } .FAIL { background: #cf222e; } .UNKNOWN { background: #9a6700; }
table.meta { border-collapse: collapse; margin: 1rem 0; } table.meta th { text-align: left; padding-right: 1rem; color: #57606a; font-weight: 600; }
table.meta td, table.meta th { padding: .15rem 1rem .15rem 0; vertical-align: top; }
svg { max-width: 100%; height: auto; }
ol.links { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .75rem; }
ol.links > li { border-left: 4px solid #d0d7de; padding: .25rem .5rem; overflow-wrap: anywhere; }
ol.links > li.passed { border-color: #1a7f37; } ol.links > li.broken { border-color: #cf222e; } ol.links > li.unknown { border-color: #9a6700; }
ol.links code { word-break: break-all; font-size: .85em; }
.evidence { margin: .25rem 0 0; padding-left: 1rem; color: #424a53; font-size: .9em; list-style: disc; }
.finding { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: .3rem; padding: .6rem .9rem; margin: .75rem 0; }
.finding.failure { border-left-color: #cf222e; } .finding.warning { border-left-color: #bf8700; } .finding.unknown { border-left-color: #6e7781; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .85em; }
table.events { border-collapse: collapse; width: 100%; } table.events td:nth-child(2) { white-space: nowrap; } table.events td, table.events th { border-bottom: 1px solid #d0d7de; padding: .2rem .4rem; text-align: left; }
footer { margin-top: 3rem; color: #57606a; font-size: .85em; }
@media print { body { margin: 0; max-width: none; } .chain, .finding, .timeline-block { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"#;

fn fill(state: CaseState) -> (&'static str, &'static str) {
    match state {
        CaseState::Passed => ("#dafbe1", "#1a7f37"),
        CaseState::Broken => ("#ffebe9", "#cf222e"),
        CaseState::Unknown => ("#fff8c5", "#9a6700"),
    }
}

pub fn render(subject: &Subject<'_>, d: &Digest, meta: &Meta) -> String {
    let (what, rows) = match subject {
        Subject::Check { report, .. } => {
            ("check", vec![("Organization", report.organization.clone())])
        }
        Subject::Family { report, .. } => (
            "check",
            vec![
                ("Organization", report.organization.clone()),
                ("Benchmark", report.benchmark.clone()),
                (
                    "Controls",
                    format!(
                        "{} PASS, {} FAIL, {} UNKNOWN",
                        report.passed, report.failed, report.unknown
                    ),
                ),
            ],
        ),
        Subject::Drill(r) => (
            "drill",
            vec![
                ("Endpoint", r.endpoint.clone()),
                (
                    "Notified",
                    format!("{} of {} events", r.notified, r.events.len()),
                ),
            ],
        ),
    };
    let status = d.status.as_str();
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{TOOL} {what}: {status} — account {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&d.account)
    );
    let _ = write!(
        o,
        "<header>\n<h1>{TOOL} {what} <span class=\"verdict {status}\" id=\"verdict\">{status}</span></h1>\n<p>{}</p>\n<table class=\"meta\">\n",
        escape(&d.title)
    );
    let mut meta_rows = vec![
        ("Account", d.account.clone()),
        ("Region", d.region.clone()),
        ("Time", meta.rfc3339()),
        ("Tool", format!("{TOOL} {}", meta.tool_version)),
    ];
    meta_rows.extend(rows);
    for (k, v) in meta_rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
    }
    o.push_str("</table>\n</header>\n<main>\n");
    match subject {
        Subject::Check { .. } | Subject::Family { .. } => {
            let chains: Vec<&Suite> = d.suites.iter().filter(|s| s.is_chain()).collect();
            let _ = writeln!(o, "<h2>Chains ({})</h2>", chains.len());
            if chains.is_empty() {
                o.push_str("<p>No chain to examine: no trail delivers this account's events to a log group.</p>\n");
            }
            for (i, s) in chains.iter().enumerate() {
                chain(&mut o, i, s);
            }
        }
        Subject::Drill(r) => timeline(&mut o, r),
    }
    let _ = writeln!(o, "<h2>Findings ({})</h2>", d.findings.len());
    if d.findings.is_empty() {
        o.push_str("<p>None.</p>\n");
    }
    for (i, f) in d.findings.iter().enumerate() {
        let _ = write!(
            o,
            "<article class=\"finding {sev}\" id=\"finding-{i}\" data-reason=\"{rule}\">\n<h3><code>{rule}</code> ({sev})</h3>\n<p>{}</p>\n",
            escape(&f.message),
            sev = f.severity.as_str(),
            rule = escape(f.rule),
        );
        if !f.resources.is_empty() {
            let _ = writeln!(
                o,
                "<p>Resources: {}</p>",
                f.resources
                    .iter()
                    .map(|r| format!("<code>{}</code>", escape(r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !f.events.is_empty() {
            let _ = writeln!(o, "<p>Events: {}</p>", escape(&f.events.join(", ")));
        }
        if let Some(w) = &f.witness {
            let pretty = serde_json::to_string_pretty(w).unwrap_or_default();
            let _ = writeln!(
                o,
                "<p>Witness record:</p>\n<pre class=\"witness\">{}</pre>",
                escape(&pretty)
            );
        }
        if !f.fix.is_empty() {
            let _ = writeln!(
                o,
                "<p>Fix:</p>\n<pre class=\"fix\">{}</pre>",
                escape(&f.fix.join("\n"))
            );
        }
        o.push_str("</article>\n");
    }
    let _ = write!(
        o,
        "</main>\n<footer>Made by {TOOL} {} at {}. Every verdict on this page is reproducible from the JSON report of the same run.</footer>\n</body>\n</html>\n",
        escape(&meta.tool_version),
        escape(&meta.rfc3339())
    );
    o
}

/// A chain as a row of boxes (one per link, coloured by state) joined by arrows, and its evidence.
fn chain(o: &mut String, index: usize, s: &Suite) {
    const W: usize = 170;
    const H: usize = 64;
    const GAP: usize = 34;
    let n = s.cases.len().max(1);
    let width = n * W + (n - 1) * GAP + 2;
    let _ = write!(
        o,
        "<section class=\"chain\" id=\"chain-{index}\">\n<h3>{} <span class=\"verdict {st}\">{st}</span></h3>\n",
        escape(&s.name),
        st = s.status.as_str()
    );
    let _ = writeln!(
        o,
        "<svg class=\"chain-diagram\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\">",
        escape(&s.name),
        H + 2,
        H + 2
    );
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker></defs>\n");
    for (i, c) in s.cases.iter().enumerate() {
        let x = 1 + i * (W + GAP);
        let (bg, line) = fill(c.state);
        let label = short_name(&c.resource);
        let label = if label.chars().count() > 22 {
            format!("{}…", label.chars().take(21).collect::<String>())
        } else {
            label.to_string()
        };
        let _ = writeln!(
            o,
            "<g class=\"link {state}\" data-kind=\"{kind}\"><title>{res}</title><rect x=\"{x}\" y=\"1\" width=\"{W}\" height=\"{H}\" rx=\"8\" fill=\"{bg}\" stroke=\"{line}\" stroke-width=\"2\"/><text x=\"{tx}\" y=\"24\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#1b1f24\">{kind}</text><text x=\"{tx}\" y=\"43\" text-anchor=\"middle\" font-size=\"11\" fill=\"#424a53\">{label}</text><text x=\"{tx}\" y=\"58\" text-anchor=\"middle\" font-size=\"10\" fill=\"{line}\">{state}</text></g>",
            state = c.state.as_str(),
            kind = escape(&c.kind),
            res = escape(&c.resource),
            tx = x + W / 2,
            label = escape(&label),
        );
        if i + 1 < s.cases.len() {
            let _ = writeln!(
                o,
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#57606a\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>",
                x + W + 2,
                x + W + GAP - 2,
                y = 1 + H / 2
            );
        }
    }
    o.push_str("</svg>\n<ol class=\"links\">\n");
    for c in &s.cases {
        let _ = write!(
            o,
            "<li class=\"{}\"><strong>{}</strong> <code>{}</code>",
            c.state.as_str(),
            escape(&c.kind),
            escape(&c.resource)
        );
        if !c.evidence.is_empty() {
            o.push_str("<ul class=\"evidence\">");
            for e in &c.evidence {
                let _ = write!(o, "<li>{}</li>", escape(e));
            }
            o.push_str("</ul>");
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ol>\n</section>\n");
}

/// The drill's timeline: one row per event, from its record (0 s on the virtual clock) to the alarm's
/// change to ALARM (a diamond) and each delivery to a confirmed subscriber (a dot); and a table of who
/// was told when.
fn timeline(o: &mut String, r: &DrillReport) {
    const LABEL: f64 = 230.0;
    const PLOT: f64 = 560.0;
    const ROW: f64 = 22.0;
    const ALARM: &str = "#bc4c00";
    const DELIVERED: &str = "#1a7f37";
    let longest = r
        .events
        .iter()
        .flat_map(|e| e.notifications.iter().map(|n| n.delivered_after_seconds))
        .fold(60.0_f64, f64::max);
    let scale = PLOT / longest;
    let height = ROW * r.events.len() as f64 + 56.0;
    let width = LABEL + PLOT + 70.0;
    o.push_str("<section class=\"timeline-block\">\n<h2>Timeline</h2>\n<p>Virtual seconds from each event's CloudTrail record (0 s) to the alarm's change to ALARM (&#9670;) and to each delivery to a confirmed subscriber (&#9679;).</p>\n");
    let _ = writeln!(
        o,
        "<svg class=\"timeline\" role=\"img\" aria-label=\"drill timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    for (i, e) in r.events.iter().enumerate() {
        let y = 10.0 + ROW * i as f64;
        let mid = y + 8.0;
        let _ = write!(
            o,
            "<g class=\"event {}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text><circle cx=\"{LABEL}\" cy=\"{mid}\" r=\"3\" fill=\"#57606a\"><title>record written at {}</title></circle>",
            if e.notified { "notified" } else { "missed" },
            LABEL - 8.0,
            y + 12.0,
            escape(&e.event),
            escape(&e.injected_at)
        );
        if e.notifications.is_empty() {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#cf222e\">not notified</text>",
                LABEL + 8.0,
                y + 12.0
            );
        }
        let last = e
            .notifications
            .iter()
            .map(|n| n.delivered_after_seconds)
            .fold(0.0_f64, f64::max);
        if !e.notifications.is_empty() {
            let _ = write!(
                o,
                "<rect x=\"{LABEL}\" y=\"{}\" width=\"{:.1}\" height=\"8\" fill=\"{DELIVERED}\" opacity=\"0.25\"/>",
                y + 4.0,
                (last * scale).max(1.0)
            );
        }
        // Deliveries first, so that the alarm's diamond stays visible when both happen at one instant.
        for n in &e.notifications {
            let x = LABEL + n.delivered_after_seconds * scale;
            let _ = write!(
                o,
                "<circle class=\"delivered\" cx=\"{x:.1}\" cy=\"{mid}\" r=\"5\" fill=\"{DELIVERED}\"><title>delivered to {} {} after {:.0} s</title></circle>",
                escape(&n.protocol),
                escape(&n.endpoint),
                n.delivered_after_seconds
            );
        }
        for n in &e.notifications {
            if let Some(a) = n.alarm_after_seconds {
                let x = LABEL + a * scale;
                let _ = write!(
                    o,
                    "<path class=\"alarm\" d=\"M{x:.1},{:.1} l4,4 l-4,4 l-4,-4 z\" fill=\"{ALARM}\" stroke=\"#fff\" stroke-width=\"0.8\"><title>{} went to ALARM after {a:.0} s</title></path>",
                    mid - 4.0,
                    escape(&n.alarm)
                );
            }
        }
        if !e.notifications.is_empty() {
            let _ = write!(
                o,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" fill=\"{DELIVERED}\">{last:.0} s</text>",
                LABEL + last * scale + 8.0,
                y + 12.0
            );
        }
        o.push_str("</g>\n");
    }
    let axis = 10.0 + ROW * r.events.len() as f64 + 4.0;
    let _ = writeln!(
        o,
        "<line x1=\"{LABEL}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\" stroke=\"#57606a\"/><text x=\"{LABEL}\" y=\"{}\" font-size=\"10\">0 s</text><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{longest:.0} s</text>",
        LABEL + PLOT,
        axis + 14.0,
        LABEL + PLOT,
        axis + 14.0
    );
    let legend = axis + 32.0;
    let _ = writeln!(
        o,
        "<g class=\"legend\" font-size=\"10\"><circle cx=\"{LABEL}\" cy=\"{}\" r=\"3\" fill=\"#57606a\"/><text x=\"{}\" y=\"{legend}\">record written</text><path d=\"M{},{} l5,5 l-5,5 l-5,-5 z\" fill=\"{ALARM}\"/><text x=\"{}\" y=\"{legend}\">alarm in ALARM</text><circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{DELIVERED}\"/><text x=\"{}\" y=\"{legend}\">delivered</text></g>",
        legend - 3.0,
        LABEL + 8.0,
        LABEL + 110.0,
        legend - 8.0,
        LABEL + 120.0,
        LABEL + 230.0,
        legend - 3.0,
        LABEL + 240.0
    );
    o.push_str("</svg>\n<table class=\"events\">\n<thead><tr><th>Event</th><th>Record written</th><th>ALARM after</th><th>Delivered after</th><th>To</th></tr></thead>\n<tbody>\n");
    for e in &r.events {
        let seconds = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |s| format!("{s:.0} s"));
        let alarm = e
            .notifications
            .iter()
            .filter_map(|n| n.alarm_after_seconds)
            .reduce(f64::min);
        let delivered = if e.notified {
            e.seconds_to_notify
        } else {
            None
        };
        let to = if e.notifications.is_empty() {
            e.note.clone().unwrap_or_default()
        } else {
            e.notifications
                .iter()
                .map(|n| format!("{} {} (alarm {})", n.protocol, n.endpoint, n.alarm))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(
            o,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if e.notified { "notified" } else { "missed" },
            escape(&e.event),
            escape(&e.injected_at),
            escape(&seconds(alarm)),
            escape(&if delivered.is_some() {
                seconds(delivered)
            } else {
                "not notified".into()
            }),
            escape(&to)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}
