//! The one error type every operation returns, and the AWS message styles it is built in.
//!
//! An [`ApiError`] carries what every protocol needs: the error shape name (`__type` in JSON and CBOR), the
//! AWS Query code (the `x-amzn-query-error` header and the XML `<Code>`; for most services it is the shape
//! name), the HTTP status, and whether the client or the server is at fault. The codecs in
//! [`crate::protocol`] render it. Services never build one by hand: each declares its errors as an enum with
//! `service_errors!`, whose `From` conversion is the one place its codes, statuses and messages meet.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error shape's name, e.g. `ResourceNotFoundException`.
    pub shape: String,
    /// The AWS Query error code, e.g. `ResourceNotFound` for CloudWatch's `ResourceNotFound` shape.
    pub code: String,
    pub message: String,
    pub status: u16,
    pub sender: bool,
}

impl ApiError {
    pub fn new(shape: &str, status: u16, message: impl Into<String>) -> Self {
        ApiError {
            shape: shape.into(),
            code: shape.into(),
            message: message.into(),
            status,
            sender: status < 500,
        }
    }

    /// An error whose Query code differs from its shape name (CloudWatch's awsQueryError trait).
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = code.into();
        self
    }

    pub fn server(shape: &str, message: impl Into<String>) -> Self {
        ApiError::new(shape, 500, message)
    }

    /// AWS's generic validation text for one member: `1 validation error detected: Value 'x' at 'field'
    /// failed to satisfy constraint: <constraint>`.
    pub fn validation_message(value: Option<&str>, field: &str, constraint: &str) -> String {
        let v = match value {
            Some(v) => format!("'{v}'"),
            None => "null".to_string(),
        };
        format!("1 validation error detected: Value {v} at '{field}' failed to satisfy constraint: {constraint}")
    }

    pub fn unknown_operation(op: &str) -> Self {
        ApiError::new(
            "UnknownOperationException",
            400,
            format!("Unknown operation {op}"),
        )
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        ApiError::new("SerializationException", 400, message)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

/// Declares a service's error enum: one variant per error AWS documents for the service, each carrying
/// its message, with the shape name, HTTP status and (where it differs) the Query code in one line. Its
/// `From` conversion is the only place the service's errors become an [`ApiError`].
macro_rules! service_errors {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $shape:literal, $status:literal $(, code $code:literal)?; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant(String), )*
        }

        impl From<$name> for $crate::error::ApiError {
            fn from(e: $name) -> Self {
                match e {
                    $( $name::$variant(message) => {
                        #[allow(unused_mut)]
                        let mut err = $crate::error::ApiError::new($shape, $status, message);
                        $( err = err.with_code($code); )?
                        err
                    } )*
                }
            }
        }
    };
}
pub(crate) use service_errors;
