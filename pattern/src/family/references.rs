//! The benchmark's reference filter patterns, verbatim, each with the control and the versions it is
//! printed for (the label, as the reference file `shared/reference/cis-monitoring-family.json` keys it:
//! `v1.3-v1.5`, `v1.4-v6.0 (SSO alternative)`, `securityhub-CloudWatch.2`). `tests/family.rs` holds this
//! table to that file (a copy is in `tests/data/`) and judges every text against its control's intent.

use super::{Benchmark, Control};

/// One printed pattern.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference {
    pub control: &'static str,
    pub label: &'static str,
    pub text: &'static str,
}

impl Reference {
    /// The versions the text is printed for. Security Hub's copies apply to the versions its controls
    /// map (v1.2.0 and v1.4.0; v1.3 between them has the same controls).
    pub fn versions(&self) -> (Benchmark, Benchmark) {
        if self.label.starts_with("securityhub-") {
            return (Benchmark::V1_2, Benchmark::V1_4);
        }
        let range = self.label.split(' ').next().unwrap_or_default();
        let mut ends = range.split('-').filter_map(Benchmark::parse);
        let from = ends.next().unwrap_or(Benchmark::V1_2);
        let to = ends.next().unwrap_or(from);
        (from, to)
    }

    pub fn applies_to(&self, b: Benchmark) -> bool {
        let (from, to) = self.versions();
        from <= b && b <= to
    }

    /// Whether this is the benchmark's remediation text (not an alternative, an audit procedure's text, a
    /// disputed transcription or Security Hub's copy).
    pub fn is_remediation(&self) -> bool {
        !self.label.starts_with("securityhub-")
            && (!self.label.contains('(') || self.label.ends_with("(remediation)"))
    }
}

pub const REFERENCES: &[Reference] = &[
    Reference {
        control: "unauthorized-api-calls",
        label: "v1.2",
        text: r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    },
    Reference {
        control: "unauthorized-api-calls",
        label: "v1.3-v1.5",
        text: r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }"#,
    },
    Reference {
        control: "unauthorized-api-calls",
        label: "v2.0-v5.0",
        text: r#"{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
    },
    Reference {
        control: "unauthorized-api-calls",
        label: "v6.0",
        text: r#"{ ($.errorCode="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
    },
    Reference {
        control: "unauthorized-api-calls",
        label: "securityhub-CloudWatch.2",
        text: r#"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#,
    },
    Reference {
        control: "console-signin-without-mfa",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    },
    Reference {
        control: "console-signin-without-mfa",
        label: "v1.4-v6.0 (SSO alternative)",
        text: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
    },
    Reference {
        control: "console-signin-without-mfa",
        label: "securityhub-CloudWatch.3",
        text: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
    },
    Reference {
        control: "root-account-usage",
        label: "v1.2-v6.0",
        text: r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    },
    Reference {
        control: "root-account-usage",
        label: "securityhub-CloudWatch.1",
        text: r#"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#,
    },
    Reference {
        control: "iam-policy-changes",
        label: "v1.2-v6.0",
        text: r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
    },
    Reference {
        control: "iam-policy-changes",
        label: "securityhub-CloudWatch.4",
        text: r#"{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}"#,
    },
    Reference {
        control: "cloudtrail-config-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
    },
    Reference {
        control: "cloudtrail-config-changes",
        label: "securityhub-CloudWatch.5",
        text: r#"{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}"#,
    },
    Reference {
        control: "console-auth-failures",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    },
    Reference {
        control: "console-auth-failures",
        label: "securityhub-CloudWatch.6",
        text: r#"{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}"#,
    },
    Reference {
        control: "cmk-disable-or-scheduled-deletion",
        label: "v1.2-v6.0",
        text: r#"{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"#,
    },
    Reference {
        control: "cmk-disable-or-scheduled-deletion",
        label: "securityhub-CloudWatch.7",
        text: r#"{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}"#,
    },
    Reference {
        control: "s3-bucket-policy-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"#,
    },
    Reference {
        control: "s3-bucket-policy-changes",
        label: "securityhub-CloudWatch.8",
        text: r#"{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}"#,
    },
    Reference {
        control: "aws-config-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"#,
    },
    Reference {
        control: "aws-config-changes",
        label: "securityhub-CloudWatch.9",
        text: r#"{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}"#,
    },
    Reference {
        control: "security-group-changes",
        label: "v1.2-v4.0",
        text: r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
    },
    Reference {
        control: "security-group-changes",
        label: "v5.0-v6.0",
        text: r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }"#,
    },
    Reference {
        control: "security-group-changes",
        label: "securityhub-CloudWatch.10",
        text: r#"{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"#,
    },
    Reference {
        control: "nacl-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
    },
    Reference {
        control: "nacl-changes",
        label: "securityhub-CloudWatch.11",
        text: r#"{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}"#,
    },
    Reference {
        control: "network-gateway-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"#,
    },
    Reference {
        control: "network-gateway-changes",
        label: "securityhub-CloudWatch.12",
        text: r#"{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"#,
    },
    Reference {
        control: "route-table-changes",
        label: "v1.2-v6.0 (remediation)",
        text: r#"{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"#,
    },
    Reference {
        control: "route-table-changes",
        label: "v4.0-v6.0 (audit procedure)",
        text: r#"{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"#,
    },
    Reference {
        control: "route-table-changes",
        label: "v3.0 (audit procedure)",
        text: r#"{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName= DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName =DisassociateRouteTable) }"#,
    },
    Reference {
        control: "route-table-changes",
        label: "securityhub-CloudWatch.13",
        text: r#"{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}"#,
    },
    Reference {
        control: "vpc-changes",
        label: "v1.2-v6.0",
        text: r#"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"#,
    },
    Reference {
        control: "vpc-changes",
        label: "securityhub-CloudWatch.14",
        text: r#"{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}"#,
    },
    Reference {
        control: "organizations-changes",
        label: "v1.3-v5.0",
        text: r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
    },
    Reference {
        control: "organizations-changes",
        label: "v6.0 (Steampipe copy)",
        text: r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
    },
    Reference {
        control: "organizations-changes",
        label: "v4.0-v6.0 (Prowler copy)",
        text: r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }"#,
    },
];

impl Control {
    /// The benchmark's reference texts that apply to version `b` (remediation, alternatives, audit
    /// procedure, Security Hub's copy for the versions it maps).
    pub fn references(&self, b: Benchmark) -> Vec<&'static Reference> {
        REFERENCES
            .iter()
            .filter(|r| r.control == self.slug && r.applies_to(b))
            .collect()
    }

    /// The filter pattern the fix commands write for version `b`: the benchmark's remediation text, or,
    /// where the version's transcriptions are uncertain, the nearest version's.
    pub fn fix_pattern(&self, b: Benchmark) -> &'static str {
        // The Organizations control keeps the text this project has always printed (`cis::PATTERN`, the
        // control's spacing as `reference/cis-control.md` gives it); it means the same as every copy.
        if self == Control::ORGANIZATIONS {
            return crate::cis::PATTERN;
        }
        let mine: Vec<&Reference> = REFERENCES
            .iter()
            .filter(|r| r.control == self.slug && r.is_remediation())
            .collect();
        mine.iter()
            .find(|r| r.applies_to(b))
            .or(mine.last())
            .map_or("", |r| r.text)
    }
}
