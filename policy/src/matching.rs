//! AWS's matching rules for the parts of a statement: actions (case-insensitive, `*` and `?`), resources
//! (case-sensitive, `*` and `?`, a `*` crossing `/` and `:`), and principals (`*`, an account, a role or
//! user ARN, a service).

use crate::document::Principals;
use crate::request::Principal;

/// `*` matches any run of characters, `?` exactly one.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// An action pattern against `service:Action` (both parts case-insensitive).
pub fn action(pattern: &str, action: &str) -> bool {
    wildcard(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

pub fn resource(pattern: &str, arn: &str) -> bool {
    wildcard(pattern, arn)
}

/// How a principal element matched, when it did: naming the principal itself, or only its account
/// (which for a KMS key policy delegates the decision to the account's IAM policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalMatch {
    Direct,
    Account,
}

/// The account an AWS principal value names (`111122223333` or `arn:aws:iam::111122223333:root`).
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    value
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_suffix(":root"))
}

pub fn principal(element: &Principals, who: &Principal) -> Option<PrincipalMatch> {
    let typed = match element {
        Principals::Anyone => return Some(PrincipalMatch::Direct),
        Principals::Typed(t) => t,
    };
    let mut found = None;
    for (kind, values) in typed {
        for v in values {
            let m = match (kind.as_str(), who) {
                ("AWS", _) if v == "*" => Some(PrincipalMatch::Direct),
                ("Service", Principal::Service(s)) if v.eq_ignore_ascii_case(s) => {
                    Some(PrincipalMatch::Direct)
                }
                ("AWS", Principal::Aws { arn, account }) => {
                    if v == arn {
                        Some(PrincipalMatch::Direct)
                    } else if account_of(v) == Some(account.as_str()) {
                        Some(PrincipalMatch::Account)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            found = match (found, m) {
                (Some(PrincipalMatch::Direct), _) | (_, Some(PrincipalMatch::Direct)) => {
                    Some(PrincipalMatch::Direct)
                }
                (a, b) => a.or(b),
            };
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn wildcards_match_as_aws_documents() {
        assert!(wildcard(
            "arn:aws:s3:::b/AWSLogs/1/*",
            "arn:aws:s3:::b/AWSLogs/1/CloudTrail/x.gz"
        ));
        assert!(wildcard("*", ""));
        assert!(wildcard("a?c", "abc"));
        assert!(!wildcard("a?c", "ac"));
        assert!(!wildcard("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
        assert!(action("logs:Put*", "logs:PutLogEvents"));
        assert!(action("LOGS:putlogevents", "logs:PutLogEvents"));
        assert!(!resource("arn:aws:s3:::B", "arn:aws:s3:::b"));
    }

    #[test]
    fn principals_match_by_service_arn_or_account() {
        let mut t = BTreeMap::new();
        t.insert(
            "Service".to_string(),
            vec!["cloudtrail.amazonaws.com".to_string()],
        );
        t.insert(
            "AWS".to_string(),
            vec!["arn:aws:iam::111122223333:root".to_string()],
        );
        let p = Principals::Typed(t);
        let ct = Principal::Service("cloudtrail.amazonaws.com".into());
        assert_eq!(principal(&p, &ct), Some(PrincipalMatch::Direct));
        let role = Principal::Aws {
            arn: "arn:aws:iam::111122223333:role/r".into(),
            account: "111122223333".into(),
        };
        assert_eq!(principal(&p, &role), Some(PrincipalMatch::Account));
        let other = Principal::Aws {
            arn: "arn:aws:iam::444455556666:role/r".into(),
            account: "444455556666".into(),
        };
        assert_eq!(principal(&p, &other), None);
        assert_eq!(
            principal(&p, &Principal::Service("ec2.amazonaws.com".into())),
            None
        );
    }
}
