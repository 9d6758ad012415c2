# Applies half-way: the log group is created, then CloudWatch Logs refuses the metric filter's pattern
# (InvalidParameterException, as AWS answers a pattern it cannot parse), so the run must destroy the log
# group it made and report both.
provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail-logs"
}

resource "aws_cloudwatch_log_metric_filter" "broken" {
  name           = "organizations_changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventSource = organizations.amazonaws.com) && }"

  metric_transformation {
    name      = "organizations_changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
