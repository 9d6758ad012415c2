# `for_each` over a map of alarms, as the CIS alarm modules write them: each entry a filter and an alarm on
# the trail's log group, the Organizations one among them.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  alarms = {
    organizations_changes = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }"
    root_usage            = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    unauthorized_calls    = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
  }
}

module "base" {
  source                = "../module/modules/cis-chain"
  name                  = "cis-many"
  pattern               = "{ $.eventSource = \"signin.amazonaws.com\" }"
  subscription_protocol = "sqs"
  subscription_endpoint = "arn:aws:sqs:us-east-1:123456789012:security-alerts"
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each       = local.alarms
  name           = each.key
  log_group_name = "cis-many-cloudtrail"
  pattern        = each.value
  metric_transformation {
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }
  depends_on = [module.base]
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each            = local.alarms
  alarm_name          = "cis-${each.key}"
  metric_name         = aws_cloudwatch_log_metric_filter.cis[each.key].metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [module.base.topic_arn]
}
