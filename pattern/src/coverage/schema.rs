//! The shape of the records in an event class, and the template witnesses are built from.
//!
//! "All other fields unconstrained but shaped like real CloudTrail records": a field the schema knows has
//! the JSON types CloudTrail gives it and is present when CloudTrail always writes it; a field it does not
//! know (inside an open object) may be absent or hold any JSON value. The analyzer's verdicts quantify over
//! exactly these records, so a schema that is too tight could prove a wrong `always`: when in doubt a field
//! is optional. Source: the CloudTrail record contents reference (`cloudtrail-event-reference-record-contents`).

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// JSON types, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    pub const STR: Kinds = Kinds(1);
    pub const NUM: Kinds = Kinds(2);
    pub const BOOL: Kinds = Kinds(4);
    pub const NULL: Kinds = Kinds(8);
    pub const OBJ: Kinds = Kinds(16);
    pub const ARR: Kinds = Kinds(32);
    pub const ANY: Kinds = Kinds(63);

    pub fn has(self, k: Kinds) -> bool {
        self.0 & k.0 != 0
    }
}

impl std::ops::BitOr for Kinds {
    type Output = Kinds;
    fn bitor(self, o: Kinds) -> Kinds {
        Kinds(self.0 | o.0)
    }
}

/// What one field may hold.
#[derive(Debug, Clone)]
pub struct Shape {
    pub kinds: Kinds,
    pub required: bool,
    /// Known fields, when this can be an object.
    pub fields: BTreeMap<String, Shape>,
    /// Whether an object may have fields beyond `fields`.
    pub open: bool,
    /// The elements, when this can be an array.
    pub element: Option<Box<Shape>>,
}

impl Shape {
    /// A field of unknown shape: optional, any type, any content.
    pub fn any() -> Shape {
        Shape {
            kinds: Kinds::ANY,
            required: false,
            fields: BTreeMap::new(),
            open: true,
            element: None,
        }
    }

    pub fn leaf(kinds: Kinds, required: bool) -> Shape {
        Shape {
            kinds,
            required,
            fields: BTreeMap::new(),
            open: true,
            element: None,
        }
    }

    pub fn object(required: bool, fields: Vec<(&str, Shape)>) -> Shape {
        Shape {
            kinds: Kinds::OBJ,
            required,
            fields: fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            open: true,
            element: None,
        }
    }

    /// The shape of the field `key` of this object.
    pub fn field(&self, key: &str) -> Shape {
        match self.fields.get(key) {
            Some(s) => s.clone(),
            None => Shape::any(),
        }
    }

    /// The shape of an element of this array.
    pub fn element(&self) -> Shape {
        self.element.as_deref().cloned().unwrap_or_else(Shape::any)
    }
}

fn s(required: bool) -> Shape {
    Shape::leaf(Kinds::STR, required)
}

/// The top level of a CloudTrail record as CloudTrail delivers it to CloudWatch Logs.
pub fn cloudtrail() -> Shape {
    let user_identity = Shape::object(
        true,
        vec![
            ("type", s(true)),
            ("principalId", s(false)),
            ("arn", s(false)),
            ("accountId", s(false)),
            ("accessKeyId", s(false)),
            ("userName", s(false)),
            ("invokedBy", s(false)),
            ("sessionContext", Shape::object(false, vec![])),
        ],
    );
    let open_or_null = |required| Shape {
        kinds: Kinds::OBJ | Kinds::NULL,
        ..Shape::object(required, vec![])
    };
    let resources = Shape {
        kinds: Kinds::ARR,
        element: Some(Box::new(Shape::object(true, vec![]))),
        ..Shape::leaf(Kinds::ARR, false)
    };
    Shape::object(
        true,
        vec![
            ("eventVersion", s(true)),
            ("userIdentity", user_identity),
            ("eventTime", s(true)),
            ("eventSource", s(true)),
            ("eventName", s(true)),
            ("awsRegion", s(true)),
            ("sourceIPAddress", s(false)),
            ("userAgent", s(false)),
            ("errorCode", s(false)),
            ("errorMessage", s(false)),
            ("requestParameters", open_or_null(false)),
            ("responseElements", open_or_null(false)),
            ("additionalEventData", Shape::object(false, vec![])),
            ("requestID", s(false)),
            ("eventID", s(true)),
            ("readOnly", Shape::leaf(Kinds::BOOL, false)),
            ("resources", resources),
            ("eventType", s(true)),
            ("apiVersion", s(false)),
            ("managementEvent", Shape::leaf(Kinds::BOOL, false)),
            ("recipientAccountId", s(false)),
            ("sharedEventID", s(false)),
            ("vpcEndpointId", s(false)),
            ("eventCategory", s(true)),
            ("tlsDetails", Shape::object(false, vec![])),
            ("sessionCredentialFromConsole", s(false)),
        ],
    )
}

/// A realistic CloudTrail record, the base of every witness.
pub fn cloudtrail_template(source: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.11",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEID:admin",
            "arn": "arn:aws:sts::111122223333:assumed-role/OrgAdmin/admin",
            "accountId": "111122223333",
            "accessKeyId": "ASIAEXAMPLEKEY",
            "sessionContext": {"attributes": {"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"}}
        },
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "aws-cli/2.17.0",
        "requestParameters": {},
        "responseElements": null,
        "requestID": "5f8e3c1e-0000-4000-8000-000000000001",
        "eventID": "0b1f2e3d-0000-4000-8000-000000000002",
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

/// What every CloudTrail record satisfies beyond its shape, each as a JSON filter pattern, so the analyzer
/// quantifies over records that can exist: a filter is not faulted for missing a record CloudTrail never
/// writes. Each fact is a reading of CloudTrail's documentation, tested in `tests/family.rs`.
pub const CLOUDTRAIL_FACTS: [&str; 2] = [
    // Organizations is a global service: CloudTrail logs its events in us-east-1.
    r#"{ ($.eventSource != "organizations.amazonaws.com") || ($.awsRegion = "us-east-1") }"#,
    // A console sign-in is signin.amazonaws.com's ConsoleLogin; its record says whether MFA was used
    // (`Yes` or `No`) and how it ended (`Success` or `Failure`).
    r#"{ ($.eventName != "ConsoleLogin") || (($.eventSource = "signin.amazonaws.com") && (($.additionalEventData.MFAUsed = "Yes") || ($.additionalEventData.MFAUsed = "No")) && (($.responseElements.ConsoleLogin = "Success") || ($.responseElements.ConsoleLogin = "Failure"))) }"#,
];

/// [`CLOUDTRAIL_FACTS`], parsed.
pub fn cloudtrail_facts() -> Vec<crate::Pattern> {
    CLOUDTRAIL_FACTS
        .iter()
        .filter_map(|f| crate::Pattern::parse(f).ok())
        .collect()
}
