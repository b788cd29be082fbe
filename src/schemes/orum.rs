//! Orum: `Signature: <base64>`, RSASSA-PKCS1-v1_5 / SHA-256 by Orum's RSA-2048 key over the
//! raw body followed by the body's `created_at` value as written (no separator), checked with
//! the public key Orum returns from `GET /v1/webhooks/secret` (configured as the source's
//! secret, `secret_encoding` `rsa_public_key`: PEM or base64; several during a rotation).
//!
//! The body is signed whole: dedupe keys on a digest of it (the body's `id` is passed to the
//! origin but is not assumed unique per event). `created_at` (RFC 3339) is when the event was
//! made, not when it was sent, so a retry keeps it: the window is a day by default (Orum
//! documents no retry schedule; raise `tolerance_secs` if its retries run longer), inside
//! the 3-day dedupe window, so a replay is either remembered or too old. Event type: `/event`. The
//! `created_at` and `id` pointers are an assumption (Orum's page names the field, not its
//! place): a body without a top-level `created_at` is refused (`timestamp_missing`).
//! <https://docs.orum.io/api-reference/webhooks/secure-webhooks>

use super::common::{check_window, Body, Encoding, Field, SecretEncoding, TimeFormat};
use super::{event_type_only, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::cert::RsaKey;
use crate::config::ConfigError;
use crate::crypto::{Crypto, RsaHash};
use crate::inbound::Inbound;
use crate::keys::{Key, KeyMaterial};
use crate::reason::Rejection;

/// How far the scheme is confirmed: Orum documents the algorithm in prose; where
/// `created_at` and `id` sit in the body is assumed.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::Assumption;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "signature";
/// Where the signed timestamp is.
pub const CREATED_AT_POINTER: &str = "/created_at";
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/event";
/// Longest signature accepted (4096-bit keys).
pub const MAX_SIGNATURE_BYTES: usize = 512;
/// The default window: a day (a retry keeps its `created_at`).
pub const DEFAULT_TOLERANCE_SECS: u64 = 24 * 3600;

/// Orum's scheme.
#[derive(Debug)]
pub struct Orum {
    event_type: Field,
}

impl Scheme for Orum {
    /// Checks, in order: the signature (`signature_missing`), base64 of at most 512 bytes
    /// (`signature_malformed`), a JSON body (`body_not_json`) with `created_at`
    /// (`timestamp_missing`) in RFC 3339 (`timestamp_malformed`), the RSA signature under any
    /// usable key (`signature_mismatch`), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let signature = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let signature = Encoding::Base64.decode(signature.trim()).filter(|s| !s.is_empty() && s.len() <= MAX_SIGNATURE_BYTES).ok_or(Rejection::SignatureMalformed)?;
        let mut body = Body::new(req.body);
        let created_at = body.pointer(CREATED_AT_POINTER)?.ok_or(Rejection::TimestampMissing)?;
        let timestamp = TimeFormat::Rfc3339.parse(&created_at).ok_or(Rejection::TimestampMalformed)?;
        let key = keys
            .iter()
            .find(|k| match &k.material {
                KeyMaterial::Rsa(spki) => crypto.rsa_verify(&RsaKey::Spki(spki.der().to_vec()), RsaHash::Sha256, &[req.body, created_at.as_bytes()], &signature),
                _ => false,
            })
            .ok_or(Rejection::SignatureMismatch)?;
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        let event_id = body.pointer("/id").ok().flatten().filter(|i| !i.is_empty());
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[req.body]));
        Ok(Verified { event_id, timestamp: Some(timestamp), key_label: Some(key.label.clone()), signed_digest, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        DEFAULT_TOLERANCE_SECS
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::RsaPublicKey
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedContent, signed_timestamp: true }
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme; only `event_type` applies.
///
/// # Errors
/// Another option, or an invalid `event_type`.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let event_type = event_type_only(cfg, path, Field::Pointer(EVENT_TYPE_POINTER.into()))?;
    Ok(Box::new(Orum { event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_one_rsa_check_per_key_over_body_and_created_at() {
        let doc: crate::json::Value = crate::json::parse(include_bytes!("../../tests/vectors/amazon_sns.json")).unwrap();
        let pem = doc["cases"][0]["certificates"].as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string();
        let spki = crate::cert::spki_of_pem(pem.as_bytes()).unwrap();
        let material = KeyMaterial::Rsa(crate::cert::RsaSpki::from_text(&crate::base64::STANDARD.encode(&spki)).unwrap());
        let key = Key { label: "k".into(), material, not_after_secs: None };
        let body = br#"{"id":"e1","event":"transfer_updated","created_at":"2026-01-01T00:00:00.123Z"}"#;
        let headers = vec![(SIGNATURE_HEADER.to_string(), "AAAA".to_string())];
        let req = Inbound { method: "POST", url: "https://h/hooks/orum", headers: &headers, body, client_ip: None };
        let rec = crate::crypto::Recorder::new(body, crate::crypto::Defer::SignaturesOnly);
        let scheme = Orum { event_type: Field::Pointer(EVENT_TYPE_POINTER.into()) };
        assert_eq!(scheme.verify(&req, &[&key, &key], 0, 0, &rec), Err(Rejection::SignatureMismatch));
        let calls = rec.into_calls();
        assert_eq!(calls.len(), 2);
        assert!(matches!(&calls[0], crate::crypto::Call::Rsa(c) if c.key == RsaKey::Spki(spki.clone()) && c.pieces == vec![crate::crypto::Piece::Body, crate::crypto::Piece::Bytes(b"2026-01-01T00:00:00.123Z".to_vec())]));
        let no_ts = br#"{"id":"e1"}"#;
        assert_eq!(scheme.verify(&Inbound { body: no_ts, ..req }, &[&key], 0, 0, &crate::crypto::CoreCrypto), Err(Rejection::TimestampMissing));
    }
}
