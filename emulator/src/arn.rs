//! ARNs: `arn:aws:<service>:<region>:<account>:<resource>`. A resource named by ARN lives in the ARN's own
//! account and region, which is how every layer finds it.

/// `arn:aws:<service>:<region>:<account>:<resource>`, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

pub fn parse_arn(s: &str) -> Option<Arn> {
    let mut p = s.splitn(6, ':');
    if p.next()? != "arn" {
        return None;
    }
    let _partition = p.next()?;
    Some(Arn {
        service: p.next()?.into(),
        region: p.next()?.into(),
        account: p.next()?.into(),
        resource: p.next()?.into(),
    })
}
