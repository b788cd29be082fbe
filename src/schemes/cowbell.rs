//! Cowbell and other providers that sign nothing: a shared token, HTTP Basic, and
//! (at source level, for any scheme) an allow-list of client IPs.
//!
//! Credentials, in order of preference for a provider that lets you set them:
//! `token_header = "x-cowbell-token"` (an `Authorization` header may carry `Bearer <token>`),
//! `basic_user = "cowbell"` (the password is the secret), or by default a query parameter
//! `token` (`token_query` to rename it), which works with any provider that lets you set
//! only a URL. The secret is compared in constant time with every usable key.
//!
//! Cowbell sends no event id: by default the id is composed from body fields
//! `meta.event`, `data.quoteId`, `data.policyId`, `data.modified`, joined with `:`
//! (absent fields are empty); `event_id = { pointers = [...] }` changes them.

use super::common::{read_event_id, Body, Field, IdSource, SecretEncoding};
use super::{reject_recipe_options, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::Crypto;
use crate::inbound::Inbound;
use crate::keys::{Key, KeyMaterial};
use crate::reason::Rejection;

/// The default query parameter for the token.
pub const DEFAULT_TOKEN_QUERY: &str = "token";
/// The default composite event id.
pub const DEFAULT_ID_POINTERS: [&str; 4] = ["/meta/event", "/data/quoteId", "/data/policyId", "/data/modified"];

/// Where the credential is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A header's value (`Bearer ` stripped).
    Header(String),
    /// A query parameter.
    Query(String),
    /// HTTP Basic with this user name.
    Basic(String),
}

/// A shared-credential scheme.
#[derive(Debug)]
pub struct Token {
    credential: Credential,
    event_id: IdSource,
    handshake: Option<crate::handshake::Handshake>,
    event_type: Option<Field>,
}

/// Compares without revealing the token's length (hashed first, then in constant time).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    crate::crypto::ct_eq_hashed(a, b)
}

impl Token {
    /// The presented secret, and for Basic whether the user name matched.
    fn presented(&self, req: &Inbound<'_>) -> Result<(Vec<u8>, bool), Rejection> {
        match &self.credential {
            Credential::Header(name) => {
                let v = req.header(name).map(str::trim).filter(|v| !v.is_empty()).ok_or(Rejection::CredentialsMissing)?;
                let v = match v.get(..7) {
                    Some(p) if p.eq_ignore_ascii_case("bearer ") => v.get(7..).unwrap_or("").trim(),
                    _ => v,
                };
                Ok((v.as_bytes().to_vec(), true))
            }
            Credential::Query(name) => {
                let v = req.query_param(name).filter(|v| !v.is_empty()).ok_or(Rejection::CredentialsMissing)?;
                Ok((v.into_bytes(), true))
            }
            Credential::Basic(user) => {
                let v = req.header("authorization").ok_or(Rejection::CredentialsMissing)?.trim();
                let encoded = match v.split_once(' ') {
                    Some((scheme, rest)) if scheme.eq_ignore_ascii_case("basic") => rest.trim(),
                    _ => return Err(Rejection::CredentialsMissing),
                };
                let decoded = crate::base64::STANDARD
                    .decode(encoded)
                    .map_err(|_| Rejection::CredentialsMismatch)?;
                let colon = decoded.iter().position(|b| *b == b':').ok_or(Rejection::CredentialsMismatch)?;
                let (name, password) = decoded.split_at(colon);
                let password = password.get(1..).unwrap_or_default().to_vec();
                Ok((password, ct_eq(name, user.as_bytes())))
            }
        }
    }
}

impl Scheme for Token {
    fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        _tolerance_secs: u64,
        _now_secs: u64,
        _crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection> {
        let (presented, user_ok) = self.presented(req)?;
        // Compare with every key, so timing does not tell which (if any) matched.
        let mut matched = None;
        for key in keys {
            if let KeyMaterial::Secret(secret) = &key.material {
                if ct_eq(secret.expose(), &presented) && matched.is_none() {
                    matched = Some(key.label.clone());
                }
            }
        }
        let key_label = matched.filter(|_| user_ok).ok_or(Rejection::CredentialsMismatch)?;
        let event_id = read_event_id(&self.event_id, req, &mut Body::new(req.body))?;
        Ok(Verified { event_id, key_label: Some(key_label), ..Verified::default() })
    }

    fn default_tolerance_secs(&self) -> u64 {
        0
    }

    fn secret_encoding(&self) -> SecretEncoding {
        SecretEncoding::Raw
    }

    fn replay(&self) -> super::Replay {
        super::Replay { coverage: super::Coverage::Token, signed_timestamp: false }
    }

    fn handshake(&self) -> Option<crate::handshake::Handshake> {
        self.handshake
    }

    fn event_type(&self) -> Option<&Field> {
        self.event_type.as_ref()
    }
}

/// Builds the scheme from `token_header`, `token_query`, `basic_user` and `event_id`.
///
/// # Errors
/// Several credential locations, or a recipe option.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let cowbell_id = IdSource::Composite(DEFAULT_ID_POINTERS.iter().map(|p| (*p).to_string()).collect());
    let mut scheme = build_token(cfg, path, cowbell_id, None)?;
    if scheme.event_type.is_none() {
        scheme.event_type = Some(Field::Pointer(EVENT_TYPE_POINTER.into()));
    }
    Ok(Box::new(scheme))
}

/// Cowbell's event type (`policy.bound`), for event filters.
pub const EVENT_TYPE_POINTER: &str = "/meta/event";

/// As [`build`], with `default_id` when `event_id` is not set (Cowbell's composite, or
/// [`IdSource::None`], a body digest, for the catalogue's shared-credential presets) and
/// the URL check a token provider performs (Okta).
///
/// # Errors
/// Several credential locations, or a recipe option.
pub fn build_with(
    cfg: &SchemeConfig,
    path: &str,
    default_id: IdSource,
    handshake: Option<crate::handshake::Handshake>,
) -> Result<Box<dyn Scheme>, ConfigError> {
    Ok(Box::new(build_token(cfg, path, default_id, handshake)?))
}

fn build_token(
    cfg: &SchemeConfig,
    path: &str,
    default_id: IdSource,
    handshake: Option<crate::handshake::Handshake>,
) -> Result<Token, ConfigError> {
    reject_recipe_options(cfg, path, &["token_header", "token_query", "basic_user", "event_id", "event_type"])?;
    let mut set = Vec::new();
    if let Some(h) = &cfg.token_header {
        set.push(Credential::Header(h.to_ascii_lowercase()));
    }
    if let Some(q) = &cfg.token_query {
        set.push(Credential::Query(q.clone()));
    }
    if let Some(u) = &cfg.basic_user {
        set.push(Credential::Basic(u.clone()));
    }
    let credential = match set.len() {
        0 => Credential::Query(DEFAULT_TOKEN_QUERY.into()),
        1 => set.remove(0),
        _ => return Err(ConfigError::invalid(path, "set one of token_header, token_query, basic_user")),
    };
    let event_id = match &cfg.event_id {
        Some(id) => id.event_id(&format!("{path}.event_id"))?,
        None => default_id,
    };
    let event_type = match &cfg.event_type {
        Some(t) => Some(t.event_type(&format!("{path}.event_type"))?),
        None => None,
    };
    Ok(Token { credential, event_id, handshake, event_type })
}
