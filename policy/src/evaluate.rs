//! Combining statements into a decision, as AWS's policy evaluation logic documents it: a matching Deny
//! statement wins over everything; otherwise a matching Allow allows; otherwise the request is implicitly
//! denied. A statement whose condition uses an operator this evaluator does not know is skipped for an
//! Allow and counted for a Deny (a guess never grants).

use crate::condition::holds;
use crate::document::{Effect, Match, Policy, Statement};
use crate::matching::{self, PrincipalMatch};
use crate::request::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// A decision and the statement that made it (none for an implicit deny).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub decision: Decision,
    /// The deciding statement's position in its policy, and its `Sid`.
    pub statement: Option<(usize, Option<String>)>,
    /// The Allow named only the principal's account (see [`PrincipalMatch::Account`]).
    pub via_account: bool,
}

impl Outcome {
    pub fn allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    fn implicit() -> Self {
        Outcome {
            decision: Decision::ImplicitDeny,
            statement: None,
            via_account: false,
        }
    }
}

fn any<T>(m: &Match<Vec<String>>, f: impl Fn(&str) -> T) -> bool
where
    T: Into<bool>,
{
    let hit = m.items.iter().any(|p| f(p).into());
    hit != m.negated
}

/// Whether the statement applies to the request: `Some(how the principal matched)`, `None` if not.
fn applies(s: &Statement, req: &Request, deny: bool) -> Option<PrincipalMatch> {
    if !any(&s.action, |p| matching::action(p, &req.action)) {
        return None;
    }
    if let Some(r) = &s.resource {
        if !any(r, |p| matching::resource(p, &req.resource)) {
            return None;
        }
    }
    let how = match &s.principal {
        None => PrincipalMatch::Direct,
        Some(m) => match (matching::principal(&m.items, &req.principal), m.negated) {
            (Some(how), false) => how,
            (None, true) => PrincipalMatch::Direct,
            _ => return None,
        },
    };
    for c in &s.conditions {
        match holds(c, req) {
            Some(true) => {}
            Some(false) => return None,
            None if deny => {}
            None => return None,
        }
    }
    Some(how)
}

/// One policy's decision.
pub fn evaluate(policy: &Policy, req: &Request) -> Outcome {
    let mut allow: Option<Outcome> = None;
    for (i, s) in policy.statements.iter().enumerate() {
        let deny = s.effect == Effect::Deny;
        let Some(how) = applies(s, req, deny) else {
            continue;
        };
        let outcome = Outcome {
            decision: if deny {
                Decision::ExplicitDeny
            } else {
                Decision::Allow
            },
            statement: Some((i, s.sid.clone())),
            via_account: how == PrincipalMatch::Account,
        };
        if deny {
            return outcome;
        }
        // A direct grant is the better evidence than one through the account.
        if allow
            .as_ref()
            .is_none_or(|a| a.via_account && !outcome.via_account)
        {
            allow = Some(outcome);
        }
    }
    allow.unwrap_or_else(Outcome::implicit)
}

/// A resource policy (a KMS key policy, a bucket or topic policy) together with the identity policies of
/// the principal, in the principal's own account: any Deny wins; a resource policy Allow that names the
/// principal (or a service) allows; one that names only the account delegates to the identity policies,
/// which must then allow.
pub fn resource_and_identity(resource: &Policy, identity: &[Policy], req: &Request) -> Outcome {
    let r = evaluate(resource, req);
    let ids: Vec<Outcome> = identity.iter().map(|p| evaluate(p, req)).collect();
    if r.decision == Decision::ExplicitDeny {
        return r;
    }
    if let Some(d) = ids.iter().find(|o| o.decision == Decision::ExplicitDeny) {
        return d.clone();
    }
    if r.allowed() && !r.via_account {
        return r;
    }
    if r.allowed() {
        if let Some(a) = ids.into_iter().find(Outcome::allowed) {
            return a;
        }
    }
    Outcome::implicit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;
    use crate::request::{service, Principal};

    fn req(action: &str, resource: &str) -> Request {
        Request::new(service("cloudtrail.amazonaws.com"), action, resource)
    }

    const BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::b"},
        {"Sid":"Write","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/111122223333/*",
         "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#;

    #[test]
    fn the_documented_cloudtrail_bucket_policy_admits_cloudtrail() {
        let p = parse(BUCKET).expect("parses");
        let acl = evaluate(&p, &req("s3:GetBucketAcl", "arn:aws:s3:::b"));
        assert_eq!(acl.decision, Decision::Allow);
        assert_eq!(acl.statement, Some((0, Some("AclCheck".into()))));
        let put = req(
            "s3:PutObject",
            "arn:aws:s3:::b/AWSLogs/111122223333/CloudTrail/x.json.gz",
        )
        .with("s3:x-amz-acl", "bucket-owner-full-control");
        assert!(evaluate(&p, &put).allowed());
        // Another account's prefix, or no ACL header: implicitly denied.
        let other = req("s3:PutObject", "arn:aws:s3:::b/AWSLogs/444455556666/x")
            .with("s3:x-amz-acl", "bucket-owner-full-control");
        assert_eq!(evaluate(&p, &other).decision, Decision::ImplicitDeny);
        let no_acl = req("s3:PutObject", "arn:aws:s3:::b/AWSLogs/111122223333/x");
        assert_eq!(evaluate(&p, &no_acl).decision, Decision::ImplicitDeny);
        // EC2 is not CloudTrail.
        let ec2 = Request::new(
            service("ec2.amazonaws.com"),
            "s3:GetBucketAcl",
            "arn:aws:s3:::b",
        );
        assert_eq!(evaluate(&p, &ec2).decision, Decision::ImplicitDeny);
    }

    #[test]
    fn an_explicit_deny_wins_over_any_allow() {
        let p = parse(
            r#"{"Statement":[
            {"Effect":"Allow","Action":"logs:*","Resource":"*"},
            {"Sid":"No","Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}]}"#,
        )
        .expect("parses");
        let o = evaluate(
            &p,
            &req(
                "logs:PutLogEvents",
                "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s",
            ),
        );
        assert_eq!(o.decision, Decision::ExplicitDeny);
        assert_eq!(o.statement, Some((1, Some("No".into()))));
        assert!(evaluate(&p, &req("logs:CreateLogStream", "x")).allowed());
    }

    #[test]
    fn not_action_and_not_resource_invert_their_lists() {
        let p = parse(
            r#"{"Statement":[{"Effect":"Deny","NotAction":"sns:Publish","Resource":"*"},
            {"Effect":"Allow","Action":"*","NotResource":"arn:aws:sns:*:*:secret"}]}"#,
        )
        .expect("parses");
        assert_eq!(
            evaluate(&p, &req("sns:Subscribe", "t")).decision,
            Decision::ExplicitDeny
        );
        assert!(evaluate(&p, &req("sns:Publish", "arn:aws:sns:us-east-1:1:t")).allowed());
        assert_eq!(
            evaluate(&p, &req("sns:Publish", "arn:aws:sns:us-east-1:1:secret")).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_key_policy_naming_the_account_delegates_to_iam() {
        let key = parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#)
            .expect("parses");
        let role = Principal::Aws {
            arn: "arn:aws:iam::111122223333:role/r".into(),
            account: "111122223333".into(),
        };
        let r = Request::new(
            role,
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/k",
        );
        assert_eq!(
            resource_and_identity(&key, &[], &r).decision,
            Decision::ImplicitDeny
        );
        let grant =
            parse(r#"{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#)
                .expect("parses");
        assert!(resource_and_identity(&key, &[grant], &r).allowed());
        // A service is never admitted through the account's delegation.
        let cw = Request::new(service("cloudwatch.amazonaws.com"), "kms:Decrypt", "k");
        assert_eq!(
            resource_and_identity(&key, &[], &cw).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_trust_policy_has_no_resource_and_names_the_service() {
        let trust = parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#)
            .expect("parses");
        assert!(evaluate(&trust, &req("sts:AssumeRole", "arn:aws:iam::1:role/r")).allowed());
        let ec2 = Request::new(
            service("ec2.amazonaws.com"),
            "sts:AssumeRole",
            "arn:aws:iam::1:role/r",
        );
        assert!(!evaluate(&trust, &ec2).allowed());
    }
}
