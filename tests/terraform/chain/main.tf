# The CIS chain: a log group, a trail delivering to it (with the bucket, bucket policy and delivery role
# CloudTrail requires before it accepts the trail), the control's metric filter, an alarm and a topic with
# an email subscription (confirmed by the emulator's admin API in tests).
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

variable "pattern" {
  type        = string
  description = "The metric filter's pattern (default: the control's, exactly)."
  default     = "{ ($.eventSource = organizations.amazonaws.com) &&(($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") ||($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\")|| ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") ||($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }"
}

data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail-logs"
  retention_in_days = 365
}

resource "aws_s3_bucket" "trail" {
  bucket        = "org-trail-bucket"
  force_destroy = true
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.trail.arn
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      }
    ]
  })
}

resource "aws_iam_role" "delivery" {
  name = "CloudTrail_CloudWatchLogs_Role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "delivery" {
  name = "deliver"
  role = aws_iam_role.delivery.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "${aws_cloudwatch_log_group.trail.arn}:*" }]
  })
}

resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.delivery.arn
  depends_on                    = [aws_s3_bucket_policy.trail, aws_iam_role_policy.delivery]
}

resource "aws_cloudwatch_log_metric_filter" "organizations_changes" {
  name           = "organizations_changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = var.pattern

  metric_transformation {
    name      = "organizations_changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

variable "topic_kms_key" {
  description = "the KMS key the topic is encrypted with (none by default)"
  type        = string
  default     = null
}

resource "aws_sns_topic" "alarms" {
  name              = "cis-alarms"
  kms_master_key_id = var.topic_kms_key
  tags = {
    cost-center = 1234
  }
}

variable "subscription_protocol" {
  type    = string
  default = "email"
}

variable "subscription_endpoint" {
  type    = string
  default = "security@example.com"
}

resource "aws_sns_topic_subscription" "security" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = var.subscription_protocol
  endpoint  = var.subscription_endpoint
}

resource "aws_cloudwatch_metric_alarm" "organizations_changes" {
  alarm_name          = "organizations_changes"
  metric_name         = aws_cloudwatch_log_metric_filter.organizations_changes.metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
