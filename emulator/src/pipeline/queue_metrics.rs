//! The metrics SQS publishes to CloudWatch about each queue (namespace `AWS/SQS`, dimension `QueueName`),
//! as the SQS developer guide lists them ("Available CloudWatch metrics for Amazon SQS"): what happened
//! (`NumberOfMessagesSent` and `SentMessageSize` for every message added, by a client or by SNS;
//! `NumberOfMessagesReceived`, `NumberOfEmptyReceives`, `NumberOfMessagesDeleted`), and the queue's
//! approximate depth (`ApproximateNumberOfMessagesVisible`, `…NotVisible`, `…Delayed`).
//!
//! Chosen where AWS is silent on mechanics (it samples once a minute, minutes late): the activity metrics
//! are datapoints at the minute the activity happened, on the one clock; the depth is sampled when a
//! queue is created and at its first activity of each minute (after that activity), so an active queue
//! has one depth sample a minute, as on AWS. A message moved to a dead-letter queue is not counted as
//! sent (AWS: "it isn't captured by this metric"). A long poll that ends empty is not counted as an
//! empty receive (each of its attempts is one run of ReceiveMessage here; only a receive without a wait
//! is one whole call).

use crate::model::cloudwatch::{Datum, Dimension};
use crate::model::sqs::{Message, Queue};
use crate::model::RegionState;

const NAMESPACE: &str = "AWS/SQS";

/// What happened to a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A message was added, of this many bytes.
    Sent { bytes: usize },
    /// A ReceiveMessage gave this many messages (0: an empty receive).
    Received(usize),
    /// This many messages were deleted.
    Deleted(usize),
}

fn minute(now: f64) -> f64 {
    (now / 60.0).floor() * 60.0
}

fn datum(queue: &str, name: &str, unit: &str, value: f64, now: f64) -> Datum {
    let dims = vec![Dimension {
        name: "QueueName".into(),
        value: queue.into(),
    }];
    Datum::single(NAMESPACE, name, dims, minute(now), value, Some(unit.into()))
}

/// Records one activity of the queue named `queue` in `r` (and the queue's depth, once a minute).
pub fn record(r: &mut RegionState, queue: &str, activity: Activity, now: f64) {
    let data: Vec<(&str, &str, f64)> = match activity {
        Activity::Sent { bytes } => vec![
            ("NumberOfMessagesSent", "Count", 1.0),
            ("SentMessageSize", "Bytes", bytes as f64),
        ],
        Activity::Received(0) => vec![("NumberOfEmptyReceives", "Count", 1.0)],
        Activity::Received(n) => vec![("NumberOfMessagesReceived", "Count", n as f64)],
        Activity::Deleted(0) => Vec::new(),
        Activity::Deleted(n) => vec![("NumberOfMessagesDeleted", "Count", n as f64)],
    };
    for (name, unit, value) in data {
        r.metrics.push(datum(queue, name, unit, value, now));
    }
    sample_depth(r, queue, now);
}

/// Samples the queue's depth unless it was sampled this minute.
pub fn sample_depth(r: &mut RegionState, queue: &str, now: f64) {
    let Some(q) = r.queues.get_mut(queue) else {
        return;
    };
    if q.depth_sampled_at
        .is_some_and(|at| minute(at) == minute(now))
    {
        return;
    }
    q.depth_sampled_at = Some(now);
    let depth = depth(q, now);
    for (name, value) in [
        ("ApproximateNumberOfMessagesVisible", depth.0),
        ("ApproximateNumberOfMessagesNotVisible", depth.1),
        ("ApproximateNumberOfMessagesDelayed", depth.2),
    ] {
        r.metrics
            .push(datum(queue, name, "Count", value as f64, now));
    }
}

/// Visible, in flight, delayed.
fn depth(q: &Queue, now: f64) -> (usize, usize, usize) {
    let in_flight = |m: &&Message| m.in_flight(now);
    let delayed = |m: &&Message| m.receive_count == 0 && m.visible_at > now;
    let total = q.messages.len();
    let not_visible = q.messages.iter().filter(in_flight).count();
    let delayed = q.messages.iter().filter(delayed).count();
    (
        total.saturating_sub(not_visible + delayed),
        not_visible,
        delayed,
    )
}
