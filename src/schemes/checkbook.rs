//! Checkbook.io: `signature: nonce=<n>,signature=<hex>`.
//!
//! The MAC is hex HMAC-SHA256(the environment's webhooks key, `<raw body><nonce>`): the body
//! followed directly by the header's `nonce=` value. Checkbook's documentation gives a worked
//! example (in the vectors). The nonce is no timestamp: there is no window, and dedupe keys on
//! a digest of the body (the nonce left out, so a retry with a new nonce is still a
//! duplicate); the body's `id` is the check's, shared by its status updates, so it is not an
//! event id. Event type: body `/type` (`CHECK`, `INVOICE`, `PREFUND_ACCOUNT`).
//! <https://docs.checkbook.io/docs/webhooks>

use super::common::{mac_match, Encoding, Field, SecretEncoding};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: Checkbook's documentation has a worked example.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::DocExample;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "signature";
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/type";

/// Checkbook's scheme.
#[derive(Debug)]
pub struct Checkbook {
    event_type: Field,
}

impl Scheme for Checkbook {
    /// Checks, in order: the header (`signature_missing`), a `signature=` of 64 hex digits
    /// (`signature_malformed`), a `nonce=` (`signature_malformed`: without it nothing can be
    /// checked), then the MAC (`signature_mismatch`).
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], _tolerance_secs: u64, _now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let header = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let mut nonce = None;
        let mut candidates = Vec::new();
        for item in header.split(',') {
            match item.trim().split_once('=') {
                Some(("nonce", v)) => {
                    nonce.get_or_insert(v.trim());
                }
                Some(("signature", v)) => candidates.extend(Encoding::Hex.decode(v.trim()).filter(|b| b.len() == Algorithm::HmacSha256.output_len())),
                _ => {}
            }
        }
        let nonce = nonce.filter(|n| !n.is_empty());
        let (Some(nonce), false) = (nonce, candidates.is_empty()) else {
            return Err(Rejection::SignatureMalformed);
        };
        let key = mac_match(Algorithm::HmacSha256, &candidates, keys, &[req.body, nonce.as_bytes()], crypto).ok_or(Rejection::SignatureMismatch)?;
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[req.body]));
        Ok(Verified { key_label: Some(key.label.clone()), signed_digest, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        0
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedContent, signed_timestamp: false }
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme; only `event_type` applies (the rest is Checkbook's fixed algorithm).
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Pointer(EVENT_TYPE_POINTER.into()))?;
    Ok(Box::new(Checkbook { event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyMaterial, Secret};

    #[test]
    fn verifies_the_documented_example_and_dedupes_without_the_nonce() {
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(b"335b5728e25b47e88995fce207bff380".to_vec())), not_after_secs: None };
        let body = br#"{"status": "PAID", "id": "ed0af5fb335c47dd8eb53199ba50f5c4", "type": "CHECK"}"#;
        let headers = vec![(SIGNATURE_HEADER.to_string(), "nonce=1243549809,signature=4ee9758fc0bceb3ca1a2fe397fbd125364cfffdb04296fa118dab9778a4b3ce3".to_string())];
        let req = Inbound { method: "POST", url: "https://h/hooks/checkbook", headers: &headers, body, client_ip: None };
        let scheme = Checkbook { event_type: Field::Pointer(EVENT_TYPE_POINTER.into()) };
        let v = scheme.verify(&req, &[&key], 0, 0, &crate::crypto::CoreCrypto).unwrap();
        assert_eq!(v.signed_digest.as_deref(), Some(crate::crypto::sha256_pieces_hex(&[body]).as_str()));
        let no_nonce = vec![(SIGNATURE_HEADER.to_string(), "signature=4ee9758fc0bceb3ca1a2fe397fbd125364cfffdb04296fa118dab9778a4b3ce3".to_string())];
        let req = Inbound { headers: &no_nonce, ..req };
        assert_eq!(scheme.verify(&req, &[&key], 0, 0, &crate::crypto::CoreCrypto), Err(Rejection::SignatureMalformed));
    }
}
