//! BindPilot: `X-BindPilot-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
//!
//! No signed timestamp header: the body's `timestamp` (RFC 3339) is inside the signed
//! body, so it is authentic once the MAC matches. BindPilot retries after 5 min, 30 min,
//! 2 h and 1 day, keeping the event's timestamp, so the default tolerance is 27 h (the
//! last retry comes about 26 h 35 min after the first try); set `tolerance_secs = 0` to
//! turn the window off and rely on dedupe alone. Event id: the body's `id`.
//! BindPilot expects a 2xx within 30 s.

use super::common::{Field, IdSource, Recipe, SignatureFormat, TimeFormat, TimestampSource};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-bindpilot-signature";

/// BindPilot's recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: "sha256=".into(), separator: None },
        timestamp: Some(TimestampSource { field: Field::Pointer("/timestamp".into()), format: TimeFormat::Rfc3339 }),
        event_id: IdSource::Field { field: Field::Pointer("/id".into()), required: true },
        default_tolerance_secs: 27 * 3600,
        event_type: Some(Field::Pointer("/event".into())),
        ..blank_recipe()
    }
}

/// Builds the scheme with the source's overrides.
///
/// # Errors
/// An invalid override.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    signed(recipe(), cfg, path)
}
