# No provider block (orgwatch adds one) and an S3 backend (orgwatch replaces it by a local state): only a
# topic, tagged with a number, so the check finds no trail.
terraform {
  backend "s3" {
    bucket = "terraform-state"
    key    = "cis/terraform.tfstate"
    region = "us-east-1"
  }
}

resource "aws_sns_topic" "alarms" {
  name = "cis-alarms"
  tags = {
    cost-center = 1234
  }
}
