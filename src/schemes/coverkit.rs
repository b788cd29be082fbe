//! CoverKit: header `coverkit-signature`.
//!
//! **Assumption**: CoverKit's documentation names the header but not the algorithm (its
//! SDK verifies). This preset assumes hex HMAC-SHA256 of the raw body, the most common
//! choice; every part (prefix, encoding, algorithm, signed content, timestamp) can be
//! overridden in the source's `scheme` table. Event id: the body's `id` (`evt_…`).
//! No timestamp check by default: add `timestamp = { pointer = "/createdAt", format = "rfc3339" }`
//! to enable one.

use super::common::{Field, IdSource, Recipe, SignatureFormat};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "coverkit-signature";

/// CoverKit's assumed recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: String::new(), separator: None },
        event_id: IdSource::Field { field: Field::Pointer("/id".into()), required: true },
        default_tolerance_secs: 0,
        event_type: Some(Field::Pointer("/type".into())),
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
