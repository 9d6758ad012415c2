//! IAM policy documents: any text parses or is refused; a policy that parses is evaluated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgwatch_policy::{evaluate, parse, Principal, Request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = parse(text) {
        for principal in [
            Principal::Service("cloudtrail.amazonaws.com".into()),
            Principal::Aws {
                arn: "arn:aws:iam::111122223333:role/r".into(),
                account: "111122223333".into(),
            },
            Principal::Anonymous,
        ] {
            let mut req = Request::new(principal, "logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s");
            req.context.insert("aws:SourceArn".into(), vec!["arn:aws:cloudtrail:us-east-1:111122223333:trail/t".into()]);
            let _ = evaluate(&policy, &req);
        }
    }
});
