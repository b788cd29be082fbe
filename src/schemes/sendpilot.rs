//! SendPilot: `Webhook-Signature: t=<unix>,s=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
//!
//! Tolerance 300 s. Event id: the body's `eventId` (type in `eventType`). During a secret
//! rotation both secrets are valid for 24 h: configure both, the old one with `not_after`.

use super::common::Recipe;
use super::{signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// SendPilot's recipe: Stripe's shape with `s=` for the signature.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        event_type: Some(super::common::Field::Pointer("/eventType".into())),
        ..super::stripe::stripe_like(SIGNATURE_HEADER, "s", "/eventId")
    }
}

/// Builds the scheme with the source's overrides.
///
/// # Errors
/// An invalid override.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    signed(recipe(), cfg, path)
}
