//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`.
//!
//! Signed content `"<t>.<raw body>"`, HMAC-SHA256 with the endpoint secret's UTF-8 bytes
//! (the whole `whsec_…` string, not base64-decoded), hex. Several `v1` appear during a
//! secret roll; any may match. `v0` is test-mode legacy and ignored. Tolerance 300 s.
//! Event id: the body's `id` (`evt_…`). <https://docs.stripe.com/webhooks#verify-manually>

use super::common::{Field, IdSource, ListFormat, Part, Recipe, SignatureFormat, TimeFormat, TimestampSource};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "stripe-signature";

/// Stripe's recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe { event_type: Some(Field::Pointer("/type".into())), ..stripe_like(SIGNATURE_HEADER, "v1", "/id") }
}

/// A Stripe-style scheme: `t=<unix>,<signature_key>=<hex>…` over `"<t>.<body>"`, 300 s
/// tolerance, event id at a JSON pointer. Other providers copied it (SendPilot).
#[must_use]
pub fn stripe_like(header: &str, signature_key: &str, id_pointer: &str) -> Recipe {
    Recipe {
        signature_header: header.into(),
        format: SignatureFormat::List(ListFormat {
            item_separator: ",".into(),
            pair_separator: "=".into(),
            signature_keys: vec![signature_key.into()],
            timestamp_key: Some("t".into()),
        }),
        content: vec![Part::Timestamp, Part::Literal(".".into()), Part::Body],
        timestamp: Some(TimestampSource { field: Field::SignatureList, format: TimeFormat::Unix }),
        event_id: IdSource::Field { field: Field::Pointer(id_pointer.into()), required: true },
        default_tolerance_secs: 300,
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
