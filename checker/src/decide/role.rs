//! The delivery-role link: the role CloudTrail assumes to write to the log group exists, trusts
//! `cloudtrail.amazonaws.com`, and may `logs:CreateLogStream` and `logs:PutLogEvents` on the trail's
//! stream in the group, with no Deny. CloudTrail checks this when the trail is made; a role changed later
//! stops delivery silently (GetTrailStatus shows it only after the next attempt), so it is read here.

use super::chain::{link_state, Builder};
use super::grants::{self, Verdict};
use crate::fix::{delivery_statement, delivery_trust};
use crate::inventory::*;
use crate::reason::Reason;
use orgwatch_pattern::cis;
use orgwatch_policy::{service, Principal, Request};

pub(super) fn judge_role(b: &mut Builder, inv: &Inventory, t: &Trail, group: &LogGroup) {
    let Some(arn) = &t.role_arn else { return };
    b.names.role = arn.rsplit('/').next().map(str::to_string);
    let role = match inv.roles.get(arn) {
        None => return,
        Some(Err(e)) => {
            b.link("delivery-role", arn, "unknown", vec![e.message.clone()]);
            b.unknown(e, arn);
            return;
        }
        Some(Ok(r)) => r,
    };
    let trail_account = split_arn(&t.arn).map(|a| a.2).unwrap_or_default();
    let broken = |b: &mut Builder, why: String, statement: serde_json::Value| {
        b.link("delivery-role", arn, "broken", vec![why.clone()]);
        let f = b.find(
            Reason::TrailDeliveryRoleInvalid,
            vec![arn.clone(), t.arn.clone()],
            format!(
                "CloudTrail cannot deliver to log group {} with role {arn}: {why}",
                group.name
            ),
        );
        f.statement = Some(statement);
    };
    if !role.exists {
        broken(b, "the role does not exist".into(), delivery_trust());
        return;
    }
    let assume = Request::new(
        service("cloudtrail.amazonaws.com"),
        "sts:AssumeRole",
        &role.arn,
    )
    .with("aws:SourceArn", &t.arn)
    .with("aws:SourceAccount", &trail_account);
    match grants::resource_policy(&role.trust_policy, &[assume]) {
        Verdict::Allowed => {}
        Verdict::Denied { statement, .. } => {
            return broken(
                b,
                "its trust policy denies cloudtrail.amazonaws.com sts:AssumeRole".into(),
                statement,
            );
        }
        Verdict::NotAllowed => {
            return broken(
                b,
                "its trust policy does not let cloudtrail.amazonaws.com assume it".into(),
                delivery_trust(),
            );
        }
        Verdict::Unreadable(e) => {
            return broken(
                b,
                format!("its trust policy cannot be read ({e})"),
                delivery_trust(),
            );
        }
    }
    // Organizations events are recorded in us-east-1; an organization trail prefixes the stream with the
    // organization id.
    let stream = match (&inv.organization, t.organization_trail) {
        (Ok(Organization::Management { id } | Organization::Member { id, .. }), true) => {
            format!("{id}_{trail_account}_CloudTrail_{}", cis::EVENT_REGION)
        }
        _ => format!("{trail_account}_CloudTrail_{}", cis::EVENT_REGION),
    };
    let stream_arn = format!(
        "arn:aws:logs:{}:{}:log-group:{}:log-stream:{stream}",
        group.region, group.account, group.name
    );
    let who = Principal::Aws {
        arn: role.arn.clone(),
        account: split_arn(&role.arn).map(|a| a.2).unwrap_or_default(),
    };
    let requests: Vec<Request> = ["logs:CreateLogStream", "logs:PutLogEvents"]
        .iter()
        .map(|a| Request::new(who.clone(), a, &stream_arn))
        .collect();
    let docs: Vec<(String, String)> = role
        .policies
        .iter()
        .map(|p| (format!("{} policy {}", p.kind, p.name), p.document.clone()))
        .collect();
    let wanted = delivery_statement(&group.region, &group.account, &group.name);
    match grants::policies(&docs, &requests) {
        Verdict::Allowed => {
            let evidence = vec![format!(
                "trusts cloudtrail.amazonaws.com; may create and write {stream} ({} polic{})",
                docs.len(),
                if docs.len() == 1 { "y" } else { "ies" }
            )];
            b.link("delivery-role", arn, link_state(false, false), evidence);
        }
        Verdict::Denied { statement, place } => broken(
            b,
            format!("a statement of its {place} denies logs:CreateLogStream or logs:PutLogEvents on {stream}"),
            statement,
        ),
        Verdict::NotAllowed => broken(
            b,
            format!("no policy of the role allows logs:CreateLogStream and logs:PutLogEvents on {stream}"),
            wanted,
        ),
        Verdict::Unreadable(e) => broken(b, format!("a policy cannot be read ({e})"), wanted),
    }
}
