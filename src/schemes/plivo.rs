//! Plivo signature V3: `X-Plivo-Signature-V3: <base64>[,<base64>…]` with
//! `X-Plivo-Signature-V3-Nonce: <nonce>`.
//!
//! The MAC is base64 HMAC-SHA256(the account's (or subaccount's) Auth Token,
//! `<base URL><params>.<nonce>`), as the `plivo` SDK's `validateV3Signature` builds it for a
//! POST:
//!
//! - base URL: `scheme://host[:port]/path` of the URL Plivo called (user info dropped), then
//!   `?` and the URL's query parameters, decoded, as `k=v` sorted by name then value and
//!   joined with `&`, then `.` when there were query parameters. Without form parameters the
//!   `?` (and `.`) appear only with a query.
//! - params: every form parameter as `name` + `value`, decoded, sorted by name then value.
//!
//! So the body is covered only as form parameters: a POST whose body is not
//! `application/x-www-form-urlencoded` (and not empty) is refused (`content_type_unsupported`).
//! Several signatures (one per token that may sign) may match any configured key. The URL is
//! the one Plivo called: set `public_url` behind another host name. Signature V2 signs the
//! URL and nonce only, not the body, and is not accepted.
//!
//! No timestamp. Event id: the form's `MessageUUID`, else `CallUUID`; a status callback
//! repeats it for each status, so dedupe keys on a digest of the signed string less the
//! nonce (a retry's new nonce does not make a new event).
//! <https://www.plivo.com/docs/voice/concepts/signature-validation>

use super::common::{mac_match, public_url, Encoding, SecretEncoding};
use super::{reject_recipe_options, Coverage, Replay, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// How far the scheme is confirmed: read from the `plivo` SDK, whose `validateV3Signature`
/// checks every vector.
pub const TRUST: super::catalogue::Trust = super::catalogue::Trust::Sdk;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-plivo-signature-v3";
/// The nonce header.
pub const NONCE_HEADER: &str = "x-plivo-signature-v3-nonce";
/// Form parameters that identify the message or call, in order.
pub const ID_PARAMS: [&str; 2] = ["MessageUUID", "CallUUID"];
/// Signatures read from the header; the rest are ignored.
pub const MAX_CANDIDATES: usize = 16;

/// Plivo's scheme.
#[derive(Debug)]
pub struct Plivo {
    public_url: Option<String>,
}

/// The signed string without its `.<nonce>` tail.
#[must_use]
pub fn signed_string(url: &str, form: &[u8]) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let rest = rest.split('#').next().unwrap_or(rest);
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let host_end = before_query.find('/').unwrap_or(before_query.len());
    let (authority, path) = before_query.split_at(host_end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let query: Vec<String> = crate::form::sorted(query.as_bytes())
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let query = query.join("&");
    let params = crate::form::sorted(form);
    let mut out = format!("{scheme}://{host}{path}");
    if !query.is_empty() || !params.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !query.is_empty() && !params.is_empty() {
        out.push('.');
    }
    for (k, v) in params {
        out.push_str(&k);
        out.push_str(&v);
    }
    out
}

impl Scheme for Plivo {
    /// Checks, in order: the signature header (`signature_missing`) with a base64 signature of
    /// 32 bytes (`signature_malformed`), the nonce (`signature_malformed`), a form or empty
    /// body (`content_type_unsupported`), then the MAC (`signature_mismatch`).
    fn verify(&self, req: &Inbound<'_>, keys: &[&Key], _tolerance_secs: u64, _now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
        let header = req.header(SIGNATURE_HEADER).ok_or(Rejection::SignatureMissing)?;
        let candidates: Vec<Vec<u8>> = header
            .split(',')
            .take(MAX_CANDIDATES)
            .filter_map(|s| Encoding::Base64.decode(s.trim()))
            .filter(|b| b.len() == Algorithm::HmacSha256.output_len())
            .collect();
        if candidates.is_empty() {
            return Err(Rejection::SignatureMalformed);
        }
        let nonce = req.header(NONCE_HEADER).map(str::trim).filter(|n| !n.is_empty()).ok_or(Rejection::SignatureMalformed)?;
        let form = req.media_type() == "application/x-www-form-urlencoded";
        if !form && !req.body.is_empty() {
            return Err(Rejection::ContentTypeUnsupported);
        }
        let signed = signed_string(&public_url(req, self.public_url.as_deref()), if form { req.body } else { b"" });
        let key = mac_match(Algorithm::HmacSha256, &candidates, keys, &[signed.as_bytes(), b".", nonce.as_bytes()], crypto).ok_or(Rejection::SignatureMismatch)?;
        let event_id = if form {
            ID_PARAMS.iter().find_map(|name| crate::form::parse(req.body).find(|(k, v)| k == *name && !v.is_empty()).map(|(_, v)| v.into_owned()))
        } else {
            None
        };
        let signed_digest = Some(crate::crypto::sha256_pieces_hex(&[signed.as_bytes()]));
        Ok(Verified { event_id, key_label: Some(key.label.clone()), signed_digest, ..Verified::default() })
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
    Ok(Box::new(Plivo { public_url }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_sdks_string_for_each_combination_of_query_and_form() {
        let url = "https://u:p@h.example:8443/hooks/plivo";
        assert_eq!(signed_string(url, b""), "https://h.example:8443/hooks/plivo");
        assert_eq!(signed_string(url, b"B=2&A=1&A=0"), "https://h.example:8443/hooks/plivo?A0A1B2");
        assert_eq!(signed_string(&format!("{url}?z=a+b&y=%2F"), b""), "https://h.example:8443/hooks/plivo?y=/&z=a b");
        assert_eq!(signed_string(&format!("{url}?z=1"), b"To=%2B1&From=x"), "https://h.example:8443/hooks/plivo?z=1.FromxTo+1");
    }
}
