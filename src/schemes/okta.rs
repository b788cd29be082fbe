//! Okta event hooks: no signature. Okta sends the value you configure for the hook's
//! authentication header (by default `Authorization`) with every request, compared here in
//! constant time with every usable key (the [`super::cowbell`] token scheme).
//!
//! One-time verification: when the hook is verified, Okta sends a `GET` carrying
//! `X-Okta-Verification-Challenge` (and the same `Authorization` value); it is answered
//! `{"verification": <challenge>}` at the edge, only once the credential matched.
//!
//! Event id: the body's `eventId` when present, else a body digest.
//! <https://developer.okta.com/docs/concepts/event-hooks/>

use super::common::IdSource;
use super::{cowbell, FieldConfig, Scheme, SchemeConfig};
use crate::config::ConfigError;
use crate::handshake::Handshake;

/// The header Okta sends the shared value in, unless the hook names another.
pub const AUTH_HEADER: &str = "authorization";
/// Where the event id is.
pub const ID_POINTER: &str = "/eventId";

/// Builds the scheme: Cowbell's token scheme with Okta's header, id and handshake. Any of
/// `token_header`, `token_query`, `basic_user` and `event_id` can be overridden.
///
/// # Errors
/// As [`cowbell::build`].
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let mut cfg = cfg.clone();
    if cfg.token_header.is_none() && cfg.token_query.is_none() && cfg.basic_user.is_none() {
        cfg.token_header = Some(AUTH_HEADER.into());
    }
    if cfg.event_id.is_none() {
        cfg.event_id = Some(FieldConfig { pointer: Some(ID_POINTER.into()), required: Some(false), ..FieldConfig::default() });
    }
    cowbell::build_with(&cfg, path, IdSource::None, Some(Handshake::OktaVerification))
}
