//! Contentful webhook request verification: `x-contentful-signature: <hex>`, with
//! `x-contentful-timestamp` (unix ms) and `x-contentful-signed-headers` (a comma-separated
//! list of the headers signed).
//!
//! The MAC is hex HMAC-SHA256(the space's 64-character signing secret, the canonical request)
//! as `@contentful/node-apps-toolkit`'s `verifyRequest`/`signRequest` compute it:
//!
//! ```text
//! <METHOD>\n<path>\n<name>:<value>;<name>:<value>…\n<body>
//! ```
//!
//! - path: the request's path and query, normalised as the toolkit does:
//!   `encodeURI(pathname + "?" + querystring.escape(query))` (the query is escaped twice,
//!   `=` becomes `%253D`; only the text up to a second `?` counts).
//! - headers: those named in `x-contentful-signed-headers` that the request has (names
//!   lower-cased, values trimmed), plus `x-contentful-signed-headers` and
//!   `x-contentful-timestamp` always, sorted by name; `x-contentful-signed-headers` signs as
//!   that sorted list, so the timestamp is always inside the MAC.
//! - body: the raw bytes.
//!
//! Contentful sends no delivery id: dedupe keys on a digest of the canonical request less its
//! timestamp. Tolerance: 30 s, the toolkit's default time to live (Contentful signs each
//! attempt when it sends it). Event type: `X-Contentful-Topic`.
//! <https://www.contentful.com/developers/docs/webhooks/request-verification/>

use super::common::{check_window, mac_match, Encoding, Field, SecretEncoding};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, TimeFormat, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: read from Contentful's own toolkit, which signs the
/// vectors and verifies them.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::Sdk;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-contentful-signature";
/// The signing time, unix milliseconds.
pub const TIMESTAMP_HEADER: &str = "x-contentful-timestamp";
/// The names of the signed headers.
pub const SIGNED_HEADERS_HEADER: &str = "x-contentful-signed-headers";
/// The default event type.
pub const TOPIC_HEADER: &str = "x-contentful-topic";
/// Signed header names read from one request; a longer list is refused as malformed.
pub const MAX_SIGNED_HEADERS: usize = 64;

/// Contentful's scheme.
#[derive(Debug)]
pub struct Contentful {
    event_type: Field,
}

/// Percent-encodes every byte `keep` refuses, as JavaScript does (upper-case hex, UTF-8).
fn escape(text: &str, keep: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What `encodeURIComponent` and Node's `querystring.escape` leave alone.
fn component_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b)
}

/// What `encodeURI` leaves alone.
fn uri_safe(b: u8) -> bool {
    component_safe(b) || b";,/?:@&=+$#".contains(&b)
}

/// The toolkit's `getNormalizedEncodedURI` of the request's path and query.
#[must_use]
pub fn canonical_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').and_then(|i| after_scheme.get(i..)).unwrap_or("/");
    let path = path.split('#').next().unwrap_or(path);
    let mut parts = path.split('?');
    let pathname = parts.next().unwrap_or("");
    match parts.next().filter(|s| !s.is_empty()) {
        Some(search) => escape(&format!("{pathname}?{}", escape(search, component_safe)), uri_safe),
        None => escape(pathname, uri_safe),
    }
}

/// The canonical headers (`name:value;…`) and, apart, the same without the timestamp (for
/// the dedupe digest). `None` when the list is too long.
fn canonical_headers(req: &Inbound<'_>, timestamp_ms: i64) -> Option<(String, String)> {
    let listed = req.header(SIGNED_HEADERS_HEADER).unwrap_or("");
    let names: Vec<&str> = listed.split(',').collect();
    if names.len() > MAX_SIGNED_HEADERS {
        return None;
    }
    // As the toolkit: a listed name counts only when it is a header's exact lower-case,
    // trimmed name; the two metadata headers always count.
    let mut picked: Vec<String> = names
        .iter()
        .filter(|n| !n.is_empty() && n.bytes().all(|b| !b.is_ascii_uppercase()) && n.trim() == **n && req.header(n).is_some())
        .map(|n| (*n).to_string())
        .collect();
    for always in [SIGNED_HEADERS_HEADER, TIMESTAMP_HEADER] {
        picked.push(always.to_string());
    }
    picked.sort();
    picked.dedup();
    let list = picked.join(",");
    let mut all = Vec::with_capacity(picked.len());
    let mut without_ts = Vec::with_capacity(picked.len());
    for name in &picked {
        let value = match name.as_str() {
            TIMESTAMP_HEADER => timestamp_ms.to_string(),
            SIGNED_HEADERS_HEADER => list.clone(),
            other => req.header(other).unwrap_or("").trim().to_string(),
        };
        if name != TIMESTAMP_HEADER {
            without_ts.push(format!("{name}:{value}"));
        }
        all.push(format!("{name}:{value}"));
    }
    Some((all.join(";"), without_ts.join(";")))
}

impl Scheme for Contentful {
    /// Checks, in order: the signature (`signature_missing`) of 64 hex digits
    /// (`signature_malformed`), the timestamp (`timestamp_missing`) in milliseconds
    /// (`timestamp_malformed`), a signed-header list of at most [`MAX_SIGNED_HEADERS`]
    /// names (`signature_malformed`), the MAC (`signature_mismatch`), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let signature = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let candidate = Encoding::Hex
            .decode(signature.trim())
            .filter(|b| b.len() == Algorithm::HmacSha256.output_len())
            .ok_or(Rejection::SignatureMalformed)?;
        let stamp = req.header(TIMESTAMP_HEADER).map(str::trim).ok_or(Rejection::TimestampMissing)?;
        let ms: i64 = stamp.parse().map_err(|_| Rejection::TimestampMalformed)?;
        let timestamp = TimeFormat::UnixMs.parse(stamp).ok_or(Rejection::TimestampMalformed)?;
        let (headers, headers_without_ts) = canonical_headers(req, ms).ok_or(Rejection::SignatureMalformed)?;
        let path = canonical_path(req.url);
        let head = format!("{}\n{path}\n{headers}\n", req.method);
        let key = mac_match(Algorithm::HmacSha256, &[candidate], keys, &[head.as_bytes(), req.body], crypto).ok_or(Rejection::SignatureMismatch)?;
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[req.method.as_bytes(), path.as_bytes(), headers_without_ts.as_bytes(), req.body]));
        Ok(Verified { timestamp: Some(timestamp), key_label: Some(key.label.clone()), signed_digest, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        30
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedContent, signed_timestamp: true }
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme; only `event_type` applies (the rest is Contentful's fixed algorithm).
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Header(TOPIC_HEADER.into()))?;
    Ok(Box::new(Contentful { event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_path_as_the_toolkit_does() {
        assert_eq!(canonical_path("https://h.example/hooks/contentful"), "/hooks/contentful");
        assert_eq!(canonical_path("https://h.example/hooks/c?a=b&c=d e"), "/hooks/c?a%253Db%2526c%253Dd%2520e");
        assert_eq!(canonical_path("https://h.example/a%20b/caf\u{e9}?x=1?y=2"), "/a%2520b/caf%C3%A9?x%253D1");
        assert_eq!(canonical_path("https://h.example"), "/");
        assert_eq!(canonical_path("https://h.example/x?"), "/x");
    }

    #[test]
    fn signs_the_listed_headers_and_always_the_timestamp() {
        let headers = vec![
            ("content-type".to_string(), " application/json ".to_string()),
            ("x-contentful-topic".to_string(), "ContentManagement.Entry.publish".to_string()),
            (SIGNED_HEADERS_HEADER.to_string(), "x-contentful-topic,content-type,x-absent,Content-Type".to_string()),
        ];
        let req = Inbound { method: "POST", url: "https://h/x", headers: &headers, body: b"", client_ip: None };
        let (all, without) = canonical_headers(&req, 1_767_225_600_000).unwrap();
        assert_eq!(
            all,
            "content-type:application/json;x-contentful-signed-headers:content-type,x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic;x-contentful-timestamp:1767225600000;x-contentful-topic:ContentManagement.Entry.publish"
        );
        assert!(!without.contains("1767225600000"));
    }
}
