# The CIS chain as a reusable module: bucket and policy, delivery role, log group, trail, filter, alarm,
# topic and subscription, named from its variables.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "name" {
  type = string
}

variable "pattern" {
  type = string
}

variable "subscription_protocol" {
  type = string
}

variable "subscription_endpoint" {
  type = string
}

variable "is_organization_trail" {
  type    = bool
  default = false
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "retention_days" {
  type    = number
  default = 365
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket        = "${var.name}-trail-bucket"
  force_destroy = true
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Acl", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:GetBucketAcl", Resource = aws_s3_bucket.trail.arn },
      { Sid = "Write", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*", Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } } }
    ]
  })
}

resource "aws_iam_role" "delivery" {
  name = "${var.name}-delivery"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "delivery" {
  name = "${var.name}-delivery"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "${aws_cloudwatch_log_group.trail.arn}:*" }]
  })
}

resource "aws_iam_role_policy_attachment" "delivery" {
  role       = aws_iam_role.delivery.name
  policy_arn = aws_iam_policy.delivery.arn
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "${var.name}-cloudtrail"
  retention_in_days = var.retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_cloudtrail" "this" {
  name                       = "${var.name}-trail"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = true
  is_organization_trail      = var.is_organization_trail
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.delivery.arn
  depends_on                 = [aws_s3_bucket_policy.trail, aws_iam_role_policy_attachment.delivery]
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  name           = "${var.name}-organizations-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = var.pattern
  metric_transformation {
    name      = "OrganizationsChanges"
    namespace = "CIS/${var.name}"
    value     = "1"
  }
}

resource "aws_sns_topic" "this" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "this" {
  topic_arn = aws_sns_topic.this.arn
  protocol  = var.subscription_protocol
  endpoint  = var.subscription_endpoint
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = "${var.name}-organizations-changes"
  metric_name         = "OrganizationsChanges"
  namespace           = "CIS/${var.name}"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.this.arn]
  depends_on          = [aws_cloudwatch_log_metric_filter.this]
}

output "topic_arn" {
  value = aws_sns_topic.this.arn
}
