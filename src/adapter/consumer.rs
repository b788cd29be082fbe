//! The queue consumer. On the events queue it delivers each message to its source's origin,
//! acking on success and retrying with backoff otherwise (Queues applies `max_retries` from
//! wrangler.toml, then moves the message to the dead-letter queue). On the dead-letter
//! queue it parks each message in KV, so an event that could not be delivered is kept for
//! a person to look at and replay, never silently dropped.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use super::Env;

use std::cell::RefCell;
use crate::sorted_map::SortedMap;

use crate::config::{Config, QueueSettings, DEFAULT_KV_BINDING, QUEUE_MAX_DELAY_SECS};
use crate::pacing::{Pacer, Pacing};
use crate::envelope::{self, QueuedBody, QueuedEvent};
use crate::forward;
use crate::log::{Line, Outcome};

use super::task::{join_all, Job};
use super::{deliver, emit, env_config, now_ms, Level};

/// What happened to one message: `Ok` acks it, `Err((reason, detail))` retries it.
// The runtime's `MessageBatch` and `Message`, bound as they are: no per-message wrapper, no
// serde of the retry options. `ack` and `retry` only record a decision, so nothing is lost
// if one throws (the message is then redelivered, which every message may be anyway).
#[wasm_bindgen]
extern "C" {
    /// The batch a `queue` handler is given.
    pub type MessageBatch;
    #[wasm_bindgen(method, getter)]
    fn queue(this: &MessageBatch) -> String;
    #[wasm_bindgen(method, getter)]
    fn messages(this: &MessageBatch) -> js_sys::Array;
    #[wasm_bindgen(method, catch, js_name = retryAll)]
    fn retry_all(this: &MessageBatch, options: &JsValue) -> Result<(), JsValue>;

    type Message;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Message) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn timestamp(this: &Message) -> js_sys::Date;
    #[wasm_bindgen(method, catch)]
    fn ack(this: &Message) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn retry(this: &Message, options: &JsValue) -> Result<(), JsValue>;
}

// `setTimeout` as a promise: a paced delivery waits for its slot on the runtime's timer.
#[wasm_bindgen(inline_js = "export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }")]
extern "C" {
    fn sleep(ms: f64) -> js_sys::Promise;
}

pub(super) type Handled = std::result::Result<Done, (&'static str, String)>;

pub(super) enum Done {
    Delivered(u16),
    Parked(String),
    /// Unreadable on the dead-letter queue: nothing to park, so acked with an error line.
    Unreadable(String),
    /// Its R2 body was replaced by a delivery's mark: a redelivery of a message already
    /// delivered (each hand-off has its own object).
    AlreadyDelivered(String),
    /// Its R2 body is gone without a delivery's mark (a lifecycle rule, a manual delete, a
    /// changed binding): it cannot be delivered, so it is parked, loudly, under this key.
    BodyMissing(String),
}

pub async fn consume(batch: &MessageBatch, env: &Env) {
    let loaded = env_config::load(env);
    let config = loaded.as_ref().as_ref().ok();
    // Without a readable configuration, dead letters are still parked with the defaults,
    // and queued events wait as long as Queues allow, for a fix to be deployed.
    let default_settings = QueueSettings::default();
    let settings = config.map_or(&default_settings, |c| &c.queue);
    let kv_binding = config.map_or(DEFAULT_KV_BINDING, |c| c.kv_binding.as_str());
    let parking = batch.queue() == settings.dead_letter_queue;
    if let (Err(errors), false) = (loaded.as_ref(), parking) {
        let detail = errors.join("; ");
        let line = Line {
            stage: Some("consumer"),
            outcome: Some(Outcome::Retrying),
            reason: Some("config_invalid"),
            detail: Some(&detail),
            retry_in_secs: Some(QUEUE_MAX_DELAY_SECS),
            ..Line::default()
        };
        emit(line, now_ms(), Level::Error);
        let _ = batch.retry_all(&retry_in(QUEUE_MAX_DELAY_SECS));
        return;
    }
    let stage = if parking { "dead_letter" } else { "consumer" };
    // The batch's messages are handled concurrently: each is acked or retried on its own,
    // and Queues does not promise an order anyway. Those of a paced source go through its
    // pacing plan instead (see `crate::pacing`).
    let mut free = Vec::new();
    let mut paced: SortedMap<String, Vec<Message>> = SortedMap::new();
    for message in batch.messages().iter().map(JsCast::unchecked_into::<Message>) {
        match config.filter(|_| !parking).and_then(|c| paced_source(c, &message.body())) {
            Some(source) => paced.entry_or_default(source).push(message),
            None => free.push(message),
        }
    }
    let handling = free.into_iter().map(|message| -> Job<'_> { Box::pin(handle(message, config, settings, kv_binding, env, parking, stage)) });
    let pacing = paced.into_iter().filter_map(|(source, messages)| -> Option<Job<'_>> {
        let pacing = config?.sources.get(&source)?.destination.pacing.clone()?;
        Some(Box::pin(deliver_paced(source, pacing, messages, config, settings, kv_binding, env)))
    });
    join_all(handling.chain(pacing).collect()).await;
}

thread_local! {
    /// Each paced source's next start in this isolate (see `crate::pacing::Pacer`).
    static PACERS: RefCell<SortedMap<String, Pacer>> = RefCell::default();
}

/// The source of a message whose source is paced; `None` for the rest (unreadable ones included).
fn paced_source(config: &Config, body: &JsValue) -> Option<String> {
    let source = Reflect::get(body, &"source".into()).ok()?.as_string()?;
    config.sources.get(&source)?.destination.pacing.as_ref()?;
    Some(source)
}

/// Delivers one source's messages of a batch by its pacing plan: `concurrency` lanes, each
/// one delivery at a time, none starting before its slot; those beyond the plan's budget
/// are retried with a delay (they wait in the queue), loudly.
async fn deliver_paced(
    source: String,
    pacing: Pacing,
    messages: Vec<Message>,
    config: Option<&Config>,
    settings: &QueueSettings,
    kv_binding: &str,
    env: &Env,
) {
    let started_ms = now_ms();
    let plan = PACERS.with(|p| p.borrow_mut().entry_or_default(source.clone()).plan(&pacing, messages.len(), started_ms));
    let mut messages: Vec<Option<Message>> = messages.into_iter().map(Some).collect();
    for deferred in &plan.deferred {
        let Some(message) = messages.get_mut(deferred.index).and_then(Option::take) else { continue };
        let detail = if deferred.capped {
            "paced: its slot is more than 12 h away (Queues' longest delay); retried after 12 h and planned again. Raise max_per_minute or drain the backlog"
        } else {
            "paced: its slot is beyond this batch's budget; retried when it comes (this counts as one of Queues' attempts)"
        };
        let line = Line {
            stage: Some("consumer"),
            source: Some(&source),
            outcome: Some(Outcome::Retrying),
            reason: Some("paced"),
            detail: Some(detail),
            retry_in_secs: Some(deferred.delay_secs),
            ..Line::default()
        };
        emit(line, started_ms, if deferred.capped { Level::Error } else { Level::Warn });
        let _ = message.retry(&retry_in(deferred.delay_secs));
    }
    let lanes = usize::try_from(pacing.concurrency).unwrap_or(1);
    let mut work: Vec<Vec<(u64, Message)>> = (0..lanes).map(|_| Vec::new()).collect();
    for slot in &plan.now {
        if let (Some(lane), Some(message)) = (work.get_mut(slot.lane), messages.get_mut(slot.index).and_then(Option::take)) {
            lane.push((slot.start_ms, message));
        }
    }
    // The source's last start, whichever lane made it (see `pacing::due_ms`).
    let last_start = std::cell::Cell::new(None);
    let (last_start, source, pacing) = (&last_start, source.as_str(), &pacing);
    let runs = work.into_iter().map(|lane| -> Job<'_> {
        Box::pin(async move {
            for (start_ms, message) in lane {
                // Again after each wait: another lane may have started meanwhile.
                loop {
                    let wait_ms = crate::pacing::due_ms(start_ms, last_start.get(), pacing).saturating_sub(now_ms());
                    if wait_ms == 0 {
                        break;
                    }
                    let _ = super::task::Settled::from(sleep(wait_ms as f64)).await;
                }
                let at = now_ms();
                last_start.set(Some(at));
                PACERS.with(|p| p.borrow_mut().get_mut(source).map(|pacer| pacer.started(pacing, at)));
                handle(message, config, settings, kv_binding, env, false, "consumer").await;
            }
        })
    });
    join_all(runs.collect()).await;
}

async fn handle(
    message: Message,
    config: Option<&Config>,
    settings: &QueueSettings,
    kv_binding: &str,
    env: &Env,
    parking: bool,
    stage: &str,
) {
    let started_ms = now_ms();
    let age_secs = started_ms.saturating_sub(message.timestamp().get_time() as u64) / 1000;
    // The message's own bytes are what the origin gets: the body crosses into wasm once
    // (for hookgate's signature), never back out.
    let (event, inline) = match read(&message.body()) {
        Ok((event, inline)) => (Ok(event), inline),
        Err(e) => (Err(e), None),
    };
    let handled: Handled = match (&event, config) {
        (Err(detail), _) if parking => Ok(Done::Unreadable(detail.clone())),
        (Err(detail), _) => Err(("message_malformed", detail.clone())),
        (Ok(ev), _) if parking => park(kv_binding, env, ev, started_ms / 1000).await,
        (Ok(ev), Some(config)) => deliver_to_origin(config, env, ev, inline.as_ref()).await,
        (Ok(_), None) => Err(("config_invalid", "the configuration does not load".into())),
    };
    let ev = event.as_ref().ok();
    let mut line = Line {
        stage: Some(stage),
        source: ev.map(|e| e.source.as_str()),
        event_id: ev.map(|e| e.event_id.as_str()),
        body_r2: ev.and_then(|e| match &e.body {
            QueuedBody::Stored(key) => Some(key.as_str()),
            QueuedBody::Inline(_) => None,
        }),
        age_secs: Some(age_secs),
        ..Line::default()
    };
    let delay = settings.retry_delay_secs(age_secs);
    match &handled {
        Ok(Done::Delivered(status)) => {
            line.outcome = Some(Outcome::Accepted);
            line.target = Some("origin");
            line.origin_status = Some(*status);
        }
        Ok(Done::Parked(key)) => {
            line.outcome = Some(Outcome::DeadLettered);
            line.parked_at = Some(key);
        }
        Ok(Done::AlreadyDelivered(key)) => {
            line.outcome = Some(Outcome::Duplicate);
            line.reason = Some("already_delivered");
            line.detail = Some(key);
        }
        Ok(Done::BodyMissing(parked)) => {
            line.outcome = Some(Outcome::DeadLettered);
            line.reason = Some("body_missing");
            line.detail = Some("the R2 object holding the body is gone and was never delivered: parked without its body");
            line.parked_at = Some(parked);
        }
        Ok(Done::Unreadable(detail)) => {
            line.outcome = Some(Outcome::Failed);
            line.reason = Some("message_malformed");
            line.detail = Some(detail);
        }
        Err((reason, detail)) => {
            line.outcome = Some(Outcome::Retrying);
            line.reason = Some(reason);
            line.detail = Some(detail);
            line.retry_in_secs = Some(delay);
        }
    }
    let routine = matches!(handled, Ok(Done::Delivered(_) | Done::AlreadyDelivered(_)));
    if !routine {
        emit(line, started_ms, Level::Error);
    } else {
        super::finish(line, started_ms, Level::Info, config.is_none_or(|c| c.log.events()));
    }
    let _ = match handled {
        Ok(_) => message.ack(),
        Err(_) => message.retry(&retry_in(delay)),
    };
}

/// `{ delaySeconds }` for `retry` and `retryAll`.
fn retry_in(secs: u64) -> JsValue {
    let options = Object::new();
    let _ = Reflect::set(&options, &"delaySeconds".into(), &JsValue::from(u32::try_from(secs).unwrap_or(u32::MAX)));
    options.into()
}

/// Reads hookgate's message layout (see `deliver::envelope`), with an inline body's JS bytes.
fn read(msg: &JsValue) -> std::result::Result<(QueuedEvent, Option<Uint8Array>), String> {
    let get = |k: &str| Reflect::get(msg, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let text = |k: &str| get(k).and_then(|v| v.as_string()).ok_or_else(|| format!("not a hookgate message: no `{k}`"));
    let version = get("v").and_then(|v| v.as_f64());
    if version != Some(f64::from(envelope::VERSION)) {
        return Err(format!("not a hookgate message of version {}", envelope::VERSION));
    }
    let inline = get("body").and_then(|b| b.dyn_into::<Uint8Array>().ok());
    let body = match (&inline, get("body_r2").and_then(|k| k.as_string())) {
        (Some(bytes), _) => QueuedBody::Inline(bytes.to_vec()),
        (None, Some(key)) => QueuedBody::Stored(key),
        (None, None) => return Err("not a hookgate message: no byte body".into()),
    };
    let mut headers = Vec::new();
    // Arrays only, checked: `Array.from` throws on a `null` pair, and a throw inside wasm
    // would reset the instance (its in-flight claims and tallies with it).
    if let Some(list) = get("headers").and_then(|l| l.dyn_into::<js_sys::Array>().ok()) {
        for pair in list.iter() {
            let Ok(pair) = pair.dyn_into::<js_sys::Array>() else { continue };
            if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push((n, v));
            }
        }
    }
    let event = QueuedEvent {
        source: text("source")?,
        event_id: text("event_id")?,
        key_label: text("key").ok(),
        received_at: get("received_at").and_then(|v| v.as_f64()).map_or(0, |v| v as u64),
        headers,
        body,
    };
    Ok((event, inline))
}

/// Delivers `event`; `inline` is its body as the JS bytes it arrived in, when it has them
/// (sent as they are instead of copied back out of wasm).
pub(super) async fn deliver_to_origin(config: &Config, env: &Env, event: &QueuedEvent, inline: Option<&Uint8Array>) -> Handled {
    let source = config
        .sources
        .get(&event.source)
        .ok_or_else(|| ("unknown_source", format!("source `{}` is not configured (or is broken)", event.source)))?;
    let dest = &source.destination;
    let origin = dest.origin.as_ref().ok_or_else(|| ("config_invalid", "queue source has no origin to deliver to".to_string()))?;
    let stored = match &event.body {
        QueuedBody::Inline(_) => None,
        QueuedBody::Stored(key) if !envelope::body_key_belongs(key, &event.source, &event.event_id) => {
            return Err(("message_malformed", "the message names an R2 object outside its own event's prefix: not read".into()));
        }
        QueuedBody::Stored(key) => {
            let bucket = dest.r2.as_deref().ok_or_else(|| ("config_invalid", "the body is in R2 but the source has no `r2` bucket".to_string()))?;
            let bucket = super::r2::Bucket::bind(env, bucket).ok_or_else(|| ("config_invalid", format!("R2 binding `{bucket}` is missing")))?;
            Some((bucket, key))
        }
    };
    let bytes = match (&event.body, &stored) {
        (QueuedBody::Inline(bytes), _) => std::borrow::Cow::Borrowed(bytes),
        (QueuedBody::Stored(_), Some((bucket, key))) => {
            let object = bucket.get(key).await.map_err(|e| ("storage_unavailable", format!("R2 get: {e}")))?;
            let Some(object) = object else {
                return match park(&config.kv_binding, env, event, now_ms() / 1000).await? {
                    Done::Parked(parked) => Ok(Done::BodyMissing(parked)),
                    other => Ok(other),
                };
            };
            if object.meta(envelope::DELIVERED_MARK).is_some() {
                return Ok(Done::AlreadyDelivered((*key).clone()));
            }
            std::borrow::Cow::Owned(object.bytes().await.map_err(|e| ("storage_unavailable", e))?)
        }
        (QueuedBody::Stored(_), None) => return Err(("config_invalid", "no R2 bucket".to_string())),
    };
    let now_secs = now_ms() / 1000;
    let headers = forward::headers(source, &event.headers, &bytes, &event.event_id, event.key_label.as_deref(), now_secs);
    let body: JsValue = match (inline, &event.body) {
        (Some(js), QueuedBody::Inline(bytes)) if js.length() as usize == bytes.len() => js.into(),
        _ => Uint8Array::from(bytes.as_ref().as_slice()).buffer().into(),
    };
    let status = deliver::post(origin, &headers, body, dest.timeout_ms, dest.on_origin_4xx)
        .await
        .map_err(|e| (e.code(), e.detail()))?;
    if let Some((bucket, key)) = stored {
        // Delivered: an empty object with a delivery mark replaces the body, so a redelivery
        // of this message is told apart from a body that went missing. If the write fails,
        // the body stays and a redelivery would deliver it again (logged). A bucket
        // lifecycle rule removes marks once no message can still refer to them.
        let mark = [(envelope::DELIVERED_MARK.to_string(), now_secs.to_string())];
        if let Err(e) = bucket.put(key, &[], &mark).await {
            let detail = format!("R2 delivery mark on `{key}` failed: {e}");
            let line = Line { stage: Some("consumer"), event_id: Some(&event.event_id), detail: Some(&detail), ..Line::default() };
            emit(line, now_ms(), Level::Warn);
        }
    }
    Ok(Done::Delivered(status))
}

async fn park(kv_binding: &str, env: &Env, event: &QueuedEvent, now_secs: u64) -> Handled {
    let kv = super::kv::Kv::bind(env, kv_binding)
        .ok_or_else(|| ("config_invalid", format!("KV binding `{kv_binding}` is missing: dead letters cannot be parked")))?;
    let key = envelope::dead_letter_key(&event.source, &event.event_id);
    kv.put(&key, &event.parked_record(now_secs), None).await.map_err(|e| ("kv_unavailable", e))?;
    Ok(Done::Parked(key))
}
