//! Hand-off: POST to the origin with a timeout and no redirects, or send to a Queue.

use js_sys::{ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;
use super::Env;

use crate::config::{On4xx, Source, QUEUE_MAX_BODY_BYTES};
use crate::forward;

use super::request::{Body, Head};

/// Where an event went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Origin,
    Queue,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Self::Origin => "origin",
            Self::Queue => "queue",
        }
    }
}

/// A successful hand-off.
#[derive(Debug)]
pub struct Delivered {
    pub target: Target,
    pub origin_status: Option<u16>,
    /// The origin's answer, kept for a source with `destination.reply = "origin"`.
    pub reply: Option<OriginReply>,
}

/// The origin's answer, as relayed to the provider.
#[derive(Debug)]
pub struct OriginReply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Why a hand-off failed; every variant makes the provider retry.
#[derive(Debug)]
pub enum HandoffError {
    /// The origin answered something other than 2xx (and 4xx is not accepted).
    OriginStatus(u16),
    /// The origin could not be reached.
    OriginUnreachable(String),
    /// The origin did not answer within the timeout.
    OriginTimeout(u64),
    /// The queue refused the message.
    QueueSend(String),
    /// The binding named in the configuration does not exist.
    Binding(String),
    /// R2 refused a body too large for a queue message.
    Storage(String),
    /// Without R2, the body and its passed headers would not fit in a queue message.
    MessageTooLarge(u64),
}

impl HandoffError {
    pub fn status(&self) -> u16 {
        match self {
            Self::OriginStatus(_) | Self::OriginUnreachable(_) => 502,
            Self::OriginTimeout(_) => 504,
            Self::QueueSend(_) | Self::Binding(_) | Self::Storage(_) => 503,
            // Final, like any body over the limit: retrying cannot make it fit.
            Self::MessageTooLarge(_) => 413,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::OriginStatus(_) => "origin_error",
            Self::OriginUnreachable(_) => "origin_unreachable",
            Self::OriginTimeout(_) => "origin_timeout",
            Self::QueueSend(_) => "queue_unavailable",
            Self::Binding(_) => "config_invalid",
            Self::Storage(_) => "storage_unavailable",
            Self::MessageTooLarge(_) => "body_too_large",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Self::OriginStatus(s) => format!("origin answered {s}"),
            Self::OriginUnreachable(e) => format!("origin unreachable: {e}"),
            Self::OriginTimeout(ms) => format!("origin gave no answer within {ms} ms"),
            Self::QueueSend(e) => format!("queue send failed: {e}"),
            Self::Binding(b) => format!("binding `{b}` is missing"),
            Self::Storage(e) => format!("R2 put failed: {e}"),
            Self::MessageTooLarge(n) => format!(
                "with its passed headers the queue message would be {n} bytes, over the Queue's 128 KB: set destination.r2 or pass fewer headers"
            ),
        }
    }
}

/// One hand-off, as planned by the core.
pub struct Handoff<'a> {
    pub source: &'a Source,
    pub env: &'a Env,
    pub head: &'a Head,
    pub body: &'a Body,
    pub event_id: &'a str,
    pub key_label: Option<&'a str>,
    pub now_secs: u64,
    /// Shadow mode: the verdict the origin is told (`X-Hookgate-Verdict`).
    pub verdict: Option<crate::shadow::Verdict>,
}

impl Handoff<'_> {
    pub async fn run(&self) -> std::result::Result<Delivered, HandoffError> {
        let dest = &self.source.destination;
        if let Some(queue) = &dest.queue {
            self.enqueue(queue).await?;
            return Ok(Delivered { target: Target::Queue, origin_status: None, reply: None });
        }
        let Some(origin) = &dest.origin else {
            return Err(HandoffError::Binding("destination".into()));
        };
        let mut headers = forward::headers(self.source, &self.head.headers, &self.body.bytes, self.event_id, self.key_label, self.now_secs);
        if let Some(verdict) = self.verdict {
            headers.push((crate::shadow::VERDICT_HEADER.to_string(), verdict.header_value()));
        }
        let keep = dest.reply == crate::config::Reply::Origin;
        let (status, reply) = exchange(origin, &headers, self.body.js.clone().into(), dest.timeout_ms, dest.on_origin_4xx, keep).await?;
        Ok(Delivered { target: Target::Origin, origin_status: Some(status), reply })
    }

    async fn enqueue(&self, binding: &str) -> std::result::Result<(), HandoffError> {
        let queue = Reflect::get(self.env, &binding.into()).ok().filter(JsValue::is_object).ok_or_else(|| HandoffError::Binding(binding.to_string()))?;
        let headers = crate::forward::passed(self.source, &self.head.headers);
        let inline_bytes = crate::envelope::message_bytes(self.body.bytes.len(), &headers, self.event_id);
        let stored = match &self.source.destination.r2 {
            Some(bucket) if inline_bytes > QUEUE_MAX_BODY_BYTES => {
                let unique = format!("{}-{:08x}", super::now_ms(), (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
                let key = crate::envelope::body_object_key(&self.source.name, self.event_id, &unique);
                put_object(self.env, bucket, &key, &self.body.js).await?;
                Some(key)
            }
            None if inline_bytes > crate::envelope::QUEUE_MESSAGE_MAX_BYTES => {
                return Err(HandoffError::MessageTooLarge(inline_bytes));
            }
            _ => None,
        };
        let block = super::request::header_lines(&headers).map_err(HandoffError::QueueSend)?;
        let key_label = self.key_label.map_or(JsValue::NULL, JsValue::from);
        let body_r2 = stored.as_deref().map_or(JsValue::NULL, JsValue::from);
        let sent = send_message(&queue, crate::envelope::VERSION, &self.source.name, self.event_id, &key_label, self.now_secs as f64, &block, &self.body.js, &body_r2)
            .map_err(|e| HandoffError::QueueSend(unreachable_reason(&e)))?
            .ok_or_else(|| HandoffError::Binding(binding.to_string()))?;
        Settled::from(sent).await.map(|_| ()).map_err(|e| HandoffError::QueueSend(unreachable_reason(&e)))
    }
}

// The queue message, sent with the binding's own `send` as a structured clone
// (`contentType: "v8"`), so the body's bytes stay exact; a body kept in R2 travels as its
// key (`body_r2`) instead. Built in JS: one crossing. `null` when the binding has no `send`.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"export function send_message(queue, v, source, event_id, key, received_at, block, body, body_r2) {
  if (typeof queue.send !== 'function') return null;
  const headers = [];
  const p = block.split('\n');
  for (let i = 0; i + 1 < p.length; i += 2) headers.push([p[i], p[i + 1]]);
  const message = { v, source, event_id, key, received_at, headers };
  if (body_r2 === null) message.body = new Uint8Array(body); else message.body_r2 = body_r2;
  return queue.send(message, { contentType: 'v8' });
}"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    #[allow(clippy::too_many_arguments)]
    fn send_message(queue: &JsValue, v: u32, source: &str, event_id: &str, key: &JsValue, received_at: f64, block: &str, body: &ArrayBuffer, body_r2: &JsValue) -> std::result::Result<Option<Promise>, JsValue>;
}

/// Stores a body in R2 straight from its JS buffer (no copy through wasm).
async fn put_object(env: &Env, bucket: &str, key: &str, body: &ArrayBuffer) -> std::result::Result<(), HandoffError> {
    let binding = Reflect::get(env, &bucket.into()).ok().filter(JsValue::is_object).ok_or_else(|| HandoffError::Binding(bucket.to_string()))?;
    let put: Function = Reflect::get(&binding, &"put".into())
        .and_then(JsCast::dyn_into)
        .map_err(|_| HandoffError::Binding(bucket.to_string()))?;
    let promise: Promise = put
        .call2(&binding, &key.into(), body)
        .and_then(JsCast::dyn_into)
        .map_err(|e| HandoffError::Storage(super::js_error_text(&e)))?;
    Settled::from(promise).await.map(|_| ()).map_err(|e| HandoffError::Storage(super::js_error_text(&e)))
}

/// POSTs to the origin; `Ok(status)` only for an accepted answer.
pub async fn post(url: &str, headers: &[(String, String)], body: JsValue, timeout_ms: u64, on_4xx: On4xx) -> std::result::Result<u16, HandoffError> {
    exchange(url, headers, body, timeout_ms, on_4xx, false).await.map(|(status, _)| status)
}

/// POSTs to the origin; with `keep`, also reads its answer (at most
/// [`crate::config::MAX_REPLY_BYTES`]; a longer one is not relayed: `None`).
async fn exchange(
    url: &str,
    headers: &[(String, String)],
    body: JsValue,
    timeout_ms: u64,
    on_4xx: On4xx,
    keep: bool,
) -> std::result::Result<(u16, Option<OriginReply>), HandoffError> {
    let block = super::request::header_lines(headers).map_err(HandoffError::OriginUnreachable)?;
    let accepts = |status: u16| match status {
        200..=299 => true,
        400..=499 => on_4xx == On4xx::Accept,
        _ => false,
    };
    let raw = match fetched(Settled::from(send("POST", url, Some(&block), &body, timeout_ms as f64, keep)).await) {
        Fetched::Answered(raw) => raw,
        Fetched::Status(status) if accepts(status) => return Ok((status, None)),
        Fetched::Status(status) => return Err(HandoffError::OriginStatus(status)),
        Fetched::TimedOut => return Err(HandoffError::OriginTimeout(timeout_ms)),
        Fetched::Failed(e) => return Err(HandoffError::OriginUnreachable(unreachable_reason(&e))),
    };
    let status = raw.status();
    let accepted = accepts(status);
    let header = |name: &str| raw.headers().get(name).ok().flatten();
    let reply = if accepted && header("content-length").and_then(|l| l.parse::<usize>().ok()).is_none_or(|n| n <= crate::config::MAX_REPLY_BYTES) {
        let content_type = header("content-type");
        match raw.array_buffer() {
            Ok(read) => Settled::from(read)
                .await
                .ok()
                .map(|buffer| Uint8Array::new(&buffer).to_vec())
                .filter(|body| body.len() <= crate::config::MAX_REPLY_BYTES)
                .map(|body| OriginReply { status, content_type, body }),
            Err(_) => None,
        }
    } else {
        // Not relayed, so never read: cancelled (as `send` does), so the connection is free.
        if let Some(body) = raw.body() {
            let _ = body.cancel();
        }
        None
    };
    if accepted {
        Ok((status, reply))
    } else {
        Err(HandoffError::OriginStatus(status))
    }
}

/// What the runtime said when the fetch failed (its message, not the whole error object).
fn unreachable_reason(e: &JsValue) -> String {
    super::js_message(e).unwrap_or_else(|| super::js_error_text(e))
}

// The global `fetch` with a URL and an init (no Request object), no redirects, and the
// runtime's own timer (`AbortSignal.timeout`): one crossing, no timer or race in wasm. The
// headers cross as one block (`request::header_lines`). Resolves to -1 when the timer fired
// first; otherwise, with `answer`, to the Response, and without, to its status, its body
// cancelled unread so that the connection is free at once (Workers limit open connections)
// rather than when the Response is collected.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"export async function send(method, url, block, body, ms, answer) {
  const signal = AbortSignal.timeout(ms);
  let r;
  try {
    const headers = new Headers();
    if (block !== undefined) { const p = block.split('\n'); for (let i = 0; i + 1 < p.length; i += 2) headers.append(p[i], p[i + 1]); }
    r = await fetch(url, { method, headers, body: body ?? undefined, redirect: 'manual', signal });
  } catch (e) { if (signal.aborted) return -1; throw e; }
  if (answer) return r;
  r.body?.cancel();
  return r.status;
}"#)]
extern "C" {
    pub(super) fn send(method: &str, url: &str, block: Option<&str>, body: &JsValue, ms: f64, answer: bool) -> Promise;
}

/// How a [`send`] ended.
pub(super) enum Fetched {
    Answered(web_sys::Response),
    /// Asked for no answer: its status (the body cancelled).
    Status(u16),
    TimedOut,
    /// What the runtime threw (or resolved to, if not a Response).
    Failed(JsValue),
}

pub(super) fn fetched(settled: std::result::Result<JsValue, JsValue>) -> Fetched {
    match settled {
        Ok(v) => match v.as_f64() {
            Some(n) if n < 0.0 => Fetched::TimedOut,
            Some(n) => Fetched::Status(n as u16),
            None => v.dyn_into().map_or_else(Fetched::Failed, Fetched::Answered),
        },
        Err(e) => Fetched::Failed(e),
    }
}
