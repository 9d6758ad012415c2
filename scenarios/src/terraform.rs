//! `orgwatch scenarios from-terraform FILE`: `terraform show -json` output (a state or a plan) to a
//! scenario, so infrastructure code is checked before it is applied.
//!
//! Resources read: `aws_cloudtrail`, `aws_cloudwatch_log_group`, `aws_cloudwatch_log_metric_filter`,
//! `aws_cloudwatch_metric_alarm`, `aws_sns_topic`, `aws_sns_topic_subscription`, in the root module and every
//! child module. A plan's values that are unknown until apply (ARNs, mostly) are rebuilt from the
//! configuration's references (`aws_sns_topic.alarms.arn`), with the account and region given.

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Where the resources will live.
pub struct Place {
    pub account: String,
    pub region: String,
}

fn resources(module: &Value, out: &mut Vec<Value>) {
    out.extend(
        module["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["mode"] == "managed")
            .cloned(),
    );
    for child in module["child_modules"].as_array().into_iter().flatten() {
        resources(child, out);
    }
}

/// The references each resource's expressions make (plan only), by resource address and attribute.
fn references(config: &Value, prefix: &str, out: &mut BTreeMap<(String, String), Vec<String>>) {
    for r in config["resources"].as_array().into_iter().flatten() {
        let addr = format!("{prefix}{}", r["address"].as_str().unwrap_or_default());
        for (attr, expr) in r["expressions"].as_object().into_iter().flatten() {
            let refs: Vec<String> = expr["references"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(|s| format!("{prefix}{s}")))
                .collect();
            if !refs.is_empty() {
                out.insert((addr.clone(), attr.clone()), refs);
            }
        }
    }
    for (name, call) in config["module_calls"].as_object().into_iter().flatten() {
        references(&call["module"], &format!("{prefix}module.{name}."), out);
    }
}

fn s(v: &Value) -> Option<String> {
    v.as_str().filter(|x| !x.is_empty()).map(str::to_string)
}

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// Converts `terraform show -json` output into a scenario (expecting PASS; edit `expect` as needed).
pub fn convert(tf: &Value, place: &Place, name: &str) -> Result<Value, String> {
    let root = if tf["planned_values"].is_object() {
        &tf["planned_values"]["root_module"]
    } else {
        &tf["values"]["root_module"]
    };
    if !root.is_object() {
        return Err("this is not `terraform show -json` output: no values.root_module or planned_values.root_module".into());
    }
    let mut all = Vec::new();
    resources(root, &mut all);
    let mut refs = BTreeMap::new();
    references(&tf["configuration"]["root_module"], "", &mut refs);
    let (acct, region) = (&place.account, &place.region);
    let by_addr: BTreeMap<String, &Value> = all
        .iter()
        .map(|r| (r["address"].as_str().unwrap_or_default().to_string(), r))
        .collect();
    // The value of `attr` on resource `addr`, or, when unknown at plan time, what its reference resolves to.
    let resolve = |addr: &str, values: &Value, attr: &str, want: &str| -> Option<String> {
        if let Some(v) = s(&values[attr]) {
            return Some(v);
        }
        let target = refs
            .get(&(addr.to_string(), attr.to_string()))?
            .iter()
            .find(|r| !r.ends_with(want) || r.matches('.').count() >= 2)?;
        let base = target.trim_end_matches(&format!(".{want}"));
        let t = by_addr.get(base)?;
        let tv = &t["values"];
        match t["type"].as_str()? {
            "aws_sns_topic" => Some(format!("arn:aws:sns:{region}:{acct}:{}", s(&tv["name"])?)),
            "aws_cloudwatch_log_group" if want == "arn" => Some(format!(
                "arn:aws:logs:{region}:{acct}:log-group:{}",
                s(&tv["name"])?
            )),
            "aws_cloudwatch_log_group" => s(&tv["name"]),
            _ => None,
        }
    };
    let mut r = json!({"trails": [], "logGroups": [], "metricFilters": [], "topics": [], "subscriptions": [], "alarms": []});
    let push = |r: &mut Value, k: &str, v: Value| {
        if let Some(a) = r[k].as_array_mut() {
            a.push(v)
        }
    };
    for res in &all {
        let addr = res["address"].as_str().unwrap_or_default();
        let v = &res["values"];
        match res["type"].as_str().unwrap_or_default() {
            "aws_cloudwatch_log_group" => push(
                &mut r,
                "logGroups",
                json!({"logGroupName": s(&v["name"]).unwrap_or_default()}),
            ),
            "aws_sns_topic" => push(
                &mut r,
                "topics",
                json!({"Name": s(&v["name"]).unwrap_or_default()}),
            ),
            "aws_sns_topic_subscription" => {
                let protocol = s(&v["protocol"]).unwrap_or_default();
                let confirmed = match v["pending_confirmation"].as_bool() {
                    Some(p) => !p,
                    None => !matches!(protocol.as_str(), "http" | "https" | "email" | "email-json"),
                };
                let topic = resolve(addr, v, "topic_arn", "arn").unwrap_or_default();
                let mut sub = json!({"TopicArn": topic, "Protocol": protocol, "Endpoint": s(&v["endpoint"]).unwrap_or_default(), "Confirmed": confirmed});
                // A filter policy decides whether the alarm's notification reaches the subscriber.
                for (attribute, name) in [
                    ("filter_policy", "FilterPolicy"),
                    ("filter_policy_scope", "FilterPolicyScope"),
                ] {
                    if let Some(value) = s(&v[attribute]).filter(|p| !p.is_empty()) {
                        sub["Attributes"][name] = value.into();
                    }
                }
                push(&mut r, "subscriptions", sub);
            }
            "aws_cloudwatch_log_metric_filter" => {
                let t: Vec<Value> = list(&v["metric_transformation"])
                    .iter()
                    .map(|m| {
                        let mut t = json!({"metricName": s(&m["name"]).unwrap_or_default(), "metricNamespace": s(&m["namespace"]).unwrap_or_default(), "metricValue": s(&m["value"]).unwrap_or_default()});
                        if let Some(d) = s(&m["default_value"]).and_then(|d| d.parse::<f64>().ok()) {
                            t["defaultValue"] = d.into();
                        }
                        if let Some(u) = s(&m["unit"]).filter(|u| u != "None") {
                            t["unit"] = u.into();
                        }
                        if m["dimensions"].as_object().is_some_and(|d| !d.is_empty()) {
                            t["dimensions"] = m["dimensions"].clone();
                        }
                        t
                    })
                    .collect();
                let group = resolve(addr, v, "log_group_name", "name").unwrap_or_default();
                push(
                    &mut r,
                    "metricFilters",
                    json!({"logGroupName": group, "filterName": s(&v["name"]).unwrap_or_default(), "filterPattern": v["pattern"].as_str().unwrap_or_default(), "metricTransformations": t}),
                );
            }
            "aws_cloudwatch_metric_alarm" => {
                let mut actions: Vec<String> =
                    list(&v["alarm_actions"]).iter().filter_map(s).collect();
                if actions.is_empty() {
                    actions.extend(resolve(addr, v, "alarm_actions", "arn"));
                }
                let mut a = json!({
                    "AlarmName": s(&v["alarm_name"]).unwrap_or_default(),
                    "MetricName": s(&v["metric_name"]).unwrap_or_default(),
                    "Namespace": s(&v["namespace"]).unwrap_or_default(),
                    "Period": v["period"].as_i64().unwrap_or(300),
                    "EvaluationPeriods": v["evaluation_periods"].as_i64().unwrap_or(1),
                    "Threshold": v["threshold"].as_f64().unwrap_or(0.0),
                    "ComparisonOperator": s(&v["comparison_operator"]).unwrap_or_default(),
                    "ActionsEnabled": v["actions_enabled"].as_bool().unwrap_or(true),
                    "AlarmActions": actions,
                    "Dimensions": v["dimensions"].as_object().into_iter().flatten().map(|(k, x)| json!({"Name": k, "Value": x})).collect::<Vec<_>>(),
                });
                for (k, tf_name) in [
                    ("Statistic", "statistic"),
                    ("ExtendedStatistic", "extended_statistic"),
                    ("TreatMissingData", "treat_missing_data"),
                    ("Unit", "unit"),
                ] {
                    if let Some(x) = s(&v[tf_name]) {
                        a[k] = x.into();
                    }
                }
                if let Some(m) = v["datapoints_to_alarm"].as_i64().filter(|m| *m > 0) {
                    a["DatapointsToAlarm"] = m.into();
                }
                push(&mut r, "alarms", a);
            }
            "aws_cloudtrail" => {
                let mut t = json!({
                    "Name": s(&v["name"]).unwrap_or_default(),
                    "S3BucketName": s(&v["s3_bucket_name"]).unwrap_or_else(|| "orgwatch-trail-bucket".into()),
                    "IsMultiRegionTrail": v["is_multi_region_trail"].as_bool().unwrap_or(false),
                    "IsOrganizationTrail": v["is_organization_trail"].as_bool().unwrap_or(false),
                    "IsLogging": v["enable_logging"].as_bool().unwrap_or(true),
                });
                let group = resolve(addr, v, "cloud_watch_logs_group_arn", "arn");
                if let Some(g) = group {
                    t["CloudWatchLogsLogGroupArn"] = if g.ends_with(":*") {
                        g.into()
                    } else {
                        format!("{g}:*").into()
                    };
                }
                if let Some(role) = s(&v["cloud_watch_logs_role_arn"]) {
                    t["CloudWatchLogsRoleArn"] = role.into();
                }
                let classic: Vec<Value> = list(&v["event_selector"])
                    .iter()
                    .map(|e| json!({"ReadWriteType": s(&e["read_write_type"]).unwrap_or_else(|| "All".into()), "IncludeManagementEvents": e["include_management_events"].as_bool().unwrap_or(true), "ExcludeManagementEventSources": list(&e["exclude_management_event_sources"])}))
                    .collect();
                if !classic.is_empty() {
                    t["EventSelectors"] = classic.into();
                }
                let adv: Vec<Value> = list(&v["advanced_event_selector"])
                    .iter()
                    .map(|a| {
                        let fields: Vec<Value> = list(&a["field_selector"])
                            .iter()
                            .map(|f| {
                                let mut o = json!({"Field": s(&f["field"]).unwrap_or_default()});
                                for (k, tf_name) in [
                                    ("Equals", "equals"),
                                    ("NotEquals", "not_equals"),
                                    ("StartsWith", "starts_with"),
                                    ("NotStartsWith", "not_starts_with"),
                                ] {
                                    let l = list(&f[tf_name]);
                                    if !l.is_empty() {
                                        o[k] = l.into();
                                    }
                                }
                                o
                            })
                            .collect();
                        json!({"Name": s(&a["name"]), "FieldSelectors": fields})
                    })
                    .collect();
                if !adv.is_empty() {
                    t["AdvancedEventSelectors"] = adv.into();
                }
                push(&mut r, "trails", t);
            }
            _ => {}
        }
    }
    Ok(json!({
        "$schema": "./schema.json",
        "name": name,
        "description": "converted from terraform show -json",
        "control": "cis-4.15",
        "given": {"check_region": region, "accounts": [{"account": acct, "organization": "management", "regions": {region.clone(): r}}]},
        "expect": {"status": "PASS", "reasons": []}
    }))
}
