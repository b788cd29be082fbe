//! `type = "hmac"`: a scheme configured entirely in the source's `scheme` table, for
//! providers without a preset. Defaults: hex HMAC-SHA256 of the raw body, no prefix,
//! raw secret bytes, no timestamp, event id from a body digest. `signature_header` (or
//! `signature_query`, for a signature in the URL's query) is required. Example (the demo source): `signature_header = "x-signature"`, `prefix = "sha256="`.

use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// Builds the configured scheme.
///
/// # Errors
/// No `signature_header` nor `signature_query`, or an invalid option.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    if cfg.signature_header.is_none() && cfg.signature_query.is_none() {
        return Err(ConfigError::invalid(&format!("{path}.signature_header"), "required for type `hmac`"));
    }
    signed(blank_recipe(), cfg, path)
}
