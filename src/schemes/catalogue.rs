//! The provider catalogue: presets that are data. Each entry is what a user would write in a
//! source's `scheme` table (the same JSON, the same rules), on top of a base recipe, plus
//! its default tolerance, the documentation it was read from and how far we trust it. A
//! source's own `scheme` table then overrides any part, as for every preset.
//!
//! Providers that sign nothing but send a shared credential (a token header, HTTP Basic)
//! are entries too, on [`Base::Token`]: their table holds only `token_header`,
//! `token_query` or `basic_user`, `event_id`, `event_type` and a `handshake` (a source cannot
//! set one there).
//!
//! Providers whose scheme the recipe engine cannot express keep a module of their own
//! (`twilio`, `cowbell`); everything else belongs here (the insurance platforms, whose
//! documentation has no public page to link, keep theirs).

use super::common::IdSource;
use super::{apply_overrides, blank_recipe, cowbell, signed, standard_webhooks, svix, Recipe, Scheme, SchemeConfig};
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
    /// No signature: a shared credential, checked as `type = "cowbell"` checks it (constant
    /// time, every usable key). Without `event_id` the id is a digest of the body.
    Token,
}

/// A documentation link, kept in native builds only (tests, `npm run check`, the README's
/// provider table): the Worker never shows it, and 96 URLs are 6 KB of wasm. In the wasm
/// the link is spent in `CATALOGUE`'s constant evaluation and never stored.
#[cfg(not(target_arch = "wasm32"))]
pub type Doc = &'static str;
/// See the native `Doc`.
#[cfg(target_arch = "wasm32")]
pub type Doc = ();

#[cfg(not(target_arch = "wasm32"))]
const fn doc(url: &'static str) -> Doc {
    url
}

#[cfg(target_arch = "wasm32")]
const fn doc(_url: &'static str) -> Doc {}

/// One provider.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The `type` users write.
    pub name: &'static str,
    /// The provider's documentation of its signatures.
    pub doc: Doc,
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
        doc: doc("https://www.aftership.com/docs/tracking/webhook/webhook-signature"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"aftership-hmac-sha256","encoding":"base64","event_id":{"pointer":"/event_id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "airwallex",
        doc: doc("https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature","signed_content":"{timestamp}{body}","timestamp":{"header":"x-timestamp","format":"unix_ms"},"event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/name"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "alchemy",
        doc: doc("https://www.alchemy.com/docs/reference/notify-api-quickstart"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-alchemy-signature","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "autodesk",
        doc: doc("https://aps.autodesk.com/en/docs/webhooks/v1/tutorials/how-to-verify-payload-signature/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-adsk-signature","prefix":"sha1hash=","algorithm":"hmac-sha1"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "beehiiv",
        doc: doc("https://developers.beehiiv.com/webhooks"),
        trust: Trust::Assumption,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "bigcommerce",
        doc: doc("https://developer.bigcommerce.com/docs/integrations/webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"token_header":"authorization","event_type":{"pointer":"/scope"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "bitbucket",
        doc: doc("https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hub-signature","prefix":"sha256=","event_type":{"header":"x-event-key"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "bolt",
        doc: doc("https://help.bolt.com/developers/webhooks/hook-verification/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-bolt-hmac-sha256","encoding":"base64"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "box",
        doc: doc("https://developer.box.com/guides/webhooks/v2/signatures-v2/"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"box-signature-primary","signed_content":"{body}{timestamp}","encoding":"base64","timestamp":{"header":"box-delivery-timestamp","format":"rfc3339"},"event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/trigger"}}"#,
        tolerance_secs: 600,
    },
    Entry {
        name: "brex",
        doc: doc("https://developer.brex.com/docs/webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"webhook-signature","list":{"item_separator":" ","pair_separator":",","signature_keys":["v1"]},"signed_content":"{id}.{timestamp}.{body}","encoding":"base64","secret_encoding":"base64","timestamp":{"header":"webhook-timestamp"},"event_id":{"header":"webhook-id"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "buildkite",
        doc: doc("https://buildkite.com/docs/apis/webhooks/pipelines"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-buildkite-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["signature"],"timestamp_key":"timestamp"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "calendly",
        doc: doc("https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"calendly-webhook-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointers":["/event","/payload/uri"]},"event_type":{"pointer":"/event"}}"#,
        tolerance_secs: 180,
    },
    Entry {
        name: "castle",
        doc: doc("https://docs.castle.io/docs/webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-castle-signature","encoding":"base64"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "chargebee",
        doc: doc("https://www.chargebee.com/docs/2.0/webhook_settings.html"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"basic_user":"chargebee","event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/event_type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "chargify",
        doc: doc("https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-chargify-webhook-signature-hmac-sha-256","event_id":{"form":"id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "circleci",
        doc: doc("https://circleci.com/docs/outbound-webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"circleci-signature","prefix":"v1=","separator":",","event_id":{"pointer":"/id"},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "clearbit",
        doc: doc("https://dashboard.clearbit.com/docs#webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-request-signature","prefix":"sha1=","algorithm":"hmac-sha1","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "clerk",
        doc: doc("https://clerk.com/docs/webhooks/sync-data"),
        trust: Trust::DocAlgorithm,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "coinbase_commerce",
        doc: doc("https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-cc-webhook-signature","event_id":{"pointer":"/event/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "conformity",
        doc: doc("https://docs.trendmicro.com/en-us/documentation/article/trend-micro-cloud-one-conformity-webhook-communication"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-trendmicro-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "docusign",
        doc: doc("https://developers.docusign.com/platform/webhooks/connect/validate/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-docusign-signature-1","encoding":"base64","event_type":{"pointer":"/event"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "easypost",
        doc: doc("https://docs.easypost.com/guides/webhooks-guide"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hmac-signature","prefix":"hmac-sha256-hex=","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "frameio",
        doc: doc("https://developer.frame.io/platform/docs/guides/webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-frameio-signature","prefix":"v0=","signed_content":"v0:{timestamp}:{body}","timestamp":{"header":"x-frameio-request-timestamp"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "gitlab",
        doc: doc("https://docs.gitlab.com/user/project/integrations/webhooks/"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"token_header":"x-gitlab-token","event_id":{"header":"idempotency-key","required":false},"event_type":{"header":"x-gitlab-event"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "go1",
        doc: doc("https://www.npmjs.com/package/@go1/webhook-verifier-js"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"go1-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 60,
    },
    Entry {
        name: "gocardless",
        doc: doc("https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"webhook-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "guesty",
        doc: doc("https://open-api-docs.guesty.com/docs/webhooks"),
        trust: Trust::Assumption,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "heroku",
        doc: doc("https://devcenter.heroku.com/articles/app-webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"heroku-webhook-hmac-sha256","encoding":"base64","event_id":{"header":"heroku-webhook-id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "hostedhooks",
        doc: doc("https://docs.hostedhooks.com/security/security-features/webhook-signatures"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"hostedhooks-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["s"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "hubspot",
        doc: doc("https://developers.hubspot.com/docs/api/webhooks/validating-requests"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hubspot-signature-v3","signed_content":"POST{url}{body}{timestamp}","encoding":"base64","timestamp":{"header":"x-hubspot-request-timestamp","format":"unix_ms"},"event_id":{"pointer":"/0/eventId","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "incident_io",
        doc: doc("https://docs.incident.io/api-reference/webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "intercom",
        doc: doc("https://developers.intercom.com/docs/references/webhooks/webhook-models"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hub-signature","prefix":"sha1=","algorithm":"hmac-sha1","event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/topic"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "jira",
        doc: doc("https://developer.atlassian.com/cloud/jira/platform/webhooks/"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hub-signature","prefix":"sha256=","event_id":{"header":"x-atlassian-webhook-identifier","required":false},"event_type":{"pointer":"/webhookEvent"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "launchdarkly",
        doc: doc("https://launchdarkly.com/docs/home/connect/webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-ld-signature","event_id":{"pointer":"/_id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "linear",
        doc: doc("https://linear.app/developers/webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"linear-signature","timestamp":{"pointer":"/webhookTimestamp","format":"unix_ms"},"event_type":{"header":"linear-event"}}"#,
        tolerance_secs: 60,
    },
    Entry {
        name: "lithic",
        doc: doc("https://docs.lithic.com/docs/events-api"),
        trust: Trust::Sdk,
        base: Base::StandardWebhooks,
        scheme: r#"{"event_type":{"pointer":"/event_type"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "microsoft_teams",
        doc: doc("https://github.com/OfficeDev/msteams-samples-outgoing-webhook-nodejs/blob/master/app.js"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"authorization","prefix":"HMAC ","encoding":"base64","secret_encoding":"base64","event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "modern_treasury",
        doc: doc("https://docs.moderntreasury.com/platform/reference/webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "mongodb_atlas",
        doc: doc("https://www.mongodb.com/docs/atlas/tutorial/webhook-integration/"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-mms-signature","algorithm":"hmac-sha1","encoding":"base64","event_type":{"header":"x-mms-event"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "mux",
        doc: doc("https://docs.mux.com/core/verify-webhook-signatures"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"mux-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "nango",
        doc: doc("https://nango.dev/docs/guides/platform/webhooks-from-nango"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-nango-hmac-sha256"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "nash",
        doc: doc("https://docs.usenash.com/"),
        trust: Trust::Assumption,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "nexus",
        doc: doc("https://help.sonatype.com/en/webhooks.html"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-nexus-webhook-signature","algorithm":"hmac-sha1","event_id":{"header":"x-nexus-webhook-delivery","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "openai",
        doc: doc("https://platform.openai.com/docs/guides/webhooks"),
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "openclaw",
        doc: doc("https://docs.openclaw.ai/automation/webhook"),
        trust: Trust::Assumption,
        base: Base::Token,
        scheme: r#"{"token_header":"authorization"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "orb",
        doc: doc("https://docs.withorb.com/guides/integrations-and-exports/webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-orb-signature","prefix":"v1=","separator":" ","signed_content":"v1:{timestamp}:{body}","timestamp":{"header":"x-orb-timestamp","format":"iso8601"},"event_id":{"pointer":"/id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "orbit",
        doc: doc("https://docs.orbit.love/docs/webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-orbit-signature","event_id":{"pointer":"/data/id","required":false}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "paddle",
        doc: doc("https://developer.paddle.com/webhooks/signature-verification"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"paddle-signature","list":{"item_separator":";","pair_separator":"=","signature_keys":["h1"],"timestamp_key":"ts"},"signed_content":"{timestamp}:{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/event_id"},"event_type":{"pointer":"/event_type"}}"#,
        tolerance_secs: 5,
    },
    Entry {
        name: "pagerduty",
        doc: doc("https://developer.pagerduty.com/docs/webhooks/webhook-signatures"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-pagerduty-signature","prefix":"v1=","separator":",","event_id":{"pointer":"/event/id","required":false},"event_type":{"pointer":"/event/event_type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "pandadoc",
        doc: doc("https://developers.pandadoc.com/docs/webhook-verification"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_query":"signature","event_type":{"pointer":"/0/event"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "persona",
        doc: doc("https://docs.withpersona.com/docs/webhooks-best-practices"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"persona-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/data/id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "pinwheel",
        doc: doc("https://docs.pinwheelapi.com/docs/webhook-signature-verification"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-pinwheel-signature","prefix":"v2=","signed_content":"v2:{timestamp}:{body}","timestamp":{"header":"x-timestamp"},"event_id":{"pointer":"/event_id","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "pleo",
        doc: doc("https://developers.pleo.io/reference/webhooks-authentication-authorisation"),
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "port",
        doc: doc("https://docs.getport.io/actions-and-automations/setup-backend/webhook/signature-verification/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-port-signature","list":{"item_separator":" ","pair_separator":",","signature_keys":["v1"]},"signed_content":"{timestamp}.{body}","encoding":"base64","timestamp":{"header":"x-port-timestamp"},"event_id":{"pointer":"/context/runId","required":false}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "postmark",
        doc: doc("https://postmarkapp.com/developer/webhooks/webhooks-overview"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"basic_user":"postmark","event_type":{"pointer":"/RecordType"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "psi_fi",
        doc: doc("https://docs.psi-fi.com/"),
        trust: Trust::Assumption,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "pusher",
        doc: doc("https://pusher.com/docs/channels/server_api/webhooks/"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-pusher-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "razorpay",
        doc: doc("https://razorpay.com/docs/webhooks/validate-test/"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-razorpay-signature","event_id":{"header":"x-razorpay-event-id","required":false},"event_type":{"pointer":"/event"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "render",
        doc: doc("https://render.com/docs/webhooks"),
        trust: Trust::Assumption,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "replicate",
        doc: doc("https://replicate.com/docs/topics/webhooks/verify-webhook"),
        trust: Trust::DocExample,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "resend",
        doc: doc("https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests"),
        trust: Trust::DocExample,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "rutter",
        doc: doc("https://docs.rutterapi.com/docs/webhook-security"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-rutter-signature","prefix":"sha256=","encoding":"base64"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "safebase",
        doc: doc("https://docs.safebase.io/"),
        trust: Trust::Assumption,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "sardine",
        doc: doc("https://docs.payments.sardine.ai/guides/integration/payments/nftCheckout/integrationGuide/webhook-support"),
        trust: Trust::Assumption,
        base: Base::StandardWebhooks,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "segment",
        doc: doc("https://segment.com/docs/connections/destinations/catalog/actions-webhook/"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature","algorithm":"hmac-sha1","event_id":{"pointer":"/messageId","required":false},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 0,
    },
    // SendGrid's Event Webhook: ECDSA P-256 / SHA-256 of `<timestamp><body>`, base64 DER,
    // checked with the dashboard's verification key. No event id: a delivery is a batch (a
    // JSON array, each event with its `sg_event_id`), so dedupe keys on a digest of the
    // signed body; the origin dedupes single events on `sg_event_id`. SendGrid documents no
    // tolerance: 5 min, as Discord's.
    Entry {
        name: "sendgrid",
        doc: doc("https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-twilio-email-event-webhook-signature","signed_content":"{timestamp}{body}","timestamp":{"header":"x-twilio-email-event-webhook-timestamp"},"algorithm":"ecdsa-p256-sha256","encoding":"base64","secret_encoding":"ecdsa_p256_spki"}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "sentry",
        doc: doc("https://docs.sentry.io/organization/integrations/integration-platform/webhooks/"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"sentry-hook-signature","event_id":{"header":"request-id","required":false}}"#,
        tolerance_secs: 0,
    },
    // `X-Shopify-Triggered-At` is not signed, so there is no timestamp: replays are stopped by
    // dedupe on `X-Shopify-Webhook-Id`, which stays the same across Shopify's retries.
    Entry {
        name: "shopify",
        doc: doc("https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-shopify-hmac-sha256","encoding":"base64","event_id":{"header":"x-shopify-webhook-id"},"event_type":{"header":"x-shopify-topic"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "signal_sciences",
        doc: doc("https://docs.fastly.com/signalsciences/integrations/generic-webhooks/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-sigsci-signature","event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 0,
    },
    // Only Events API callbacks carry `event_id`; slash commands and interactivity fall back
    // to a body digest. The type is the inner event's: the outer `/type` is `event_callback`.
    Entry {
        name: "slack",
        doc: doc("https://api.slack.com/authentication/verifying-requests-from-slack"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-slack-signature","prefix":"v0=","signed_content":"v0:{timestamp}:{body}","timestamp":{"header":"x-slack-request-timestamp"},"event_id":{"pointer":"/event_id","required":false},"handshake":"slack_url_verification","event_type":{"pointer":"/event/type"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "square",
        doc: doc("https://developer.squareup.com/docs/webhooks/step3validate"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-square-hmacsha256-signature","signed_content":"{url}{body}","encoding":"base64","event_id":{"pointer":"/event_id","required":false},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 0,
    },
    // The secret is the whole `whsec_…` string's bytes (not base64-decoded). Several `v1` appear
    // during a secret roll, any may match; `v0` (test-mode legacy) is ignored.
    Entry {
        name: "stripe",
        doc: doc("https://docs.stripe.com/webhooks#verify-manually"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"stripe-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true},"event_id":{"pointer":"/id"},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "stytch",
        doc: doc("https://stytch.com/docs/b2b/guides/webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::Svix,
        scheme: "{}",
        tolerance_secs: 300,
    },
    Entry {
        name: "tailscale",
        doc: doc("https://tailscale.com/kb/1213/webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"tailscale-webhook-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "telnyx",
        doc: doc("https://developers.telnyx.com/docs/development/api-fundamentals/webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"telnyx-signature-ed25519","signed_content":"{timestamp}|{body}","timestamp":{"header":"telnyx-timestamp"},"algorithm":"ed25519","encoding":"base64","secret_encoding":"ed25519_base64","event_id":{"pointer":"/data/id","required":false},"event_type":{"pointer":"/data/event_type"}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "terraform",
        doc: doc("https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-tfe-notification-signature","algorithm":"hmac-sha512"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "tiktok",
        doc: doc("https://developers.tiktok.com/doc/webhooks-verification"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"tiktok-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["s"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "typeform",
        doc: doc("https://www.typeform.com/developers/webhooks/secure-your-webhooks/"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"typeform-signature","prefix":"sha256=","encoding":"base64","event_id":{"pointer":"/event_id","required":false},"event_type":{"pointer":"/event_type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "vapi",
        doc: doc("https://docs.vapi.ai/server-url/server-authentication"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"token_header":"x-vapi-secret","event_type":{"pointer":"/message/type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "vercel",
        doc: doc("https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-vercel-signature","algorithm":"hmac-sha1","event_id":{"pointer":"/id"},"event_type":{"pointer":"/type"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "veriff",
        doc: doc("https://devdocs.veriff.com/docs/hmac-authentication-and-endpoint-security"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-hmac-signature"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "vmware_workspace_one",
        doc: doc("https://docs.omnissa.com/bundle/WorkspaceONE-UEM-Console-BasicsVSaaS/page/EventNotifications.html"),
        trust: Trust::Assumption,
        base: Base::Token,
        scheme: r#"{"basic_user":"workspace_one"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "webex",
        doc: doc("https://developer.webex.com/docs/receive-and-verify-webhooks"),
        trust: Trust::Assumption,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-spark-signature","algorithm":"hmac-sha1"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "woocommerce",
        doc: doc("https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-wc-webhook-signature","encoding":"base64","event_id":{"header":"x-wc-webhook-delivery-id","required":false},"event_type":{"header":"x-wc-webhook-topic"}}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "workos",
        doc: doc("https://workos.com/docs/events/data-syncing/webhooks"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"workos-signature","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true,"format":"unix_ms"},"event_id":{"pointer":"/id"},"event_type":{"pointer":"/event"}}"#,
        tolerance_secs: 180,
    },
    Entry {
        name: "zendesk",
        doc: doc("https://developer.zendesk.com/documentation/webhooks/verifying/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-zendesk-webhook-signature","signed_content":"{timestamp}{body}","encoding":"base64","timestamp":{"header":"x-zendesk-webhook-signature-timestamp","format":"rfc3339"}}"#,
        tolerance_secs: 300,
    },
    // Providers that check the URL before they deliver: each entry names its handshake
    // (src/handshake.rs), answered at the edge.
    Entry {
        name: "adobe_sign",
        doc: doc("https://helpx.adobe.com/sign/developer/webhook/overview.html"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"token_header":"x-adobesign-clientid","event_id":{"pointer":"/webhookNotificationId","required":false},"event_type":{"pointer":"/event"},"handshake":"adobe_sign_client_id"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "discord",
        doc: doc("https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers"),
        trust: Trust::Sdk,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-signature-ed25519","signed_content":"{timestamp}{body}","timestamp":{"header":"x-signature-timestamp"},"algorithm":"ed25519","secret_encoding":"ed25519_hex","event_id":{"pointer":"/id","required":false},"handshake":"discord_ping"}"#,
        tolerance_secs: 300,
    },
    Entry {
        name: "dropbox",
        doc: doc("https://www.dropbox.com/developers/reference/webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-dropbox-signature","handshake":"dropbox_challenge"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "facebook",
        doc: doc("https://developers.facebook.com/docs/graph-api/webhooks/getting-started"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "facebook_messenger",
        doc: doc("https://developers.facebook.com/docs/messenger-platform/webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "instagram",
        doc: doc("https://developers.facebook.com/docs/instagram-platform/webhooks"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "mailchimp",
        doc: doc("https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/"),
        trust: Trust::DocAlgorithm,
        base: Base::Token,
        scheme: r#"{"token_query":"secret","event_type":{"form":"type"},"handshake":"mailchimp_url_validation"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "twitter",
        doc: doc("https://docs.x.com/x-api/webhooks/quickstart"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: X,
        tolerance_secs: 0,
    },
    Entry {
        name: "whatsapp",
        doc: doc("https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: META,
        tolerance_secs: 0,
    },
    Entry {
        name: "worldline",
        doc: doc("https://docs.connect.worldline-solutions.com/documentation/webhooks/event-structure/"),
        trust: Trust::DocAlgorithm,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-gcs-signature","encoding":"base64","event_id":{"pointer":"/id","required":false},"event_type":{"pointer":"/type"},"handshake":"worldline_endpoint_verification"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "x",
        doc: doc("https://docs.x.com/x-api/webhooks/quickstart"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: X,
        tolerance_secs: 0,
    },
    Entry {
        name: "xero",
        doc: doc("https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-xero-signature","encoding":"base64","handshake":"xero_intent_to_receive"}"#,
        tolerance_secs: 0,
    },
    Entry {
        name: "zoom",
        doc: doc("https://developers.zoom.us/docs/api/webhooks/"),
        trust: Trust::DocExample,
        base: Base::Blank,
        scheme: r#"{"signature_header":"x-zm-signature","prefix":"v0=","signed_content":"v0:{timestamp}:{body}","timestamp":{"header":"x-zm-request-timestamp"},"handshake":"zoom_url_validation","event_type":{"pointer":"/event"}}"#,
        tolerance_secs: 300,
    },
];

/// Meta's Graph API webhooks, shared by `facebook`, `facebook_messenger`, `instagram` and
/// `whatsapp`: one scheme, four names, so a source is named after the product whose dashboard
/// it is set up in.
const META: &str = r#"{"signature_header":"x-hub-signature-256","prefix":"sha256=","handshake":"meta_verify_token"}"#;
/// X (Twitter) Account Activity webhooks, `twitter` and `x`.
const X: &str = r#"{"signature_header":"x-twitter-webhooks-signature","prefix":"sha256=","encoding":"base64","handshake":"twitter_crc"}"#;

/// The entry named `name`.
#[must_use]
pub fn find(name: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.name == name)
}

impl Entry {
    /// The entry's `scheme` table, read as the configuration reads one (the same reader,
    /// so no second copy of its code in the wasm), with its name as `type`.
    fn config(&self, path: &str) -> Result<SchemeConfig, ConfigError> {
        let body = self.scheme.trim().strip_prefix('{').ok_or_else(|| self.broken(path))?;
        let sep = if body.trim_start().starts_with('}') { "" } else { "," };
        let text = format!("{{\"type\":\"{}\"{sep}{body}", self.name);
        crate::json_read::read(&text).map_err(|_| self.broken(path))
    }

    fn broken(&self, path: &str) -> ConfigError {
        ConfigError::invalid(&format!("{path}.type"), &format!("the `{}` preset is broken; please report it", self.name))
    }

    /// The entry's recipe before a source's overrides.
    ///
    /// # Errors
    /// For a broken entry (the tests build every one), or one on [`Base::Token`], which
    /// has no recipe.
    pub fn recipe(&self, path: &str) -> Result<Recipe, ConfigError> {
        let base = match self.base {
            Base::Blank => blank_recipe(),
            Base::StandardWebhooks => standard_webhooks::recipe(),
            Base::Svix => svix::recipe(),
            Base::Token => {
                return Err(ConfigError::invalid(&format!("{path}.type"), &format!("the `{}` preset signs nothing: it has no recipe", self.name)))
            }
        };
        let cfg = self.config(path)?;
        let mut recipe = apply_overrides(base, &cfg, path)?;
        recipe.default_tolerance_secs = self.tolerance_secs;
        Ok(recipe)
    }

    /// Builds the scheme with a source's overrides. On [`Base::Token`], a source that names
    /// its own credential (`token_header`, `token_query` or `basic_user`) replaces the
    /// entry's, and its `event_id` replaces the entry's; any signature option is refused.
    ///
    /// # Errors
    /// An invalid override.
    pub fn build(&self, cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
        if self.base != Base::Token {
            return signed(self.recipe(path)?, cfg, path);
        }
        let entry = self.config(path)?;
        let mut merged = cfg.clone();
        if cfg.token_header.is_none() && cfg.token_query.is_none() && cfg.basic_user.is_none() {
            merged.token_header = entry.token_header;
            merged.token_query = entry.token_query;
            merged.basic_user = entry.basic_user;
        }
        if merged.event_id.is_none() {
            merged.event_id = entry.event_id;
        }
        if merged.event_type.is_none() {
            merged.event_type = entry.event_type;
        }
        cowbell::build_with(&merged, path, IdSource::None, entry.handshake)
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
            if e.base == Base::Token {
                let scheme = e.build(&SchemeConfig { kind: e.name.into(), ..SchemeConfig::default() }, "s").unwrap_or_else(|err| panic!("{}: {err}", e.name));
                assert_eq!(scheme.replay().coverage, super::super::Coverage::Token, "{}", e.name);
                assert_eq!(e.tolerance_secs, 0, "{}: a shared token has no timestamp", e.name);
            } else {
                let recipe = e.recipe("s").unwrap_or_else(|err| panic!("{}: {err}", e.name));
                assert!(!recipe.signature_header.is_empty() || recipe.signature_query.is_some(), "{}: no signature header", e.name);
            }
            #[cfg(not(target_arch = "wasm32"))]
            assert!(e.doc.starts_with("https://"), "{}", e.name);
            assert!(super::super::PRESETS.iter().all(|(n, _)| *n != e.name), "{} is also a coded preset", e.name);
        }
    }

    #[test]
    fn a_token_entry_checks_its_credential_and_a_source_may_move_it() {
        use crate::inbound::Inbound;
        use crate::keys::{Key, KeyMaterial, Secret};
        use crate::reason::Rejection;
        let gitlab = find("gitlab").unwrap();
        let cfg = |extra: &str| -> SchemeConfig { crate::json_read::read(&format!(r#"{{"type":"gitlab"{extra}}}"#)).unwrap() };
        let key = Key { label: "k".into(), material: KeyMaterial::Secret(Secret::new(b"glpat-hook".to_vec())), not_after_secs: None };
        let headers = vec![("x-gitlab-token".to_string(), "glpat-hook".to_string()), ("idempotency-key".to_string(), "d-1".to_string())];
        let req = Inbound { method: "POST", url: "https://h/hooks/gitlab", headers: &headers, body: b"{}", client_ip: None };
        let crypto = crate::crypto::CoreCrypto;
        let verified = gitlab.build(&cfg(""), "s").unwrap().verify(&req, &[&key], 0, 1000, &crypto).unwrap();
        assert_eq!(verified.event_id.as_deref(), Some("d-1"));
        assert_eq!(verified.key_label.as_deref(), Some("k"));
        // A source's own credential replaces the entry's: the header is no longer read.
        let moved = gitlab.build(&cfg(r#","token_query":"t""#), "s").unwrap();
        assert_eq!(moved.verify(&req, &[&key], 0, 1000, &crypto), Err(Rejection::CredentialsMissing));
        // Its own event id replaces the entry's.
        let no_id = gitlab.build(&cfg(r#","event_id":{"header":"x-other","required":false}"#), "s").unwrap();
        assert_eq!(no_id.verify(&req, &[&key], 0, 1000, &crypto).unwrap().event_id, None);
        // Signature options mean nothing to a shared token.
        assert_eq!(gitlab.build(&cfg(r#","signature_header":"x-sig""#), "s").unwrap_err().path(), "s.signature_header");
        assert!(gitlab.recipe("s").is_err(), "a token entry has no recipe");
        // Without an event id in its table, the id is a digest of the body (not Cowbell's).
        let postmark = find("postmark").unwrap().build(&SchemeConfig { kind: "postmark".into(), ..SchemeConfig::default() }, "s").unwrap();
        let basic = format!("Basic {}", crate::base64::STANDARD.encode("postmark:glpat-hook"));
        let headers = vec![("authorization".to_string(), basic)];
        let req = Inbound { headers: &headers, ..req };
        assert_eq!(postmark.verify(&req, &[&key], 0, 1000, &crypto).unwrap().event_id, None);
    }

    #[test]
    fn a_token_handshake_comes_with_its_entry_only() {
        use crate::handshake::Handshake;
        let build = |json: &str| -> Result<Box<dyn Scheme>, ConfigError> {
            let cfg: SchemeConfig = crate::json_read::read(json).unwrap();
            super::super::build(&cfg, "s")
        };
        assert_eq!(build(r#"{"type":"mailchimp"}"#).unwrap().handshake(), Some(Handshake::MailchimpUrlValidation));
        assert_eq!(build(r#"{"type":"adobe_sign"}"#).unwrap().handshake(), Some(Handshake::AdobeSignClientId));
        assert_eq!(build(r#"{"type":"worldline"}"#).unwrap().handshake(), Some(Handshake::WorldlineEndpointVerification));
        // Moving the credential keeps the handshake; setting one on a token entry is refused.
        assert_eq!(build(r#"{"type":"mailchimp","token_query":"key"}"#).unwrap().handshake(), Some(Handshake::MailchimpUrlValidation));
        assert_eq!(build(r#"{"type":"gitlab","handshake":"mailchimp_url_validation"}"#).unwrap_err().path(), "s.handshake");
        // A signed scheme's keys are MAC secrets: never compared with or echoed as a token.
        for kind in ["mailchimp_url_validation", "adobe_sign_client_id", "okta_verification"] {
            let err = build(&format!(r#"{{"type":"hmac","signature_header":"x-sig","handshake":"{kind}"}}"#)).unwrap_err();
            assert_eq!(err.path(), "s.handshake", "{kind}");
        }
        assert!(build(r#"{"type":"hmac","signature_header":"x-sig","handshake":"worldline_endpoint_verification"}"#).is_ok());
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
