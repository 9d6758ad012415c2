//! The harness: applies a scenario's `given` to an emulator through the AWS APIs over HTTP, as any client
//! would (the AWS SDK for Rust, each account selected by its 12-digit access key); the admin API only for
//! what no AWS API can set (the organization role, a confirmed email/HTTP subscription, a delivery error).

use super::format::{Account, Resources, Scenario};
use super::{access, destinations};
use anyhow::{Context, Result};
use orgwatch_emulator::admin::api::{DeliveryError, SetOrganization};
use orgwatch_emulator::admin::client::AdminClient;

pub use crate::sdk::sdk;

pub async fn apply(endpoint: &str, s: &Scenario) -> Result<()> {
    for a in &s.given.accounts {
        let org = SetOrganization {
            account: a.account.clone(),
            role: a.organization.unwrap_or_default(),
            management_account: a.management_account.clone(),
            organization_id: None,
        };
        AdminClient::new(endpoint).set_organization(&org).await?;
    }
    for a in &s.given.accounts {
        for (region, r) in &a.regions {
            apply_region(endpoint, a, region, r)
                .await
                .with_context(|| format!("account {} region {region}", a.account))?;
        }
    }
    Ok(())
}

/// Applies one account's resources in one region. Also used by scenario steps, so existing log groups,
/// topics and trails are kept or updated rather than reported as conflicts.
pub async fn apply_region(endpoint: &str, a: &Account, region: &str, r: &Resources) -> Result<()> {
    let conf = sdk(endpoint, &a.account, region).await;
    let keys = access::make_keys(endpoint, &a.account, region, &r.keys).await?;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    for g in &r.log_groups {
        let key = g.kms_key_id.as_deref().map(|k| access::resolve(&keys, k));
        let created = logs
            .create_log_group()
            .log_group_name(&g.log_group_name)
            .set_kms_key_id(key.clone())
            .send()
            .await;
        if let Err(e) = created {
            let exists = e
                .as_service_error()
                .is_some_and(|e| e.is_resource_already_exists_exception());
            if !exists {
                return Err(e).context("CreateLogGroup");
            }
            if let Some(k) = key {
                logs.associate_kms_key()
                    .log_group_name(&g.log_group_name)
                    .kms_key_id(k)
                    .send()
                    .await
                    .with_context(|| format!("AssociateKmsKey {}", g.log_group_name))?;
            }
        }
    }
    for f in &r.metric_filters {
        let mut req = logs
            .put_metric_filter()
            .log_group_name(&f.log_group_name)
            .filter_name(&f.filter_name)
            .filter_pattern(&f.filter_pattern);
        for t in &f.metric_transformations {
            let mut b = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                .metric_name(&t.metric_name)
                .metric_namespace(&t.metric_namespace)
                .metric_value(&t.metric_value)
                .set_default_value(t.default_value)
                .set_unit(
                    t.unit
                        .as_deref()
                        .map(aws_sdk_cloudwatchlogs::types::StandardUnit::from),
                );
            for (k, v) in t.dimensions.iter().flatten() {
                b = b.dimensions(k, v);
            }
            req = req.metric_transformations(b.build()?);
        }
        req.send()
            .await
            .with_context(|| format!("PutMetricFilter {}", f.filter_name))?;
    }
    let sns = aws_sdk_sns::Client::new(&conf);
    for t in &r.topics {
        let arn = sns
            .create_topic()
            .name(&t.name)
            .send()
            .await
            .context("CreateTopic")?
            .topic_arn
            .unwrap_or_default();
        for (name, value) in &t.attributes {
            let value = match name.as_str() {
                "KmsMasterKeyId" => access::resolve(&keys, &access::document(value)),
                _ => access::document(value),
            };
            sns.set_topic_attributes()
                .topic_arn(&arn)
                .attribute_name(name)
                .attribute_value(value)
                .send()
                .await
                .with_context(|| format!("SetTopicAttributes {name} on {}", t.name))?;
        }
    }
    for sub in &r.subscriptions {
        let out = sns
            .subscribe()
            .topic_arn(&sub.topic_arn)
            .protocol(&sub.protocol)
            .endpoint(&sub.endpoint)
            .set_attributes((!sub.attributes.is_empty()).then(|| {
                sub.attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), access::document(v)))
                    .collect()
            }))
            .return_subscription_arn(true)
            .send()
            .await
            .context("Subscribe")?;
        if sub.confirmed == Some(true) {
            let arn = out.subscription_arn().unwrap_or_default();
            AdminClient::new(endpoint).confirm(arn).await?;
        }
    }
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    for al in &r.alarms {
        use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, StandardUnit, Statistic};
        let mut req = cw
            .put_metric_alarm()
            .alarm_name(&al.alarm_name)
            .metric_name(&al.metric_name)
            .namespace(&al.namespace)
            .set_statistic(al.statistic.as_deref().map(Statistic::from))
            .set_extended_statistic(al.extended_statistic.clone())
            .period(al.period)
            .evaluation_periods(al.evaluation_periods)
            .set_datapoints_to_alarm(al.datapoints_to_alarm)
            .threshold(al.threshold)
            .comparison_operator(ComparisonOperator::from(al.comparison_operator.as_str()))
            .set_treat_missing_data(al.treat_missing_data.clone())
            .set_actions_enabled(al.actions_enabled)
            .set_unit(al.unit.as_deref().map(StandardUnit::from));
        for action in &al.alarm_actions {
            req = req.alarm_actions(action);
        }
        for d in &al.dimensions {
            req = req.dimensions(Dimension::builder().name(&d.name).value(&d.value).build());
        }
        req.send()
            .await
            .with_context(|| format!("PutMetricAlarm {}", al.alarm_name))?;
    }
    let ct = aws_sdk_cloudtrail::Client::new(&conf);
    for t in &r.trails {
        let interim = destinations::prepare(endpoint, &a.account, region, t).await?;
        let created = ct
            .create_trail()
            .name(&t.name)
            .s3_bucket_name(&t.s3_bucket_name)
            .is_multi_region_trail(t.is_multi_region_trail)
            .is_organization_trail(t.is_organization_trail)
            .set_cloud_watch_logs_log_group_arn(t.cloud_watch_logs_log_group_arn.clone())
            .set_cloud_watch_logs_role_arn(t.cloud_watch_logs_role_arn.clone())
            .send()
            .await;
        if let Err(e) = created {
            let exists = e
                .as_service_error()
                .is_some_and(|e| e.is_trail_already_exists_exception());
            if !exists {
                return Err(e).with_context(|| format!("CreateTrail {}", t.name));
            }
            ct.update_trail()
                .name(&t.name)
                .s3_bucket_name(&t.s3_bucket_name)
                .is_multi_region_trail(t.is_multi_region_trail)
                .is_organization_trail(t.is_organization_trail)
                .cloud_watch_logs_log_group_arn(
                    t.cloud_watch_logs_log_group_arn.clone().unwrap_or_default(),
                )
                .cloud_watch_logs_role_arn(t.cloud_watch_logs_role_arn.clone().unwrap_or_default())
                .send()
                .await
                .with_context(|| format!("UpdateTrail {}", t.name))?;
        }
        if let Some(i) = interim {
            i.remove().await?;
        }
        if t.is_logging {
            ct.start_logging()
                .name(&t.name)
                .send()
                .await
                .context("StartLogging")?;
        } else {
            ct.stop_logging()
                .name(&t.name)
                .send()
                .await
                .context("StopLogging")?;
        }
        if let Some(sel) = &t.event_selectors {
            let mut req = ct.put_event_selectors().trail_name(&t.name);
            for e in sel {
                req = req.event_selectors(
                    aws_sdk_cloudtrail::types::EventSelector::builder()
                        .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::from(
                            e.read_write_type.as_str(),
                        ))
                        .set_data_resources(Some(
                            e.data_resources
                                .iter()
                                .map(|d| {
                                    aws_sdk_cloudtrail::types::DataResource::builder()
                                        .r#type(&d.kind)
                                        .set_values(Some(d.values.clone()))
                                        .build()
                                })
                                .collect(),
                        ))
                        .include_management_events(e.include_management_events)
                        .set_exclude_management_event_sources(Some(
                            e.exclude_management_event_sources.clone(),
                        ))
                        .build(),
                );
            }
            req.send().await.context("PutEventSelectors")?;
        }
        if let Some(adv) = &t.advanced_event_selectors {
            let mut req = ct.put_event_selectors().trail_name(&t.name);
            for s in adv {
                let mut b = aws_sdk_cloudtrail::types::AdvancedEventSelector::builder()
                    .set_name(s.name.clone());
                for f in &s.field_selectors {
                    b = b.field_selectors(
                        aws_sdk_cloudtrail::types::AdvancedFieldSelector::builder()
                            .field(&f.field)
                            .set_equals(Some(f.equals.clone()).filter(|v| !v.is_empty()))
                            .set_not_equals(Some(f.not_equals.clone()).filter(|v| !v.is_empty()))
                            .set_starts_with(Some(f.starts_with.clone()).filter(|v| !v.is_empty()))
                            .set_not_starts_with(
                                Some(f.not_starts_with.clone()).filter(|v| !v.is_empty()),
                            )
                            .set_ends_with(Some(f.ends_with.clone()).filter(|v| !v.is_empty()))
                            .set_not_ends_with(
                                Some(f.not_ends_with.clone()).filter(|v| !v.is_empty()),
                            )
                            .build()?,
                    );
                }
                req = req.advanced_event_selectors(b.build()?);
            }
            req.send().await.context("PutEventSelectors")?;
        }
        if let Some(e) = &t.latest_cloud_watch_logs_delivery_error {
            let error = DeliveryError {
                account: Some(a.account.clone()),
                trail: t.name.clone(),
                error: Some(e.clone()),
            };
            AdminClient::new(endpoint)
                .set_delivery_error(&error)
                .await?;
        }
    }
    if access::any(r) {
        access::apply_roles(endpoint, &a.account, &r.roles).await?;
        access::finish_keys(endpoint, &a.account, region, &r.keys).await?;
    }
    Ok(())
}

/// Confirms every subscription still pending, as its owner would by following the link in the
/// confirmation message: the token comes from the emulator's outbox (where SNS "sent" the message), the
/// confirmation goes through SNS's own `ConfirmSubscription`. Returns how many were confirmed.
pub async fn confirm_pending(endpoint: &str) -> Result<usize> {
    let mut confirmed = 0;
    for m in AdminClient::new(endpoint).outbox(None).await? {
        let d = &m.delivery;
        let (orgwatch_emulator::model::sns::DeliveryKind::SubscriptionConfirmation, Some(token)) =
            (d.kind, d.token.as_deref())
        else {
            continue;
        };
        aws_sdk_sns::Client::new(&sdk(endpoint, &m.account, &m.region).await)
            .confirm_subscription()
            .topic_arn(&d.topic_arn)
            .token(token)
            .send()
            .await
            .with_context(|| format!("ConfirmSubscription on {}", d.topic_arn))?;
        confirmed += 1;
    }
    Ok(confirmed)
}
