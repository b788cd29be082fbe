//! The operator endpoints of `crate::admin` on KV and the origin: list parked dead letters,
//! replay one through the consumer's delivery path and unpark it on success.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast as _;

use super::answer::{self, Answer};
use super::{Env, Result};

use crate::admin::{AdminError, AdminRequest, Asset};
use crate::config::Config;
use crate::envelope::{self, QueuedEvent};
use crate::log::{Line, Outcome};

use super::consumer::{self, Done};
use super::kv::Kv;
use super::{emit, env_config, Level};

/// Longest page of a listing.
const PAGE: u32 = 100;

pub async fn handle(request: std::result::Result<AdminRequest, AdminError>, env: &Env, started_ms: u64) -> Result<Answer> {
    let request = match request {
        Ok(r) => r,
        Err(e) => return refusal(e.status(), e.code(), Outcome::Rejected, None, None, started_ms),
    };
    // The page's files hold no data: served even when the configuration is broken, so the
    // page can say so.
    if let AdminRequest::Page(asset) = request {
        return page(asset, env, started_ms).await;
    }
    let loaded = env_config::load(env);
    let config = match loaded.as_ref() {
        Ok(c) => c,
        // Behind the token: the problems (field paths, never values) tell the operator what to fix.
        Err(problems) => return answer(503, &crate::json::json!({ "error": "config_invalid", "problems": problems }), Outcome::Failed, None, None, started_ms),
    };
    match request {
        AdminRequest::List { source, cursor } => list(config, env, source.as_deref(), cursor, started_ms).await,
        AdminRequest::Replay { source, event_id } => replay(config, env, &source, &event_id, started_ms).await,
        AdminRequest::ArchiveList { source, from_ms, to_ms, cursor } => {
            let Some(archive) = config.sources.get(&source).and_then(|s| s.archive.as_ref()) else {
                return refusal(404, "no_archive", Outcome::Rejected, Some(&source), None, started_ms);
            };
            match super::archive::list(env, archive, &source, from_ms, to_ms, cursor).await {
                Ok((events, cursor)) => answer(200, &crate::json::json!({ "events": events, "cursor": cursor }), Outcome::Answered, Some(&source), None, started_ms),
                Err(_) => refusal(503, "storage_unavailable", Outcome::Failed, Some(&source), None, started_ms),
            }
        }
        AdminRequest::ArchiveReplay { source, key } => {
            let Some(archive) = config.sources.get(&source).and_then(|s| s.archive.as_ref()) else {
                return refusal(404, "no_archive", Outcome::Rejected, Some(&source), None, started_ms);
            };
            match super::archive::replay(config, env, archive, &source, &key).await {
                Ok(Some(status)) => answer(200, &crate::json::json!({ "status": "accepted", "origin_status": status }), Outcome::Accepted, Some(&source), None, started_ms),
                Ok(None) => refusal(404, "not_archived", Outcome::Rejected, Some(&source), None, started_ms),
                Err((code, _)) => {
                    refusal(delivery_status(code), code, Outcome::Failed, Some(&source), None, started_ms)
                }
            }
        }
        AdminRequest::Stats => {
            // Wasm memory only grows; a figure that keeps rising under steady load is a leak.
            let wasm_memory_bytes = core::arch::wasm32::memory_size(0) * 65_536;
            let in_flight = super::IN_FLIGHT.with(crate::dedupe::InFlight::len);
            let mut body = super::TALLY.with(|t| t.borrow().view());
            if let Some(fields) = body.as_object_mut() {
                fields.insert("wasm_memory_bytes".into(), (&wasm_memory_bytes).into());
                fields.insert("in_flight".into(), (&in_flight).into());
            }
            answer(200, &body, Outcome::Answered, None, None, started_ms)
        }
        AdminRequest::Sources => answer(200, &crate::admin::sources_view(config, started_ms / 1000), Outcome::Answered, None, None, started_ms),
        AdminRequest::Page(asset) => page(asset, env, started_ms).await,
    }
}

// A file of the page from the `ASSETS` binding, locked down: its own script and style
// only, no framing, no referrer, never cached. A string when it cannot be served (why).
#[wasm_bindgen(inline_js = r#"export async function page_file(env, path, type) {
  const assets = env.ASSETS;
  if (!assets || typeof assets.fetch !== 'function') return 'no ASSETS binding: wrangler.toml needs the [assets] section the README gives (directory = "src/adapter/page", binding = "ASSETS")';
  let file;
  try { file = await assets.fetch('https://assets.invalid' + path); } catch (e) { return `ASSETS could not fetch ${path}: ${e && e.message}`; }
  if (!file.ok) return `ASSETS has no ${path} (status ${file.status}): [assets] directory must be src/adapter/page, with html_handling = "none"`;
  return new Response(file.body, { headers: {
    'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  } });
}"#)]
extern "C" {
    fn page_file(env: &Env, path: &str, content_type: &str) -> js_sys::Promise;
}

/// A file of the operator's page. Kept in the Worker's static assets, not in the wasm (4 KB
/// less to upload); a missing binding is the deployment's fault: 503 `config_invalid`.
async fn page(asset: Asset, env: &Env, started_ms: u64) -> Result<Answer> {
    let (path, content_type) = asset.file();
    let served = super::task::Settled::from(page_file(env, path, content_type)).await?;
    match served.dyn_into::<web_sys::Response>() {
        Ok(resp) => Ok(resp),
        Err(why) => {
            let detail = why.as_string().unwrap_or_default();
            let line = Line { stage: Some("admin"), outcome: Some(Outcome::Failed), reason: Some("config_invalid"), status: Some(503), detail: Some(&detail), ..Line::default() };
            emit(line, started_ms, Level::Error);
            answer::error(503, "config_invalid")
        }
    }
}

/// A replay's failure as a status: the same as a live delivery's (README, status codes).
fn delivery_status(code: &str) -> u16 {
    match code {
        "origin_timeout" => 504,
        "origin_error" | "origin_unreachable" => 502,
        _ => 503,
    }
}

/// `{"error":"<code>"}`, the body of most answers here, written as `answer::error` writes
/// it (codes are fixed identifiers, nothing to escape): the same bytes as through a
/// `crate::json::Value`, without building one at each call.
fn refusal(status: u16, code: &str, outcome: Outcome, source: Option<&str>, event_id: Option<&str>, started_ms: u64) -> Result<Answer> {
    log_answer(status, Some(code), outcome, source, event_id, started_ms);
    answer::error(status, code)
}

fn answer(
    status: u16,
    body: &crate::json::Value,
    outcome: Outcome,
    source: Option<&str>,
    event_id: Option<&str>,
    started_ms: u64,
) -> Result<Answer> {
    log_answer(status, body.get("error").and_then(crate::json::Value::as_str), outcome, source, event_id, started_ms);
    answer::json(status, &body.text())
}

fn log_answer(status: u16, reason: Option<&str>, outcome: Outcome, source: Option<&str>, event_id: Option<&str>, started_ms: u64) {
    let line = Line { stage: Some("admin"), source, event_id, outcome: Some(outcome), reason, status: Some(status), ..Line::default() };
    emit(line, started_ms, Level::Info);
}

async fn list(config: &Config, env: &Env, source: Option<&str>, cursor: Option<String>, started_ms: u64) -> Result<Answer> {
    let prefix = source.map_or_else(|| envelope::DEAD_LETTER_PREFIX.to_string(), |s| envelope::dead_letter_key(s, ""));
    let listed = match Kv::bind(env, &config.kv_binding) {
        Some(kv) => kv.list(&prefix, PAGE, cursor).await.ok(),
        None => None,
    };
    let Some(page) = listed else {
        return refusal(503, "dedupe_unavailable", Outcome::Failed, source, None, started_ms);
    };
    let letters: Vec<crate::json::Value> = page
        .names
        .iter()
        .filter_map(|name| {
            let (source, event_id) = envelope::parse_dead_letter_key(name)?;
            Some(crate::json::json!({ "source": source, "event_id": event_id, "key": name }))
        })
        .collect();
    let next = page.cursor;
    answer(200, &crate::json::json!({ "dead_letters": letters, "cursor": next }), Outcome::Answered, source, None, started_ms)
}

async fn replay(config: &Config, env: &Env, source: &str, event_id: &str, started_ms: u64) -> Result<Answer> {
    let (s, id) = (Some(source), Some(event_id));
    let Some(kv) = Kv::bind(env, &config.kv_binding) else {
        return refusal(503, "config_invalid", Outcome::Failed, s, id, started_ms);
    };
    let key = envelope::dead_letter_key(source, event_id);
    let text = match kv.get(&key).await {
        Ok(Some(text)) => text,
        Ok(None) => return refusal(404, "not_parked", Outcome::Rejected, s, id, started_ms),
        Err(_) => return refusal(503, "dedupe_unavailable", Outcome::Failed, s, id, started_ms),
    };
    let Ok(event) = QueuedEvent::from_parked(&text) else {
        return refusal(422, "record_unreadable", Outcome::Failed, s, id, started_ms);
    };
    match consumer::deliver_to_origin(config, env, &event, None).await {
        Ok(Done::Delivered(status)) => {
            // Delivered: unpark. If the delete fails, a second replay delivers it again.
            let unparked = kv.delete(&key).await.is_ok();
            let body = crate::json::json!({ "status": "accepted", "origin_status": status, "unparked": unparked });
            answer(200, &body, Outcome::Accepted, s, id, started_ms)
        }
        Ok(_) => refusal(410, "body_gone", Outcome::Failed, s, id, started_ms),
        Err((code, _)) => {
            refusal(delivery_status(code), code, Outcome::Failed, s, id, started_ms)
        }
    }
}
