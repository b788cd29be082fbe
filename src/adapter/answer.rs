//! hookgate's own answers, built straight as the runtime's `Response`s in one call each (the
//! `worker` crate's builder crosses into JS several times per answer, and converts again on
//! the way out).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::Response;

pub type Answer = Response;

// `body` of `reply_bytes` is a view of wasm memory: copied before the Response keeps it.
#[wasm_bindgen(inline_js = "export function reply(status, body, type) { return new Response(body, type ? { status, headers: { 'content-type': type } } : { status }); }
export function reply_bytes(status, body, type) { return new Response(body.length ? body.slice() : null, type ? { status, headers: { 'content-type': type } } : { status }); }")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn reply(status: u16, body: &str, content_type: Option<&str>) -> Result<Response, JsValue>;
    #[wasm_bindgen(catch)]
    fn reply_bytes(status: u16, body: &[u8], content_type: Option<&str>) -> Result<Response, JsValue>;
}

/// A JSON answer: `body` is one of hookgate's fixed shapes (never request data or secrets).
pub fn json(status: u16, body: &str) -> Result<Answer, JsValue> {
    reply(status, body, Some("application/json"))
}

/// `{"error":"<code>"}`.
pub fn error(status: u16, code: &str) -> Result<Answer, JsValue> {
    json(status, &format!(r#"{{"error":"{code}"}}"#))
}

/// `{"status":"<word>"}`.
pub fn status(status: u16, word: &str) -> Result<Answer, JsValue> {
    json(status, &format!(r#"{{"status":"{word}"}}"#))
}

/// An answer with these bytes (none: no body) and, if given, this content type.
pub fn bytes(status: u16, body: &[u8], content_type: Option<&str>) -> Result<Answer, JsValue> {
    reply_bytes(status, body, content_type)
}

/// Sets a header on an answer built here.
pub fn with(resp: Answer, name: &str, value: &str) -> Result<Answer, JsValue> {
    resp.headers().set(name, value)?;
    Ok(resp)
}
