//! Mailgun: the signature is inside the body, not in a header.
//!
//! - JSON webhooks: `{"signature": {"timestamp": "<unix>", "token": "<50 random chars>",
//!   "signature": "<hex>", "parent-signature": "<hex>"?}, "event-data": {...}}`.
//! - Legacy (form-encoded) webhooks: the form fields `timestamp`, `token`, `signature`.
//!
//! `signature` is hex HMAC-SHA256(the account's HTTP webhook signing key, `<timestamp><token>`),
//! no separator. `parent-signature` (events of a subaccount) is the same MAC under the
//! primary account's key: either may match any configured key.
//!
//! **The body is not signed**: only the timestamp and the token are. So the event id is the
//! token (Mailgun's advice: remember tokens and refuse reused ones), never `event-data.id`,
//! which anyone holding a captured signature block could change. A captured block can still
//! carry another `event-data` once within the tolerance, before its token is remembered; that
//! is the provider's scheme and cannot be closed here (the README says so). Default
//! tolerance 300 s. Event type: `/event-data/event`.
//! <https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks>

use super::common::{check_window, mac_match, Body, Field, SecretEncoding};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: Mailgun documents the algorithm (with code samples) but
/// publishes no signed example.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::DocAlgorithm;
/// Where the JSON body keeps the signature block.
pub const SIGNATURE_POINTER: &str = "/signature";
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/event-data/event";

/// Mailgun's scheme.
#[derive(Debug)]
pub struct Mailgun {
    event_type: Field,
}

/// The signature block's values, as received.
struct Block {
    timestamp: Option<String>,
    token: Option<String>,
    signatures: Vec<String>,
}

fn block(req: &Inbound<'_>) -> Result<Block, Rejection> {
    if req.media_type() == "application/x-www-form-urlencoded" {
        let field = |name: &str| crate::form::first(req.body, name);
        return Ok(Block { timestamp: field("timestamp"), token: field("token"), signatures: field("signature").into_iter().collect() });
    }
    let mut body = Body::new(req.body);
    let at = |body: &mut Body<'_>, name: &str| body.pointer(&format!("{SIGNATURE_POINTER}/{name}"));
    let signatures = [at(&mut body, "signature")?, at(&mut body, "parent-signature")?].into_iter().flatten().collect();
    Ok(Block { timestamp: at(&mut body, "timestamp")?, token: at(&mut body, "token")?, signatures })
}

impl Scheme for Mailgun {
    /// Checks, in order: a JSON (or form) body (`body_not_json`), a signature
    /// (`signature_missing`) of 64 hex digits (`signature_malformed`), the token
    /// (`event_id_missing`), the timestamp (`timestamp_missing`, `timestamp_malformed`), the
    /// MAC (`signature_mismatch`), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let block = block(req)?;
        if block.signatures.is_empty() {
            return Err(Rejection::SignatureMissing);
        }
        let candidates: Vec<Vec<u8>> = block
            .signatures
            .iter()
            .filter_map(|s| crate::hex::decode(s.trim()).ok())
            .filter(|b| b.len() == Algorithm::HmacSha256.output_len())
            .collect();
        if candidates.is_empty() {
            return Err(Rejection::SignatureMalformed);
        }
        let token = block.token.filter(|t| !t.is_empty()).ok_or(Rejection::EventIdMissing)?;
        let stamp = block.timestamp.ok_or(Rejection::TimestampMissing)?;
        let timestamp = super::TimeFormat::Unix.parse(&stamp).ok_or(Rejection::TimestampMalformed)?;
        let key = mac_match(Algorithm::HmacSha256, &candidates, keys, &[stamp.as_bytes(), token.as_bytes()], crypto)
            .ok_or(Rejection::SignatureMismatch)?;
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        Ok(Verified { event_id: Some(token), timestamp: Some(timestamp), key_label: Some(key.label.clone()), ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        300
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedId, signed_timestamp: true }
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme; only `event_type` applies (the rest is Mailgun's fixed algorithm).
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Pointer(EVENT_TYPE_POINTER.into()))?;
    Ok(Box::new(Mailgun { event_type }))
}

/// The hex signature Mailgun sends for `timestamp` and `token` (tests and samples).
#[must_use]
pub fn sign(key: &[u8], timestamp: &str, token: &str) -> String {
    crate::hex::encode(crate::crypto::CoreCrypto.hmac(Algorithm::HmacSha256, key, &[timestamp.as_bytes(), token.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyMaterial, Secret};

    fn key(k: &[u8]) -> Key {
        Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(k.to_vec())), not_after_secs: None }
    }

    fn run(body: &str, content_type: &str) -> Result<Verified, Rejection> {
        let headers = vec![("content-type".to_string(), content_type.to_string())];
        let req = Inbound { method: "POST", url: "https://h/hooks/mailgun", headers: &headers, body: body.as_bytes(), client_ip: None };
        Mailgun { event_type: Field::Pointer(EVENT_TYPE_POINTER.into()) }.verify(&req, &[&key(b"signing-key")], 300, 1000, &crate::crypto::CoreCrypto)
    }

    #[test]
    fn dedupes_on_the_signed_token_not_the_unsigned_event_id() {
        let sig = sign(b"signing-key", "1000", "tok-1");
        let body = |id: &str| format!(r#"{{"signature":{{"timestamp":"1000","token":"tok-1","signature":"{sig}"}},"event-data":{{"id":"{id}"}}}}"#);
        let a = run(&body("e1"), "application/json").unwrap();
        let b = run(&body("e2"), "application/json").unwrap();
        assert_eq!(a.event_id.as_deref(), Some("tok-1"));
        assert_eq!(a.event_id, b.event_id, "a fresh unsigned event-data id is the same delivery");
        assert_eq!(a.signed_digest, None);
    }

    #[test]
    fn reads_legacy_form_webhooks_and_parent_signatures() {
        let sig = sign(b"signing-key", "1000", "tok-2");
        let form = format!("timestamp=1000&token=tok-2&signature={sig}&event=delivered");
        assert_eq!(run(&form, "application/x-www-form-urlencoded").unwrap().event_id.as_deref(), Some("tok-2"));
        let other = sign(b"other-key", "1000", "tok-3");
        let parent = sign(b"signing-key", "1000", "tok-3");
        let body = format!(r#"{{"signature":{{"timestamp":1000,"token":"tok-3","signature":"{other}","parent-signature":"{parent}"}}}}"#);
        assert_eq!(run(&body, "application/json").unwrap().event_id.as_deref(), Some("tok-3"));
        assert_eq!(run("{}", "application/json"), Err(Rejection::SignatureMissing));
        assert_eq!(run("nope", "application/json"), Err(Rejection::BodyNotJson));
    }
}
