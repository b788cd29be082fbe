//! Signing certificates (Amazon SNS, PayPal): fetched from the URL the core validated
//! (`cert::CertUrl`, which only a provider's host rule makes, and the only type this takes,
//! so nothing else is ever fetched),
//! with a GET, no redirects, a 5 s timeout and at most `cert::MAX_PEM_BYTES` read; parsed to
//! its public key by the core (`cert::spki_of_pem`); cached per isolate.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::{JsCast, JsValue};
use worker::{Fetch, Method, Request, RequestInit, RequestRedirect};

use crate::cert::CertUrl;

/// Certificates kept per isolate (AWS signs with one per region at a time, PayPal with a few).
const MAX_CACHED: usize = 32;
const FETCH_TIMEOUT_MS: f64 = 5_000.0;

thread_local! {
    static CACHE: RefCell<BTreeMap<CertUrl, Vec<u8>>> = const { RefCell::new(BTreeMap::new()) };
}

/// Confirms an SNS subscription: a GET of its `SubscribeURL` (only a `SubscribeUrl`, which
/// passed the host rule), no redirects, 5 s; the answer's body is not read.
///
/// # Errors
/// The GET failed or did not answer 2xx: the caller answers 503 so SNS sends it again.
pub async fn confirm(url: &crate::schemes::sns::SubscribeUrl) -> Result<u16, String> {
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_redirect(RequestRedirect::Manual);
    let req = Request::new_with_init(url.as_str(), &init).map_err(|e| e.to_string())?;
    let signal = timeout().map_err(|e| format!("{e:?}"))?;
    let resp = Fetch::Request(req).send_with_signal(&signal).await.map_err(|e| e.to_string())?;
    let status = resp.status_code();
    if let Some(body) = worker::web_sys::Response::from(resp).body() {
        let _ = body.cancel();
    }
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err(format!("SubscribeURL answered {status}"))
    }
}

fn timeout() -> Result<worker::AbortSignal, JsValue> {
    let class = js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into())?;
    let timeout: js_sys::Function = js_sys::Reflect::get(&class, &"timeout".into())?.dyn_into()?;
    let signal: worker::web_sys::AbortSignal = timeout.call1(&class, &JsValue::from_f64(FETCH_TIMEOUT_MS))?.dyn_into()?;
    Ok(worker::AbortSignal::from(signal))
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
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_redirect(RequestRedirect::Manual);
    let req = Request::new_with_init(url.as_str(), &init).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let mut resp = Fetch::Request(req).send_with_signal(&timeout()?).await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    if resp.status_code() != 200 {
        return Err(JsValue::from_str(&format!("certificate fetch answered {}", resp.status_code())));
    }
    let declared = resp.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > crate::cert::MAX_PEM_BYTES) {
        return Err(JsValue::from_str("certificate too large"));
    }
    let bytes = resp.bytes().await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    let spki = crate::cert::spki_of_pem(&bytes).ok_or_else(|| JsValue::from_str("not a PEM RSA certificate"))?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CACHED {
            c.clear();
        }
        c.insert(url.clone(), spki.clone());
    });
    Ok(spki)
}
