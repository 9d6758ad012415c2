//! AWS region vocabulary that both the emulator and the checker need: the long name CloudWatch writes in
//! an alarm notification's `Region` (and in its subject), which a subscription's filter policy may test.
//! A fact about AWS, not a verdict, so it is shared rather than read twice.

/// The long region name AWS puts in alarm messages ("US East (N. Virginia)"); a region not listed keeps
/// its code.
pub fn long_name(region: &str) -> &str {
    match region {
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "eu-west-1" => "EU (Ireland)",
        "eu-west-2" => "EU (London)",
        "eu-central-1" => "EU (Frankfurt)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn listed_regions_have_their_long_name_others_keep_their_code() {
        assert_eq!(super::long_name("us-east-1"), "US East (N. Virginia)");
        assert_eq!(super::long_name("eu-west-1"), "EU (Ireland)");
        assert_eq!(super::long_name("xx-test-9"), "xx-test-9");
    }
}
