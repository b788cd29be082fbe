//! Svix: Standard Webhooks with `svix-id`, `svix-timestamp`, `svix-signature` headers and
//! `whsec_` secrets. <https://docs.svix.com/receiving/verifying-payloads/how-manual>

use super::common::Recipe;
use super::{signed, standard_webhooks, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "svix-signature";

/// Svix's recipe.
#[must_use]
pub fn recipe() -> Recipe {
    standard_webhooks::recipe_with_prefix("svix")
}

/// Builds the scheme with the source's overrides.
///
/// # Errors
/// An invalid override.
pub fn build(cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    signed(recipe(), cfg, path)
}
