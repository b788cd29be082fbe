//! Signature schemes: one module per provider, one line each in [`PRESETS`].
//!
//! Most presets are a [`Recipe`] (data) run by the shared engine in [`common`]; a source's
//! `scheme` table can override any part of it, and `type = "hmac"` starts from an empty
//! recipe, so every preset is also expressible as the configurable scheme.

pub mod catalogue;
pub mod common;

pub mod adyen;
pub mod bindpilot;
pub mod checkbook;
pub mod contentful;
pub mod cowbell;
pub mod coverkit;
pub mod custom;
pub mod github;
pub mod hygraph;
pub mod mailgun;
pub mod okta;
pub mod orum;
pub mod paypal;
pub mod plivo;
pub mod sendpilot;
pub mod sns;
pub mod standard_webhooks;
pub mod svix;
pub mod twilio;

use crate::json::Value;

use crate::config::{sub, ConfigError};
use crate::json_read::{FromJson, Obj};
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::keys::Key;
use crate::reason::Rejection;
pub use common::{Encoding, Field, IdSource, ListFormat, Recipe, SecretEncoding, SignatureFormat, TimeFormat, TimestampSource};

/// What a verified request yields.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Verified {
    /// The provider's event id, if the scheme has one (else the pipeline uses a body digest).
    pub event_id: Option<String>,
    /// The authentic timestamp (unix seconds), if the scheme has one.
    pub timestamp: Option<i64>,
    /// Label of the key that matched, `None` for schemes without keys.
    pub key_label: Option<String>,
    /// The answer to a handshake (the provider checking the URL): sent at the edge
    /// instead of handing the request on, and never remembered.
    pub handshake: Option<crate::handshake::Reply>,
    /// SHA-256 (hex) of what the provider signed, less its timestamp, when the event id is
    /// not covered by the signature: dedupe keys on it, so a captured request re-sent with
    /// a fresh unsigned id is still a duplicate. `None` when the id is signed (or the scheme
    /// is a shared token, where whoever holds it can send anything).
    pub signed_digest: Option<String>,
    /// Set when the request is authentic but its event id is not where the source's
    /// configuration says, inside the signed content: the provider really sent it that way,
    /// so the fault is the configuration's. Answered 503 so the provider retries until the
    /// setting is fixed, never a final 4xx.
    pub id_fault: Option<Rejection>,
    /// Amazon SNS with `subscription_confirmation = "at_edge"`: the verified
    /// `SubscriptionConfirmation`'s `SubscribeURL` (it passed the same host rule as the
    /// certificate), for the Worker to GET instead of handing the message on.
    pub confirm_url: Option<sns::SubscribeUrl>,
    /// A header hookgate's answer must carry (Adobe Sign's client id, see
    /// [`crate::handshake::Handshake::echo_header`]); boxed, as it is rare.
    pub echo_header: Option<Box<(&'static str, String)>>,
}

/// What a scheme's proof covers: this decides what stops a captured request from being
/// handed on again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The event id is inside the signed content: dedupe keys on the id.
    SignedId,
    /// The id is outside the signed content, or there is none: dedupe keys on a digest of
    /// the signed content (without its timestamp, so the provider's retries still match).
    SignedContent,
    /// A shared token and no signature: a captured request gives away the token itself.
    Token,
}

/// How a scheme resists replays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replay {
    /// What dedupe keys on.
    pub coverage: Coverage,
    /// Whether a timestamp is inside the signed content (then the tolerance bounds replays).
    pub signed_timestamp: bool,
}

/// A way of proving a request came from the provider.
pub trait Scheme: std::fmt::Debug + Send + Sync {
    /// Verifies one request with the keys usable now.
    ///
    /// # Errors
    /// A [`Rejection`] naming the first fault found; see each scheme for its order.
    fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        tolerance_secs: u64,
        now_secs: u64,
        crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection>;

    /// Tolerance for the timestamp when the source sets none (0: no window).
    fn default_tolerance_secs(&self) -> u64;

    /// How this scheme's secrets are read from their configured strings.
    fn secret_encoding(&self) -> SecretEncoding;

    /// What its proof covers.
    fn replay(&self) -> Replay;

    /// The provider's URL check this scheme answers, if any.
    fn handshake(&self) -> Option<crate::handshake::Handshake> {
        None
    }

    /// Whether a source of this scheme needs configured keys (Amazon SNS needs none: the key
    /// is in AWS's certificate).
    fn needs_keys(&self) -> bool {
        true
    }

    /// Where the provider puts its own event type (`X-GitHub-Event`, body `/type`), for
    /// event filters (see [`crate::filter`]); `None` when it has none we know of.
    fn event_type(&self) -> Option<&Field> {
        None
    }
}

impl Scheme for Recipe {
    fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        tolerance_secs: u64,
        now_secs: u64,
        crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection> {
        Recipe::verify(self, req, keys, tolerance_secs, now_secs, crypto)
    }

    fn default_tolerance_secs(&self) -> u64 {
        self.default_tolerance_secs
    }

    fn secret_encoding(&self) -> SecretEncoding {
        self.secret_encoding
    }

    fn replay(&self) -> Replay {
        Recipe::replay(self)
    }

    fn handshake(&self) -> Option<crate::handshake::Handshake> {
        self.handshake
    }

    fn event_type(&self) -> Option<&Field> {
        self.event_type.as_ref()
    }
}

impl Replay {
    /// What stops a replay under the default settings, as the README's preset table says it.
    #[must_use]
    pub fn summary(self) -> &'static str {
        match (self.coverage, self.signed_timestamp) {
            (Coverage::SignedId, true) => "signed timestamp, then the signed id (3 d)",
            (Coverage::SignedId, false) => "the signed id (30 d)",
            (Coverage::SignedContent, true) => "signed timestamp, then a digest of the signed content (3 d)",
            (Coverage::SignedContent, false) => "a digest of the signed content (30 d)",
            (Coverage::Token, _) => "nothing: a shared token, no signature",
        }
    }
}

/// Builds a scheme from a source's `scheme` table.
type Builder = fn(&SchemeConfig, &str) -> Result<Box<dyn Scheme>, ConfigError>;

/// Every preset, by its `type` name. Adding a provider adds one line here.
pub const PRESETS: &[(&str, Builder)] = &[
    ("adyen", adyen::build),
    ("bindpilot", bindpilot::build),
    ("checkbook", checkbook::build),
    ("contentful", contentful::build),
    ("cowbell", cowbell::build),
    ("coverkit", coverkit::build),
    ("amazon_sns", sns::build),
    ("github", github::build),
    ("hmac", custom::build),
    ("hygraph", hygraph::build),
    ("mailgun", mailgun::build),
    ("okta", okta::build),
    ("orum", orum::build),
    ("paypal", paypal::build),
    ("plivo", plivo::build),
    ("sendpilot", sendpilot::build),
    ("standard_webhooks", standard_webhooks::build),
    ("svix", svix::build),
    ("twilio", twilio::build),
];

/// Every preset's `type` name: the coded ones, then the catalogue's.
pub fn preset_names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|(n, _)| *n).chain(catalogue::CATALOGUE.iter().map(|e| e.name))
}

/// Builds the scheme a source configures.
///
/// # Errors
/// `ConfigError` naming `field` for an unknown type or an invalid override.
pub fn build(cfg: &SchemeConfig, field: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    if let Some((_, builder)) = PRESETS.iter().find(|(name, _)| *name == cfg.kind) {
        return builder(cfg, field);
    }
    if let Some(entry) = catalogue::find(&cfg.kind) {
        return entry.build(cfg, field);
    }
    let names: Vec<&str> = preset_names().collect();
    let kind: String = cfg.kind.chars().take(40).collect();
    Err(ConfigError::invalid_at(field, "type", &format!("unknown scheme `{kind}` (known: {})", names.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's preset table states, per preset, what stops a replay; it must match
    /// what each scheme's signature really covers.
    #[test]
    fn the_readme_preset_table_says_what_stops_a_replay() {
        let readme = include_str!("../../README.md");
        for name in preset_names().filter(|n| *n != "hmac") {
            // PayPal cannot be built without its webhook id.
            let webhook_id = (name == "paypal").then(|| "WH1".to_string());
            let scheme = build(&SchemeConfig { kind: name.into(), webhook_id, ..SchemeConfig::default() }, "s").unwrap();
            let row = readme.lines().find(|l| l.starts_with(&format!("| `{name}` |"))).unwrap_or_else(|| panic!("no README row for {name}"));
            let last = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
            assert_eq!(last, scheme.replay().summary(), "README row of {name}");
        }
    }
}

/// A source's `scheme` table: the preset's `type` plus any overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemeConfig {
    /// Preset name (`stripe`, `github`, ...), or `hmac` for a fully configured scheme.
    pub kind: String,
    /// Header that carries the signature.
    pub signature_header: Option<String>,
    /// Query parameter that carries the signature instead of a header.
    pub signature_query: Option<String>,
    /// Text before each signature (`sha256=`).
    pub prefix: Option<String>,
    /// Separator between several plain signatures.
    pub separator: Option<String>,
    /// The header is a `k=v` list instead of plain signatures.
    pub list: Option<ListFormat>,
    /// Template of the signed content: `{body}`, `{timestamp}`, `{id}`, `{url}`, `{header:NAME}`.
    pub signed_content: Option<String>,
    /// `hmac-sha256`, `hmac-sha1`, `hmac-sha512`, `ed25519` or `ecdsa-p256-sha256`.
    pub algorithm: Option<Algorithm>,
    /// `hex`, `base64` or `base64url`.
    pub encoding: Option<Encoding>,
    /// `raw`, `base64` or `whsec`.
    pub secret_encoding: Option<SecretEncoding>,
    /// Where the timestamp is and how it is written.
    pub timestamp: Option<FieldConfig>,
    /// Where the event id is.
    pub event_id: Option<FieldConfig>,
    /// Public URL of this source, when the Worker sits behind another host name.
    pub public_url: Option<String>,
    /// GitHub: also accept the legacy SHA-1 `X-Hub-Signature`.
    pub allow_sha1: Option<bool>,
    /// Amazon SNS: `forward` a verified `SubscriptionConfirmation` to the origin (the
    /// default), or confirm it `at_edge` (GET its `SubscribeURL`).
    pub subscription_confirmation: Option<sns::Subscription>,
    /// Amazon SNS: certificates pinned by URL (`SigningCertURL` -> PEM), used instead of
    /// fetching them.
    pub certificates: Option<crate::sorted_map::SortedMap<String, String>>,
    /// PayPal: the webhook's id, as the Developer Portal shows it (it is inside what PayPal
    /// signs).
    pub webhook_id: Option<String>,
    /// Unsigned sources: header carrying the shared token.
    pub token_header: Option<String>,
    /// Unsigned sources: query parameter carrying the shared token.
    pub token_query: Option<String>,
    /// Unsigned sources: HTTP Basic user name (the password is the secret).
    pub basic_user: Option<String>,
    /// The provider's URL check to answer at the edge (`twitter_crc`, `dropbox_challenge`, ...).
    pub handshake: Option<crate::handshake::Handshake>,
    /// Where the provider's event type is, for event filters: one of `header`, `pointer`,
    /// `query`, `form`.
    pub event_type: Option<FieldConfig>,
}

/// Where a value is: exactly one of `header`, `pointer`, `pointers`, `query`, `form`,
/// `signature_list`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldConfig {
    /// A request header.
    pub header: Option<String>,
    /// A JSON pointer into the body, such as `/data/id`.
    pub pointer: Option<String>,
    /// Several JSON pointers joined with `:` (event ids only).
    pub pointers: Option<Vec<String>>,
    /// A query parameter.
    pub query: Option<String>,
    /// A form parameter of a urlencoded body.
    pub form: Option<String>,
    /// The timestamp key of the signature list (`t=`).
    pub signature_list: Option<bool>,
    /// Timestamp format: `unix`, `unix_ms`, `rfc3339` or `iso8601` (UTC without an offset).
    pub format: Option<TimeFormat>,
    /// Event id: reject the request when absent (default true).
    pub required: Option<bool>,
}

impl FromJson for SchemeConfig {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        const FIELDS: &[&str] = &[
            "type", "signature_header", "signature_query", "prefix", "separator", "list", "signed_content", "algorithm", "encoding", "secret_encoding",
            "timestamp", "event_id", "public_url", "allow_sha1", "subscription_confirmation", "certificates", "webhook_id", "token_header", "token_query",
            "basic_user", "handshake", "event_type",
        ];
        let mut o = Obj::new(value, path, "struct SchemeConfig", FIELDS)?;
        let read = Self {
            kind: o.req("type"),
            signature_header: o.opt("signature_header"),
            signature_query: o.opt("signature_query"),
            prefix: o.opt("prefix"),
            separator: o.opt("separator"),
            list: o.opt("list"),
            signed_content: o.opt("signed_content"),
            algorithm: o.opt("algorithm"),
            encoding: o.opt("encoding"),
            secret_encoding: o.opt("secret_encoding"),
            timestamp: o.opt("timestamp"),
            event_id: o.opt("event_id"),
            public_url: o.opt("public_url"),
            allow_sha1: o.opt("allow_sha1"),
            subscription_confirmation: o.opt("subscription_confirmation"),
            certificates: o.opt("certificates"),
            webhook_id: o.opt("webhook_id"),
            token_header: o.opt("token_header"),
            token_query: o.opt("token_query"),
            basic_user: o.opt("basic_user"),
            handshake: o.opt("handshake"),
            event_type: o.opt("event_type"),
        };
        o.done(read)
    }
}

impl FromJson for FieldConfig {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        const FIELDS: &[&str] = &["header", "pointer", "pointers", "query", "form", "signature_list", "format", "required"];
        let mut o = Obj::new(value, path, "struct FieldConfig", FIELDS)?;
        let read = Self {
            header: o.opt("header"),
            pointer: o.opt("pointer"),
            pointers: o.opt("pointers"),
            query: o.opt("query"),
            form: o.opt("form"),
            signature_list: o.opt("signature_list"),
            format: o.opt("format"),
            required: o.opt("required"),
        };
        o.done(read)
    }
}

impl FieldConfig {
    fn field(&self, path: &str) -> Result<Field, ConfigError> {
        if let Some(p) = &self.pointer {
            if !(p.is_empty() || p.starts_with('/')) {
                return Err(ConfigError::invalid_at(path, "pointer", "a JSON pointer starts with `/`"));
            }
        }
        // One match on which are set, rather than collecting them in a `Vec`.
        Ok(match (&self.header, &self.pointer, &self.query, &self.form, self.signature_list == Some(true)) {
            (Some(h), None, None, None, false) => Field::Header(h.to_ascii_lowercase()),
            (None, Some(p), None, None, false) => Field::Pointer(p.clone()),
            (None, None, Some(q), None, false) => Field::Query(q.clone()),
            (None, None, None, Some(f), false) => Field::Form(f.clone()),
            (None, None, None, None, true) => Field::SignatureList,
            _ => return Err(ConfigError::invalid(path, "set exactly one of header, pointer, query, form, signature_list")),
        })
    }

    /// A timestamp source (format defaults to unix seconds).
    ///
    /// # Errors
    /// No or several locations, or `pointers`/`required` on a timestamp.
    pub fn timestamp(&self, path: &str) -> Result<TimestampSource, ConfigError> {
        if self.pointers.is_some() || self.required.is_some() {
            return Err(ConfigError::invalid(path, "`pointers` and `required` apply to event_id only"));
        }
        Ok(TimestampSource { field: self.field(path)?, format: self.format.unwrap_or(TimeFormat::Unix) })
    }

    /// An event type source (for event filters): `header`, `pointer`, `query` or `form`.
    ///
    /// # Errors
    /// No or several locations, or an option that applies to timestamps or ids only.
    pub fn event_type(&self, path: &str) -> Result<Field, ConfigError> {
        if self.pointers.is_some() || self.required.is_some() || self.format.is_some() || self.signature_list.is_some() {
            return Err(ConfigError::invalid(path, "an event type is one of header, pointer, query, form (no pointers, required, format or signature_list)"));
        }
        self.field(path)
    }

    /// An event id source.
    ///
    /// # Errors
    /// No or several locations, or a `format`.
    pub fn event_id(&self, path: &str) -> Result<IdSource, ConfigError> {
        if self.format.is_some() || self.signature_list.is_some() {
            return Err(ConfigError::invalid(path, "`format` and `signature_list` apply to timestamp only"));
        }
        if let Some(pointers) = &self.pointers {
            let only = self.header.is_none() && self.pointer.is_none() && self.query.is_none() && self.form.is_none();
            if !only || pointers.is_empty() || pointers.iter().any(|p| !p.starts_with('/')) {
                return Err(ConfigError::invalid(path, "`pointers` is a non-empty list of JSON pointers, alone"));
            }
            return Ok(IdSource::Composite(pointers.clone()));
        }
        Ok(IdSource::Field { field: self.field(path)?, required: self.required.unwrap_or(true) })
    }
}

/// Applies a source's overrides to a preset's recipe. Every part of a recipe can be
/// overridden, so an assumption in a preset (CoverKit's) never locks a user in.
///
/// # Errors
/// An invalid template or field, or an option that does not apply to signed schemes.
pub fn apply_overrides(mut r: Recipe, cfg: &SchemeConfig, path: &str) -> Result<Recipe, ConfigError> {
    // Static names beside run-time flags, as in `reject_recipe_options`.
    const NOT_SIGNED: [&str; 7] = ["token_header", "token_query", "basic_user", "allow_sha1", "subscription_confirmation", "certificates", "webhook_id"];
    let set = [
        cfg.token_header.is_some(),
        cfg.token_query.is_some(),
        cfg.basic_user.is_some(),
        cfg.allow_sha1.is_some() && cfg.kind != "github",
        cfg.subscription_confirmation.is_some(),
        cfg.certificates.is_some(),
        cfg.webhook_id.is_some(),
    ];
    if let Some((name, _)) = NOT_SIGNED.iter().zip(set).find(|(_, on)| *on) {
        return Err(ConfigError::invalid_at(path, name, &format!("not used by type `{}`", cfg.kind)));
    }
    match (&cfg.signature_header, &cfg.signature_query) {
        (Some(_), Some(_)) => return Err(ConfigError::invalid_at(path, "signature_query", "set one of signature_header, signature_query")),
        (Some(h), None) => {
            r.signature_header = h.to_ascii_lowercase();
            r.signature_query = None;
        }
        (None, Some(q)) => {
            if q.is_empty() {
                return Err(ConfigError::invalid_at(path, "signature_query", "must not be empty"));
            }
            r.signature_header = String::new();
            r.signature_query = Some(q.clone());
        }
        (None, None) => {}
    }
    if let Some(list) = &cfg.list {
        if cfg.prefix.is_some() || cfg.separator.is_some() {
            return Err(ConfigError::invalid_at(path, "list", "use either `list` or `prefix`/`separator`"));
        }
        if list.signature_keys.is_empty() || list.item_separator.is_empty() || list.pair_separator.is_empty() {
            return Err(ConfigError::invalid_at(path, "list", "separators and signature_keys must not be empty"));
        }
        r.format = SignatureFormat::List(list.clone());
    } else if cfg.prefix.is_some() || cfg.separator.is_some() {
        let (mut prefix, mut separator) = match &r.format {
            SignatureFormat::Plain { prefix, separator } => (prefix.clone(), separator.clone()),
            SignatureFormat::List(_) => (String::new(), None),
        };
        if let Some(p) = &cfg.prefix {
            prefix.clone_from(p);
        }
        if let Some(s) = &cfg.separator {
            separator = Some(s.clone());
        }
        r.format = SignatureFormat::Plain { prefix, separator };
    }
    if let Some(t) = &cfg.signed_content {
        r.content = common::parse_template(t, &sub(path, "signed_content"))?;
    }
    if let Some(a) = cfg.algorithm {
        r.algorithm = a;
    }
    if let Some(e) = cfg.encoding {
        r.encoding = e;
    }
    if let Some(s) = cfg.secret_encoding {
        r.secret_encoding = s;
    }
    if let Some(t) = &cfg.timestamp {
        r.timestamp = Some(t.timestamp(&sub(path, "timestamp"))?);
    }
    if let Some(id) = &cfg.event_id {
        r.event_id = id.event_id(&sub(path, "event_id"))?;
    }
    if let Some(u) = &cfg.public_url {
        r.public_url = Some(crate::config::check_url(u, &sub(path, "public_url"), true)?);
    }
    if let Some(h) = cfg.handshake {
        r.handshake = Some(h);
    }
    if let Some(t) = &cfg.event_type {
        r.event_type = Some(t.event_type(&sub(path, "event_type"))?);
    }
    validate_recipe(&r, path)?;
    Ok(r)
}

fn validate_recipe(r: &Recipe, path: &str) -> Result<(), ConfigError> {
    if r.signature_header.is_empty() && r.signature_query.is_none() {
        return Err(ConfigError::invalid_at(path, "signature_header", "required"));
    }
    if r.content.is_empty() {
        return Err(ConfigError::invalid_at(path, "signed_content", "required"));
    }
    let signs_ts = r.content.contains(&common::Part::Timestamp);
    if signs_ts && r.timestamp.is_none() {
        return Err(ConfigError::invalid_at(path, "timestamp", "signed_content uses {timestamp}: say where it is"));
    }
    if r.timestamp.as_ref().is_some_and(|t| t.field == Field::SignatureList)
        && !matches!(&r.format, SignatureFormat::List(l) if l.timestamp_key.is_some())
    {
        return Err(ConfigError::invalid_at(path, "timestamp", "signature_list needs list.timestamp_key"));
    }
    if r.timestamp.is_some() && !r.replay().signed_timestamp {
        return Err(ConfigError::invalid_at(
            path,
            "timestamp",
            "the timestamp is not inside signed_content, so anyone can change it and the tolerance proves nothing: add {timestamp} to signed_content, or remove `timestamp`",
        ));
    }
    let ed25519 = r.algorithm == Algorithm::Ed25519 || !r.ed25519_keys.is_empty();
    let ed25519_only = matches!(r.secret_encoding, SecretEncoding::Ed25519Hex | SecretEncoding::Ed25519Base64);
    if ed25519 && !ed25519_only && r.secret_encoding != SecretEncoding::Whsec {
        return Err(ConfigError::invalid_at(
            path,
            "secret_encoding",
            "Ed25519 keys are public keys: set secret_encoding = \"whsec\" (whpk_ keys), \"ed25519_hex\" or \"ed25519_base64\"",
        ));
    }
    if ed25519_only && (r.algorithm != Algorithm::Ed25519 || !r.ed25519_keys.is_empty()) {
        return Err(ConfigError::invalid_at(
            path,
            "secret_encoding",
            "ed25519_hex and ed25519_base64 keys are public keys: they verify algorithm = \"ed25519\" only, never a MAC",
        ));
    }
    let ecdsa = r.algorithm == Algorithm::EcdsaP256Sha256;
    if ecdsa != (r.secret_encoding == SecretEncoding::EcdsaP256Spki) || (ecdsa && !r.ed25519_keys.is_empty()) {
        return Err(ConfigError::invalid_at(
            path,
            "secret_encoding",
            "algorithm = \"ecdsa-p256-sha256\" and secret_encoding = \"ecdsa_p256_spki\" go together: its keys are public keys, which must never be used as a MAC secret",
        ));
    }
    if r.secret_encoding == SecretEncoding::RsaPublicKey {
        return Err(ConfigError::invalid_at(path, "secret_encoding", "rsa_public_key keys verify the `orum` preset only: a recipe has no RSA signatures"));
    }
    if let Some(h) = r.handshake.filter(|h| h.needs_token_scheme()) {
        let preset = match h {
            crate::handshake::Handshake::OktaVerification => "okta",
            crate::handshake::Handshake::MailchimpUrlValidation => "mailchimp",
            _ => "adobe_sign",
        };
        return Err(ConfigError::invalid_at(path, "handshake", &format!("{} needs the `{preset}` preset (a shared token)", h.name())));
    }
    if r.content.contains(&common::Part::Id) && !matches!(r.event_id, IdSource::Field { .. }) {
        return Err(ConfigError::invalid_at(path, "event_id", "signed_content uses {id}: say where it is"));
    }
    Ok(())
}

/// Boxes a recipe-based preset after applying overrides: the whole `build` of most providers.
///
/// # Errors
/// See [`apply_overrides`].
pub fn signed(recipe: Recipe, cfg: &SchemeConfig, path: &str) -> Result<Box<dyn Scheme>, ConfigError> {
    Ok(Box::new(apply_overrides(recipe, cfg, path)?))
}

/// The event type of a coded scheme that takes no option but `event_type`: the source's,
/// else the provider's `default` field.
///
/// # Errors
/// Any other option set, or an invalid `event_type`.
pub fn event_type_only(cfg: &SchemeConfig, path: &str, default: common::Field) -> Result<common::Field, ConfigError> {
    reject_recipe_options(cfg, path, &["event_type"])?;
    match &cfg.event_type {
        Some(t) => t.event_type(&sub(path, "event_type")),
        None => Ok(default),
    }
}

/// Rejects recipe options on schemes that are not recipes (Twilio, Cowbell).
///
/// # Errors
/// The first recipe option set.
pub fn reject_recipe_options(cfg: &SchemeConfig, path: &str, allowed: &[&str]) -> Result<(), ConfigError> {
    // The names are static data, apart from the flags computed here: an array of
    // (name, flag) pairs was built at run time, name by name.
    const NAMES: [&str; 21] = [
        "signature_header", "signature_query", "prefix", "separator", "list", "signed_content", "algorithm", "encoding", "secret_encoding", "timestamp",
        "event_id", "public_url", "allow_sha1", "subscription_confirmation", "certificates", "webhook_id", "token_header", "token_query", "basic_user",
        "handshake", "event_type",
    ];
    let set = [
        cfg.signature_header.is_some(),
        cfg.signature_query.is_some(),
        cfg.prefix.is_some(),
        cfg.separator.is_some(),
        cfg.list.is_some(),
        cfg.signed_content.is_some(),
        cfg.algorithm.is_some(),
        cfg.encoding.is_some(),
        cfg.secret_encoding.is_some(),
        cfg.timestamp.is_some(),
        cfg.event_id.is_some(),
        cfg.public_url.is_some(),
        cfg.allow_sha1.is_some(),
        cfg.subscription_confirmation.is_some(),
        cfg.certificates.is_some(),
        cfg.webhook_id.is_some(),
        cfg.token_header.is_some(),
        cfg.token_query.is_some(),
        cfg.basic_user.is_some(),
        cfg.handshake.is_some(),
        cfg.event_type.is_some(),
    ];
    match NAMES.iter().zip(set).find(|(name, on)| *on && !allowed.contains(name)) {
        Some((name, _)) => Err(ConfigError::invalid_at(path, name, &format!("not used by type `{}`", cfg.kind))),
        None => Ok(()),
    }
}

/// A recipe with nothing set yet, for `type = "hmac"` and as the base of presets.
#[must_use]
pub fn blank_recipe() -> Recipe {
    Recipe {
        signature_header: String::new(),
        signature_query: None,
        format: SignatureFormat::Plain { prefix: String::new(), separator: None },
        content: vec![common::Part::Body],
        algorithm: Algorithm::HmacSha256,
        ed25519_keys: Vec::new(),
        encoding: Encoding::Hex,
        secret_encoding: SecretEncoding::Raw,
        timestamp: None,
        event_id: IdSource::None,
        default_tolerance_secs: 300,
        public_url: None,
        handshake: None,
        event_type: None,
    }
}
