# Provider aliases across two regions: the chain in us-east-1 through the module, and a replica bucket and
# a second alarm topic in eu-west-1 through the aliased provider (each alias gets the emulator's endpoints).
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

provider "aws" {
  alias  = "west"
  region = "eu-west-1"
}

module "cis" {
  source                = "../module/modules/cis-chain"
  name                  = "cis-east"
  pattern               = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }"
  subscription_protocol = "sqs"
  subscription_endpoint = "arn:aws:sqs:us-east-1:123456789012:security-alerts"
}

resource "aws_s3_bucket" "replica" {
  provider      = aws.west
  bucket        = "cis-replica-eu-west-1"
  force_destroy = true
}

resource "aws_sns_topic" "west" {
  provider = aws.west
  name     = "cis-west-alarms"
  tags = {
    region-number = 2
  }
}
