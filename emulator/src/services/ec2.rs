//! EC2 (`ec2`, the EC2 Query protocol): only what peer checkers ask before they scan, the account's
//! enabled regions (`DescribeRegions`), so that Prowler scans the regions an account has rather than every
//! region it knows. EC2's XML is its own (no `<…Result>` wrapper, lists as `<item>`), so the answer is
//! written here.

use super::handler::Call;
use crate::error::{service_errors, ApiError, ApiResult};
use crate::protocol::output::Out;
use crate::protocol::rest_xml::{escape, HttpReply};
use crate::protocol::Document;
use serde::Deserialize;

service_errors! {
    /// The errors EC2 answers with here.
    pub enum Ec2Error {
        InvalidParameterValue = "InvalidParameterValue", 400;
        InvalidAction = "InvalidAction", 400;
    }
}

pub const OPERATIONS: &[&str] = &["DescribeRegions"];

/// The regions enabled by default in a new account (opt-in regions are not enabled).
pub const DEFAULT_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// EC2 lists are flattened (`RegionName.1`, `RegionName.2`), read as lists by the Query codec.
#[derive(Deserialize)]
struct DescribeRegionsInput {
    #[serde(rename = "RegionName", default)]
    region_names: Vec<String>,
}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Out> {
    match op {
        "DescribeRegions" => {
            let i: DescribeRegionsInput = input.read().map_err(|e| {
                ApiError::from(Ec2Error::InvalidParameterValue(format!(
                    "Invalid input: {e}"
                )))
            })?;
            let reply = describe_regions(call, i)?;
            Ok(Out::Http(Box::new(reply)))
        }
        _ => Err(Ec2Error::InvalidAction(format!(
            "The action {op} is not valid for this web service."
        ))
        .into()),
    }
}

fn describe_regions(call: &mut Call<'_>, i: DescribeRegionsInput) -> Result<HttpReply, Ec2Error> {
    let asked: Vec<&String> = i.region_names.iter().collect();
    let unknown: Vec<&str> = asked
        .iter()
        .filter(|r| !DEFAULT_REGIONS.contains(&r.as_str()))
        .map(|r| r.as_str())
        .collect();
    if !unknown.is_empty() {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "Invalid region names: [{}]",
            unknown.join(", ")
        )));
    }
    let mut body = format!(
        "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>{}</requestId><regionInfo>",
        escape(&call.ctx.request_id)
    );
    for r in DEFAULT_REGIONS
        .iter()
        .filter(|r| asked.is_empty() || asked.iter().any(|a| a == *r))
    {
        body.push_str(&format!(
            "<item><regionName>{r}</regionName><regionEndpoint>ec2.{r}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>"
        ));
    }
    body.push_str("</regionInfo></DescribeRegionsResponse>");
    let mut reply = HttpReply::xml(body);
    reply.content_type = Some("text/xml;charset=UTF-8");
    Ok(reply)
}
