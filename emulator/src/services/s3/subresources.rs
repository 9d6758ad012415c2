//! The bucket subresources the Terraform AWS provider reads on every refresh of a bucket, and what S3
//! answers for each when it was never set and once it was deleted: a default document, or AWS's "not
//! configured" error. One table, so that a refresh of an unconfigured bucket sees exactly what AWS shows.

use crate::protocol::rest_xml::NAMESPACE as NS;

/// What S3 answers for a subresource that holds no document.
#[derive(Debug, Clone, Copy)]
pub enum Unset {
    /// A default document (a bucket created since 2023 has default encryption, ownership and a public
    /// access block).
    Default(fn(&str) -> String),
    /// AWS's error code and message.
    Missing(&'static str, &'static str),
}

pub struct Subresource {
    /// The query key that names it (`?policy`).
    pub key: &'static str,
    /// Never set.
    pub unset: Unset,
    /// Deleted after being set (a default may come back, or may not).
    pub deleted: Unset,
    /// The document is JSON (a bucket policy), not XML.
    pub json: bool,
    /// The root element a document put must have (S3's schema for it); empty for JSON.
    pub root: &'static str,
}

const NO_POLICY: Unset = Unset::Missing("NoSuchBucketPolicy", "The bucket policy does not exist");
const NO_CORS: Unset = Unset::Missing(
    "NoSuchCORSConfiguration",
    "The CORS configuration does not exist",
);
const NO_WEBSITE: Unset = Unset::Missing(
    "NoSuchWebsiteConfiguration",
    "The specified bucket does not have a website configuration",
);
const NO_LIFECYCLE: Unset = Unset::Missing(
    "NoSuchLifecycleConfiguration",
    "The lifecycle configuration does not exist",
);
const NO_REPLICATION: Unset = Unset::Missing(
    "ReplicationConfigurationNotFoundError",
    "The replication configuration was not found",
);
const NO_LOCK: Unset = Unset::Missing(
    "ObjectLockConfigurationNotFoundError",
    "Object Lock configuration does not exist for this bucket",
);
const NO_TAGS: Unset = Unset::Missing("NoSuchTagSet", "The TagSet does not exist");
const NO_OWNERSHIP: Unset = Unset::Missing(
    "OwnershipControlsNotFoundError",
    "The bucket ownership controls were not found",
);
const NO_PAB: Unset = Unset::Missing(
    "NoSuchPublicAccessBlockConfiguration",
    "The public access block configuration was not found",
);

fn empty(root: &'static str) -> impl Fn(&str) -> String {
    move |_| format!("<{root} xmlns=\"{NS}\"/>")
}

fn versioning(o: &str) -> String {
    empty("VersioningConfiguration")(o)
}
fn accelerate(o: &str) -> String {
    empty("AccelerateConfiguration")(o)
}
fn logging(o: &str) -> String {
    empty("BucketLoggingStatus")(o)
}
fn notification(o: &str) -> String {
    empty("NotificationConfiguration")(o)
}
fn request_payment(_: &str) -> String {
    format!("<RequestPaymentConfiguration xmlns=\"{NS}\"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>")
}
fn encryption(_: &str) -> String {
    format!("<ServerSideEncryptionConfiguration xmlns=\"{NS}\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>")
}
fn ownership(_: &str) -> String {
    format!("<OwnershipControls xmlns=\"{NS}\"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>")
}
fn public_access_block(_: &str) -> String {
    format!("<PublicAccessBlockConfiguration xmlns=\"{NS}\"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>")
}
/// The owner has full control.
fn acl(owner: &str) -> String {
    format!("<AccessControlPolicy xmlns=\"{NS}\"><Owner><ID>{owner}</ID><DisplayName>orgwatch</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{owner}</ID><DisplayName>orgwatch</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>")
}

const fn xml(key: &'static str, root: &'static str, unset: Unset, deleted: Unset) -> Subresource {
    Subresource {
        key,
        unset,
        deleted,
        json: false,
        root,
    }
}

pub const TABLE: &[Subresource] = &[
    Subresource {
        key: "policy",
        unset: NO_POLICY,
        deleted: NO_POLICY,
        json: true,
        root: "",
    },
    xml(
        "acl",
        "AccessControlPolicy",
        Unset::Default(acl),
        Unset::Default(acl),
    ),
    xml("cors", "CORSConfiguration", NO_CORS, NO_CORS),
    xml("website", "WebsiteConfiguration", NO_WEBSITE, NO_WEBSITE),
    xml(
        "versioning",
        "VersioningConfiguration",
        Unset::Default(versioning),
        Unset::Default(versioning),
    ),
    xml(
        "accelerate",
        "AccelerateConfiguration",
        Unset::Default(accelerate),
        Unset::Default(accelerate),
    ),
    xml(
        "requestPayment",
        "RequestPaymentConfiguration",
        Unset::Default(request_payment),
        Unset::Default(request_payment),
    ),
    xml(
        "logging",
        "BucketLoggingStatus",
        Unset::Default(logging),
        Unset::Default(logging),
    ),
    xml(
        "lifecycle",
        "LifecycleConfiguration",
        NO_LIFECYCLE,
        NO_LIFECYCLE,
    ),
    xml(
        "replication",
        "ReplicationConfiguration",
        NO_REPLICATION,
        NO_REPLICATION,
    ),
    // Deleting the encryption configuration puts SSE-S3 back.
    xml(
        "encryption",
        "ServerSideEncryptionConfiguration",
        Unset::Default(encryption),
        Unset::Default(encryption),
    ),
    xml("object-lock", "ObjectLockConfiguration", NO_LOCK, NO_LOCK),
    xml("tagging", "Tagging", NO_TAGS, NO_TAGS),
    xml(
        "ownershipControls",
        "OwnershipControls",
        Unset::Default(ownership),
        NO_OWNERSHIP,
    ),
    xml(
        "publicAccessBlock",
        "PublicAccessBlockConfiguration",
        Unset::Default(public_access_block),
        NO_PAB,
    ),
    xml(
        "notification",
        "NotificationConfiguration",
        Unset::Default(notification),
        Unset::Default(notification),
    ),
];

pub fn find(key: &str) -> Option<&'static Subresource> {
    TABLE.iter().find(|s| s.key == key)
}
