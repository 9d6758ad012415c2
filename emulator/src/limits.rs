//! Every bound the emulator puts on what a client sends, in one place: how large a body may be, before and
//! after gzip, and how deep any input may nest. A reader that walks a nested input checks its depth against
//! one of these before it goes a level further, so no request, document or file can exhaust the stack;
//! memory a request may take is bounded by the body limits before anything is held.
//!
//! Where AWS documents a limit the number is AWS's; where it is silent (nesting depth mostly) the bound is
//! generous beyond any real input and says so. Each is tested at the limit and one past it
//! (`emulator/tests/hostile_input.rs`). The pattern language's own limits live with its grammar
//! (`orgwatch_pattern::syntax`), policy documents' with the policy crate.

/// The largest request body read (AWS's largest request payloads, PutLogEvents' batch and PutMetricData,
/// are 1 MiB; 64 KiB more leaves room for the envelope around them).
pub const MAX_BODY: usize = 1_048_576 + 65_536;

/// How much of a body past [`MAX_BODY`] is read and thrown away before the `413` answer, so that the
/// connection carries the client's next request (a client sends its whole body before it reads the
/// answer; a server that stops reading and closes makes it lose the connection mid-write, not see the
/// 413). A body declared larger than this is refused at once and the connection closed. AWS documents
/// nothing here; 8 × [`MAX_BODY`] is a few milliseconds of reading on loopback and holds no memory.
pub const MAX_DRAINED_BODY: usize = 8 * MAX_BODY;

/// The largest a gzip request body may inflate to (`Content-Encoding: gzip`, which CloudWatch's
/// PutMetricData and the SDKs' request compression send): AWS's size limits apply to the payload the
/// service reads, so the inflated body is held to the same bound as a plain one. Inflation stops at the
/// first byte past it, so a gzip bomb costs at most this much memory, given back when it is refused.
pub const MAX_INFLATED_REQUEST: usize = MAX_BODY;

/// The largest body the admin API reads (CloudTrail log files and scenario documents posted to
/// `/_orgwatch/...`), and the most a gzip log file there may inflate to. CloudTrail writes a log file
/// every five minutes or so; 64 MiB holds far more records than any file it writes.
pub const MAX_ADMIN_BODY: usize = 64 * 1_048_576;

/// The most dot-separated parts an AWS Query parameter name may have
/// (`MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name` has 9, the deepest the served
/// operations' models reach). AWS documents none; past it the request is `MalformedQueryString`.
pub const MAX_QUERY_NAME_PARTS: usize = 32;

/// How deep a CBOR request body may nest (maps, arrays and tags). No served operation's input nests past
/// 8; AWS documents no limit. serde_json's own limit (128) bounds JSON bodies and JSON documents (policies,
/// filter policies, scenario and state files) the same way.
pub const MAX_CBOR_DEPTH: usize = 64;

/// How deep a composite alarm's rule may nest (parentheses and `NOT`s). AWS bounds the rule's text at
/// 10,240 characters and its alarms at 100, and documents no depth; 100 levels is beyond any rule written
/// by hand or by Terraform.
pub const MAX_ALARM_RULE_DEPTH: usize = 100;
