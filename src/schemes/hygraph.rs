//! Hygraph (formerly GraphCMS): `gcms-signature: sign=<base64>, env=<environment>, t=<unix ms>`.
//!
//! The MAC is base64 HMAC-SHA256(the webhook's secret key, `JSON.stringify({Body, EnvironmentName,
//! TimeStamp})`): the raw body as a JSON *string*, the `env=` value as a JSON string and `t=`
//! as a number, in that order, without spaces. That is how `@hygraph/utils`
//! (`verifyWebhookSignature` with `rawPayload`, and `generateWebhookSignature`) computes it;
//! `crate::json`'s string escaping (`serde_json`'s) is byte for byte `JSON.stringify`'s for UTF-8 text (`\"`,
//! `\\`, `\b\f\n\r\t`, other control characters as lower-case `\u00xx`, everything else as
//! is). A body that is not UTF-8 cannot be what Hygraph signed: `signature_mismatch`.
//!
//! Hygraph sends no event id, so dedupe keys on a digest of what was signed less its
//! timestamp (body and environment). The timestamp is signed; Hygraph documents no window
//! (its library checks none): 300 s by default. Event type: body `/operation` (an assumption:
//! override it with `event_type`).
//! <https://hygraph.com/docs/api-reference/basics/webhooks>,
//! <https://hygraph.com/blog/introducing-signed-webhooks>

use super::common::{check_window, mac_match, Encoding, Field, SecretEncoding};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, TimeFormat, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: read from Hygraph's own library, which signs the vectors
/// and verifies them.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::Sdk;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "gcms-signature";
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/operation";

/// Hygraph's scheme.
#[derive(Debug)]
pub struct Hygraph {
    event_type: Field,
}

/// The header's items: every `sign=`, the first `env=` and `t=`.
struct Header<'a> {
    signs: Vec<&'a str>,
    env: Option<&'a str>,
    t: Option<&'a str>,
}

fn parse(value: &str) -> Header<'_> {
    let mut h = Header { signs: Vec::new(), env: None, t: None };
    for item in value.split(',') {
        match item.trim().split_once('=') {
            Some(("sign", v)) => h.signs.push(v),
            Some(("env", v)) => {
                h.env.get_or_insert(v);
            }
            Some(("t", v)) => {
                h.t.get_or_insert(v);
            }
            _ => {}
        }
    }
    h
}

/// What Hygraph signs, or `None` for a body that is not UTF-8.
#[must_use]
pub fn signed_message(body: &[u8], env: &str, timestamp_ms: i64) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    let quote = crate::json::quote;
    Some(format!("{{\"Body\":{},\"EnvironmentName\":{},\"TimeStamp\":{timestamp_ms}}}", quote(body), quote(env)))
}

impl Scheme for Hygraph {
    /// Checks, in order: the header (`signature_missing`), a base64 `sign=` of 32 bytes
    /// (`signature_malformed`), `t=` (`timestamp_missing`) in milliseconds
    /// (`timestamp_malformed`), the MAC (`signature_mismatch`; a missing `env=` signs as
    /// empty, and fails), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let header = parse(req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?);
        let candidates: Vec<Vec<u8>> = header
            .signs
            .iter()
            .filter_map(|s| Encoding::Base64.decode(s.trim()))
            .filter(|b| b.len() == Algorithm::HmacSha256.output_len())
            .collect();
        if candidates.is_empty() {
            return Err(Rejection::SignatureMalformed);
        }
        let t = header.t.map(str::trim).ok_or(Rejection::TimestampMissing)?;
        let ms: i64 = t.parse().map_err(|_| Rejection::TimestampMalformed)?;
        let timestamp = TimeFormat::UnixMs.parse(t).ok_or(Rejection::TimestampMalformed)?;
        let env = header.env.unwrap_or("");
        let message = signed_message(req.body, env, ms).ok_or(Rejection::SignatureMismatch)?;
        let key = mac_match(Algorithm::HmacSha256, &candidates, keys, &[message.as_bytes()], crypto).ok_or(Rejection::SignatureMismatch)?;
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[req.body, env.as_bytes()]));
        Ok(Verified { timestamp: Some(timestamp), key_label: Some(key.label.clone()), signed_digest, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        300
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

/// Builds the scheme; only `event_type` applies (the rest is Hygraph's fixed algorithm).
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Pointer(EVENT_TYPE_POINTER.into()))?;
    Ok(Box::new(Hygraph { event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_body_as_json_stringify_does() {
        let body = "{\"a\":\"x & <y>\",\n\t\"b\":\"caf\u{e9} \\\\ \u{1}\u{7f}\u{2028}\"}";
        assert_eq!(
            signed_message(body.as_bytes(), "master", 1_631_270_481_036).unwrap(),
            "{\"Body\":\"{\\\"a\\\":\\\"x & <y>\\\",\\n\\t\\\"b\\\":\\\"caf\u{e9} \\\\\\\\ \\u0001\u{7f}\u{2028}\\\"}\",\"EnvironmentName\":\"master\",\"TimeStamp\":1631270481036}"
        );
        assert_eq!(signed_message(&[0xff, 0xfe], "master", 1), None);
    }

    #[test]
    fn reads_every_sign_item_and_the_first_env_and_t() {
        let h = parse("sign=abc=, env=master, t=123, sign=def");
        assert_eq!(h.signs, vec!["abc=", "def"]);
        assert_eq!((h.env, h.t), (Some("master"), Some("123")));
    }
}
