//! The provider catalogue: presets that are data. Each entry is what a user would write in a
//! source's `scheme` table (the same JSON, the same rules), on top of a base recipe, plus
//! its default tolerance, the documentation it was read from and how far we trust it. A
//! source's own `scheme` table then overrides any part, as for every preset.
//!
//! Providers whose scheme the recipe engine cannot express keep a module of their own
//! (`twilio`, `cowbell`); everything else belongs here.

use super::{apply_overrides, blank_recipe, signed, standard_webhooks, svix, Recipe, Scheme, SchemeConfig};
use crate::config::ConfigError;

/// What a preset's recipe rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Read from the provider's own SDK verification code (README says which presets'
    /// vectors are also cross-checked with that SDK).
    Sdk,
    /// The provider's documentation gives a worked example or code sample.
    DocExample,
    /// The documentation describes the algorithm in prose only.
    DocAlgorithm,
    /// Not confirmed from the provider's documentation here: the scheme as it is commonly
    /// documented, to be checked against a real delivery (README marks it an assumption).
    Assumption,
}

/// The recipe an entry starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// Nothing set: hex HMAC-SHA256 of the body (as `type = "hmac"`).
    Blank,
    /// Standard Webhooks under `webhook-*` headers.
    StandardWebhooks,
    /// Standard Webhooks under `svix-*` headers (providers that deliver through Svix).
    Svix,
}

/// One provider.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The `type` users write.
    pub name: &'static str,
    /// The provider's documentation of its signatures.
    pub doc: &'static str,
    /// How far the recipe is confirmed.
    pub trust: Trust,
    /// The recipe it starts from.
    pub base: Base,
    /// Its `scheme` table as JSON, applied on the base.
    pub scheme: &'static str,
    /// Default timestamp tolerance (ignored without a timestamp).
    pub tolerance_secs: u64,
}

/// Every catalogue preset, by name.
pub const CATALOGUE: &[Entry] = &[
    Entry {
        name: "aftership",
        doc: "https://www.aftership.com/docs/tracking/webhook/webhook-signature",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"aftership-hmac-sha256","encoding":"base64","event_id":{"pointer":"/event_id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "airwallex",
        doc: "https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature","signed_content":"{timestamp}{body}","timestamp":{"header":"x-timestamp","format":"unix_ms"},"event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "alchemy",
        doc: "https://www.alchemy.com/docs/reference/notify-api-quickstart",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-alchemy-signature","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "autodesk",
        doc: "https://aps.autodesk.com/en/docs/webhooks/v1/tutorials/how-to-verify-payload-signature/",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-adsk-signature","prefix":"sha1hash=","algorithm":"hmac-sha1"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "bitbucket",
        doc: "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/",
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hub-signature","prefix":"sha256="}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "bolt",
        doc: "https://help.bolt.com/developers/webhooks/hook-verification/",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-bolt-hmac-sha256","encoding":"base64"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "buildkite",
        doc: "https://buildkite.com/docs/apis/webhooks/pipelines",
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-buildkite-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["signature"],"timestamp_key":"timestamp"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "calendly",
        doc: "https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"calendly-webhook-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointers":["/event","/payload/uri"]}}"#,
        tolerance_secs: 180,
    },
    Entry {
        name: "castle",
        doc: "https://docs.castle.io/docs/webhooks",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-castle-signature","encoding":"base64"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "clearbit",
        doc: "https://dashboard.clearbit.com/docs#webhooks",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-request-signature","prefix":"sha1=","algorithm":"hmac-sha1","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "clerk",
        doc: "https://clerk.com/docs/webhooks/sync-data",
        trust: Trust::DocAlgorithm,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "coinbase_commerce",
        doc: "https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security",
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-cc-webhook-signature","event_id":{"pointer":"/event/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "go1",
        doc: "https://www.npmjs.com/package/@go1/webhook-verifier-js",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"go1-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 60,
    },
    Entry {
        name: "gocardless",
        doc: "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"webhook-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "intercom",
        doc: "https://developers.intercom.com/docs/references/webhooks/webhook-models",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hub-signature","prefix":"sha1=","algorithm":"hmac-sha1","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "linear",
        doc: "https://linear.app/developers/webhooks",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"linear-signature","timestamp":{"pointer":"/webhookTimestamp","format":"unix_ms"}}"#,
        tolerance_secs: 60,
    },
    Entry {
        name: "mux",
        doc: "https://docs.mux.com/core/verify-webhook-signatures",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"mux-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "openai",
        doc: "https://platform.openai.com/docs/guides/webhooks",
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "paddle",
        doc: "https://developer.paddle.com/webhooks/signature-verification",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"paddle-signature","list":{"item_separator":";","pair_separator":"=","signature_keys":["h1"],"timestamp_key":"ts"},"signed_content":"{timestamp}:{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/event_id"}}"#,
        tolerance_secs: 5,
    },
    Entry {
        name: "pinwheel",
        doc: "https://docs.pinwheelapi.com/docs/webhook-signature-verification",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-pinwheel-signature","prefix":"v2=","signed_content":"v2:{timestamp}:{body}","timestamp":{"header":"x-timestamp"},"event_id":{"pointer":"/event_id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "pleo",
        doc: "https://developers.pleo.io/reference/webhooks-authentication-authorisation",
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "razorpay",
        doc: "https://razorpay.com/docs/webhooks/validate-test/",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-razorpay-signature","event_id":{"header":"x-razorpay-event-id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "replicate",
        doc: "https://replicate.com/docs/topics/webhooks/verify-webhook",
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "resend",
        doc: "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests",
        trust: Trust::DocExample,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    // SendGrid's Event Webhook: ECDSA P-256 / SHA-256 of `<timestamp><body>`, base64 DER,
    // checked with the dashboard's verification key. No event id: a delivery is a batch (a
    // JSON array, each event with its `sg_event_id`), so dedupe keys on a digest of the
    // signed body; the origin dedupes single events on `sg_event_id`. SendGrid documents no
    // tolerance: 5 min, as Discord's.
    Entry {
        name: "sendgrid",
        doc: "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-twilio-email-event-webhook-signature","signed_content":"{timestamp}{body}","timestamp":{"header":"x-twilio-email-event-webhook-timestamp"},"algorithm":"ecdsa-p256-sha256","encoding":"base64","secret_encoding":"ecdsa_p256_spki"}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "sentry",
        doc: "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"sentry-hook-signature","event_id":{"header":"request-id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "typeform",
        doc: "https://www.typeform.com/developers/webhooks/secure-your-webhooks/",
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"typeform-signature","prefix":"sha256=","encoding":"base64","event_id":{"pointer":"/event_id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "vercel",
        doc: "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-vercel-signature","algorithm":"hmac-sha1","event_id":{"pointer":"/id"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "workos",
        doc: "https://workos.com/docs/events/data-syncing/webhooks",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"workos-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true,"format":"unix_ms"},"event_id":{"pointer":"/id"}}"#,
        tolerance_secs: 180,
    },
    // Providers that check the URL before they deliver: each entry names its handshake
    // (src/handshake.rs), answered at the edge.
    Entry {
        name: "discord",
        doc: "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers",
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature-ed25519","signed_content":"{timestamp}{body}","timestamp":{"header":"x-signature-timestamp"},"algorithm":"ed25519","secret_encoding":"ed25519_hex","event_id":{"pointer":"/id","required":false},"handshake":"discord_ping"}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "dropbox",
        doc: "https://www.dropbox.com/developers/reference/webhooks",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-dropbox-signature","handshake":"dropbox_challenge"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "facebook",
        doc: "https://developers.facebook.com/docs/graph-api/webhooks/getting-started",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "instagram",
        doc: "https://developers.facebook.com/docs/instagram-platform/webhooks",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "twitter",
        doc: "https://docs.x.com/x-api/webhooks/quickstart",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: X,
        tolerance_secs: 0,
    },
    Entry {
        name: "whatsapp",
        doc: "https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "x",
        doc: "https://docs.x.com/x-api/webhooks/quickstart",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: X,
        tolerance_secs: 0,
    },
    Entry {
        name: "xero",
        doc: "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-xero-signature","encoding":"base64","handshake":"xero_intent_to_receive"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "zoom",
        doc: "https://developers.zoom.us/docs/api/webhooks/",
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-zm-signature","prefix":"v0=","signed_content":"v0:{timestamp}:{body}","timestamp":{"header":"x-zm-request-timestamp"},"handshake":"zoom_url_validation"}"#,
        tolerance_secs: 300,
    },
];

/// Meta's Graph API webhooks, shared by `facebook`, `instagram` and `whatsapp`: one scheme,
/// three names, so a source is named after the product whose dashboard it is set up in.
const META: &str = r#"{"signature_header":"x-hub-signature-256","prefix":"sha256=","handshake":"meta_verify_token"}"#;
/// X (Twitter) Account Activity webhooks, `twitter` and `x`.
const X: &str = r#"{"signature_header":"x-twitter-webhooks-signature","prefix":"sha256=","encoding":"base64","handshake":"twitter_crc"}"#;

/// The entry named `name`.
#[must_use]
pub fn find(name: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.name == name)
}

impl Entry {
    /// The entry's recipe before a source's overrides.
    ///
    /// # Errors
    /// Only for a broken entry (the tests build every one).
    pub fn recipe(&self, path: &str) -> Result<Recipe, ConfigError> {
        let base = match self.base {
            Base::Blank => blank_recipe(),
            Base::StandardWebhooks => standard_webhooks::recipe(),
            Base::Svix => svix::recipe(),
        };
        let broken = || ConfigError::invalid(&format!("{path}.type"), &format!("the `{}` preset is broken; please report it", self.name));
        // Read as the configuration reads a `scheme` table (the same deserializer, so no
        // second copy of its code in the wasm), with the entry's name as its `type`.
        let body = self.scheme.trim().strip_prefix('{').ok_or_else(broken)?;
        let sep = if body.trim_start().starts_with('}') { "" } else { "," };
        let text = format!("{{\"type\":\"{}\"{sep}{body}", self.name);
        let cfg: SchemeConfig = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text)).map_err(|_| broken())?;
        let mut recipe = apply_overrides(base, &cfg, path)?;
        recipe.default_tolerance_secs = self.tolerance_secs;
        Ok(recipe)
    }

    /// Builds the scheme with a source's overrides.
    ///
    /// # Errors
    /// An invalid override.
    pub fn build(&self, cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
        signed(self.recipe(path)?, cfg, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_builds_has_a_unique_name_and_a_doc_link() {
        let mut names: Vec<&str> = CATALOGUE.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len(), "duplicate catalogue names");
        for e in CATALOGUE {
            let recipe = e.recipe("s").unwrap_or_else(|err| panic!("{}: {err}", e.name));
            assert!(!recipe.signature_header.is_empty(), "{}: no signature header", e.name);
            assert!(e.doc.starts_with("https://"), "{}", e.name);
            assert!(super::super::PRESETS.iter().all(|(n, _)| *n != e.name), "{} is also a coded preset", e.name);
        }
    }

    #[test]
    fn a_source_overrides_a_catalogue_entry() {
        let paddle = find("paddle").unwrap();
        let cfg = SchemeConfig { kind: "paddle".into(), signature_header: Some("X-Other".into()), ..SchemeConfig::default() };
        let recipe = apply_overrides(paddle.recipe("s").unwrap(), &cfg, "s").unwrap();
        assert_eq!(recipe.signature_header, "x-other");
        assert_eq!(recipe.default_tolerance_secs, 5);
    }
}
