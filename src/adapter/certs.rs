//! Signing certificates (Amazon SNS, PayPal): fetched from the URL the core validated
//! (`cert::CertUrl`, which only a provider's host rule makes, and the only type this takes,
//! so nothing else is ever fetched),
//! with a GET, no redirects, a 5 s timeout and at most `cert::MAX_PEM_BYTES` read; parsed to
//! its public key by the core (`cert::spki_of_pem`); cached per isolate.

use std::cell::RefCell;
use crate::sorted_map::SortedMap;

use wasm_bindgen::JsValue;
use super::task::Settled;

use crate::cert::CertUrl;

/// Certificates kept per isolate (AWS signs with one per region at a time, PayPal with a few).
const MAX_CACHED: usize = 32;
const FETCH_TIMEOUT_MS: u64 = 5_000;

thread_local! {
    static CACHE: RefCell<SortedMap<CertUrl, Vec<u8>>> = const { RefCell::new(SortedMap::new()) };
}

/// Confirms an SNS subscription: a GET of its `SubscribeURL` (only a `SubscribeUrl`, which
/// passed the host rule), no redirects, 5 s; the answer's body is not read.
///
/// # Errors
/// The GET failed or did not answer 2xx: the caller answers 503 so SNS sends it again.
pub async fn confirm(url: &crate::schemes::sns::SubscribeUrl) -> Result<u16, String> {
    let resp = get(url.as_str()).await.map_err(|e| super::js_error_text(&e))?;
    let status = resp.status();
    if let Some(body) = resp.body() {
        let _ = body.cancel();
    }
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err(format!("SubscribeURL answered {status}"))
    }
}

/// A GET of `url` with the global `fetch` (the URL and an init, no Request object): no
/// redirects, aborted after `FETCH_TIMEOUT_MS` by the runtime's own timer.
async fn get(url: &str) -> Result<web_sys::Response, JsValue> {
    use super::deliver::Fetched;
    match super::deliver::fetched(Settled::from(super::deliver::send("GET", url, None, &JsValue::UNDEFINED, FETCH_TIMEOUT_MS as f64, true)).await) {
        Fetched::Answered(resp) => Ok(resp),
        Fetched::TimedOut => Err(JsValue::from_str(&format!("no answer within {FETCH_TIMEOUT_MS} ms"))),
        Fetched::Status(status) => Err(JsValue::from_str(&format!("answered {status}"))),
        Fetched::Failed(e) => Err(e),
    }
}

/// The public key (SubjectPublicKeyInfo DER) of the certificate at `url`.
///
/// # Errors
/// The fetch failed, did not answer 200, was too large, or is not an RSA certificate: the
/// caller answers 503 so the provider retries (none of it is the request's fault).
pub async fn spki(url: &CertUrl) -> Result<Vec<u8>, JsValue> {
    if let Some(spki) = CACHE.with(|c| c.borrow().get(url).cloned()) {
        return Ok(spki);
    }
    let resp = get(url.as_str()).await.map_err(|e| JsValue::from_str(&super::js_error_text(&e)))?;
    if resp.status() != 200 {
        return Err(JsValue::from_str(&format!("certificate fetch answered {}", resp.status())));
    }
    let declared = resp.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > crate::cert::MAX_PEM_BYTES) {
        return Err(JsValue::from_str("certificate too large"));
    }
    let read = resp.array_buffer().map_err(|e| JsValue::from_str(&super::js_error_text(&e)))?;
    let buffer = Settled::from(read).await.map_err(|e| JsValue::from_str(&super::js_error_text(&e)))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let spki = crate::cert::spki_of_pem(&bytes).ok_or_else(|| JsValue::from_str("not a PEM RSA certificate"))?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CACHED {
            *c = SortedMap::new();
        }
        c.insert(url.clone(), spki.clone());
    });
    Ok(spki)
}
