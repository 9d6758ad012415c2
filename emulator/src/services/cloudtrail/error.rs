//! CloudTrail's errors: AWS's exception names, statuses and messages' home.

use crate::error::service_errors;

service_errors! {
    /// The errors CloudTrail answers with here.
    pub enum CloudTrailError {
        TrailNotFound = "TrailNotFoundException", 400;
        TrailAlreadyExists = "TrailAlreadyExistsException", 400;
        InvalidTrailName = "InvalidTrailNameException", 400;
        InvalidCloudWatchLogsLogGroupArn = "InvalidCloudWatchLogsLogGroupArnException", 400;
        NotOrganizationMasterAccount = "NotOrganizationMasterAccountException", 400;
        InvalidParameterCombination = "InvalidParameterCombinationException", 400;
        InvalidHomeRegion = "InvalidHomeRegionException", 400;
        InvalidNextToken = "InvalidNextTokenException", 400;
        InvalidEventSelectors = "InvalidEventSelectorsException", 400;
        InvalidParameter = "InvalidParameterException", 400;
        S3BucketDoesNotExist = "S3BucketDoesNotExistException", 400;
        InsufficientS3BucketPolicy = "InsufficientS3BucketPolicyException", 400;
        InvalidCloudWatchLogsRoleArn = "InvalidCloudWatchLogsRoleArnException", 400;
        KmsKeyNotFound = "KmsKeyNotFoundException", 400;
        KmsKeyDisabled = "KmsKeyDisabledException", 400;
        Kms = "KmsException", 400;
        InsufficientEncryptionPolicy = "InsufficientEncryptionPolicyException", 400;
        InsightNotEnabled = "InsightNotEnabledException", 400;
        InvalidInsightSelectors = "InvalidInsightSelectorsException", 400;
    }
}
