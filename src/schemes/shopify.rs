//! Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(secret, raw body)>`.
//!
//! No signed timestamp (`X-Shopify-Triggered-At` is not signed): replays are stopped by
//! dedupe on `X-Shopify-Webhook-Id`, which stays the same across Shopify's retries.
//! <https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify>

use super::common::{Encoding, Field, IdSource, Recipe, SignatureFormat};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-shopify-hmac-sha256";
/// The event id header.
pub const ID_HEADER: &str = "x-shopify-webhook-id";
/// The event type header (`orders/create`), for event filters.
pub const TOPIC_HEADER: &str = "x-shopify-topic";

/// Shopify's recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: String::new(), separator: None },
        encoding: Encoding::Base64,
        event_id: IdSource::Field { field: Field::Header(ID_HEADER.into()), required: true },
        default_tolerance_secs: 0,
        event_type: Some(Field::Header(TOPIC_HEADER.into())),
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
