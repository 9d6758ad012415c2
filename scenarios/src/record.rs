//! `orgwatch scenarios record`: capture a live configuration (read-only, through the checker's own
//! collection) into a scenario file, so that what an account has can be replayed without it.

use orgwatch_checker::inventory::{Inventory, Key, Organization};
use orgwatch_checker::Report;
use std::collections::BTreeMap;

/// Builds a scenario from a collected inventory and the verdict reached on it.
pub fn scenario(inv: &Inventory, report: &Report, name: &str) -> serde_json::Value {
    let account = inv
        .caller
        .as_ref()
        .map(|c| c.account.clone())
        .unwrap_or_else(|_| "123456789012".into());
    let mut regions: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for t in inv
        .trails
        .iter()
        .flatten()
        .filter(|t| t.arn.contains(&format!(":{account}:")))
    {
        let mut v = serde_json::json!({"Name": t.name, "IsMultiRegionTrail": t.multi_region, "IsOrganizationTrail": t.organization_trail});
        if let Some(g) = &t.log_group_arn {
            v["CloudWatchLogsLogGroupArn"] = g.clone().into();
        }
        if let Some(r) = &t.role_arn {
            v["CloudWatchLogsRoleArn"] = r.clone().into();
        }
        if let Ok(s) = &t.status {
            v["IsLogging"] = s.is_logging.into();
            if let Some(e) = &s.delivery_error {
                v["LatestCloudWatchLogsDeliveryError"] = e.clone().into();
            }
        }
        if let Ok(sel) = &t.selectors {
            if !sel.advanced.is_empty() {
                v["AdvancedEventSelectors"] = sel
                    .advanced
                    .iter()
                    .map(|a| {
                        let fields: Vec<serde_json::Value> = a
                            .fields
                            .iter()
                            .map(|f| {
                                let mut o = serde_json::json!({"Field": f.field});
                                for (k, list) in [
                                    ("Equals", &f.equals),
                                    ("NotEquals", &f.not_equals),
                                    ("StartsWith", &f.starts_with),
                                    ("NotStartsWith", &f.not_starts_with),
                                ] {
                                    if !list.is_empty() {
                                        o[k] = serde_json::json!(list);
                                    }
                                }
                                o
                            })
                            .collect();
                        serde_json::json!({"Name": a.name, "FieldSelectors": fields})
                    })
                    .collect();
            } else {
                v["EventSelectors"] = sel
                    .classic
                    .iter()
                    .map(|e| serde_json::json!({"ReadWriteType": e.read_write_type, "IncludeManagementEvents": e.include_management_events, "ExcludeManagementEventSources": e.exclude_management_event_sources}))
                    .collect();
            }
        }
        push(&mut regions, &t.home_region, "trails", v);
    }
    // Customer managed keys, recorded under an alias the harness can make (their own, or a made-up one).
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for (slot, k) in &inv.keys {
        let Ok(k) = k else { continue };
        let region = slot.split('/').next().unwrap_or_default();
        if !k.exists || k.manager == "AWS" {
            continue;
        }
        let alias = k
            .aliases
            .iter()
            .find(|a| !a.starts_with("alias/aws/"))
            .cloned()
            .unwrap_or_else(|| format!("alias/recorded-{}", aliases.len() + 1));
        let policy: serde_json::Value =
            serde_json::from_str(&k.policy).unwrap_or_else(|_| k.policy.clone().into());
        push(
            &mut regions,
            region,
            "keys",
            serde_json::json!({"Alias": alias, "Policy": policy, "KeyState": k.state}),
        );
        aliases.insert(slot.clone(), alias);
    }
    let key_ref = |region: &str, id: &str| {
        aliases
            .get(&Key::slot(region, id))
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    for r in inv.roles.values().flatten().filter(|r| r.exists) {
        let Some((_, _, acct, resource)) = orgwatch_checker::inventory::split_arn(&r.arn) else {
            continue;
        };
        if acct != account {
            continue;
        }
        let json = |d: &str| serde_json::from_str(d).unwrap_or_else(|_| serde_json::Value::from(d));
        let policies: Vec<serde_json::Value> = r
            .policies
            .iter()
            .map(|p| {
                // A managed policy is replayed as an inline one with the same document.
                let name = p.name.rsplit('/').next().unwrap_or(&p.name);
                serde_json::json!({"PolicyName": name, "PolicyDocument": json(&p.document)})
            })
            .collect();
        let v = serde_json::json!({
            "RoleName": resource.rsplit('/').next().unwrap_or_default(),
            "AssumeRolePolicyDocument": json(&r.trust_policy),
            "Policies": policies,
        });
        push(&mut regions, &inv.region, "roles", v);
    }
    for g in inv
        .log_groups
        .values()
        .flatten()
        .filter(|g| g.exists && g.account == account)
    {
        let mut v = serde_json::json!({"logGroupName": g.name});
        if let Some(k) = &g.kms_key_id {
            v["kmsKeyId"] = key_ref(&g.region, k).into();
        }
        push(&mut regions, &g.region, "logGroups", v);
        for f in &g.metric_filters {
            let mut t = serde_json::json!({"metricName": f.metric_name, "metricNamespace": f.namespace, "metricValue": f.value});
            if let Some(d) = f.default_value {
                t["defaultValue"] = d.into();
            }
            if let Some(u) = &f.unit {
                t["unit"] = u.clone().into();
            }
            if !f.dimensions.is_empty() {
                t["dimensions"] = serde_json::json!(f.dimensions);
            }
            let v = serde_json::json!({"logGroupName": g.name, "filterName": f.name, "filterPattern": f.pattern, "metricTransformations": [t]});
            push(&mut regions, &g.region, "metricFilters", v);
        }
    }
    for (r, alarms) in &inv.alarms {
        for a in alarms.iter().flatten().filter(|a| a.math.is_none()) {
            let mut v = serde_json::json!({
                "AlarmName": a.name, "MetricName": a.metric_name, "Namespace": a.namespace, "Period": a.period.unwrap_or(300),
                "EvaluationPeriods": a.evaluation_periods, "Threshold": a.threshold.unwrap_or(0.0), "ComparisonOperator": a.comparison,
                "ActionsEnabled": a.actions_enabled, "AlarmActions": a.alarm_actions,
                "Dimensions": a.dimensions.iter().map(|(k, v)| serde_json::json!({"Name": k, "Value": v})).collect::<Vec<_>>(),
            });
            for (k, val) in [
                ("Statistic", &a.statistic),
                ("ExtendedStatistic", &a.extended_statistic),
                ("TreatMissingData", &a.treat_missing_data),
                ("Unit", &a.unit),
            ] {
                if let Some(x) = val {
                    v[k] = x.clone().into();
                }
            }
            if let Some(m) = a.datapoints_to_alarm {
                v["DatapointsToAlarm"] = m.into();
            }
            push(&mut regions, r, "alarms", v);
        }
    }
    for t in inv.topics.values().flatten().filter(|t| t.exists) {
        let Some((_, r, acct, name)) = orgwatch_checker::inventory::split_arn(&t.arn) else {
            continue;
        };
        if acct != account {
            continue;
        }
        let mut attributes = serde_json::Map::new();
        if let Some(p) = &t.policy {
            let policy: serde_json::Value =
                serde_json::from_str(p).unwrap_or_else(|_| p.clone().into());
            attributes.insert("Policy".into(), policy);
        }
        if let Some(k) = &t.kms_master_key_id {
            attributes.insert("KmsMasterKeyId".into(), key_ref(&r, k).into());
        }
        push(
            &mut regions,
            &r,
            "topics",
            serde_json::json!({"Name": name, "Attributes": attributes}),
        );
        for s in &t.subscriptions {
            let mut v = serde_json::json!({"TopicArn": t.arn, "Protocol": s.protocol, "Endpoint": s.endpoint, "Confirmed": s.confirmed()});
            // The filter policy decides whether the alarm's notification gets through: kept as read.
            if let Some(p) = &s.filter_policy {
                v["Attributes"]["FilterPolicy"] = p.clone().into();
            }
            if let Some(scope) = &s.filter_policy_scope {
                v["Attributes"]["FilterPolicyScope"] = scope.clone().into();
            }
            push(&mut regions, &r, "subscriptions", v);
        }
    }
    let organization = match &inv.organization {
        Ok(Organization::Management { .. }) => "management",
        Ok(Organization::Member { .. }) => "member",
        _ => "none",
    };
    let mut acct =
        serde_json::json!({"account": account, "organization": organization, "regions": regions});
    if let Ok(Organization::Member {
        management_account, ..
    }) = &inv.organization
    {
        acct["managementAccount"] = management_account.clone().into();
    }
    let reasons: Vec<&str> = report.reasons();
    let mut out = serde_json::json!({
        "$schema": "./schema.json",
        "name": name,
        "description": format!("recorded from account {account} in {}", inv.region),
        "control": "cis-4.15",
        "given": {"check_region": inv.region, "accounts": [acct]},
        "expect": {"status": report.status.as_str(), "reasons": reasons},
    });
    // A report on a family control records that control, so the recording replays to the same verdict.
    if let Some(c) = &report.control_id {
        out["control"] = c.id.clone().into();
        out["benchmark"] = c.benchmark.clone().into();
    }
    out
}

fn push(
    regions: &mut BTreeMap<String, serde_json::Value>,
    region: &str,
    kind: &str,
    v: serde_json::Value,
) {
    let r = regions
        .entry(region.to_string())
        .or_insert_with(|| serde_json::json!({}));
    if let Some(list) = r
        .as_object_mut()
        .map(|o| o.entry(kind).or_insert_with(|| serde_json::json!([])))
        .and_then(|l| l.as_array_mut())
    {
        list.push(v);
    }
}

/// Replaces the account id and names by placeholders, for sharing a recording.
pub fn anonymize(mut text: String, account: &str) -> String {
    text = text.replace(account, "123456789012");
    text
}
