//! Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1(auth token, signed URL content)>`.
//!
//! - Form posts (`application/x-www-form-urlencoded`): the full public URL (with its query)
//!   followed by every POST parameter as `name` + `value`, sorted by name (then value).
//! - Other bodies (JSON): the URL carries `bodySHA256=<hex SHA-256 of the raw body>`; the
//!   signature covers the URL alone, and the body must hash to that value.
//!
//! The URL is the one Twilio called: set `public_url` when the Worker sits behind a custom
//! domain or a proxy. As in Twilio's own libraries, a URL is also tried with the default
//! port added or removed. Event id: `I-Twilio-Idempotency-Token`, else the form's
//! `MessageSid`/`CallSid`, else a body digest. No timestamp. The token is not signed, so
//! dedupe keys on the signed string: a status callback `sent` and one `delivered` for the
//! same message are two events, and a replay with a fresh token is a duplicate.
//! <https://www.twilio.com/docs/usage/webhooks/webhooks-security>


use subtle::ConstantTimeEq as _;

use super::common::{public_url, Encoding, SecretEncoding};
use super::{reject_recipe_options, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{sha256_hex, Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::{Key, KeyMaterial};
use crate::reason::Rejection;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";
/// Twilio's idempotency header, the same on every retry of a webhook.
pub const ID_HEADER: &str = "i-twilio-idempotency-token";
/// Form parameters that identify the event when the idempotency header is absent.
pub const ID_PARAMS: [&str; 3] = ["MessageSid", "CallSid", "SmsSid"];

/// Twilio's scheme.
#[derive(Debug)]
pub struct Twilio {
    public_url: Option<String>,
}

/// The URL with its default port toggled (`:443` for https, `:80` for http), if any.
fn toggled_port(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(host_end);
    Some(match host.strip_suffix(port) {
        Some(bare) => format!("{scheme}://{bare}{tail}"),
        None if host.contains(':') => return None,
        None => format!("{scheme}://{host}{port}{tail}"),
    })
}

impl Twilio {
    /// The signed content for one URL; `Err` when the body is not covered by any rule.
    fn content(url: &str, req: &Inbound<'_>) -> Result<String, Rejection> {
        if req.media_type() == "application/x-www-form-urlencoded" {
            // By name, then by value: Twilio sorts the values of a repeated name too.
            let mut out = url.to_string();
            for (k, v) in crate::form::sorted(req.body) {
                out.push_str(&k);
                out.push_str(&v);
            }
            Ok(out)
        } else if req.body.is_empty() {
            Ok(url.to_string())
        } else {
            Err(Rejection::ContentTypeUnsupported)
        }
    }
}

impl Scheme for Twilio {
    fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        _tolerance_secs: u64,
        _now_secs: u64,
        crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection> {
        let header = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let candidate = Encoding::Base64
            .decode(header.trim())
            .filter(|b| b.len() == Algorithm::HmacSha1.output_len())
            .ok_or(Rejection::SignatureMalformed)?;
        let url = public_url(req, self.public_url.as_deref());
        let body_hash = req.query_param("bodySHA256");
        let mut contents = Vec::with_capacity(2);
        for u in std::iter::once(url.clone()).chain(toggled_port(&url)) {
            contents.push(if body_hash.is_some() { u } else { Self::content(&u, req)? });
        }
        let key = keys
            .iter()
            .find(|key| match &key.material {
                KeyMaterial::Secret(secret) => contents.iter().any(|c| {
                    let mac = crypto.hmac(Algorithm::HmacSha1, secret.expose(), &[c.as_bytes()]);
                    bool::from(mac.ct_eq(&candidate))
                }),
                KeyMaterial::Ed25519(_) | KeyMaterial::EcdsaP256(_) | KeyMaterial::Rsa(_) => false,
            })
            .ok_or(Rejection::SignatureMismatch)?;
        if let Some(expected) = body_hash {
            // The URL is authentic; the body must be the one it names.
            if !bool::from(sha256_hex(req.body).as_bytes().ct_eq(expected.to_ascii_lowercase().as_bytes())) {
                return Err(Rejection::SignatureMismatch);
            }
        }
        let event_id = req.header(ID_HEADER).map(str::to_string).or_else(|| {
            if req.media_type() != "application/x-www-form-urlencoded" {
                return None;
            }
            ID_PARAMS.iter().find_map(|name| {
                crate::form::first(req.body, name)
            })
        });
        // The idempotency token is unsigned: dedupe on the signed string instead, in its
        // form without a default port (both forms verify, so a replay could pick either).
        let canonical = contents.iter().min_by_key(|c| c.len()).map_or("", String::as_str);
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[canonical.as_bytes()]));
        Ok(Verified { event_id, timestamp: None, key_label: Some(key.label.clone()), handshake: None, signed_digest, id_fault: None, confirm_url: None, echo_header: None })
    }

    fn default_tolerance_secs(&self) -> u64 {
        0
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> super::Replay {
        super::Replay { coverage: super::Coverage::SignedContent, signed_timestamp: false }
    }
}

/// Builds the scheme; only `public_url` applies.
///
/// # Errors
/// Another option, or a malformed URL.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    reject_recipe_options(cfg, path, &["public_url"])?;
    let public_url = match &cfg.public_url {
        Some(u) => Some(crate::config::check_url(u, &format!("{path}.public_url"), true)?),
        None => None,
    };
    Ok(Box::new(Twilio { public_url }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verified(url: &str, body: &str, token: &str) -> Verified {
        let headers_for = |sig: String| {
            vec![
                (SIGNATURE_HEADER.to_string(), sig),
                ("content-type".to_string(), "application/x-www-form-urlencoded".to_string()),
                (ID_HEADER.to_string(), token.to_string()),
            ]
        };
        let probe = Inbound { method: "POST", url, headers: &headers_for(String::new()), body: body.as_bytes(), client_ip: None };
        // Twilio signs the URL it called, without the default port.
        let signed = toggled_port(url).filter(|u| u.len() < url.len()).unwrap_or_else(|| url.to_string());
        let content = Twilio::content(&signed, &probe).unwrap();
        let mac = crate::crypto::CoreCrypto.hmac(Algorithm::HmacSha1, b"authtoken", &[content.as_bytes()]);
        let headers = headers_for(crate::base64::STANDARD.encode(mac));
        let req = Inbound { method: "POST", url, headers: &headers, body: body.as_bytes(), client_ip: None };
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(crate::keys::Secret::new(b"authtoken".to_vec())), not_after_secs: None };
        Twilio { public_url: None }.verify(&req, &[&key], 0, 0, &crate::crypto::CoreCrypto).unwrap()
    }

    #[test]
    fn dedupes_on_the_signed_string_not_the_unsigned_token() {
        let url = "https://a.example/hooks/twilio";
        let sent = verified(url, "MessageSid=SM1&MessageStatus=sent", "tok-1");
        let replayed = verified(url, "MessageStatus=sent&MessageSid=SM1", "tok-fresh");
        let via_port = verified("https://a.example:443/hooks/twilio", "MessageSid=SM1&MessageStatus=sent", "tok-2");
        let delivered = verified(url, "MessageSid=SM1&MessageStatus=delivered", "tok-3");
        assert_eq!(sent.event_id.as_deref(), Some("tok-1"));
        assert!(sent.signed_digest.is_some());
        assert_eq!(sent.signed_digest, replayed.signed_digest, "reordered parameters sign the same string");
        assert_eq!(sent.signed_digest, via_port.signed_digest, "the default port is not part of the key");
        assert_ne!(sent.signed_digest, delivered.signed_digest, "two statuses are two events");
    }

    #[test]
    fn toggles_the_default_port() {
        assert_eq!(toggled_port("https://a.example/x?y=1").as_deref(), Some("https://a.example:443/x?y=1"));
        assert_eq!(toggled_port("https://a.example:443/x").as_deref(), Some("https://a.example/x"));
        assert_eq!(toggled_port("http://127.0.0.1:8787/x"), None);
    }
}
