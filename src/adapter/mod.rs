//! The Workers adapter: turns the runtime's objects (the `web_sys::Request`, the `Env`
//! bindings, a queue batch) into core inputs and runs the platform calls (KV, fetch, Queue,
//! R2, the Durable Object) the core decides on, each called directly through wasm-bindgen.
//! Webhook logic belongs in the core.

mod admin;
mod answer;
mod archive;
mod certs;
mod consumer;
mod dedupe_object;
mod deliver;
mod env_config;
mod kv;
mod kv_dedupe;
mod metrics;
mod r2;
mod rate_limit;
mod recovery;
mod request;
mod strict_dedupe;
mod task;
mod webcrypto;

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use answer::Answer;

use crate::config::{DedupeMode, Source};
use crate::crypto::CoreCrypto;
use crate::dedupe::{self, Outcome};
use crate::log::{Line, LogSettings, Outcome as LogOutcome, RejectionSampler, Tally};
use crate::reason::Rejection;
use crate::verify;

use deliver::{Delivered, HandoffError};

/// The allocator: talc instead of std's dlmalloc, 1.7 KB less gzipped (bench/size.md). It
/// grows the wasm memory the same way; in-place realloc is off (0.1 KB more to keep it).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    /// Hand-offs under way in this isolate (see `dedupe::InFlight`).
    static IN_FLIGHT: dedupe::InFlight = dedupe::InFlight::default();
    /// Rejections logged and left out this minute (see `log.rejections`).
    static SAMPLER: RefCell<RejectionSampler> = RefCell::default();
    /// Outcome counts since the isolate started, for the operator's page.
    static TALLY: RefCell<Tally> = RefCell::default();
}

/// Time allowed around an origin call (KV read and write, queue send) before an unreleased
/// in-flight claim is considered abandoned.
const CLAIM_MARGIN_MS: u64 = 5_000;

/// `Retry-After` when the dedupe store cannot be reached.
const STORE_RETRY_AFTER_SECS: &str = "10";

/// What the runtime said when a call failed: an error's `message`, or a thrown string.
fn js_message(e: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string())
}

/// A thrown value as text, as the `worker` crate's errors printed it (log details read as
/// before): `Name: message` (`Name [code]: message` with a code) for an error, the string
/// itself for a thrown string.
fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast as _;
    let field = |k: &str| js_sys::Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string());
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => {
            let name = err.name().as_string().unwrap_or_else(|| "Error".into());
            let message = err.message().as_string().unwrap_or_default();
            match field("code") {
                Some(code) => format!("{name} [{code}]: {message}"),
                None => format!("{name}: {message}"),
            }
        }
        None => e.as_string().unwrap_or_else(|| format!("unrecognized JavaScript value: {}", js_string(e).unwrap_or_default())),
    }
}

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `String(v)`: any other thrown value as text. Not `{:?}`: the Worker is
    /// built with `-Zfmt-debug=none` (scripts/build.sh), where Debug writes nothing.
    #[wasm_bindgen(js_name = String, catch)]
    fn js_string(v: &wasm_bindgen::JsValue) -> Result<String>;

    /// The Worker's bindings, vars and secrets, as the runtime passes them to a handler.
    pub type Env;
}

/// A platform call that failed: what the runtime threw.
type Result<T> = std::result::Result<T, JsValue>;

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// How loudly a line is logged (`wrangler tail` colours and filters by it).
#[derive(Clone, Copy)]
enum Level {
    Info = 0,
    Warn = 1,
    Error = 2,
}

// Each line is handed to `console` from a microtask of its own, on a stack of one frame. An
// attached inspector (wrangler dev's, for its terminal) records the stack of every console
// call, and the wasm's frames under a direct call cost it about 100 µs more a line than a JS
// Worker's (bench/profile.md). The microtask runs before the answer leaves, in line order.
#[wasm_bindgen(inline_js = "export function say(level, text) { queueMicrotask(() => { if (level === 0) console.log(text); else if (level === 1) console.warn(text); else console.error(text); }); }")]
extern "C" {
    fn say(level: u8, text: &str);
}

/// Counts an outcome for the operator's page and the metrics dataset.
fn count(line: &Line<'_>, now: u64) {
    TALLY.with(|t| t.borrow_mut().add(line, now));
    if let Some(point) = crate::log::DataPoint::of(line) {
        metrics::write(&point);
    }
}

/// Logs one line, stamping the time since `started_ms`.
fn emit(mut line: Line<'_>, started_ms: u64, level: Level) {
    let now = now_ms();
    line.latency_ms = now.saturating_sub(started_ms);
    count(&line, now);
    say(level as u8, &line.to_json());
}

/// Writes the line if `logged`; counts it for the operator's page either way.
fn finish(mut line: Line<'_>, started_ms: u64, level: Level, logged: bool) {
    if logged {
        emit(line, started_ms, level);
    } else {
        let now = now_ms();
        line.latency_ms = now.saturating_sub(started_ms);
        count(&line, now);
    }
}

/// The origin's answer as the provider's (`destination.reply = "origin"`): its status,
/// `Content-Type` and body, nothing else of it.
fn relayed(reply: deliver::OriginReply) -> Result<Answer> {
    answer::bytes(reply.status, &reply.body, Some(reply.content_type.as_deref().unwrap_or("application/octet-stream")))
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
fn handshake_reply(reply: &crate::handshake::Reply) -> Result<Answer> {
    let resp = answer::with(answer::bytes(200, reply.body.as_bytes(), reply.content_type)?, "x-content-type-options", "nosniff")?;
    match &reply.header {
        Some((name, value)) => Ok(answer::with(resp, name, value)?),
        None => Ok(resp),
    }
}

/// An answer to an authentic event with the header its provider asks to see echoed, if any
/// (Adobe Sign's client id; the core decided it equals a configured key).
fn echoing(resp: Result<Answer>, echo: Option<&(&'static str, String)>) -> Result<Answer> {
    let resp = resp?;
    match echo {
        Some((name, value)) => Ok(answer::with(resp, name, value)?),
        None => Ok(resp),
    }
}

/// A 405's `Allow`: `GET, POST` on a source that answers a GET handshake (the core says which).
fn allowing(resp: Answer, rejection: Rejection, config: Option<&crate::Config>, probe: &crate::Inbound<'_>) -> Result<Answer> {
    if rejection == Rejection::MethodNotAllowed {
        if let Some(config) = config {
            return answer::with(resp, "allow", verify::allow(config, probe));
        }
    }
    Ok(resp)
}

fn reject(rejection: Rejection, source: Option<&str>, log: &LogSettings, started_ms: u64) -> Result<Answer> {
    let admitted = SAMPLER.with(|s| s.borrow_mut().admit(log, source, rejection.code()));
    let line = Line {
        source,
        outcome: Some(LogOutcome::Rejected),
        reason: Some(rejection.code()),
        status: Some(rejection.status()),
        ..Line::default()
    };
    finish(line, started_ms, Level::Info, admitted);
    let resp = answer::error(rejection.status(), rejection.code())?;
    if rejection == Rejection::MethodNotAllowed {
        return answer::with(resp, "allow", "POST");
    }
    Ok(resp)
}

/// A failure on our side: a 5xx so the provider retries.
fn fail(status: u16, code: &str, detail: &str, source: Option<&str>, event_id: Option<&str>, started_ms: u64) -> Result<Answer> {
    failed(code, Some(status), detail, source, event_id, started_ms, Level::Error);
    answer::error(status, code)
}

/// Logs a failure on our side (with the status answered, if the request's answer is one).
/// The lines below are built in one place each rather than at every call (smaller wasm).
fn failed(code: &str, status: Option<u16>, detail: &str, source: Option<&str>, event_id: Option<&str>, started_ms: u64, level: Level) {
    let line = Line { source, event_id, outcome: Some(LogOutcome::Failed), reason: Some(code), status, detail: Some(detail), ..Line::default() };
    emit(line, started_ms, level);
}

/// Logs an authentic request answered 200 without a hand-off: a handshake, a filtered event.
fn answered(
    outcome: LogOutcome,
    source: Option<&str>,
    key: Option<&str>,
    handshake: Option<&str>,
    event_type: Option<&str>,
    started_ms: u64,
    logged: bool,
) {
    let line = Line { source, outcome: Some(outcome), status: Some(200), key, handshake, event_type, ..Line::default() };
    finish(line, started_ms, Level::Info, logged);
}

/// A future polled through a pointer: its state machine is a function of its own instead of
/// a part of the request pipeline's. The pipeline's one function would otherwise grow past
/// what wasm encodes compactly (more locals, longer indices); this makes the wasm smaller,
/// for one allocation where it is used: on rare branches (admin, WebCrypto), and once per
/// accepted request for the dedupe hand-off.
type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

fn boxed<'a, T>(future: impl std::future::Future<Output = T> + 'a) -> Boxed<'a, T> {
    Box::pin(future)
}

/// The `fetch` handler (worker-build's shim calls it with the request, `env` and `ctx`),
/// on the raw `web_sys::Request`: `worker::Request` would read the request's `cf` object and
/// parse its URL for every request, which hookgate never needs.
#[wasm_bindgen]
pub fn fetch(req: web_sys::Request, env: Env, _ctx: JsValue) -> js_sys::Promise {
    task::promise(answer_fetch(req, env))
}

async fn answer_fetch(req: web_sys::Request, env: Env) -> Result<JsValue> {
    let started_ms = now_ms();
    metrics::bind(&env);
    let answered = match handle(req, &env, started_ms).await {
        Ok(resp) => Ok(resp),
        // A platform error we did not anticipate: still an answer the provider retries.
        Err(e) => fail(500, "internal_error", &js_error_text(&e), None, None, started_ms),
    };
    match answered {
        Ok(resp) => Ok(resp.into()),
        // Not even an answer could be made: the plain 500 the `worker` crate gave then.
        Err(e) => {
            web_sys::console::error_1(&js_error_text(&e).into());
            answer::bytes(500, b"INTERNAL SERVER ERROR", None).map(Into::into)
        }
    }
}

async fn handle(req: web_sys::Request, env: &Env, started_ms: u64) -> Result<Answer> {
    let head = request::Head::read(&req)?;
    let probe = head.inbound(&[]);
    let admin_token = js_sys::Reflect::get(env, &crate::admin::ADMIN_TOKEN_VAR.into()).ok().and_then(|v| v.as_string());
    if crate::health::is_health(&probe) {
        return health(&probe, env, admin_token.as_deref(), started_ms);
    }
    if let Some(request) = crate::admin::route(&probe, admin_token.as_deref()) {
        return boxed(admin::handle(request, env, started_ms)).await;
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
    let body = match request::Body::read(&req, source.max_body_bytes, head.framed_length()).await {
        Ok(Some(body)) => body,
        Ok(None) => return reject(Rejection::BodyTooLarge, name, &log, started_ms),
        Err(_) => return reject(Rejection::BodyUnreadable, name, &log, started_ms),
    };
    let inbound = head.inbound(&body.bytes);
    let now_secs = started_ms / 1000;
    let is_get = verify::is_get(&inbound);
    let shadowed = |verdict| Shadowed { source, env, head: &head, body: &body, now_secs, verdict, log: &log, started_ms };
    if verify::keys_expired(source, now_secs) {
        if let Some(verdict) = crate::shadow::on_refusal(source.mode, is_get, "keys_expired", true) {
            return shadowed(verdict).forward().await;
        }
        let detail = format!("sources.{}.secrets: every key is past its not_after; add a current key (the provider retries meanwhile)", source.name);
        return fail(503, "keys_expired", &detail, name, None, started_ms);
    }
    let verified = match verified(source, &inbound, &body, now_secs).await {
        Ok(Ok(v)) => v,
        Ok(Err(r)) => match crate::shadow::on_rejection(source.mode, is_get, r) {
            Some(verdict) => return shadowed(verdict).forward().await,
            None => return reject(r, name, &log, started_ms),
        },
        Err(CryptoFailure(code, detail)) => {
            let resp = fail(503, code, &detail, name, None, started_ms)?;
            return answer::with(resp, "retry-after", CRYPTO_RETRY_AFTER_SECS);
        }
    };
    let key_label = verified.key_label.as_deref();
    if let Some(url) = &verified.confirm_url {
        // A verified SNS SubscriptionConfirmation with `subscription_confirmation = "at_edge"`:
        // confirmed here, never handed on or remembered.
        return match certs::confirm(url).await {
            Ok(_) => {
                answered(LogOutcome::Answered, name, None, Some("sns_subscription_confirmation"), None, started_ms, log.events());
                answer::status(200, "confirmed")
            }
            Err(e) => {
                let detail = format!("sources.{}: confirming the SNS subscription failed ({e}); SNS sends the confirmation again", source.name);
                let resp = fail(503, "subscription_unconfirmed", &detail, name, verified.event_id.as_deref(), started_ms)?;
                answer::with(resp, "retry-after", CRYPTO_RETRY_AFTER_SECS)
            }
        };
    }
    if let Some(reply) = &verified.handshake {
        let kind = source.scheme.handshake().map(crate::handshake::Handshake::name);
        answered(LogOutcome::Answered, name, key_label, kind, None, started_ms, log.events());
        return handshake_reply(reply);
    }
    // Read only now, on an authentic request: a forged one was refused above, whatever its type.
    if let Some(filtered) = crate::filter::screen(source, &inbound) {
        let shown = filtered.event_type.as_deref().map(crate::filter::loggable);
        answered(LogOutcome::Filtered, name, key_label, None, shown.as_deref(), started_ms, log.events());
        return echoing(answer::status(200, "filtered"), verified.echo_header.as_deref());
    }
    // Counted after verification, so forged requests never spend the source's budget.
    if let Some(limit) = &source.rate_limit {
        match limit.verdict(rate_limit::count(env, limit, &source.name).await) {
            crate::limit::Verdict::Pass => {}
            crate::limit::Verdict::Limited { retry_after_secs } => {
                let resp = reject(Rejection::RateLimited, name, &log, started_ms)?;
                return answer::with(resp, "retry-after", &retry_after_secs.to_string());
            }
            crate::limit::Verdict::PassUnchecked => {
                let detail = format!("sources.{}.rate_limit.binding: the Rate Limiting binding `{}` is missing or failed; the request was not counted", source.name, limit.binding);
                failed("rate_limiter_unavailable", None, &detail, name, None, started_ms, Level::Warn);
            }
        }
    }

    if let Some(fault) = verified.id_fault {
        if let Some(verdict) = crate::shadow::on_refusal(source.mode, is_get, fault.code(), true) {
            return shadowed(verdict).forward().await;
        }
        let detail = format!(
            "sources.{}.scheme.event_id: this authentic event has no id where the configuration says ({fault}); fix the setting (the provider retries meanwhile)",
            source.name
        );
        return fail(503, fault.code(), &detail, name, None, started_ms);
    }
    let event_id = dedupe::event_id(verified.event_id.as_deref(), &body.bytes);
    let key = dedupe::key(&source.name, &event_id, verified.signed_digest.as_deref());
    let handoff = deliver::Handoff { source, env, head: &head, body: &body, event_id: &event_id, key_label, now_secs, verdict: crate::shadow::on_accept(source.mode) };
    let in_flight = IN_FLIGHT.with(Clone::clone);
    let window = dedupe::ClaimWindow { now_ms: now_ms(), hold_ms: source.destination.timeout_ms + CLAIM_MARGIN_MS };
    let window_secs = source.dedupe.window_secs;
    // Each hand-off boxed: its state machine out of the pipeline's (smaller wasm). Off and
    // KV share one `hand_on_once` (one copy of it, not one per mode).
    let outcome = if source.dedupe.mode == DedupeMode::Strict {
        let Some(store) = strict_dedupe::StrictDedupe::bind(env, &config.dedupe_object, &source.name, source.dedupe.shards) else {
            let detail = format!("Durable Object binding `{}` is missing (dedupe.mode = strict)", config.dedupe_object);
            return fail(503, "config_invalid", &detail, name, Some(&event_id), started_ms);
        };
        boxed(dedupe::hand_on_exactly_once(&store, &in_flight, window, &key, window_secs, || handoff.run())).await
    } else {
        let store = match source.dedupe.mode {
            DedupeMode::Kv => match kv::Kv::bind(env, &config.kv_binding) {
                Some(kv) => Some(kv_dedupe::KvDedupe(kv)),
                None => {
                    let detail = format!("KV binding `{}` is missing (dedupe.mode = kv)", config.kv_binding);
                    return fail(503, "config_invalid", &detail, name, Some(&event_id), started_ms);
                }
            },
            _ => None,
        };
        boxed(dedupe::hand_on_once(store.as_ref(), &in_flight, window, &key, window_secs, || handoff.run())).await
    };
    if matches!(outcome, Outcome::HandedOn { .. }) && source.archive.is_some() {
        // Handed on: archived for replays. A failure changes nothing for the provider.
        if let Err(detail) = archive::store(env, source, &event_id, key_label, started_ms, &head.headers, &body.bytes).await {
            failed("archive_failed", None, &detail, name, Some(&event_id), started_ms, Level::Error);
        }
    }
    echoing(respond(outcome, source, &event_id, key_label, &log, started_ms), verified.echo_header.as_deref())
}

/// A request a shadow source would refuse: forwarded as received with its verdict, never
/// looked up or remembered in the dedupe store (its id is not proven), answered as accepted
/// once the origin took it (see `crate::shadow`).
struct Shadowed<'a> {
    source: &'a Source,
    env: &'a Env,
    head: &'a request::Head,
    body: &'a request::Body,
    now_secs: u64,
    verdict: crate::shadow::Verdict,
    log: &'a LogSettings,
    started_ms: u64,
}

impl Shadowed<'_> {
    async fn forward(self) -> Result<Answer> {
        let name = Some(self.source.name.as_str());
        let event_id = dedupe::event_id(None, &self.body.bytes);
        let handoff = deliver::Handoff {
            source: self.source,
            env: self.env,
            head: self.head,
            body: self.body,
            event_id: &event_id,
            key_label: None,
            now_secs: self.now_secs,
            verdict: Some(self.verdict),
        };
        match handoff.run().await {
            Ok(delivered) => {
                let reason = match self.verdict {
                    crate::shadow::Verdict::Rejected(code) => code,
                    crate::shadow::Verdict::Accepted => "accepted",
                };
                // Volume a forger chooses: sampled like the rejections it stands for.
                let admitted = SAMPLER.with(|s| s.borrow_mut().admit(self.log, name, reason));
                {
                    let line = Line {
                        source: name,
                        event_id: Some(&event_id),
                        outcome: Some(LogOutcome::ShadowRejected),
                        reason: Some(reason),
                        status: Some(200),
                        target: Some(delivered.target.name()),
                        origin_status: delivered.origin_status,
                        remembered: Some(false),
                        ..Line::default()
                    };
                    finish(line, self.started_ms, Level::Info, admitted);
                }
                answer::status(200, "accepted")
            }
            Err(e) => fail(e.status(), e.code(), &e.detail(), name, Some(&event_id), self.started_ms),
        }
    }
}

/// `GET /healthz`: the core's report, with the bindings looked up in `env`.
/// A poll is not logged (monitors poll often); a refused one is, sampled like rejections.
fn health(probe: &crate::Inbound<'_>, env: &Env, admin_token: Option<&str>, started_ms: u64) -> Result<Answer> {
    let loaded = env_config::load(env);
    let view = match crate::health::view(probe, admin_token) {
        Ok(v) => v,
        Err((status, code)) => {
            let log = loaded.as_ref().as_ref().map_or_else(|_| LogSettings::default(), |c| c.log);
            if SAMPLER.with(|s| s.borrow_mut().admit(&log, None, code)) {
                let line = Line { stage: Some("healthz"), outcome: Some(LogOutcome::Rejected), reason: Some(code), status: Some(status), ..Line::default() };
                emit(line, started_ms, Level::Info);
            }
            let resp = answer::error(status, code)?;
            if status == 405 {
                return answer::with(resp, "allow", "GET");
            }
            return Ok(resp);
        }
    };
    let present = |name: &str| js_sys::Reflect::get(env, &name.into()).is_ok_and(|v| !v.is_undefined() && !v.is_null());
    let (status, body) = crate::health::report(loaded.as_ref().as_ref().map_err(Vec::as_slice), &present, view);
    let resp = answer::json(status, &body.text())?;
    answer::with(resp, "cache-control", "no-store")
}

/// `Retry-After` when a check cannot be made on our side (WebCrypto, an SNS certificate or
/// subscription confirmation that could not be fetched).
const CRYPTO_RETRY_AFTER_SECS: &str = "10";

/// Why a request could not be verified on our side (not a fault of the request): the
/// reason code and the log line's detail.
struct CryptoFailure(&'static str, String);

/// Verifies in wasm, with WebCrypto where the core leaves work to the adapter: every ECDSA
/// and Ed25519 check (the wasm has no curve code), and the MACs of a large body (faster
/// there over the JS buffer, and the body is not copied again). Should WebCrypto fail on
/// MACs, they are computed in wasm after all; should it fail on a signature check, nothing
/// else can decide, so the request gets a 503 and the provider retries.
async fn verified(
    source: &Source,
    inbound: &crate::Inbound<'_>,
    body: &request::Body,
    now_secs: u64,
) -> std::result::Result<std::result::Result<crate::Verified, Rejection>, CryptoFailure> {
    let defer = verify::defer_for(body.bytes.len());
    match verify::verify_deferred(source, inbound, now_secs, defer) {
        verify::Deferred::Done(result) => Ok(result),
        // Boxed: the WebCrypto path's state machine and messages out of the pipeline's.
        verify::Deferred::Needs(calls) => boxed(with_webcrypto(source, inbound, body, now_secs, calls)).await,
    }
}

/// The calls the core left to WebCrypto answered, and the verification finished with them.
async fn with_webcrypto(
    source: &Source,
    inbound: &crate::Inbound<'_>,
    body: &request::Body,
    now_secs: u64,
    calls: Vec<crate::crypto::Call>,
) -> std::result::Result<std::result::Result<crate::Verified, Rejection>, CryptoFailure> {
    let ecdsa = calls.iter().any(|c| matches!(c, crate::crypto::Call::EcdsaP256(_)));
    let signatures = ecdsa || calls.iter().any(|c| matches!(c, crate::crypto::Call::Ed25519(_)));
    let certificates = calls.iter().any(|c| matches!(c, crate::crypto::Call::Rsa(_)));
    // HMAC-SHA512 has no wasm fallback either (see `Algorithm::computed_here`).
    let macs_only_here = calls.iter().any(|c| matches!(c, crate::crypto::Call::Mac(m) if !m.alg.computed_here()));
    match webcrypto::answers(calls, &body.js).await {
        Ok(answers) => Ok(verify::verify_replayed(source, inbound, now_secs, answers)),
        Err(e) if signatures || certificates || macs_only_here => {
            let why: String = js_message(&e).unwrap_or_else(|| "no message".into()).chars().take(120).collect();
            Err(if certificates {
                CryptoFailure("certificate_unavailable", format!("sources.{}: the signing certificate could not be fetched or read ({why})", source.name))
            } else if !signatures {
                CryptoFailure("crypto_unavailable", format!("sources.{}: WebCrypto failed on an HMAC-SHA512 ({why}), which the Worker computes nowhere else", source.name))
            } else {
                CryptoFailure("crypto_unavailable", format!(
                    "sources.{}: WebCrypto failed on an {} check ({why}); a key WebCrypto cannot import is not {}: check the key with `npm run check`",
                    source.name,
                    if ecdsa { "ECDSA" } else { "Ed25519" },
                    if ecdsa { "a P-256 point" } else { "an Ed25519 public key" },
                ))
            })
        }
        Err(_) => Ok(verify::verify(source, inbound, now_secs, &CoreCrypto)),
    }
}

fn respond(
    outcome: Outcome<Delivered, HandoffError>,
    source: &Source,
    event_id: &str,
    key_label: Option<&str>,
    log: &LogSettings,
    started_ms: u64,
) -> Result<Answer> {
    let name = Some(source.name.as_str());
    let routine = |line: Line<'_>| finish(line, started_ms, Level::Info, log.events());
    let line = Line { source: name, event_id: Some(event_id), key: key_label, ..Line::default() };
    match outcome {
        Outcome::HandedOn { value, remembered } => {
            let (status, word) = match value.target {
                deliver::Target::Queue => (202, "queued"),
                deliver::Target::Origin => (200, "accepted"),
            };
            let line = Line {
                outcome: Some(LogOutcome::Accepted),
                status: Some(status),
                target: Some(value.target.name()),
                origin_status: value.origin_status,
                remembered: Some(remembered),
                ..line
            };
            if let Some(reply) = value.reply {
                // `destination.reply = "origin"`: the provider acts on the origin's answer.
                routine(Line { status: Some(reply.status), ..line });
                return relayed(reply);
            }
            routine(line);
            answer::status(status, word)
        }
        Outcome::Duplicate => {
            routine(Line { outcome: Some(LogOutcome::Duplicate), status: Some(200), ..line });
            answer::status(200, "duplicate")
        }
        Outcome::InFlight { retry_after_ms } => {
            routine(Line { outcome: Some(LogOutcome::Duplicate), reason: Some("in_flight"), status: Some(409), ..line });
            // By then the copy under way has been handed on (the retry sees `duplicate`) or
            // has failed (the retry goes through). A strict lease's remaining time is known;
            // a local claim's is at most the origin timeout (it expires later, after
            // timeout + CLAIM_MARGIN_MS, only to recover from a cancelled request).
            let retry_after = retry_after_ms.map_or(source.destination.timeout_ms.div_ceil(1000) + 1, |ms| ms.div_ceil(1000).max(1));
            let resp = answer::error(409, "in_flight")?;
            answer::with(resp, "retry-after", &retry_after.to_string())
        }
        Outcome::Failed(e) => fail(e.status(), e.code(), &e.detail(), name, Some(event_id), started_ms),
        Outcome::StoreUnavailable(e) => {
            // Nothing was handed on; strict mode never guesses.
            let resp = fail(503, "dedupe_unavailable", &e.0, name, Some(event_id), started_ms)?;
            answer::with(resp, "retry-after", STORE_RETRY_AFTER_SECS)
        }
    }
}

/// The `queue` handler (worker-build's shim calls it with the batch, `env` and `ctx`).
#[wasm_bindgen]
pub fn queue(batch: consumer::MessageBatch, env: Env, _ctx: JsValue) -> js_sys::Promise {
    task::promise(async move {
        metrics::bind(&env);
        consumer::consume(&batch, &env).await;
        Ok(JsValue::UNDEFINED)
    })
}
