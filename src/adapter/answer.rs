//! hookgate's own answers, built straight as `web_sys::Response`s: one init, one headers
//! object, one constructor call (the `worker` crate's builder crosses into JS several more
//! times per answer, and converts again on the way out).

use wasm_bindgen::JsValue;
use worker::web_sys::{Headers, Response, ResponseInit};

pub type Answer = Response;

fn init(status: u16, content_type: Option<&str>) -> Result<ResponseInit, JsValue> {
    let headers = Headers::new()?;
    if let Some(t) = content_type {
        headers.set("content-type", t)?;
    }
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(&headers);
    Ok(init)
}

/// A JSON answer: `body` is one of hookgate's fixed shapes (never request data or secrets).
pub fn json(status: u16, body: &str) -> Result<Answer, JsValue> {
    Response::new_with_opt_str_and_init(Some(body), &init(status, Some("application/json"))?)
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
    let init = init(status, content_type)?;
    if body.is_empty() {
        return Response::new_with_opt_str_and_init(None, &init);
    }
    Response::new_with_opt_js_u8_array_and_init(Some(&js_sys::Uint8Array::from(body)), &init)
}

/// Sets a header on an answer built here.
pub fn with(resp: Answer, name: &str, value: &str) -> Result<Answer, JsValue> {
    resp.headers().set(name, value)?;
    Ok(resp)
}
