# The topic and the alarm exist already (made by hand, as the scenario's `given` makes them); import blocks
# bring them under Terraform, and the rest of the chain is created around them.
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

import {
  to = module.cis.aws_sns_topic.this
  id = "arn:aws:sns:us-east-1:123456789012:cis-import-alarms"
}

import {
  to = module.cis.aws_cloudwatch_metric_alarm.this
  id = "cis-import-organizations-changes"
}

module "cis" {
  source                = "../module/modules/cis-chain"
  name                  = "cis-import"
  pattern               = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }"
  subscription_protocol = "sqs"
  subscription_endpoint = "arn:aws:sqs:us-east-1:123456789012:security-alerts"
}
