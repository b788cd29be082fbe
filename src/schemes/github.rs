//! GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`.
//!
//! The legacy `X-Hub-Signature: sha1=<hex>` is accepted only with `allow_sha1 = true`,
//! and only when the SHA-256 header is absent (GitHub sends both). No timestamp: replays
//! are stopped by dedupe on `X-GitHub-Delivery`, which GitHub keeps on redelivery.
//! <https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries>

use super::common::{Field, IdSource, Recipe, SignatureFormat};
use super::{apply_overrides, blank_recipe, Scheme, SchemeConfig, Verified};
use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;

/// The SHA-256 signature header.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";
/// The legacy SHA-1 signature header.
pub const SHA1_SIGNATURE_HEADER: &str = "x-hub-signature";
/// The delivery (event) id header.
pub const ID_HEADER: &str = "x-github-delivery";
/// The event type header (`push`, `pull_request`, `ping`), for event filters.
pub const EVENT_HEADER: &str = "x-github-event";

/// GitHub's SHA-256 recipe.
#[must_use]
pub fn recipe() -> Recipe {
    Recipe {
        signature_header: SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: "sha256=".into(), separator: None },
        event_id: IdSource::Field { field: Field::Header(ID_HEADER.into()), required: true },
        default_tolerance_secs: 0,
        event_type: Some(Field::Header(EVENT_HEADER.into())),
        ..blank_recipe()
    }
}

/// The legacy SHA-1 recipe.
#[must_use]
pub fn sha1_recipe() -> Recipe {
    Recipe {
        signature_header: SHA1_SIGNATURE_HEADER.into(),
        format: SignatureFormat::Plain { prefix: "sha1=".into(), separator: None },
        algorithm: Algorithm::HmacSha1,
        ..recipe()
    }
}

/// GitHub, with the SHA-1 fallback when enabled.
#[derive(Debug)]
pub struct GitHub {
    sha256: Recipe,
    sha1: Option<Recipe>,
}

impl Scheme for GitHub {
    fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        tolerance_secs: u64,
        now_secs: u64,
        crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection> {
        match &self.sha1 {
            Some(sha1) if req.header(&self.sha256.signature_header).is_none() => {
                sha1.verify(req, keys, tolerance_secs, now_secs, crypto)
            }
            _ => self.sha256.verify(req, keys, tolerance_secs, now_secs, crypto),
        }
    }

    fn default_tolerance_secs(&self) -> u64 {
        self.sha256.default_tolerance_secs
    }

    fn secret_encoding(&self) -> super::SecretEncoding {
        self.sha256.secret_encoding
    }

    fn replay(&self) -> super::Replay {
        self.sha256.replay()
    }

    fn event_type(&self) -> Option<&Field> {
        self.sha256.event_type.as_ref()
    }
}

/// Builds the scheme with the source's overrides.
///
/// # Errors
/// An invalid override.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    let sha256 = apply_overrides(recipe(), cfg, path)?;
    let sha1 = if cfg.allow_sha1 == Some(true) {
        let base = Recipe { algorithm: Algorithm::HmacSha1, ..sha256.clone() };
        Some(Recipe { signature_header: SHA1_SIGNATURE_HEADER.into(), format: sha1_recipe().format, ..base })
    } else {
        None
    };
    Ok(Box::new(GitHub { sha256, sha1 }))
}
