//! SendPilot: `Webhook-Signature: t=<unix>,s=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
//!
//! Tolerance 300 s. Event id: the body's `eventId` (type in `eventType`). During a secret
//! rotation both secrets are valid for 24 h: configure both, the old one with `not_after`.

use super::common::{Field, IdSource, ListFormat, Part, Recipe, SignatureFormat, TimeFormat, TimestampSource};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// SendPilot's recipe: Stripe's shape (`t=…,<key>=…` over `"<t>.<body>"`) with `s=` for
/// the signature.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::List(ListFormat {
            item_separator: ",".into(),
            pair_separator: "=".into(),
            signature_keys: vec!["s".into()],
            timestamp_key: Some("t".into()),
        }),
        content: vec![Part::Timestamp, Part::Literal(".".into()), Part::Body],
        timestamp: Some(TimestampSource { field: Field::SignatureList, format: TimeFormat::Unix }),
        event_id: IdSource::Field { field: Field::Pointer("/eventId".into()), required: true },
        event_type: Some(Field::Pointer("/eventType".into())),
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
