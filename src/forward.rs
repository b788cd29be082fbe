//! What is sent to the origin: the raw body unchanged, the original `content-type`, the
//! provider headers the source passes through, hookgate's own headers, and a fresh
//! Standard Webhooks signature by hookgate so the origin can check the request came
//! through hookgate unaltered.

use crate::config::Source;
use crate::crypto::{Algorithm, CoreCrypto, Crypto};
use crate::inbound::Inbound;

/// Names the source on the forwarded request.
pub const SOURCE_HEADER: &str = "x-hookgate-source";
/// The event id used for dedupe (also an idempotency key for the origin).
pub const EVENT_ID_HEADER: &str = "x-hookgate-event-id";
/// Label of the key that verified the request.
pub const KEY_HEADER: &str = "x-hookgate-key";

/// Headers for one hand-off. The body is sent as received and is not part of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardPlan {
    /// Target URL.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
}

/// Headers never copied even when asked: they describe the hop or the client, carry
/// credentials, or are the platform's (`cf-*`, `x-forwarded-*` and `proxy-*` by prefix).
const NEVER_PASS: [&str; 13] = [
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "forwarded",
    "x-real-ip",
    "authorization",
    "cookie",
    "set-cookie",
];
const NEVER_PASS_PREFIXES: [&str; 4] = ["cf-", "x-forwarded-", "proxy-", "x-hookgate-"];
/// hookgate's own Standard Webhooks headers, set when the source has a `signing_secret`.
const SIGNATURE_HEADERS: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];

/// Why `name` (lower-case) cannot be in `pass_headers`, or `None` when it can.
#[must_use]
pub fn refused_pass_header(name: &str, signs: bool) -> Option<&'static str> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
        Some("not a header name")
    } else if name.starts_with("x-hookgate-") {
        Some("hookgate sets its x-hookgate-* headers itself")
    } else if signs && SIGNATURE_HEADERS.contains(&name) {
        Some("hookgate signs what it forwards with its own webhook-* headers (signing_secret); the provider's were checked here")
    } else if NEVER_PASS.contains(&name) || NEVER_PASS_PREFIXES.iter().any(|p| name.starts_with(p)) {
        Some("a hop, client, credential or platform header: never passed on")
    } else {
        None
    }
}

/// The provider headers that travel with an event: the original `content-type`, then the
/// source's `pass_headers` (never the hop headers). The queue keeps these with the event,
/// and [`headers`] sends them to the origin.
#[must_use]
pub fn passed(source: &Source, req_headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let req = Inbound { method: "POST", url: "", headers: req_headers, body: b"", client_ip: None };
    if let Some(ct) = req.header("content-type") {
        out.push(("content-type".to_string(), ct.to_string()));
    }
    for name in &source.destination.pass_headers {
        // The configuration refuses these already; kept here so no path can pass one.
        if name == "content-type" || refused_pass_header(name, source.destination.signing_key.is_some()).is_some() {
            continue;
        }
        if let Some(v) = req.header(name) {
            out.push((name.clone(), v.to_string()));
        }
    }
    out
}

/// Builds the headers for the origin.
#[must_use]
pub fn headers(
    source: &Source,
    req_headers: &[(String, String)],
    body: &[u8],
    event_id: &str,
    key_label: Option<&str>,
    now_secs: u64,
) -> Vec<(String, String)> {
    let mut out = passed(source, req_headers);
    out.push((SOURCE_HEADER.to_string(), source.name.clone()));
    out.push((EVENT_ID_HEADER.to_string(), event_id.to_string()));
    if let Some(label) = key_label {
        out.push((KEY_HEADER.to_string(), label.to_string()));
    }
    if let Some(key) = &source.destination.signing_key {
        let ts = now_secs.to_string();
        let mac = CoreCrypto.hmac(
            Algorithm::HmacSha256,
            key.expose(),
            &[event_id.as_bytes(), b".", ts.as_bytes(), b".", body],
        );
        out.push(("webhook-id".to_string(), event_id.to_string()));
        out.push(("webhook-timestamp".to_string(), ts));
        out.push((
            "webhook-signature".to_string(),
            format!("v1,{}", crate::base64::STANDARD.encode(mac)),
        ));
    }
    out
}
