//! Adyen standard webhooks: the signature is inside each notification item, not in a header.
//!
//! The body is `{"live": …, "notificationItems": [{"NotificationRequestItem": {…}}, …]}`; each
//! item carries `additionalData.hmacSignature`, base64 HMAC-SHA256(the endpoint's HMAC key,
//! hex-decoded, of
//!
//! ```text
//! pspReference:originalReference:merchantAccountCode:merchantReference:amount.value:amount.currency:eventCode:success
//! ```
//!
//! (absent fields empty, numbers as written), as `@adyen/api-library`'s
//! `HmacValidator.validateHMAC` computes it. Every item must verify (any item under any
//! usable key); the first item's key is reported.
//!
//! **Only those fields are signed**: `eventDate`, `reason`, the rest of `additionalData` are
//! not. Dedupe therefore keys on a digest of the items' signed strings, so a captured
//! delivery re-sent with other unsigned fields is a duplicate; the first such request cannot
//! be told from a genuine one (that is Adyen's scheme; the README says so). No timestamp is
//! signed: no window. Event id (for the origin): `pspReference:eventCode:success` of a
//! single-item delivery. Event type: the first item's `eventCode`. Adyen asks for a 2xx
//! answer; endpoints set up to expect the legacy `[accepted]` body need
//! `destination.reply = "origin"`. Webhooks signed in an `HmacSignature` header (platform,
//! management) sign the raw body instead and are not this preset.
//! <https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures>

use crate::json::Value;

use super::common::{mac_match, Encoding, Field, SecretEncoding};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: read from Adyen's own library, whose `HmacValidator`
/// checks every vector.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::Sdk;
/// Items read from one delivery; more is refused (`message_malformed`).
pub const MAX_ITEMS: usize = 64;
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/notificationItems/0/NotificationRequestItem/eventCode";

/// Adyen's scheme.
#[derive(Debug)]
pub struct Adyen {
    event_type: Field,
}

/// A field as JavaScript's `Array.join` writes it: text as is, numbers and booleans as
/// written, absent or `null` empty; `None` for an object or array (never what Adyen signs).
fn text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => Some(String::new()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(Value::Array(_) | Value::Object(_)) => None,
    }
}

/// The string Adyen signs for one `NotificationRequestItem`, or `None` when a signed field
/// is an object or array.
#[must_use]
pub fn signed_string(item: &crate::json::Map) -> Option<String> {
    let amount = item.get("amount");
    let fields = [
        text(item.get("pspReference"))?,
        text(item.get("originalReference"))?,
        text(item.get("merchantAccountCode"))?,
        text(item.get("merchantReference"))?,
        text(amount.and_then(|a| a.get("value")))?,
        text(amount.and_then(|a| a.get("currency")))?,
        text(item.get("eventCode"))?,
        text(item.get("success"))?,
    ];
    Some(fields.join(":"))
}

impl Scheme for Adyen {
    /// Checks, in order: a JSON body (`body_not_json`) with 1 to [`MAX_ITEMS`] notification
    /// items (`message_malformed`), each with an `hmacSignature` (`signature_missing`) of 32
    /// base64 bytes (`signature_malformed`), then each item's MAC (`signature_mismatch`).
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], _tolerance_secs: u64, _now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let body: Value = crate::json::parse(req.body).map_err(|_| Rejection::BodyNotJson)?;
        let items = body.get("notificationItems").and_then(Value::as_array).ok_or(Rejection::MessageMalformed)?;
        if items.is_empty() || items.len() > MAX_ITEMS {
            return Err(Rejection::MessageMalformed);
        }
        let mut signed = Vec::with_capacity(items.len());
        let mut candidates = Vec::with_capacity(items.len());
        for wrapper in items {
            let item = wrapper.get("NotificationRequestItem").and_then(Value::as_object).ok_or(Rejection::MessageMalformed)?;
            let sig = item.get("additionalData").and_then(|a| a.get("hmacSignature")).and_then(Value::as_str).ok_or(Rejection::SignatureMissing)?;
            let sig = Encoding::Base64.decode(sig.trim()).filter(|b| b.len() == Algorithm::HmacSha256.output_len()).ok_or(Rejection::SignatureMalformed)?;
            // A signed field that is an object cannot match: the same answer as a wrong MAC.
            signed.push(signed_string(item).ok_or(Rejection::SignatureMismatch)?);
            candidates.push(sig);
        }
        let mut first = None;
        for (text, sig) in signed.iter().zip(candidates) {
            let key = mac_match(Algorithm::HmacSha256, &[sig], keys, &[text.as_bytes()], crypto).ok_or(Rejection::SignatureMismatch)?;
            first.get_or_insert(key);
        }
        let key = first.ok_or(Rejection::SignatureMismatch)?;
        let pieces: Vec<&[u8]> = signed.iter().map(String::as_bytes).collect();
        let event_id = match (items.first(), items.len()) {
            (Some(w), 1) => w.get("NotificationRequestItem").and_then(Value::as_object).map(|i| {
                let part = |name: &str| text(i.get(name)).unwrap_or_default();
                format!("{}:{}:{}", part("pspReference"), part("eventCode"), part("success"))
            }),
            _ => None,
        };
        Ok(Verified { event_id, key_label: Some(key.label.clone()), signed_digest: Some(crate::crypto::sha256_pieces_hex(&pieces)), ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        0
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Hex
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedContent, signed_timestamp: false }
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme; only `event_type` applies (the rest is Adyen's fixed algorithm).
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Pointer(EVENT_TYPE_POINTER.into()))?;
    Ok(Box::new(Adyen { event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_the_signed_fields_as_the_library_does() {
        let map = |text: &str| crate::json::parse(text.as_bytes()).unwrap().as_object().unwrap().clone();
        let item = map(
            r#"{"pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true","eventDate":"2026-01-01T00:00:00+01:00"}"#,
        );
        assert_eq!(signed_string(&item).unwrap(), "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true");
        let nested = map(r#"{"pspReference":{"x":1}}"#);
        assert_eq!(signed_string(&nested), None);
    }
}
