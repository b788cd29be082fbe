//! PayPal (REST webhooks): `PAYPAL-TRANSMISSION-SIG: <base64>`, an RSA signature
//! (`PAYPAL-AUTH-ALGO: SHA256withRSA`, RSASSA-PKCS1-v1_5) by the key of the certificate at
//! `PAYPAL-CERT-URL`, over
//!
//! ```text
//! <PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<CRC-32 of the raw body, unsigned decimal>
//! ```
//!
//! - The webhook id is the source's `webhook_id` (the Developer Portal shows it); no secrets.
//! - The certificate is fetched only from `https://api[-m][.sandbox].paypal.com/v1/notifications/certs/<name>`
//!   ([`crate::cert::CertHost::PayPal`], the SSRF rule), by the Worker, cached per isolate; a
//!   source may pin certificates by URL (`certificates`) instead.
//! - **CRC-32 is no cryptographic hash**: whoever holds one genuine delivery can write
//!   another body with the same CRC under its signature. So dedupe keys on a digest of the
//!   transmission (id, webhook id, CRC), never on the body's `id`: such a body is a duplicate
//!   of the genuine delivery, which came first (the README says what is left).
//! - Timestamp: `PAYPAL-TRANSMISSION-TIME` (RFC 3339, signed). PayPal retries for 3 days and
//!   does not document whether a retry is signed anew: the default window is an hour (as for
//!   SNS); `tolerance_secs = 0` turns it off.
//! - Event id (for the origin): the body's `id` (`WH-…`). Event type: `/event_type`.
//!
//! <https://developer.paypal.com/api/rest/webhooks/rest/>

use super::common::{check_window, Body, Field, SecretEncoding, TimeFormat, BASE64};
use super::{reject_recipe_options, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::cert::{CertHost, CertUrl, RsaKey};
use crate::config::ConfigError;
use crate::crypto::{Crypto, RsaHash};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: PayPal documents the algorithm (and its own Node
/// sample); no signed delivery is public, so the vectors use a self-made certificate.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::DocAlgorithm;
/// The signature.
pub const SIGNATURE_HEADER: &str = "paypal-transmission-sig";
/// The transmission's id (signed).
pub const TRANSMISSION_ID_HEADER: &str = "paypal-transmission-id";
/// The transmission's time, RFC 3339 (signed).
pub const TRANSMISSION_TIME_HEADER: &str = "paypal-transmission-time";
/// Where the signing certificate is.
pub const CERT_URL_HEADER: &str = "paypal-cert-url";
/// The signature algorithm; only `SHA256withRSA` is accepted.
pub const AUTH_ALGO_HEADER: &str = "paypal-auth-algo";
/// Longest signature accepted (4096-bit keys).
pub const MAX_SIGNATURE_BYTES: usize = 512;
/// The default event type.
pub const EVENT_TYPE_POINTER: &str = "/event_type";

/// PayPal's scheme.
#[derive(Debug)]
pub struct PayPal {
    webhook_id: String,
    pinned: crate::sorted_map::SortedMap<CertUrl, Vec<u8>>,
    event_type: Field,
}

impl Scheme for PayPal {
    /// Checks, in order: the signature (`signature_missing`), base64 of at most 512 bytes
    /// under `SHA256withRSA` (`signature_malformed`), the certificate URL under the rule
    /// (`certificate_url_refused`), a transmission id (`message_malformed`), the time
    /// (`timestamp_missing`, `timestamp_malformed`), the RSA signature
    /// (`signature_mismatch`), then the tolerance.
    fn verify(&self, req: &Inbound<'_>, _keys: &[&Key], tolerance_secs: u64, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let signature = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let signature = BASE64.decode(signature.trim()).map_err(|_| Rejection::SignatureMalformed)?;
        let algo_ok = req.header(AUTH_ALGO_HEADER).is_some_and(|a| a.trim().eq_ignore_ascii_case("SHA256withRSA"));
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_BYTES || !algo_ok {
            return Err(Rejection::SignatureMalformed);
        }
        let cert = req.header(CERT_URL_HEADER).and_then(|u| CertUrl::parse(u.trim(), CertHost::PayPal)).ok_or(Rejection::CertificateUrlRefused)?;
        let id = req.header(TRANSMISSION_ID_HEADER).map(str::trim).filter(|t| !t.is_empty()).ok_or(Rejection::MessageMalformed)?;
        let time = req.header(TRANSMISSION_TIME_HEADER).map(str::trim).ok_or(Rejection::TimestampMissing)?;
        let timestamp = TimeFormat::Rfc3339.parse(time).ok_or(Rejection::TimestampMalformed)?;
        let crc = crate::crypto::crc32(req.body).to_string();
        let message = format!("{id}|{time}|{}|{crc}", self.webhook_id);
        let key = match self.pinned.get(&cert) {
            Some(spki) => RsaKey::Spki(spki.clone()),
            None => RsaKey::Fetch(cert),
        };
        if !crypto.rsa_verify(&key, RsaHash::Sha256, &[message.as_bytes()], &signature) {
            return Err(Rejection::SignatureMismatch);
        }
        // Authentic from here on.
        check_window(timestamp, now_secs, tolerance_secs)?;
        let event_id = Body::new(req.body).pointer("/id").ok().flatten().filter(|i| !i.is_empty());
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[id.as_bytes(), self.webhook_id.as_bytes(), crc.as_bytes()]));
        Ok(Verified { event_id, timestamp: Some(timestamp), signed_digest, ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        3600
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> Replay {
        Replay { coverage: Coverage::SignedContent, signed_timestamp: true }
    }

    fn needs_keys(&self) -> bool {
        false
    }

    fn event_type(&self) -> Option<&Field> {
        Some(&self.event_type)
    }
}

/// Builds the scheme from `webhook_id` (required), `certificates` and `event_type`.
///
/// # Errors
/// No or an odd `webhook_id`, a pinned certificate outside the URL rule or unreadable, or
/// another option.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    reject_recipe_options(cfg, path, &["webhook_id", "certificates", "event_type"])?;
    let field = format!("{path}.webhook_id");
    let webhook_id = cfg.webhook_id.clone().ok_or_else(|| ConfigError::invalid(&field, "required: the webhook's id, as PayPal's Developer Portal shows it"))?;
    // PayPal's ids are letters and digits (its API says so); anything else is a typo.
    if webhook_id.is_empty() || webhook_id.len() > 64 || !webhook_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(ConfigError::invalid(&field, "a PayPal webhook id is letters and digits"));
    }
    let mut pinned = crate::sorted_map::SortedMap::new();
    for (url, pem) in cfg.certificates.iter().flatten() {
        let shown: String = url.chars().take(200).collect();
        let field = format!("{path}.certificates[\"{shown}\"]");
        let url = CertUrl::parse(url, CertHost::PayPal)
            .ok_or_else(|| ConfigError::invalid(&field, "the URL must be an https://api[-m][.sandbox].paypal.com/v1/notifications/certs/… URL, as PAYPAL-CERT-URL gives it"))?;
        let spki = crate::cert::spki_of_pem(pem.as_bytes()).ok_or_else(|| ConfigError::invalid(&field, "not a PEM X.509 certificate with an RSA key"))?;
        pinned.insert(url, spki);
    }
    let event_type = match &cfg.event_type {
        Some(t) => t.event_type(&format!("{path}.event_type"))?,
        None => Field::Pointer(EVENT_TYPE_POINTER.into()),
    };
    Ok(Box::new(PayPal { webhook_id, pinned, event_type }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_one_rsa_check_over_the_documented_string_and_fetches_only_paypal() {
        let cfg: SchemeConfig = crate::json_read::read(r#"{"type":"paypal","webhook_id":"9XL90610J3647323C"}"#).unwrap();
        let scheme = build(&cfg, "s").unwrap();
        let url = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
        let headers = |cert: &str| {
            vec![
                (SIGNATURE_HEADER.to_string(), crate::base64::STANDARD.encode([7u8; 256])),
                (AUTH_ALGO_HEADER.to_string(), "SHA256withRSA".to_string()),
                (CERT_URL_HEADER.to_string(), cert.to_string()),
                (TRANSMISSION_ID_HEADER.to_string(), "d938e770-8046-11e6-8103-6b62a8a99ac4".to_string()),
                (TRANSMISSION_TIME_HEADER.to_string(), "2016-09-21T22:00:46Z".to_string()),
            ]
        };
        let h = headers(url);
        let req = Inbound { method: "POST", url: "https://h/hooks/paypal", headers: &h, body: b"123456789", client_ip: None };
        let rec = crate::crypto::Recorder::new(req.body, crate::crypto::Defer::SignaturesOnly);
        assert_eq!(scheme.verify(&req, &[], 0, 0, &rec), Err(Rejection::SignatureMismatch));
        let calls = rec.into_calls();
        let expected = b"d938e770-8046-11e6-8103-6b62a8a99ac4|2016-09-21T22:00:46Z|9XL90610J3647323C|3421780262".to_vec();
        assert!(matches!(&calls[..], [crate::crypto::Call::Rsa(c)] if matches!(&c.key, RsaKey::Fetch(u) if u.as_str() == url) && c.pieces == vec![crate::crypto::Piece::Bytes(expected.clone())]));
        let h = headers("https://169.254.169.254/v1/notifications/certs/CERT-1");
        let req = Inbound { headers: &h, ..req };
        assert_eq!(scheme.verify(&req, &[], 0, 0, &crate::crypto::CoreCrypto), Err(Rejection::CertificateUrlRefused));
        assert!(build(&SchemeConfig { kind: "paypal".into(), ..SchemeConfig::default() }, "s").is_err(), "webhook_id is required");
        assert!(crate::schemes::build(&SchemeConfig { kind: "github".into(), webhook_id: Some("x".into()), ..SchemeConfig::default() }, "s").is_err());
    }
}
