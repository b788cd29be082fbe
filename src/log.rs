//! One JSON line per request, for `wrangler tail`. Never a secret, a signature or a body.

use serde::Serialize;

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Handed on (origin 2xx or enqueued).
    Accepted,
    /// Seen before within the dedupe window; not handed on again.
    Duplicate,
    /// Refused: a 4xx with a reason code.
    Rejected,
    /// hookgate could not hand it on: a 5xx so the provider retries.
    Failed,
    /// Answered at the edge (Slack's challenge).
    Answered,
    /// Queue consumer: delivery failed; the message is retried after `retry_in_secs`.
    Retrying,
    /// Queue consumer: the message reached the dead-letter queue and is parked in KV.
    DeadLettered,
}

/// The `component` of every line: always `hookgate`, to filter `wrangler tail`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Component;

impl Serialize for Component {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("hookgate")
    }
}

/// The fields of a log line.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Line<'a> {
    /// Always `hookgate`, to filter `wrangler tail`.
    pub component: Component,
    /// Source name, when routed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Event id used for dedupe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<&'a str>,
    /// How it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Reason code of a rejection or failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// HTTP status answered (absent for queue consumer lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `consumer` or `dead_letter` for queue lines; absent for requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<&'a str>,
    /// Label of the matched key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    /// `origin` or `queue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<&'a str>,
    /// Status the origin answered, if called.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_status: Option<u16>,
    /// Free-text detail of a failure on our side (never request data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'a str>,
    /// Whether the id was written to the dedupe store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remembered: Option<bool>,
    /// Queue consumer: seconds since the event was enqueued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_secs: Option<u64>,
    /// Queue consumer: delay before the next attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_in_secs: Option<u64>,
    /// Queue consumer: the R2 key of a body too large for a message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_r2: Option<&'a str>,
    /// Dead letters: the KV key the event is parked under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parked_at: Option<&'a str>,
    /// Milliseconds from receipt to answer.
    pub latency_ms: u64,
}

impl Line<'_> {
    /// The JSON text of the line.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{\"component\":\"hookgate\"}"))
    }
}
