//! Standard Webhooks: `webhook-id`, `webhook-timestamp` (unix seconds) and
//! `webhook-signature: v1,<base64> [v1,<base64> …]` (space-separated).
//!
//! Signed content `"<id>.<timestamp>.<raw body>"`. `v1` is HMAC-SHA256 keyed with the
//! base64 part of a `whsec_` secret; `v1a` is Ed25519, checked with a `whpk_` public key.
//! Tolerance 300 s. Event id: `webhook-id` (also signed, so it is needed before the MAC).
//! <https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md>

use super::common::{Encoding, Field, IdSource, ListFormat, Part, Recipe, SecretEncoding, SignatureFormat, TimeFormat, TimestampSource};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The event id header.
pub const ID_HEADER: &str = "webhook-id";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The signature header.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The recipe with headers named `<prefix>-id`, `<prefix>-timestamp`, `<prefix>-signature`
/// (Svix uses the same scheme with `svix-`).
#[must_use]
pub fn recipe_with_prefix(prefix: &str) -> Recipe {
    Recipe {
        signature_header: format!("{prefix}-signature"),
        format: SignatureFormat::List(ListFormat {
            item_separator: " ".into(),
            pair_separator: ",".into(),
            signature_keys: vec!["v1".into(), "v1a".into()],
            timestamp_key: None,
        }),
        content: vec![Part::Id, Part::Literal(".".into()), Part::Timestamp, Part::Literal(".".into()), Part::Body],
        ed25519_keys: vec!["v1a".into()],
        encoding: Encoding::Base64,
        secret_encoding: SecretEncoding::Whsec,
        timestamp: Some(TimestampSource { field: Field::Header(format!("{prefix}-timestamp")), format: TimeFormat::Unix }),
        event_id: IdSource::Field { field: Field::Header(format!("{prefix}-id")), required: true },
        default_tolerance_secs: 300,
        // The spec's payload structure: `{"type": "user.created", "timestamp": …, "data": …}`.
        event_type: Some(Field::Pointer("/type".into())),
        ..blank_recipe()
    }
}

/// Standard Webhooks' recipe.
#[must_use]
pub fn recipe() -> Recipe {
    recipe_with_prefix("webhook")
}

/// Builds the scheme with the source's overrides.
///
/// # Errors
/// An invalid override.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    signed(recipe(), cfg, path)
}
