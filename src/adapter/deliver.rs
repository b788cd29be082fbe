//! Hand-off: POST to the origin with a timeout and no redirects, or send to a Queue.

use std::time::Duration;

use futures_util::future::{select, Either};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use worker::{
    AbortController, Delay, Env, Fetch, Headers, Method, QueueContentType, RawMessageBuilder, Request, RequestInit,
    RequestRedirect,
};

use crate::config::{On4xx, Source};
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
}

impl HandoffError {
    pub fn status(&self) -> u16 {
        match self {
            Self::OriginStatus(_) | Self::OriginUnreachable(_) => 502,
            Self::OriginTimeout(_) => 504,
            Self::QueueSend(_) | Self::Binding(_) => 503,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::OriginStatus(_) => "origin_error",
            Self::OriginUnreachable(_) => "origin_unreachable",
            Self::OriginTimeout(_) => "origin_timeout",
            Self::QueueSend(_) => "queue_unavailable",
            Self::Binding(_) => "config_invalid",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Self::OriginStatus(s) => format!("origin answered {s}"),
            Self::OriginUnreachable(e) => format!("origin unreachable: {e}"),
            Self::OriginTimeout(ms) => format!("origin gave no answer within {ms} ms"),
            Self::QueueSend(e) => format!("queue send failed: {e}"),
            Self::Binding(b) => format!("binding `{b}` is missing"),
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
}

impl Handoff<'_> {
    pub async fn run(&self) -> std::result::Result<Delivered, HandoffError> {
        let dest = &self.source.destination;
        if let Some(queue) = &dest.queue {
            self.enqueue(queue).await?;
            return Ok(Delivered { target: Target::Queue, origin_status: None });
        }
        let Some(origin) = &dest.origin else {
            return Err(HandoffError::Binding("destination".into()));
        };
        let headers = forward::headers(self.source, &self.head.headers, &self.body.bytes, self.event_id, self.key_label, self.now_secs);
        let status = post(origin, &headers, self.body.js.clone().into(), dest.timeout_ms, dest.on_origin_4xx).await?;
        Ok(Delivered { target: Target::Origin, origin_status: Some(status) })
    }

    async fn enqueue(&self, binding: &str) -> std::result::Result<(), HandoffError> {
        let queue = self.env.queue(binding).map_err(|_| HandoffError::Binding(binding.to_string()))?;
        let message = envelope(self).map_err(|e| HandoffError::QueueSend(format!("{e:?}")))?;
        let send = RawMessageBuilder::new(message).build_with_content_type(QueueContentType::V8);
        queue.send_raw(send).await.map_err(|e| HandoffError::QueueSend(e.to_string()))
    }
}

/// The queue message: a structured-clone object, so the body's bytes stay exact.
fn envelope(h: &Handoff<'_>) -> std::result::Result<JsValue, JsValue> {
    let obj = Object::new();
    let pass: Vec<(String, String)> = h
        .head
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-type") || h.source.destination.pass_headers.iter().any(|p| p.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    let headers = js_sys::Array::new();
    for (n, v) in pass {
        headers.push(&js_sys::Array::of2(&n.into(), &v.into()));
    }
    Reflect::set(&obj, &"v".into(), &crate::envelope::VERSION.into())?;
    Reflect::set(&obj, &"source".into(), &h.source.name.as_str().into())?;
    Reflect::set(&obj, &"event_id".into(), &h.event_id.into())?;
    Reflect::set(&obj, &"key".into(), &h.key_label.map_or(JsValue::NULL, JsValue::from))?;
    Reflect::set(&obj, &"received_at".into(), &JsValue::from_f64(h.now_secs as f64))?;
    Reflect::set(&obj, &"headers".into(), &headers)?;
    Reflect::set(&obj, &"body".into(), &Uint8Array::new(&h.body.js))?;
    Ok(obj.into())
}

/// POSTs to the origin; `Ok(status)` only for an accepted answer.
pub async fn post(url: &str, headers: &[(String, String)], body: JsValue, timeout_ms: u64, on_4xx: On4xx) -> std::result::Result<u16, HandoffError> {
    let h = Headers::new();
    for (n, v) in headers {
        h.append(n, v).map_err(|e| HandoffError::OriginUnreachable(format!("header {n}: {e}")))?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(h).with_redirect(RequestRedirect::Manual).with_body(Some(body));
    let req = Request::new_with_init(url, &init).map_err(|e| HandoffError::OriginUnreachable(e.to_string()))?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let call = Fetch::Request(req);
    let fetch = Box::pin(call.send_with_signal(&signal));
    let timer = Box::pin(Delay::from(Duration::from_millis(timeout_ms)));
    let raced = select(fetch, timer).await;
    // Bound to a local so the borrowed futures are dropped before `call` and `signal`.
    #[allow(clippy::let_and_return)]
    let answer = match raced {
        Either::Left((Ok(resp), _)) => {
            let status = resp.status_code();
            match status {
                200..=299 => Ok(status),
                400..=499 if on_4xx == On4xx::Accept => Ok(status),
                _ => Err(HandoffError::OriginStatus(status)),
            }
        }
        Either::Left((Err(e), _)) => Err(HandoffError::OriginUnreachable(e.to_string())),
        Either::Right(((), _)) => {
            controller.abort();
            Err(HandoffError::OriginTimeout(timeout_ms))
        }
    };
    answer
}
