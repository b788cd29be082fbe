//! The Workers adapter: turns `worker` types into core inputs and runs the platform calls
//! (KV, fetch, Queue) the core decides on. Webhook logic belongs in the core.

mod admin;
mod archive;
mod consumer;
mod dedupe_object;
mod deliver;
mod env_config;
mod kv_dedupe;
mod rate_limit;
mod request;
mod strict_dedupe;
mod webcrypto;

use std::cell::RefCell;

use worker::{event, Context, Date, Env, MessageBatch, Request, Response, Result};

use crate::config::{DedupeMode, Source};
use crate::crypto::CoreCrypto;
use crate::dedupe::{self, Outcome};
use crate::log::{Line, LogSettings, Outcome as LogOutcome, RejectionSampler};
use crate::reason::Rejection;
use crate::verify;

use deliver::{Delivered, HandoffError};

thread_local! {
    /// Hand-offs under way in this isolate (see `dedupe::InFlight`).
    static IN_FLIGHT: dedupe::InFlight = dedupe::InFlight::default();
    /// Rejections logged and left out this minute (see `log.rejections`).
    static SAMPLER: RefCell<RejectionSampler> = RefCell::default();
}

/// Time allowed around an origin call (KV read and write, queue send) before an unreleased
/// in-flight claim is considered abandoned.
const CLAIM_MARGIN_MS: u64 = 5_000;

/// `Retry-After` when the dedupe store cannot be reached.
const STORE_RETRY_AFTER_SECS: &str = "10";

fn now_ms() -> u64 {
    Date::now().as_millis()
}

/// How loudly a line is logged (`wrangler tail` colours and filters by it).
#[derive(Clone, Copy)]
enum Level {
    Info,
    Warn,
    Error,
}

/// Logs one line, stamping the time since `started_ms`.
fn emit(mut line: Line<'_>, started_ms: u64, level: Level) {
    line.latency_ms = now_ms().saturating_sub(started_ms);
    let text = line.to_json();
    match level {
        Level::Info => worker::console_log!("{text}"),
        Level::Warn => worker::console_warn!("{text}"),
        Level::Error => worker::console_error!("{text}"),
    }
}

/// A JSON response with hookgate's fixed shapes only: never request data or secrets.
fn json(status: u16, body: &serde_json::Value) -> Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// Writes the summary of the rejections the last minute left out, once that minute is over.
fn flush_rejection_summary(log: &LogSettings, now_ms: u64) {
    let Some(summary) = SAMPLER.with(|s| s.borrow_mut().tick(log, now_ms)) else { return };
    let line = Line {
        outcome: Some(LogOutcome::RejectedSummary),
        window_secs: Some(summary.window_secs),
        suppressed: Some(&summary.suppressed),
        ..Line::default()
    };
    emit(line, now_ms, Level::Warn);
}

/// A handshake's answer, exactly as the core decided it (never forwarded or remembered).
fn handshake_reply(reply: &crate::handshake::Reply) -> Result<Response> {
    let mut resp = if reply.body.is_empty() { Response::empty()? } else { Response::ok(reply.body.clone())? };
    let headers = resp.headers_mut();
    match reply.content_type {
        Some(t) => headers.set("content-type", t)?,
        None => headers.delete("content-type")?,
    }
    headers.set("x-content-type-options", "nosniff")?;
    Ok(resp.with_status(200))
}

/// A 405's `Allow`: `GET, POST` on a source that answers a GET handshake (the core says which).
fn allowing(mut resp: Response, rejection: Rejection, config: Option<&crate::Config>, probe: &crate::Inbound<'_>) -> Result<Response> {
    if rejection == Rejection::MethodNotAllowed {
        if let Some(config) = config {
            resp.headers_mut().set("allow", verify::allow(config, probe))?;
        }
    }
    Ok(resp)
}

fn reject(rejection: Rejection, source: Option<&str>, log: &LogSettings, started_ms: u64) -> Result<Response> {
    if SAMPLER.with(|s| s.borrow_mut().admit(log, source, rejection.code())) {
        let line = Line {
            source,
            outcome: Some(LogOutcome::Rejected),
            reason: Some(rejection.code()),
            status: Some(rejection.status()),
            ..Line::default()
        };
        emit(line, started_ms, Level::Info);
    }
    let resp = json(rejection.status(), &serde_json::json!({ "error": rejection.code() }))?;
    if rejection == Rejection::MethodNotAllowed {
        let mut resp = resp;
        resp.headers_mut().set("allow", "POST")?;
        return Ok(resp);
    }
    Ok(resp)
}

/// A failure on our side: a 5xx so the provider retries.
fn fail(status: u16, code: &str, detail: &str, source: Option<&str>, event_id: Option<&str>, started_ms: u64) -> Result<Response> {
    let line = Line {
        source,
        event_id,
        outcome: Some(LogOutcome::Failed),
        reason: Some(code),
        status: Some(status),
        detail: Some(detail),
        ..Line::default()
    };
    emit(line, started_ms, Level::Error);
    json(status, &serde_json::json!({ "error": code }))
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let started_ms = now_ms();
    match handle(req, &env, started_ms).await {
        Ok(resp) => Ok(resp),
        // A platform error we did not anticipate: still an answer the provider retries.
        Err(e) => fail(500, "internal_error", &e.to_string(), None, None, started_ms),
    }
}

async fn handle(mut req: Request, env: &Env, started_ms: u64) -> Result<Response> {
    let head = request::Head::read(&req)?;
    let probe = head.inbound(&[]);
    let admin_token = js_sys::Reflect::get(env, &crate::admin::ADMIN_TOKEN_VAR.into()).ok().and_then(|v| v.as_string());
    if let Some(request) = crate::admin::route(&probe, admin_token.as_deref()) {
        return admin::handle(request, env, started_ms).await;
    }
    let loaded = env_config::load(env);
    let log = loaded.as_ref().as_ref().map_or_else(|_| LogSettings::default(), |c| c.log);
    flush_rejection_summary(&log, started_ms);
    let requested = match verify::route(&probe) {
        Ok(name) => name,
        Err(r) => return allowing(reject(r, None, &log, started_ms)?, r, loaded.as_ref().as_ref().ok(), &probe),
    };
    // A GET goes only to a source known to answer a GET handshake: with the configuration
    // unreadable, or this source broken, that is not known, so GET stays 405 as before.
    let config = match loaded.as_ref() {
        Ok(c) => c,
        Err(_) if verify::is_get(&probe) => return reject(Rejection::MethodNotAllowed, None, &log, started_ms),
        Err(errors) => {
            return fail(503, "config_invalid", &errors.join("; "), None, None, started_ms);
        }
    };
    if config.broken.contains_key(requested) && verify::is_get(&probe) {
        return reject(Rejection::MethodNotAllowed, None, &log, started_ms);
    }
    if let Some(errors) = config.broken.get(requested) {
        let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return fail(503, "config_invalid", &detail.join("; "), Some(requested), None, started_ms);
    }
    let source = match verify::source(config, &probe) {
        Ok(s) => s,
        Err(r) => return allowing(reject(r, None, &log, started_ms)?, r, Some(config), &probe),
    };
    let name = Some(source.name.as_str());
    if let Err(r) = verify::check_declared_size(source, head.content_length) {
        return reject(r, name, &log, started_ms);
    }
    let body = match request::Body::read(&mut req, source.max_body_bytes, head.framed_length()).await {
        Ok(Some(body)) => body,
        Ok(None) => return reject(Rejection::BodyTooLarge, name, &log, started_ms),
        Err(_) => return reject(Rejection::BodyUnreadable, name, &log, started_ms),
    };
    let inbound = head.inbound(&body.bytes);
    let now_secs = started_ms / 1000;
    if verify::keys_expired(source, now_secs) {
        let detail = format!("sources.{}.secrets: every key is past its not_after; add a current key (the provider retries meanwhile)", source.name);
        return fail(503, "keys_expired", &detail, name, None, started_ms);
    }
    let verified = match verified(source, &inbound, &body, now_secs).await {
        Ok(v) => v,
        Err(r) => return reject(r, name, &log, started_ms),
    };
    let key_label = verified.key_label.as_deref();
    if let Some(reply) = &verified.handshake {
        if log.events() {
            let kind = source.scheme.handshake().map(crate::handshake::Handshake::name);
            let line = Line { source: name, outcome: Some(LogOutcome::Answered), status: Some(200), key: key_label, handshake: kind, ..Line::default() };
            emit(line, started_ms, Level::Info);
        }
        return handshake_reply(reply);
    }
    // Read only now, on an authentic request: a forged one was refused above, whatever its type.
    if let Some(filtered) = crate::filter::screen(source, &inbound) {
        if log.events() {
            let shown = filtered.event_type.as_deref().map(crate::filter::loggable);
            let line = Line { source: name, outcome: Some(LogOutcome::Filtered), status: Some(200), key: key_label, event_type: shown.as_deref(), ..Line::default() };
            emit(line, started_ms, Level::Info);
        }
        return json(200, &serde_json::json!({ "status": "filtered" }));
    }
    // Counted after verification, so forged requests never spend the source's budget.
    if let Some(limit) = &source.rate_limit {
        match limit.verdict(rate_limit::count(env, limit, &source.name).await) {
            crate::limit::Verdict::Pass => {}
            crate::limit::Verdict::Limited { retry_after_secs } => {
                let mut resp = reject(Rejection::RateLimited, name, &log, started_ms)?;
                resp.headers_mut().set("retry-after", &retry_after_secs.to_string())?;
                return Ok(resp);
            }
            crate::limit::Verdict::PassUnchecked => {
                let detail = format!("sources.{}.rate_limit.binding: the Rate Limiting binding `{}` is missing or failed; the request was not counted", source.name, limit.binding);
                let line = Line { source: name, outcome: Some(LogOutcome::Failed), reason: Some("rate_limiter_unavailable"), detail: Some(&detail), ..Line::default() };
                emit(line, started_ms, Level::Warn);
            }
        }
    }

    if let Some(fault) = verified.id_fault {
        let detail = format!(
            "sources.{}.scheme.event_id: this authentic event has no id where the configuration says ({fault}); fix the setting (the provider retries meanwhile)",
            source.name
        );
        return fail(503, fault.code(), &detail, name, None, started_ms);
    }
    let event_id = dedupe::event_id(verified.event_id.as_deref(), &body.bytes);
    let key = dedupe::key(&source.name, &event_id, verified.signed_digest.as_deref());
    let handoff = deliver::Handoff { source, env, head: &head, body: &body, event_id: &event_id, key_label, now_secs };
    let in_flight = IN_FLIGHT.with(Clone::clone);
    let window = dedupe::ClaimWindow { now_ms: now_ms(), hold_ms: source.destination.timeout_ms + CLAIM_MARGIN_MS };
    let window_secs = source.dedupe.window_secs;
    let outcome = match source.dedupe.mode {
        DedupeMode::Off => {
            dedupe::hand_on_once(None::<&kv_dedupe::KvDedupe>, &in_flight, window, &key, window_secs, || handoff.run()).await
        }
        DedupeMode::Kv => {
            let Ok(kv) = env.kv(&config.kv_binding) else {
                let detail = format!("KV binding `{}` is missing (dedupe.mode = kv)", config.kv_binding);
                return fail(503, "config_invalid", &detail, name, Some(&event_id), started_ms);
            };
            let store = kv_dedupe::KvDedupe(kv);
            dedupe::hand_on_once(Some(&store), &in_flight, window, &key, window_secs, || handoff.run()).await
        }
        DedupeMode::Strict => {
            let Ok(objects) = env.durable_object(&config.dedupe_object) else {
                let detail = format!("Durable Object binding `{}` is missing (dedupe.mode = strict)", config.dedupe_object);
                return fail(503, "config_invalid", &detail, name, Some(&event_id), started_ms);
            };
            let store = strict_dedupe::StrictDedupe { objects, source: &source.name, shards: source.dedupe.shards };
            dedupe::hand_on_exactly_once(&store, &in_flight, window, &key, window_secs, || handoff.run()).await
        }
    };
    if matches!(outcome, Outcome::HandedOn { .. }) && source.archive.is_some() {
        // Handed on: archived for replays. A failure changes nothing for the provider.
        if let Err(detail) = archive::store(env, source, &event_id, key_label, started_ms, &head.headers, &body.bytes).await {
            let line = Line { source: name, event_id: Some(&event_id), outcome: Some(LogOutcome::Failed), reason: Some("archive_failed"), detail: Some(&detail), ..Line::default() };
            emit(line, started_ms, Level::Error);
        }
    }
    respond(outcome, source, &event_id, key_label, &log, started_ms)
}

/// Verifies in wasm, or for a large body with WebCrypto over the JS buffer (faster there,
/// and the body is not copied again); should WebCrypto fail, in wasm after all.
async fn verified(source: &Source, inbound: &crate::Inbound<'_>, body: &request::Body, now_secs: u64) -> std::result::Result<crate::Verified, Rejection> {
    if body.bytes.len() < verify::DEFERRED_MAC_MIN_BYTES {
        return verify::verify(source, inbound, now_secs, &CoreCrypto);
    }
    match verify::verify_deferred(source, inbound, now_secs) {
        verify::Deferred::Done(result) => result,
        verify::Deferred::Needs(calls) => match webcrypto::macs(calls, &body.js).await {
            Ok(answers) => verify::verify_replayed(source, inbound, now_secs, answers),
            Err(_) => verify::verify(source, inbound, now_secs, &CoreCrypto),
        },
    }
}

fn respond(
    outcome: Outcome<Delivered, HandoffError>,
    source: &Source,
    event_id: &str,
    key_label: Option<&str>,
    log: &LogSettings,
    started_ms: u64,
) -> Result<Response> {
    let name = Some(source.name.as_str());
    let routine = |line: Line<'_>| {
        if log.events() {
            emit(line, started_ms, Level::Info);
        }
    };
    let line = Line { source: name, event_id: Some(event_id), key: key_label, ..Line::default() };
    match outcome {
        Outcome::HandedOn { value, remembered } => {
            let (status, body) = match value.target {
                deliver::Target::Queue => (202, serde_json::json!({ "status": "queued" })),
                deliver::Target::Origin => (200, serde_json::json!({ "status": "accepted" })),
            };
            let line = Line {
                outcome: Some(LogOutcome::Accepted),
                status: Some(status),
                target: Some(value.target.name()),
                origin_status: value.origin_status,
                remembered: Some(remembered),
                ..line
            };
            routine(line);
            json(status, &body)
        }
        Outcome::Duplicate => {
            routine(Line { outcome: Some(LogOutcome::Duplicate), status: Some(200), ..line });
            json(200, &serde_json::json!({ "status": "duplicate" }))
        }
        Outcome::InFlight { retry_after_ms } => {
            routine(Line { outcome: Some(LogOutcome::Duplicate), reason: Some("in_flight"), status: Some(409), ..line });
            // By then the copy under way has been handed on (the retry sees `duplicate`) or
            // has failed (the retry goes through). A strict lease's remaining time is known;
            // a local claim's is at most the origin timeout (it expires later, after
            // timeout + CLAIM_MARGIN_MS, only to recover from a cancelled request).
            let retry_after = retry_after_ms.map_or(source.destination.timeout_ms.div_ceil(1000) + 1, |ms| ms.div_ceil(1000).max(1));
            let mut resp = json(409, &serde_json::json!({ "error": "in_flight" }))?;
            resp.headers_mut().set("retry-after", &retry_after.to_string())?;
            Ok(resp)
        }
        Outcome::Failed(e) => fail(e.status(), e.code(), &e.detail(), name, Some(event_id), started_ms),
        Outcome::StoreUnavailable(e) => {
            // Nothing was handed on; strict mode never guesses.
            let mut resp = fail(503, "dedupe_unavailable", &e.0, name, Some(event_id), started_ms)?;
            resp.headers_mut().set("retry-after", STORE_RETRY_AFTER_SECS)?;
            Ok(resp)
        }
    }
}

#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    consumer::consume(&batch, &env).await;
    Ok(())
}
