//! The calls peer checkers (Prowler 5.x) make besides the chain's: EC2 DescribeRegions, Organizations
//! DescribeAccount and CloudTrail Get/PutInsightSelectors.

mod common;

#[tokio::test]
async fn describe_regions_lists_the_enabled_regions_in_ec2s_xml() {
    let h = common::emulator().await;
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0";
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("authorization", auth),
    ];
    let r = common::raw(
        &h,
        "POST",
        "/",
        &form,
        b"Action=DescribeRegions&Version=2016-11-15",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.text();
    assert!(body.starts_with("<?xml"), "{body}");
    assert_eq!(body.matches("<item>").count(), 17, "{body}");
    assert!(body.contains("<regionName>eu-west-1</regionName>"));
    let one = common::raw(
        &h,
        "POST",
        "/",
        &form,
        b"Action=DescribeRegions&Version=2016-11-15&RegionName.1=us-east-2",
    )
    .await;
    assert_eq!(one.text().matches("<item>").count(), 1);
    let bad = common::raw(
        &h,
        "POST",
        "/",
        &form,
        b"Action=DescribeRegions&Version=2016-11-15&RegionName.1=mars-1",
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text()
            .contains("<Response><Errors><Error><Code>InvalidParameterValue</Code>"),
        "{}",
        bad.text()
    );
}

#[tokio::test]
async fn describe_account_answers_the_management_account_only() {
    let h = common::emulator().await;
    for body in [
        br#"{"account":"123456789012","role":"management","organizationId":"o-abc123"}"#.as_slice(),
        br#"{"account":"210987654321","role":"member","managementAccount":"123456789012"}"#
            .as_slice(),
    ] {
        let r = common::raw(
            &h,
            "POST",
            "/_orgwatch/organizations",
            &[("content-type", "application/json")],
            body,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let org = aws_sdk_organizations::Client::new(&common::default_sdk(&h).await);
    let a = org
        .describe_account()
        .account_id("210987654321")
        .send()
        .await
        .unwrap();
    let acct = a.account().unwrap();
    assert_eq!(acct.id(), Some("210987654321"));
    assert_eq!(
        acct.arn(),
        Some("arn:aws:organizations::123456789012:account/o-abc123/210987654321")
    );
    let e = org
        .describe_account()
        .account_id("999988887777")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_account_not_found_exception());
    let member =
        aws_sdk_organizations::Client::new(&common::sdk(&h, "us-east-1", "210987654321").await);
    let e = member
        .describe_account()
        .account_id("123456789012")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_access_denied_exception());
}

#[tokio::test]
async fn insight_selectors_are_not_enabled_until_put() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    common::trail_destinations(&conf, "trail-bucket", None).await;
    let ct = aws_sdk_cloudtrail::Client::new(&conf);
    ct.create_trail()
        .name("org-trail")
        .s3_bucket_name("trail-bucket")
        .send()
        .await
        .unwrap();
    let e = ct
        .get_insight_selectors()
        .trail_name("org-trail")
        .send()
        .await
        .unwrap_err();
    assert!(e.into_service_error().is_insight_not_enabled_exception());
    use aws_sdk_cloudtrail::types::{InsightSelector, InsightType};
    ct.put_insight_selectors()
        .trail_name("org-trail")
        .insight_selectors(
            InsightSelector::builder()
                .insight_type(InsightType::ApiCallRateInsight)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let got = ct
        .get_insight_selectors()
        .trail_name("org-trail")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.insight_selectors()[0].insight_type(),
        Some(&InsightType::ApiCallRateInsight)
    );
    let e = ct
        .put_insight_selectors()
        .trail_name("org-trail")
        .insight_selectors(
            InsightSelector::builder()
                .insight_type(InsightType::from("Sideways"))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(e
        .into_service_error()
        .is_invalid_insight_selectors_exception());
}
