//! Collecting the inventory: the official AWS SDK for Rust against any endpoint, read-only.
//!
//! Only `Describe*`, `Get*`, `List*` calls are made (TestMetricFilter only with `--verify-with-service`, in
//! [`crate::verify`]). Every failure is recorded in the inventory instead of aborting: a denied call makes
//! one link unknown, not the whole check. Pagination follows every `NextToken`; throttling is retried by the
//! SDK's standard retry strategy.

use crate::inventory::*;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::error::ProvideErrorMetadata;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Where and as whom to check.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub endpoint_url: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
}

/// Builds the SDK configuration: with an endpoint and no configured credentials, static test credentials.
pub async fn sdk_config(t: &Target) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).retry_config(
        RetryConfig::standard()
            .with_max_attempts(6)
            .with_initial_backoff(Duration::from_millis(20)),
    );
    if let Some(p) = &t.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &t.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &t.endpoint_url {
        loader = loader.endpoint_url(e);
        let configured = std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
            || std::env::var_os("AWS_PROFILE").is_some()
            || t.profile.is_some();
        if !configured {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                "AKIDEXAMPLE",
                "orgwatch",
                None,
                None,
                "orgwatch-static",
            ));
        }
    }
    let conf = loader.load().await;
    if conf.region().is_none() {
        return conf.into_builder().region(Region::new("us-east-1")).build();
    }
    conf
}

fn err<E: ProvideErrorMetadata + std::error::Error + 'static>(operation: &str, e: E) -> CallError {
    CallError {
        operation: operation.to_string(),
        code: e.code().unwrap_or("Unknown").to_string(),
        message: e
            .message()
            .map(str::to_string)
            .unwrap_or_else(|| aws_sdk_sts::error::DisplayErrorContext(&e).to_string()),
    }
}

struct Collector {
    base: SdkConfig,
    calls: BTreeMap<String, u32>,
}

impl Collector {
    fn conf(&self, region: &str) -> SdkConfig {
        self.base
            .clone()
            .into_builder()
            .region(Region::new(region.to_string()))
            .build()
    }

    fn count(&mut self, op: &str) {
        *self.calls.entry(op.to_string()).or_default() += 1;
    }
}

/// Collects everything the decision needs, for the account the credentials belong to.
pub async fn collect(conf: &SdkConfig) -> Inventory {
    let region = conf
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());
    let mut c = Collector {
        base: conf.clone(),
        calls: BTreeMap::new(),
    };

    c.count("sts:GetCallerIdentity");
    let caller = aws_sdk_sts::Client::new(conf)
        .get_caller_identity()
        .send()
        .await
        .map(|o| Caller {
            account: o.account().unwrap_or_default().to_string(),
            arn: o.arn().unwrap_or_default().to_string(),
        })
        .map_err(|e| err("sts:GetCallerIdentity", e));

    c.count("organizations:DescribeOrganization");
    let organization = match aws_sdk_organizations::Client::new(conf)
        .describe_organization()
        .send()
        .await
    {
        Ok(o) => {
            let org = o.organization();
            let id = org.and_then(|o| o.id()).unwrap_or_default().to_string();
            let mgmt = org
                .and_then(|o| o.master_account_id())
                .unwrap_or_default()
                .to_string();
            match &caller {
                Ok(me) if me.account == mgmt => Ok(Organization::Management { id }),
                _ => Ok(Organization::Member {
                    id,
                    management_account: mgmt,
                }),
            }
        }
        Err(e) => {
            let e = err("organizations:DescribeOrganization", e);
            if e.code == "AWSOrganizationsNotInUseException" {
                Ok(Organization::None)
            } else {
                Err(e)
            }
        }
    };

    let trails = collect_trails(&mut c, conf).await;
    let account = caller.as_ref().map(|c| c.account.clone()).ok();

    let mut log_groups = BTreeMap::new();
    let group_arns: BTreeSet<String> = trails
        .iter()
        .flatten()
        .filter_map(|t| t.log_group_arn.clone())
        .collect();
    for arn in group_arns {
        let key = arn.trim_end_matches(":*").to_string();
        let got = collect_log_group(&mut c, &arn, account.as_deref()).await;
        log_groups.insert(key, got);
    }

    let mut alarms = BTreeMap::new();
    let regions: BTreeSet<String> = log_groups
        .values()
        .flatten()
        .filter(|g| g.exists && !g.metric_filters.is_empty())
        .map(|g| g.region.clone())
        .collect();
    for r in regions {
        let got = collect_alarms(&mut c, &r).await;
        alarms.insert(r, got);
    }

    let mut topics = BTreeMap::new();
    let topic_arns: BTreeSet<String> = alarms
        .values()
        .flatten()
        .flatten()
        .flat_map(|a| a.alarm_actions.iter())
        .filter(|a| a.starts_with("arn:aws:sns:") || a.contains(":sns:"))
        .cloned()
        .collect();
    for arn in topic_arns {
        let got = collect_topic(&mut c, &arn).await;
        topics.insert(arn, got);
    }

    let mut roles = BTreeMap::new();
    let role_arns: BTreeSet<String> = trails
        .iter()
        .flatten()
        .filter(|t| t.log_group_arn.is_some())
        .filter_map(|t| t.role_arn.clone())
        .collect();
    for arn in role_arns {
        let got = collect_role(&mut c, &arn, account.as_deref()).await;
        roles.insert(arn, got);
    }

    // Keys, by the region they are looked up in: a group's in the group's region, a topic's in the topic's.
    let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
    for g in log_groups.values().flatten() {
        if let Some(k) = &g.kms_key_id {
            wanted.insert((g.region.clone(), k.clone()));
        }
    }
    for (arn, t) in &topics {
        if let Ok(Topic {
            kms_master_key_id: Some(k),
            ..
        }) = t
        {
            let region = split_arn(arn).map(|a| a.1).unwrap_or_default();
            wanted.insert((region, k.clone()));
        }
    }
    let mut keys = BTreeMap::new();
    for (region, id) in wanted {
        let got = collect_key(&mut c, &region, &id).await;
        keys.insert(Key::slot(&region, &id), got);
    }

    Inventory {
        region,
        caller,
        organization,
        trails,
        log_groups,
        alarms,
        topics,
        roles,
        keys,
        calls: c.calls,
    }
}

async fn collect_trails(c: &mut Collector, conf: &SdkConfig) -> Got<Vec<Trail>> {
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    c.count("cloudtrail:DescribeTrails");
    let list = ct
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| err("cloudtrail:DescribeTrails", e))?;
    let mut out = Vec::new();
    for t in list.trail_list() {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        c.count("cloudtrail:GetTrailStatus");
        let status = ct
            .get_trail_status()
            .name(&arn)
            .send()
            .await
            .map(|s| TrailStatus {
                is_logging: s.is_logging().unwrap_or(false),
                delivery_error: s
                    .latest_cloud_watch_logs_delivery_error()
                    .filter(|e| !e.is_empty())
                    .map(str::to_string),
            })
            .map_err(|e| err("cloudtrail:GetTrailStatus", e));
        c.count("cloudtrail:GetEventSelectors");
        let selectors = ct
            .get_event_selectors()
            .trail_name(&arn)
            .send()
            .await
            .map(|s| Selectors {
                classic: s
                    .event_selectors()
                    .iter()
                    .map(|e| ClassicSelector {
                        read_write_type: e
                            .read_write_type()
                            .map(|r| r.as_str().to_string())
                            .unwrap_or_else(|| "All".into()),
                        include_management_events: e.include_management_events().unwrap_or(true),
                        exclude_management_event_sources: e
                            .exclude_management_event_sources()
                            .to_vec(),
                    })
                    .collect(),
                advanced: s
                    .advanced_event_selectors()
                    .iter()
                    .map(|a| AdvancedSelector {
                        name: a.name().map(str::to_string),
                        fields: a
                            .field_selectors()
                            .iter()
                            .map(|f| FieldSelector {
                                field: f.field().to_string(),
                                equals: f.equals().to_vec(),
                                not_equals: f.not_equals().to_vec(),
                                starts_with: f.starts_with().to_vec(),
                                not_starts_with: f.not_starts_with().to_vec(),
                                ends_with: f.ends_with().to_vec(),
                                not_ends_with: f.not_ends_with().to_vec(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .map_err(|e| err("cloudtrail:GetEventSelectors", e));
        out.push(Trail {
            name: t.name().unwrap_or_default().to_string(),
            arn,
            home_region: t.home_region().unwrap_or_default().to_string(),
            multi_region: t.is_multi_region_trail().unwrap_or(false),
            organization_trail: t.is_organization_trail().unwrap_or(false),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            role_arn: t.cloud_watch_logs_role_arn().map(str::to_string),
            status,
            selectors,
        });
    }
    Ok(out)
}

async fn collect_log_group(c: &mut Collector, arn: &str, account: Option<&str>) -> Got<LogGroup> {
    let Some((region, owner, name)) = log_group_of(arn) else {
        return Err(CallError {
            operation: "parse".into(),
            code: "InvalidArn".into(),
            message: format!("{arn} is not a log group ARN"),
        });
    };
    if account.is_some_and(|a| a != owner) {
        return Err(CallError {
            operation: "logs:DescribeLogGroups".into(),
            code: "CrossAccount".into(),
            message: format!(
                "the log group belongs to account {owner}; these credentials are for {}",
                account.unwrap_or_default()
            ),
        });
    }
    let logs = aws_sdk_cloudwatchlogs::Client::new(&c.conf(&region));
    let mut exists = false;
    let mut kms_key_id = None;
    let mut token = None;
    loop {
        c.count("logs:DescribeLogGroups");
        let page = logs
            .describe_log_groups()
            .log_group_name_prefix(&name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| err("logs:DescribeLogGroups", e))?;
        if let Some(g) = page
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name.as_str()))
        {
            exists = true;
            kms_key_id = g.kms_key_id().map(str::to_string);
        }
        token = page.next_token().map(str::to_string);
        if exists || token.is_none() {
            break;
        }
    }
    let mut metric_filters = Vec::new();
    if exists {
        let mut token = None;
        loop {
            c.count("logs:DescribeMetricFilters");
            let page = logs
                .describe_metric_filters()
                .log_group_name(&name)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| err("logs:DescribeMetricFilters", e))?;
            for f in page.metric_filters() {
                for t in f.metric_transformations() {
                    metric_filters.push(MetricFilter {
                        name: f.filter_name().unwrap_or_default().to_string(),
                        pattern: f.filter_pattern().unwrap_or_default().to_string(),
                        metric_name: t.metric_name().to_string(),
                        namespace: t.metric_namespace().to_string(),
                        value: t.metric_value().to_string(),
                        default_value: t.default_value(),
                        dimensions: t
                            .dimensions()
                            .map(|d| d.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                            .unwrap_or_default(),
                        unit: t.unit().map(|u| u.as_str().to_string()),
                    });
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    Ok(LogGroup {
        name,
        region,
        account: owner,
        exists,
        metric_filters,
        kms_key_id,
    })
}

async fn collect_alarms(c: &mut Collector, region: &str) -> Got<Vec<Alarm>> {
    let cw = aws_sdk_cloudwatch::Client::new(&c.conf(region));
    let mut out = Vec::new();
    let mut token = None;
    loop {
        c.count("cloudwatch:DescribeAlarms");
        let page = cw
            .describe_alarms()
            .max_records(100)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| err("cloudwatch:DescribeAlarms", e))?;
        for a in page.metric_alarms() {
            let dims = |d: &[aws_sdk_cloudwatch::types::Dimension]| -> BTreeMap<String, String> {
                d.iter()
                    .map(|x| {
                        (
                            x.name().unwrap_or_default().to_string(),
                            x.value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            };
            let math = (!a.metrics().is_empty()).then(|| {
                let ret = a.metrics().iter().find(|m| m.return_data().unwrap_or(true));
                MathAlarm {
                    returned_metric: ret.and_then(|m| m.metric_stat()).and_then(|s| {
                        let m = s.metric()?;
                        Some(MetricStatRef {
                            namespace: m.namespace().unwrap_or_default().to_string(),
                            name: m.metric_name().unwrap_or_default().to_string(),
                            dimensions: dims(m.dimensions()),
                            stat: s.stat().unwrap_or_default().to_string(),
                            period: s.period().unwrap_or(0),
                        })
                    }),
                    expression: ret.and_then(|m| m.expression()).map(str::to_string),
                }
            });
            out.push(Alarm {
                name: a.alarm_name().unwrap_or_default().to_string(),
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                metric_name: a.metric_name().map(str::to_string),
                namespace: a.namespace().map(str::to_string),
                statistic: a.statistic().map(|s| s.as_str().to_string()),
                extended_statistic: a.extended_statistic().map(str::to_string),
                dimensions: dims(a.dimensions()),
                unit: a.unit().map(|u| u.as_str().to_string()),
                period: a.period(),
                evaluation_periods: a.evaluation_periods().unwrap_or(1),
                datapoints_to_alarm: a.datapoints_to_alarm(),
                threshold: a.threshold(),
                comparison: a
                    .comparison_operator()
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
                treat_missing_data: a.treat_missing_data().map(str::to_string),
                actions_enabled: a.actions_enabled().unwrap_or(true),
                alarm_actions: a.alarm_actions().to_vec(),
                description: a.alarm_description().map(str::to_string),
                ok_actions: a.ok_actions().to_vec(),
                insufficient_data_actions: a.insufficient_data_actions().to_vec(),
                math,
            });
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(out)
}

async fn collect_topic(c: &mut Collector, arn: &str) -> Got<Topic> {
    let region = split_arn(arn).map(|a| a.1).unwrap_or_default();
    let sns = aws_sdk_sns::Client::new(&c.conf(&region));
    c.count("sns:GetTopicAttributes");
    let attributes = match sns.get_topic_attributes().topic_arn(arn).send().await {
        Ok(o) => o.attributes().cloned().unwrap_or_default(),
        Err(e) => {
            let e = err("sns:GetTopicAttributes", e);
            if e.code == "NotFound" {
                return Ok(Topic {
                    arn: arn.to_string(),
                    exists: false,
                    subscriptions: Vec::new(),
                    policy: None,
                    kms_master_key_id: None,
                });
            }
            return Err(e);
        }
    };
    let mut subscriptions = Vec::new();
    let mut token = None;
    loop {
        c.count("sns:ListSubscriptionsByTopic");
        let page = sns
            .list_subscriptions_by_topic()
            .topic_arn(arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| err("sns:ListSubscriptionsByTopic", e))?;
        subscriptions.extend(page.subscriptions().iter().map(|s| Subscription {
            arn: s.subscription_arn().unwrap_or_default().to_string(),
            protocol: s.protocol().unwrap_or_default().to_string(),
            endpoint: s.endpoint().unwrap_or_default().to_string(),
            filter_policy: None,
            filter_policy_scope: None,
            attributes_error: None,
        }));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    // A confirmed subscription's filter policy decides whether an alarm notification reaches it.
    for s in subscriptions.iter_mut().filter(|s| s.confirmed()) {
        c.count("sns:GetSubscriptionAttributes");
        match sns
            .get_subscription_attributes()
            .subscription_arn(&s.arn)
            .send()
            .await
        {
            Ok(o) => {
                let a = o.attributes().cloned().unwrap_or_default();
                s.filter_policy = a.get("FilterPolicy").filter(|p| !p.is_empty()).cloned();
                s.filter_policy_scope = a.get("FilterPolicyScope").cloned();
            }
            Err(e) => s.attributes_error = Some(err("sns:GetSubscriptionAttributes", e)),
        }
    }
    Ok(Topic {
        arn: arn.to_string(),
        exists: true,
        subscriptions,
        policy: attributes.get("Policy").cloned(),
        kms_master_key_id: attributes
            .get("KmsMasterKeyId")
            .filter(|k| !k.is_empty())
            .cloned(),
    })
}

/// IAM answers policy documents URL-encoded (the SDK hands them on as they came).
fn decoded(doc: &str) -> String {
    percent_encoding::percent_decode_str(doc)
        .decode_utf8_lossy()
        .into_owned()
}

/// The role and every permission policy that applies to it (inline, and attached managed policies'
/// default versions). IAM is global: one client, in the home region.
async fn collect_role(c: &mut Collector, arn: &str, account: Option<&str>) -> Got<Role> {
    let Some((_, _, owner, resource)) = split_arn(arn) else {
        return Err(CallError {
            operation: "parse".into(),
            code: "InvalidArn".into(),
            message: format!("{arn} is not a role ARN"),
        });
    };
    if account.is_some_and(|a| a != owner) {
        return Err(CallError {
            operation: "iam:GetRole".into(),
            code: "CrossAccount".into(),
            message: format!(
                "the role belongs to account {owner}; these credentials are for {}",
                account.unwrap_or_default()
            ),
        });
    }
    let name = resource.rsplit('/').next().unwrap_or_default().to_string();
    let iam = aws_sdk_iam::Client::new(&c.base);
    c.count("iam:GetRole");
    let role = match iam.get_role().role_name(&name).send().await {
        Ok(o) => o.role,
        Err(e) => {
            let e = err("iam:GetRole", e);
            if e.code == "NoSuchEntity" {
                return Ok(Role {
                    arn: arn.to_string(),
                    exists: false,
                    trust_policy: String::new(),
                    policies: Vec::new(),
                });
            }
            return Err(e);
        }
    };
    let trust_policy = role
        .and_then(|r| r.assume_role_policy_document)
        .map(|d| decoded(&d))
        .unwrap_or_default();
    let mut policies = Vec::new();
    c.count("iam:ListRolePolicies");
    let names = iam
        .list_role_policies()
        .role_name(&name)
        .send()
        .await
        .map_err(|e| err("iam:ListRolePolicies", e))?;
    for p in names.policy_names() {
        c.count("iam:GetRolePolicy");
        let got = iam
            .get_role_policy()
            .role_name(&name)
            .policy_name(p)
            .send()
            .await
            .map_err(|e| err("iam:GetRolePolicy", e))?;
        policies.push(RolePolicy {
            kind: "inline".into(),
            name: p.clone(),
            document: decoded(got.policy_document()),
        });
    }
    c.count("iam:ListAttachedRolePolicies");
    let attached = iam
        .list_attached_role_policies()
        .role_name(&name)
        .send()
        .await
        .map_err(|e| err("iam:ListAttachedRolePolicies", e))?;
    for p in attached.attached_policies() {
        let Some(parn) = p.policy_arn() else { continue };
        c.count("iam:GetPolicy");
        let version = iam
            .get_policy()
            .policy_arn(parn)
            .send()
            .await
            .map_err(|e| err("iam:GetPolicy", e))?
            .policy
            .and_then(|p| p.default_version_id)
            .unwrap_or_else(|| "v1".into());
        c.count("iam:GetPolicyVersion");
        let doc = iam
            .get_policy_version()
            .policy_arn(parn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| err("iam:GetPolicyVersion", e))?
            .policy_version
            .and_then(|v| v.document)
            .map(|d| decoded(&d))
            .unwrap_or_default();
        policies.push(RolePolicy {
            kind: "managed".into(),
            name: parn.to_string(),
            document: doc,
        });
    }
    Ok(Role {
        arn: arn.to_string(),
        exists: true,
        trust_policy,
        policies,
    })
}

/// A KMS key as named by a group or topic (an ARN, a key id, or an alias), looked up in `region`.
async fn collect_key(c: &mut Collector, region: &str, id: &str) -> Got<Key> {
    let kms = aws_sdk_kms::Client::new(&c.conf(region));
    c.count("kms:DescribeKey");
    let meta = match kms.describe_key().key_id(id).send().await {
        Ok(o) => o.key_metadata,
        Err(e) => {
            let e = err("kms:DescribeKey", e);
            if e.code == "NotFoundException" {
                return Ok(Key {
                    arn: id.to_string(),
                    exists: false,
                    state: String::new(),
                    manager: if id.contains("alias/aws/") {
                        "AWS"
                    } else {
                        "CUSTOMER"
                    }
                    .into(),
                    policy: String::new(),
                    aliases: Vec::new(),
                });
            }
            return Err(e);
        }
    };
    let Some(meta) = meta else {
        return Err(CallError {
            operation: "kms:DescribeKey".into(),
            code: "EmptyResponse".into(),
            message: format!("DescribeKey {id} returned no KeyMetadata"),
        });
    };
    c.count("kms:GetKeyPolicy");
    let policy = kms
        .get_key_policy()
        .key_id(meta.key_id())
        .policy_name("default")
        .send()
        .await
        .map_err(|e| err("kms:GetKeyPolicy", e))?
        .policy
        .unwrap_or_default();
    c.count("kms:ListAliases");
    let aliases = kms
        .list_aliases()
        .key_id(meta.key_id())
        .send()
        .await
        .map(|o| {
            o.aliases()
                .iter()
                .filter_map(|a| a.alias_name().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Key {
        arn: meta.arn().unwrap_or(id).to_string(),
        exists: true,
        state: meta
            .key_state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        manager: meta
            .key_manager()
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
        policy,
        aliases,
    })
}
