//! A queued event: what hookgate puts on the Queue, so the consumer can deliver it later
//! with the same headers and exact bytes, and the record it parks in KV when the message
//! reaches the dead-letter queue, so an event that could not be delivered is kept, not lost.
use crate::json::ObjectWriter;

/// Version of the queue message layout; a consumer refuses layouts it does not know.
pub const VERSION: u32 = 1;

/// One queued event, as read back from a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedEvent {
    /// Source name.
    pub source: String,
    /// Event id (dedupe id).
    pub event_id: String,
    /// Label of the key that verified it.
    pub key_label: Option<String>,
    /// Unix seconds when hookgate accepted it.
    pub received_at: u64,
    /// `content-type` and the source's passed-through headers.
    pub headers: Vec<(String, String)>,
    /// The raw body, or where it is kept.
    pub body: QueuedBody,
}

/// Where a queued event's body is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueuedBody {
    /// In the message itself.
    Inline(Vec<u8>),
    /// Too large for a message: an object in the source's R2 bucket, under this key.
    Stored(String),
}

/// R2 key of a body too large for a queue message. `unique` tells hand-offs of the same
/// event apart (dedupe off, or a retry after a failed send), so that delivering one never
/// deletes another's body.
#[must_use]
pub fn body_object_key(source: &str, event_id: &str, unique: &str) -> String {
    format!("hookgate/bodies/{source}/{event_id}/{unique}")
}

/// Whether a message's R2 key names a body of its own event: a message may not make the
/// consumer read (and then overwrite) any other object in the bucket.
#[must_use]
pub fn body_key_belongs(key: &str, source: &str, event_id: &str) -> bool {
    let prefix = body_object_key(source, event_id, "");
    key.strip_prefix(prefix.as_str()).is_some_and(|unique| !unique.is_empty() && !unique.contains('/'))
}

/// Custom metadata on the small object that replaces a delivered body: a redelivered
/// message that finds it was delivered already; one that finds nothing lost its body.
pub const DELIVERED_MARK: &str = "hookgate-delivered-at";

/// Largest Queue message Cloudflare accepts (128 KB).
pub const QUEUE_MESSAGE_MAX_BYTES: u64 = 128 * 1000;

/// About how large a queue message is with the body inline: the body, every passed header,
/// and a margin for the rest of the envelope (source, event id, key label, times).
#[must_use]
pub fn message_bytes(body_len: usize, headers: &[(String, String)], event_id: &str) -> u64 {
    let headers: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 16).sum();
    (body_len + headers + event_id.len() + 1024) as u64
}

/// Prefix of every parked event's KV key.
pub const DEAD_LETTER_PREFIX: &str = "hookgate:dlq:";

/// KV key of a parked (dead-lettered) event. `dlq` cannot be confused with the dedupe
/// keys' `v1` segment, whatever the source is called.
#[must_use]
pub fn dead_letter_key(source: &str, event_id: &str) -> String {
    format!("{DEAD_LETTER_PREFIX}{source}:{event_id}")
}

/// The source and event id of a parked event's key.
#[must_use]
pub fn parse_dead_letter_key(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix(DEAD_LETTER_PREFIX)?.split_once(':')
}

/// A parked record as read back (see [`QueuedEvent::parked_record`]).
impl QueuedEvent {
    /// Reads a parked record back, for a replay.
    ///
    /// # Errors
    /// Not a parked record of this version.
    pub fn from_parked(text: &str) -> Result<QueuedEvent, String> {
        // Read field by field from the parsed text (no derived serde in the Worker).
        let doc: crate::json::Value = crate::json::parse(text.as_bytes()).map_err(|e| format!("not a parked record: {e}"))?;
        let field = |name: &str| doc.get(name).filter(|v| !v.is_null());
        let text_of = |name: &str| field(name).map(|v| v.as_str().map(str::to_string).ok_or_else(|| format!("not a parked record: `{name}` is not a string"))).transpose();
        let number = |name: &str| field(name).and_then(crate::json::Value::as_u64).ok_or_else(|| format!("not a parked record: `{name}` is missing or not a number"));
        let v = number("v")?;
        if v != u64::from(VERSION) {
            return Err(format!("parked record of version {v}, expected {VERSION}"));
        }
        let required = |name: &str| text_of(name)?.ok_or_else(|| format!("not a parked record: `{name}` is missing"));
        let headers = field("headers").and_then(|h| headers_of(Some(h))).ok_or_else(|| "not a parked record: `headers` is not a list of name and value pairs".to_string())?;
        let body = match (text_of("body_base64")?, text_of("body_r2")?) {
            (Some(b64), _) => QueuedBody::Inline(
                crate::base64::STANDARD.decode(b64).map_err(|_| "parked body is not base64".to_string())?,
            ),
            (None, Some(key)) => QueuedBody::Stored(key),
            (None, None) => return Err("parked record has no body".into()),
        };
        Ok(QueuedEvent {
            source: required("source")?,
            event_id: required("event_id")?,
            key_label: text_of("key")?,
            received_at: number("received_at")?,
            headers,
            body,
        })
    }

    /// The JSON record parked in KV: everything needed to deliver the event by hand (a
    /// body kept in R2 stays there, and the record names its key).
    #[must_use]
    pub fn parked_record(&self, dead_at: u64) -> String {
        // Fields in this order, `key` written as `null` when absent, the body as one of
        // `body_base64` or `body_r2` (the layout the derived serializer wrote).
        let mut w = ObjectWriter::new();
        w.u64("v", u64::from(VERSION));
        w.str("source", &self.source);
        w.str("event_id", &self.event_id);
        match &self.key_label {
            Some(k) => w.str("key", k),
            None => w.raw("key", "null"),
        }
        w.u64("received_at", self.received_at);
        w.u64("dead_at", dead_at);
        w.raw("headers", &headers_text(&self.headers));
        match &self.body {
            QueuedBody::Inline(bytes) => w.str("body_base64", &crate::base64::STANDARD.encode(bytes)),
            QueuedBody::Stored(key) => w.str("body_r2", key),
        }
        w.finish()
    }
}

/// Header pairs as `[["name", "value"], ...]`, read back by [`headers_of`].
#[must_use]
pub fn headers_text(headers: &[(String, String)]) -> String {
    let mut out = String::from("[");
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        crate::json::write_str(&mut out, name);
        out.push(',');
        crate::json::write_str(&mut out, value);
        out.push(']');
    }
    out.push(']');
    out
}

/// `[["name", "value"], ...]` as header pairs: `None` for anything else (a missing list is
/// no headers).
#[must_use]
pub fn headers_of(value: Option<&crate::json::Value>) -> Option<Vec<(String, String)>> {
    let Some(value) = value else { return Some(Vec::new()) };
    value
        .as_array()?
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([n, v]) => Some((n.as_str()?.to_string(), v.as_str()?.to_string())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_may_name_only_its_own_body() {
        let own = body_object_key("s", "evt_1", "123-abc");
        assert!(body_key_belongs(&own, "s", "evt_1"));
        assert!(!body_key_belongs(&own, "s", "evt_2"));
        assert!(!body_key_belongs(&own, "t", "evt_1"));
        assert!(!body_key_belongs("hookgate/bodies/s/evt_1/", "s", "evt_1"));
        assert!(!body_key_belongs("hookgate/bodies/s/evt_1/x/../../other", "s", "evt_1"));
        assert!(!body_key_belongs("invoices/2026.pdf", "s", "evt_1"));
    }

    #[test]
    fn a_message_counts_its_headers_toward_the_queue_limit() {
        let body = 120 * 1024;
        assert!(message_bytes(body, &[], "evt_1") <= QUEUE_MESSAGE_MAX_BYTES);
        let big = vec![("x-trace".to_string(), "t".repeat(8 * 1024))];
        assert!(message_bytes(body, &big, "evt_1") > QUEUE_MESSAGE_MAX_BYTES);
    }

    #[test]
    fn parks_the_exact_bytes_and_headers() {
        let event = QueuedEvent {
            source: "dead".into(),
            event_id: "evt_1".into(),
            key_label: Some("k".into()),
            received_at: 1_700_000_000,
            headers: vec![("content-type".into(), "application/json".into())],
            body: QueuedBody::Inline(vec![0, 159, 146, 150, b'{']),
        };
        let text = event.parked_record(1_700_000_100);
        // The layout the derived serde serializer wrote.
        assert_eq!(
            text,
            r#"{"v":1,"source":"dead","event_id":"evt_1","key":"k","received_at":1700000000,"dead_at":1700000100,"headers":[["content-type","application/json"]],"body_base64":"AJ+Slns="}"#
        );
        assert_eq!(QueuedEvent::from_parked(&text).unwrap(), event);
        let record: crate::json::Value = crate::json::parse(text.as_bytes()).unwrap();
        assert_eq!(record["body_base64"], "AJ+Slns=");
        assert_eq!(record["headers"][0][1], "application/json");
        assert_eq!(record["dead_at"], 1_700_000_100);
        assert_eq!(dead_letter_key("dead", "evt_1"), "hookgate:dlq:dead:evt_1");
        assert_eq!(parse_dead_letter_key("hookgate:dlq:dead:evt:1"), Some(("dead", "evt:1")));
        assert_ne!(dead_letter_key("dead", "x"), crate::dedupe::key("dead", "x", None));
        let stored = QueuedEvent { body: QueuedBody::Stored(body_object_key("dead", "evt_1", "1700000000000-0a")), ..event };
        let record: crate::json::Value = crate::json::parse(stored.parked_record(1).as_bytes()).unwrap();
        assert_eq!(record["body_r2"], "hookgate/bodies/dead/evt_1/1700000000000-0a");
        assert!(record.get("body_base64").is_none());
        let unlabelled = QueuedEvent { key_label: None, headers: Vec::new(), ..stored.clone() };
        assert!(unlabelled.parked_record(1).contains(r#""key":null,"received_at":1700000000,"dead_at":1,"headers":[],"body_r2":"hookgate/bodies/"#));
        assert_eq!(QueuedEvent::from_parked(&stored.parked_record(1)).unwrap(), stored);
        assert!(QueuedEvent::from_parked("{\"v\":2}").is_err());
    }
}
