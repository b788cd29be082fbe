//! The archive of `crate::archive` on R2: store an event once it was handed on, list a
//! source's events in a time range, and deliver one again to the source's current origin
//! through the consumer's delivery path (a fresh hookgate signature, the original
//! `X-Hookgate-Event-Id`), bypassing dedupe on purpose: a replay is an operator's decision.

use super::Env;

use crate::archive::{self, Archive};
use crate::config::{Config, Source};
use crate::envelope::{QueuedBody, QueuedEvent};

use super::consumer::{self, Done};
use super::r2::{self, Bucket};

/// Longest page of a listing.
const PAGE: u32 = 100;

/// Stores one handed-on event. A failure is the caller's to log: the event was handed on,
/// so the provider's answer does not change.
pub async fn store(env: &Env, source: &Source, event_id: &str, key_label: Option<&str>, received_ms: u64, headers: &[(String, String)], body: &[u8]) -> Result<String, String> {
    let Some(archive) = &source.archive else { return Err("the source has no archive".into()) };
    let bucket = Bucket::bind(env, &archive.r2).ok_or_else(|| format!("R2 binding `{}` is missing", archive.r2))?;
    let passed = crate::forward::passed(source, headers);
    let key = archive::key(&source.name, received_ms, event_id);
    let meta = archive::metadata(event_id, key_label, received_ms, &passed);
    bucket.put(&key, body, &meta).await.map_err(|e| format!("R2 put: {e}"))?;
    Ok(key)
}

/// One page of a source's archive from `from_ms` to `to_ms`: `(entries, cursor)`.
pub async fn list(env: &Env, archive: &Archive, source: &str, from_ms: u64, to_ms: u64, cursor: Option<String>) -> Result<(Vec<crate::json::Value>, Option<String>), String> {
    let bucket = Bucket::bind(env, &archive.r2).ok_or_else(|| format!("R2 binding `{}` is missing", archive.r2))?;
    let from = match cursor {
        Some(c) => r2::From::Cursor(c),
        None => r2::From::StartAfter(archive::start_after(source, from_ms)),
    };
    let page = bucket.list(&archive::source_prefix(source), PAGE, from).await.map_err(|e| format!("R2 list: {e}"))?;
    let mut entries = Vec::new();
    let mut past_the_end = false;
    for object in &page.objects {
        let Some((_, ms)) = archive::parse_key(&object.key) else { continue };
        if ms > to_ms {
            past_the_end = true;
            break;
        }
        entries.push(crate::json::json!({ "key": object.key, "event_id": object.meta("event_id"), "received_ms": ms, "key_label": object.meta("key") }));
    }
    let next = if past_the_end || !page.truncated { None } else { page.cursor };
    Ok((entries, next))
}

/// Delivers one archived event to the source's current origin. `Ok(None)`: no such object.
pub async fn replay(config: &Config, env: &Env, archive: &Archive, source: &str, key: &str) -> Result<Option<u16>, (&'static str, String)> {
    let bucket = Bucket::bind(env, &archive.r2).ok_or_else(|| ("config_invalid", format!("R2 binding `{}` is missing", archive.r2)))?;
    let Some(object) = bucket.get(key).await.map_err(|e| ("storage_unavailable", format!("R2 get: {e}")))? else {
        return Ok(None);
    };
    let bytes = object.bytes().await.map_err(|e| ("storage_unavailable", e))?;
    let event = QueuedEvent {
        source: source.to_string(),
        event_id: object.meta("event_id").ok_or_else(|| ("record_unreadable", "no event_id in the archived object".to_string()))?,
        key_label: object.meta("key"),
        received_at: object.meta("received_ms").and_then(|v| v.parse::<u64>().ok()).map_or(0, |ms| ms / 1000),
        headers: archive::headers_from(object.meta("headers").as_deref()),
        body: QueuedBody::Inline(bytes),
    };
    match consumer::deliver_to_origin(config, env, &event, None).await? {
        Done::Delivered(status) => Ok(Some(status)),
        _ => Err(("storage_unavailable", "not delivered".into())),
    }
}
