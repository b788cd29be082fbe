//! Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<ts>:<raw body>")>`
//! with `X-Slack-Request-Timestamp` (unix seconds). Tolerance 300 s.
//!
//! Event id: the body's `event_id` for Events API callbacks; other payloads (slash
//! commands, interactivity, `url_verification`) have none and fall back to a body digest.
//! A verified `url_verification` is answered at the edge with its challenge.
//! <https://api.slack.com/authentication/verifying-requests-from-slack>

use super::common::{Field, IdSource, Part, Recipe, SignatureFormat, TimeFormat, TimestampSource};
use super::{blank_recipe, signed, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";

/// Slack's recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: "v0=".into(), separator: None },
        content: vec![Part::Literal("v0:".into()), Part::Timestamp, Part::Literal(":".into()), Part::Body],
        timestamp: Some(TimestampSource { field: Field::Header(TIMESTAMP_HEADER.into()), format: TimeFormat::Unix }),
        event_id: IdSource::Field { field: Field::Pointer("/event_id".into()), required: false },
        default_tolerance_secs: 300,
        handshake: Some(crate::handshake::Handshake::SlackUrlVerification),
        // The Events API's inner event (`message`, `app_mention`); the outer `/type` is
        // `event_callback` for every event.
        event_type: Some(Field::Pointer("/event/type".into())),
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
