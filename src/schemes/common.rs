//! The signed-webhook engine every HMAC/Ed25519 preset shares: a [`Recipe`] is data
//! (where the signature is, what was signed, how it is encoded) and [`Recipe::verify`]
//! applies the rules once for all providers:
//!
//! - the MAC is computed over the raw body bytes, never re-serialised JSON;
//! - decoded bytes are compared in constant time, and a candidate whose decoded length
//!   differs from the algorithm's output is discarded before any comparison
//!   (the RUSTSEC-2024-0010 class of bypass cannot happen);
//! - every candidate may match every usable key (rotation);
//! - the signature is checked first, then the timestamp both ways, so timestamp codes
//!   describe an authentic message.

use std::borrow::Cow;

use crate::json::Value;
use subtle::ConstantTimeEq as _;

use crate::config::ConfigError;
use crate::crypto::{Algorithm, Crypto};
use crate::inbound::Inbound;
use crate::json_read::{self, FromJson, Obj};
use crate::keys::{Key, KeyMaterial};
use crate::reason::Rejection;
use crate::schemes::Verified;

pub use crate::base64::{BASE64, BASE64URL};

/// How signature bytes are written in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Lower- or upper-case hex.
    Hex,
    /// Standard base64, padding optional.
    Base64,
    /// URL-safe base64, padding optional.
    Base64url,
}

impl FromJson for Encoding {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("hex", Self::Hex), ("base64", Self::Base64), ("base64url", Self::Base64url)])
    }
}

impl Encoding {
    /// Decodes one candidate; `None` when it is not valid in this encoding.
    #[must_use]
    pub fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Self::Hex => crate::hex::decode(text).ok(),
            Self::Base64 => BASE64.decode(text).ok(),
            Self::Base64url => BASE64URL.decode(text).ok(),
        }
    }

    /// Encodes a MAC the way the provider writes it (used by `sign`).
    #[must_use]
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Self::Hex => crate::hex::encode(bytes),
            Self::Base64 => BASE64.encode(bytes),
            Self::Base64url => BASE64URL.encode(bytes),
        }
    }
}

/// How the configured secret string becomes key bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretEncoding {
    /// The secret's UTF-8 bytes, as is (Stripe, GitHub, Slack...).
    Raw,
    /// Base64 text.
    Base64,
    /// Hex text (Adyen's HMAC keys).
    Hex,
    /// Standard Webhooks: `whsec_<base64>` for HMAC, `whpk_<base64>` for an Ed25519 public key.
    Whsec,
    /// An Ed25519 public key as 64 hex digits (Discord's application public key); only with
    /// `algorithm = "ed25519"`.
    Ed25519Hex,
    /// An Ed25519 public key as base64 of its 32 bytes (Telnyx's account public key); only
    /// with `algorithm = "ed25519"`.
    Ed25519Base64,
    /// An ECDSA P-256 public key: base64 of its DER SubjectPublicKeyInfo, as SendGrid's
    /// dashboard shows it (PEM armour is also accepted); only with
    /// `algorithm = "ecdsa-p256-sha256"`.
    EcdsaP256Spki,
    /// An RSA public key: PEM `PUBLIC KEY` or `RSA PUBLIC KEY`, or base64 of its DER (Orum's
    /// webhook key); only for the `orum` preset.
    RsaPublicKey,
}

impl FromJson for SecretEncoding {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let table = [
            ("raw", Self::Raw),
            ("base64", Self::Base64),
            ("hex", Self::Hex),
            ("whsec", Self::Whsec),
            ("ed25519_hex", Self::Ed25519Hex),
            ("ed25519_base64", Self::Ed25519Base64),
            ("ecdsa_p256_spki", Self::EcdsaP256Spki),
            ("rsa_public_key", Self::RsaPublicKey),
        ];
        json_read::variant(value, path, &table)
    }
}

/// Where the signature header's value holds its candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureFormat {
    /// `<prefix><sig>`, optionally several separated by `separator`.
    Plain {
        /// Text before each signature (`sha256=`, `v0=`, or empty).
        prefix: String,
        /// Separator between several signatures, if the provider sends several.
        separator: Option<String>,
    },
    /// `k=v` items (`t=…,v1=…,v1=…`, or Standard Webhooks' `v1,… v1a,…`).
    List(ListFormat),
}

/// A `key<pair_separator>value` list inside the signature header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFormat {
    /// Between items: `,` for Stripe, a space for Standard Webhooks.
    pub item_separator: String,
    /// Between key and value: `=` for Stripe, `,` for Standard Webhooks.
    pub pair_separator: String,
    /// Keys whose values are signatures (`v1`).
    pub signature_keys: Vec<String>,
    /// Key whose value is the timestamp (`t`), if the list carries one.
    pub timestamp_key: Option<String>,
}

impl FromJson for ListFormat {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let mut o = Obj::new(value, path, "struct ListFormat", &["item_separator", "pair_separator", "signature_keys", "timestamp_key"])?;
        let read = Self {
            item_separator: o.req("item_separator"),
            pair_separator: o.req("pair_separator"),
            signature_keys: o.req("signature_keys"),
            timestamp_key: o.opt("timestamp_key"),
        };
        o.done(read)
    }
}

/// One piece of the signed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Fixed text.
    Literal(String),
    /// The raw body bytes.
    Body,
    /// The timestamp exactly as received.
    Timestamp,
    /// The event id exactly as received.
    Id,
    /// The public URL of the request.
    Url,
    /// A header's value (`{header:x-foo}`), empty when absent.
    Header(String),
}

/// Parses a template such as `v0:{timestamp}:{body}`.
///
/// # Errors
/// An unknown or unclosed placeholder, or a template without `{body}`: a signature that
/// does not cover the body leaves it free to change (`{url}` alone covers only the URL).
pub fn parse_template(template: &str, field: &str) -> Result<Vec<Part>, ConfigError> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Literal(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| ConfigError::invalid(field, "unclosed `{` in signed_content"))?;
        let name = &after[..close];
        parts.push(match name {
            "body" => Part::Body,
            "timestamp" => Part::Timestamp,
            "id" => Part::Id,
            "url" => Part::Url,
            _ => match name.strip_prefix("header:") {
                Some(h) if !h.is_empty() => Part::Header(h.to_ascii_lowercase()),
                _ => {
                    return Err(ConfigError::invalid(
                        field,
                        "unknown placeholder (use {body}, {timestamp}, {id}, {url} or {header:NAME})",
                    ))
                }
            },
        });
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest.to_string()));
    }
    if !parts.contains(&Part::Body) {
        return Err(ConfigError::invalid(field, "signed_content must include {body}: otherwise anyone can change the body under a valid signature"));
    }
    Ok(parts)
}

/// How a timestamp is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// Unix seconds.
    Unix,
    /// Unix milliseconds.
    UnixMs,
    /// RFC 3339, such as `2026-01-01T00:00:00Z`.
    Rfc3339,
    /// ISO 8601 date and time, UTC when it carries no offset, such as Orb's
    /// `2026-01-01T00:00:00.123456` (RFC 3339 would refuse it).
    Iso8601,
}

impl FromJson for TimeFormat {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        json_read::variant(value, path, &[("unix", Self::Unix), ("unix_ms", Self::UnixMs), ("rfc3339", Self::Rfc3339), ("iso8601", Self::Iso8601)])
    }
}

impl TimeFormat {
    /// Unix seconds from the text, `None` when it does not parse.
    #[must_use]
    pub fn parse(self, text: &str) -> Option<i64> {
        let text = text.trim();
        match self {
            Self::Unix => text.parse::<i64>().ok(),
            Self::UnixMs => text.parse::<i64>().ok().map(|ms| ms.div_euclid(1000)),
            Self::Rfc3339 => crate::datetime::rfc3339(text),
            Self::Iso8601 => crate::datetime::iso8601(text),
        }
    }
}

/// Where a value (timestamp, id) is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A request header.
    Header(String),
    /// A JSON pointer into the body (`/data/id`).
    Pointer(String),
    /// A query parameter of the request URL.
    Query(String),
    /// A form parameter of an `application/x-www-form-urlencoded` body.
    Form(String),
    /// The signature list's timestamp key (`t=`).
    SignatureList,
}

/// Where the event id comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdSource {
    /// No id from the request: the pipeline falls back to a digest of the body.
    None,
    /// One field.
    Field {
        /// Where it is.
        field: Field,
        /// Whether its absence rejects the request (`event_id_missing`) or falls back.
        required: bool,
    },
    /// Several JSON pointers joined with `:`; missing ones count as empty.
    Composite(Vec<String>),
}

/// A timestamp's source and format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampSource {
    /// Where it is.
    pub field: Field,
    /// How it is written.
    pub format: TimeFormat,
}

/// A complete signed-webhook scheme, mostly data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipe {
    /// Header carrying the signature(s); unused when `signature_query` is set.
    pub signature_header: String,
    /// Query parameter carrying the signature(s) instead of a header (PandaDoc's `signature`).
    pub signature_query: Option<String>,
    /// How candidates sit in that header.
    pub format: SignatureFormat,
    /// What was signed.
    pub content: Vec<Part>,
    /// The algorithm for every candidate, except list keys listed in `ed25519_keys`.
    pub algorithm: Algorithm,
    /// List keys whose candidates are Ed25519 signatures (Standard Webhooks' `v1a`).
    pub ed25519_keys: Vec<String>,
    /// How signature bytes are written.
    pub encoding: Encoding,
    /// How secrets become keys.
    pub secret_encoding: SecretEncoding,
    /// Where the timestamp is, if the scheme has one.
    pub timestamp: Option<TimestampSource>,
    /// Where the event id is.
    pub event_id: IdSource,
    /// Tolerance when the source does not set one.
    pub default_tolerance_secs: u64,
    /// Public URL (scheme, host, path) that replaces the received one in `{url}`.
    pub public_url: Option<String>,
    /// The provider's URL check, answered at the edge (see [`crate::handshake`]).
    pub handshake: Option<crate::handshake::Handshake>,
    /// Where the provider's event type is, for event filters (read after verification).
    pub event_type: Option<Field>,
}

/// Public-key (Ed25519, ECDSA) candidates read from one header; the rest are ignored.
/// Providers send one per active key (two during a rotation).
pub const MAX_ED25519_CANDIDATES: usize = 32;
/// Bytes of signed content all public-key checks of one request may hash together (each
/// check hashes the whole message): without a bound, 170 `v1a` values on a 1 MiB body cost
/// 170 MiB of SHA-512. The first check always runs, whatever the body's size.
pub const ED25519_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// A candidate signature taken from the header.
struct Candidate {
    algorithm: Algorithm,
    bytes: Vec<u8>,
}

/// What the header parser found: candidates, and the list's timestamp if any.
struct Parsed<'a> {
    candidates: Vec<Candidate>,
    list_timestamp: Option<&'a str>,
}

/// Lazily parsed JSON body, shared by timestamp and id look-ups.
pub(crate) struct Body<'a> {
    raw: &'a [u8],
    json: Option<Result<crate::json::Value, ()>>,
}

impl<'a> Body<'a> {
    pub(crate) fn new(raw: &'a [u8]) -> Self {
        Self { raw, json: None }
    }

    /// The raw bytes.
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The JSON value at a pointer, parsing the body once; `Ok(None)` when absent.
    pub(crate) fn value(&mut self, pointer: &str) -> Result<Option<&crate::json::Value>, Rejection> {
        let raw = self.raw;
        let json = self
            .json
            .get_or_insert_with(|| crate::json::parse(raw).map_err(|_| ()))
            .as_ref()
            .map_err(|()| Rejection::BodyNotJson)?;
        Ok(json.pointer(pointer))
    }

    /// The text of a JSON pointer (strings as is, numbers as written); `Ok(None)` when absent.
    pub(crate) fn pointer(&mut self, pointer: &str) -> Result<Option<String>, Rejection> {
        Ok(self.value(pointer)?.and_then(|v| match v {
            crate::json::Value::String(s) => Some(s.clone()),
            crate::json::Value::Number(n) => Some(n.to_string()),
            crate::json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }))
    }
}

/// The public URL of a request: the received one, or `public_url` with the received query.
#[must_use]
pub fn public_url(req: &Inbound<'_>, public: Option<&str>) -> String {
    match public {
        None => req.url.to_string(),
        Some(base) => {
            let base = base.split('?').next().unwrap_or(base);
            let query = req.query();
            if query.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{query}")
            }
        }
    }
}

impl Field {
    /// Reads the field; `Ok(None)` when absent, `Err(BodyNotJson)` for a pointer into a non-JSON body.
    fn read(&self, req: &Inbound<'_>, body: &mut Body<'_>, list_ts: Option<&str>) -> Result<Option<String>, Rejection> {
        Ok(match self {
            Self::Header(name) => req.header(name).map(str::to_string),
            Self::Pointer(p) => body.pointer(p)?,
            Self::Query(name) => req.query_param(name),
            Self::Form(name) => crate::form::first(req.body, name),
            Self::SignatureList => list_ts.map(str::to_string),
        })
    }
}

/// Reads the event id; `Ok(None)` means "none": fall back to the body digest.
pub(crate) fn read_event_id(
    source: &IdSource,
    req: &Inbound<'_>,
    body: &mut Body<'_>,
) -> Result<Option<String>, Rejection> {
    match source {
        IdSource::None => Ok(None),
        IdSource::Field { field, required } => match field.read(req, body, None) {
            Ok(Some(id)) if !id.is_empty() => Ok(Some(id)),
            Ok(_) if *required => Err(Rejection::EventIdMissing),
            Err(e) if *required => Err(e),
            _ => Ok(None),
        },
        IdSource::Composite(pointers) => {
            let mut parts = Vec::with_capacity(pointers.len());
            let mut ambiguous = false;
            for (i, p) in pointers.iter().enumerate() {
                let part = body.pointer(p)?;
                // A missing field reads as empty, and a `:` inside any field but the last
                // shifts the boundaries: either way the joined fields no longer tell events apart.
                let last = i + 1 == pointers.len();
                ambiguous |= part.as_ref().is_none_or(|v| !last && v.contains(':'));
                parts.push(part.unwrap_or_default());
            }
            if parts.iter().all(String::is_empty) {
                return Err(Rejection::EventIdMissing);
            }
            let mut id = parts.join(":");
            // Then a digest of the body keeps distinct events apart (two status changes of
            // one quote without `modified`), while a redelivery of the same bytes keeps its id.
            if ambiguous {
                let digest = crate::crypto::sha256_hex(body.raw);
                id.push_str("|body:");
                id.push_str(digest.get(..16).unwrap_or(&digest));
            }
            Ok(Some(id))
        }
    }
}

/// Checks an authentic timestamp against the tolerance, both ways. `tolerance_secs == 0`
/// turns the window off (dedupe is then the only replay protection).
///
/// # Errors
/// `timestamp_too_old` or `timestamp_in_future`.
pub fn check_window(timestamp: i64, now_secs: u64, tolerance_secs: u64) -> Result<(), Rejection> {
    if tolerance_secs == 0 {
        return Ok(());
    }
    let now = i64::try_from(now_secs).unwrap_or(i64::MAX);
    let tolerance = i64::try_from(tolerance_secs).unwrap_or(i64::MAX);
    if now.saturating_sub(timestamp) > tolerance {
        Err(Rejection::TimestampTooOld)
    } else if timestamp.saturating_sub(now) > tolerance {
        Err(Rejection::TimestampInFuture)
    } else {
        Ok(())
    }
}

impl Recipe {
    /// The algorithm of a list key's candidates.
    fn algorithm_for(&self, key: &str) -> Algorithm {
        if self.ed25519_keys.iter().any(|k| k == key) {
            Algorithm::Ed25519
        } else {
            self.algorithm
        }
    }

    /// Every usable candidate in the header value; malformed ones are dropped.
    fn parse<'a>(&self, value: &'a str) -> Parsed<'a> {
        let mut candidates = Vec::new();
        let mut list_timestamp = None;
        let mut ed25519 = 0;
        let mut push = |algorithm: Algorithm, text: &str| {
            // Each public-key candidate hashes the whole body once per key: bound that work.
            if !algorithm.is_mac() {
                if ed25519 == MAX_ED25519_CANDIDATES {
                    return;
                }
                ed25519 += 1;
            }
            if let Some(bytes) = self.encoding.decode(text.trim()) {
                // ECDSA signatures arrive DER-encoded; the rest of the engine (and
                // WebCrypto) sees the strict 64-byte `r || s`, or nothing.
                let bytes = if algorithm == Algorithm::EcdsaP256Sha256 {
                    crate::crypto::ecdsa_der_to_p1363(&bytes).map(Vec::from).unwrap_or_default()
                } else {
                    bytes
                };
                if bytes.len() == algorithm.output_len() {
                    candidates.push(Candidate { algorithm, bytes });
                }
            }
        };
        match &self.format {
            SignatureFormat::Plain { prefix, separator } => {
                let items: Vec<&str> = match separator {
                    Some(sep) if !sep.is_empty() => value.split(sep.as_str()).collect(),
                    _ => vec![value],
                };
                for item in items {
                    if let Some(sig) = item.trim().strip_prefix(prefix.as_str()) {
                        push(self.algorithm, sig);
                    }
                }
            }
            SignatureFormat::List(list) => {
                for item in value.split(list.item_separator.as_str()) {
                    let Some((k, v)) = item.trim().split_once(list.pair_separator.as_str()) else {
                        continue;
                    };
                    let k = k.trim();
                    if list.timestamp_key.as_deref() == Some(k) {
                        list_timestamp.get_or_insert(v.trim());
                    } else if list.signature_keys.iter().any(|s| s == k) {
                        push(self.algorithm_for(k), v);
                    }
                }
            }
        }
        Parsed { candidates, list_timestamp }
    }

    /// Whether a part of the signed content needs the timestamp / the id.
    fn signs(&self, wanted: &Part) -> bool {
        self.content.iter().any(|p| p == wanted)
    }

    /// Whether a field's value is inside the signed content.
    fn covers(&self, field: &Field) -> bool {
        match field {
            Field::Header(h) => self.signs(&Part::Header(h.clone())),
            Field::Pointer(_) | Field::Form(_) => self.signs(&Part::Body),
            Field::Query(_) => self.signs(&Part::Url),
            Field::SignatureList => false,
        }
    }

    /// Whether the event id cannot be changed without breaking the signature.
    #[must_use]
    pub fn id_signed(&self) -> bool {
        match &self.event_id {
            IdSource::None => false,
            IdSource::Field { field, .. } => self.signs(&Part::Id) || self.covers(field),
            IdSource::Composite(_) => self.signs(&Part::Body),
        }
    }

    /// What the signature covers.
    #[must_use]
    pub fn replay(&self) -> crate::schemes::Replay {
        let signed_timestamp = self.signs(&Part::Timestamp)
            || self.timestamp.as_ref().is_some_and(|t| t.field != Field::SignatureList && self.covers(&t.field));
        let coverage = if self.id_signed() { crate::schemes::Coverage::SignedId } else { crate::schemes::Coverage::SignedContent };
        crate::schemes::Replay { coverage, signed_timestamp }
    }

    /// The dedupe digest of the signed content without its timestamp, which changes on
    /// each of the provider's retries while what it describes does not.
    fn signed_digest(&self, message: &[Cow<'_, [u8]>]) -> String {
        let ts_header = match &self.timestamp {
            Some(TimestampSource { field: Field::Header(h), .. }) => Some(h.as_str()),
            _ => None,
        };
        let pieces: Vec<&[u8]> = self
            .content
            .iter()
            .zip(message)
            .filter(|(part, _)| match part {
                Part::Timestamp => false,
                Part::Header(h) => Some(h.as_str()) != ts_header,
                _ => true,
            })
            .map(|(_, piece)| piece.as_ref())
            .collect();
        crate::crypto::sha256_pieces_hex(&pieces)
    }

    /// Builds the signed message as borrowed pieces (the body is never copied).
    fn message<'a>(&self, req: &'a Inbound<'_>, ts: &'a str, id: &'a str, url: &'a str) -> Vec<Cow<'a, [u8]>> {
        self.content
            .iter()
            .map(|p| match p {
                Part::Literal(s) => Cow::Owned(s.as_bytes().to_vec()),
                Part::Body => Cow::Borrowed(req.body),
                Part::Timestamp => Cow::Borrowed(ts.as_bytes()),
                Part::Id => Cow::Borrowed(id.as_bytes()),
                Part::Url => Cow::Borrowed(url.as_bytes()),
                Part::Header(h) => Cow::Borrowed(req.header(h).unwrap_or("").as_bytes()),
            })
            .collect()
    }

    /// Verifies one request against the usable keys.
    ///
    /// # Errors
    /// `signature_missing`, `signature_malformed`, `event_id_missing`, `timestamp_missing`,
    /// `timestamp_malformed`, `signature_mismatch`, `timestamp_too_old`,
    /// `timestamp_in_future`, `body_not_json`, in that order of checking.
    pub fn verify(
        &self,
        req: &Inbound<'_>,
        keys: &[&Key],
        tolerance_secs: u64,
        now_secs: u64,
        crypto: &dyn Crypto,
    ) -> Result<Verified, Rejection> {
        let in_query;
        let header = match &self.signature_query {
            Some(q) => {
                in_query = req.query_param(q).ok_or(Rejection::SignatureMissing)?;
                in_query.as_str()
            }
            None => req.header(&self.signature_header).ok_or(Rejection::SignatureMissing)?,
        };
        let parsed = self.parse(header);
        if parsed.candidates.is_empty() {
            return Err(Rejection::SignatureMalformed);
        }
        let mut body = Body::new(req.body);

        // Values inside the signed content must be present before the MAC can be computed.
        let signed_id = if self.signs(&Part::Id) {
            match &self.event_id {
                IdSource::Field { field, .. } => Some(
                    field
                        .read(req, &mut body, None)?
                        .filter(|s| !s.is_empty())
                        .ok_or(Rejection::EventIdMissing)?,
                ),
                _ => None,
            }
        } else {
            None
        };
        let mut timestamp_text = None;
        if self.signs(&Part::Timestamp) {
            let source = self.timestamp.as_ref().ok_or(Rejection::TimestampMissing)?;
            let text = source
                .field
                .read(req, &mut body, parsed.list_timestamp)?
                .ok_or(Rejection::TimestampMissing)?;
            if source.format.parse(&text).is_none() {
                return Err(Rejection::TimestampMalformed);
            }
            timestamp_text = Some(text);
        }

        let url = public_url(req, self.public_url.as_deref());
        let message = self.message(req, timestamp_text.as_deref().unwrap_or(""), signed_id.as_deref().unwrap_or(""), &url);
        let pieces: Vec<&[u8]> = message.iter().map(AsRef::as_ref).collect();
        let key = matching_key(&parsed.candidates, keys, &pieces, crypto).ok_or(Rejection::SignatureMismatch)?;
        let signed_digest = if self.id_signed() { None } else { Some(self.signed_digest(&message)) };

        // Authentic from here on.
        let timestamp = match (&self.timestamp, timestamp_text) {
            (Some(source), Some(text)) => source.format.parse(&text),
            (Some(source), None) => {
                let text = source
                    .field
                    .read(req, &mut body, parsed.list_timestamp)?
                    .ok_or(Rejection::TimestampMissing)?;
                Some(source.format.parse(&text).ok_or(Rejection::TimestampMalformed)?)
            }
            (None, _) => None,
        };
        if let Some(ts) = timestamp {
            check_window(ts, now_secs, tolerance_secs)?;
        }
        let mut id_fault = None;
        let event_id = match signed_id {
            Some(id) => Some(id),
            None => match read_event_id(&self.event_id, req, &mut body) {
                Ok(id) => id,
                // The provider signed a payload without the configured id: our setting.
                Err(e) if self.id_signed() => {
                    id_fault = Some(e);
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let handshake = match self.handshake {
            Some(kind) => kind.answer_post(&mut body, key)?,
            None => None,
        };
        Ok(Verified { event_id, timestamp, key_label: Some(key.label.clone()), handshake, signed_digest, id_fault, confirm_url: None, echo_header: None })
    }

    /// Signs a request the way the provider does, for tests and `npm run send`.
    /// Returns the headers to add; the body is sent unchanged. With `signature_query`, the
    /// first pair is the query parameter and its value instead of a header.
    #[must_use]
    pub fn sign(&self, key: &[u8], body: &[u8], timestamp: &str, id: &str, url: &str) -> Vec<(String, String)> {
        let req = Inbound { method: "POST", url, headers: &[], body, client_ip: None };
        let message = self.message(&req, timestamp, id, url);
        let pieces: Vec<&[u8]> = message.iter().map(AsRef::as_ref).collect();
        let mac = self.encoding.encode(&crate::crypto::CoreCrypto.hmac(self.algorithm, key, &pieces));
        let value = match &self.format {
            SignatureFormat::Plain { prefix, .. } => format!("{prefix}{mac}"),
            SignatureFormat::List(list) => {
                let sig_key = list.signature_keys.first().map_or("v1", String::as_str);
                let sig = format!("{sig_key}{}{mac}", list.pair_separator);
                match &list.timestamp_key {
                    Some(t) => format!("{t}{}{timestamp}{}{sig}", list.pair_separator, list.item_separator),
                    None => sig,
                }
            }
        };
        let mut headers = vec![(self.signature_query.clone().unwrap_or_else(|| self.signature_header.clone()), value)];
        if let Some(TimestampSource { field: Field::Header(h), .. }) = &self.timestamp {
            headers.push((h.clone(), timestamp.to_string()));
        }
        if let IdSource::Field { field: Field::Header(h), .. } = &self.event_id {
            headers.push((h.clone(), id.to_string()));
        }
        headers
    }
}

/// The first usable key whose MAC (`alg`) of `message` equals any of `candidates`, for the
/// coded schemes that find their signatures outside a header (Mailgun, Hygraph, ...):
/// the same rules as a recipe (decoded bytes of the algorithm's length only, constant-time
/// comparison, each key's MAC computed once, any candidate against any key).
pub fn mac_match<'k>(alg: Algorithm, candidates: &[Vec<u8>], keys: &[&'k Key], message: &[&[u8]], crypto: &dyn Crypto) -> Option<&'k Key> {
    let candidates: Vec<Candidate> = candidates
        .iter()
        .filter(|c| c.len() == alg.output_len())
        .map(|c| Candidate { algorithm: alg, bytes: c.clone() })
        .collect();
    if candidates.is_empty() || !alg.is_mac() {
        return None;
    }
    matching_key(&candidates, keys, message, crypto)
}

/// The first key (in configured order) that any candidate matches.
/// Each key's MAC is computed once, whatever the number of candidates.
fn matching_key<'k>(
    candidates: &[Candidate],
    keys: &[&'k Key],
    message: &[&[u8]],
    crypto: &dyn Crypto,
) -> Option<&'k Key> {
    let message_len: usize = message.iter().map(|p| p.len()).sum();
    let mut hashed = 0usize;
    keys.iter().copied().find(|key| match &key.material {
        KeyMaterial::Secret(secret) => {
            let mut computed: Vec<(Algorithm, Vec<u8>)> = Vec::new();
            candidates.iter().filter(|c| c.algorithm.is_mac()).any(|c| {
                let expected = match computed.iter().find(|(a, _)| *a == c.algorithm) {
                    Some((_, mac)) => mac.clone(),
                    None => {
                        let mac = crypto.hmac(c.algorithm, secret.expose(), message);
                        computed.push((c.algorithm, mac.clone()));
                        mac
                    }
                };
                bool::from(expected.ct_eq(&c.bytes))
            })
        }
        KeyMaterial::Ed25519(public) => candidates
            .iter()
            .filter(|c| c.algorithm == Algorithm::Ed25519)
            .any(|c| {
                if hashed >= ED25519_BUDGET_BYTES {
                    return false;
                }
                hashed = hashed.saturating_add(message_len.max(1));
                crypto.ed25519_verify(public, message, &c.bytes)
            }),
        KeyMaterial::EcdsaP256(public) => candidates
            .iter()
            .filter(|c| c.algorithm == Algorithm::EcdsaP256Sha256)
            .any(|c| {
                let Ok(signature) = <[u8; 64]>::try_from(c.bytes.as_slice()) else {
                    return false;
                };
                if hashed >= ED25519_BUDGET_BYTES {
                    return false;
                }
                hashed = hashed.saturating_add(message_len.max(1));
                crypto.ecdsa_p256_verify(public, message, &signature)
            }),
        // RSA keys verify only their own schemes (Orum), never a recipe's candidates.
        KeyMaterial::Rsa(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_templates_and_rejects_unknown_placeholders() {
        assert_eq!(
            parse_template("v0:{timestamp}:{body}", "f").ok(),
            Some(vec![Part::Literal("v0:".into()), Part::Timestamp, Part::Literal(":".into()), Part::Body])
        );
        assert_eq!(parse_template("{url}{header:X-A}{body}", "f").ok(), Some(vec![Part::Url, Part::Header("x-a".into()), Part::Body]));
        assert!(matches!(parse_template("{url}", "f"), Err(ConfigError::Invalid { message, .. }) if message.contains("{body}")));
        assert!(matches!(parse_template("{bodyy}", "f"), Err(ConfigError::Invalid { .. })));
        assert!(matches!(parse_template("{body", "f"), Err(ConfigError::Invalid { .. })));
        assert!(matches!(parse_template("{timestamp}", "f"), Err(ConfigError::Invalid { .. })));
    }

    #[test]
    fn window_is_inclusive_at_the_edge_both_ways() {
        assert_eq!(check_window(700, 1000, 300), Ok(()));
        assert_eq!(check_window(699, 1000, 300), Err(Rejection::TimestampTooOld));
        assert_eq!(check_window(1300, 1000, 300), Ok(()));
        assert_eq!(check_window(1301, 1000, 300), Err(Rejection::TimestampInFuture));
        assert_eq!(check_window(0, 1_000_000, 0), Ok(()));
        assert_eq!(check_window(i64::MIN, u64::MAX, 300), Err(Rejection::TimestampTooOld));
    }

    fn key() -> Key {
        Key { label: "k".into(), material: KeyMaterial::Secret(crate::keys::Secret::new(b"topsecret".to_vec())), not_after_secs: None }
    }

    /// Signs `body` with `recipe`, then adds `extra` headers (unsigned ones an attacker picks).
    fn verify_signed(recipe: &Recipe, body: &[u8], ts: &str, id: &str, extra: &[(&str, &str)]) -> Verified {
        let url = "https://h.example/hooks/x";
        let mut headers = recipe.sign(b"topsecret", body, ts, id, url);
        for (k, v) in extra {
            headers.retain(|(n, _)| n != k);
            headers.push(((*k).to_string(), (*v).to_string()));
        }
        let req = Inbound { method: "POST", url, headers: &headers, body, client_ip: None };
        recipe.verify(&req, &[&key()], 300, 1_000, &crate::crypto::CoreCrypto).unwrap()
    }

    #[test]
    fn a_signature_in_the_query_is_read_there_and_never_from_a_header() {
        let cfg: crate::schemes::SchemeConfig = crate::json_read::read(r#"{"type":"hmac","signature_query":"signature"}"#).unwrap();
        let recipe = crate::schemes::apply_overrides(crate::schemes::blank_recipe(), &cfg, "s").unwrap();
        let body = br#"[{"event":"document_state_changed"}]"#;
        let sig = recipe.sign(b"topsecret", body, "", "", "").remove(0);
        assert_eq!(sig.0, "signature");
        let check = |url: &str, headers: &[(String, String)]| {
            let req = Inbound { method: "POST", url, headers, body, client_ip: None };
            recipe.verify(&req, &[&key()], 0, 1_000, &crate::crypto::CoreCrypto).map(|v| v.key_label)
        };
        let url = format!("https://h.example/hooks/p?signature={}", sig.1);
        assert_eq!(check(&url, &[]), Ok(Some("k".into())));
        assert_eq!(check(&format!("https://h.example/hooks/p?other=1&signature={}", sig.1), &[]), Ok(Some("k".into())));
        assert_eq!(check("https://h.example/hooks/p", &[("signature".into(), sig.1.clone())]), Err(Rejection::SignatureMissing));
        assert_eq!(check(&format!("https://h.example/hooks/p?signature={}", &sig.1[..20]), &[]), Err(Rejection::SignatureMalformed));
        assert_eq!(check(&format!("https://h.example/hooks/p?signature={}", "0".repeat(64)), &[]), Err(Rejection::SignatureMismatch));
        // One place or the other: a header override moves it back; both at once is refused.
        let both: crate::schemes::SchemeConfig = crate::json_read::read(r#"{"type":"hmac","signature_query":"s","signature_header":"x-sig"}"#).unwrap();
        assert_eq!(crate::schemes::apply_overrides(crate::schemes::blank_recipe(), &both, "s").unwrap_err().path(), "s.signature_query");
        let moved: crate::schemes::SchemeConfig = crate::json_read::read(r#"{"type":"pandadoc","signature_header":"X-Sig"}"#).unwrap();
        let moved = crate::schemes::catalogue::find("pandadoc").unwrap().build(&moved, "s").unwrap();
        let req = Inbound { method: "POST", url: &url, headers: &[], body, client_ip: None };
        assert_eq!(moved.verify(&req, &[&key()], 0, 1_000, &crate::crypto::CoreCrypto), Err(Rejection::SignatureMissing));
    }

    #[test]
    fn an_unsigned_id_is_not_the_dedupe_key_but_the_signed_content_is() {
        let github = crate::schemes::github::recipe();
        assert!(!github.id_signed());
        let genuine = verify_signed(&github, b"{\"action\":\"opened\"}", "", "delivery-1", &[]);
        let replay = verify_signed(&github, b"{\"action\":\"opened\"}", "", "delivery-1", &[("x-github-delivery", "fresh-2")]);
        assert_eq!(genuine.event_id.as_deref(), Some("delivery-1"));
        assert_eq!(replay.event_id.as_deref(), Some("fresh-2"));
        assert!(genuine.signed_digest.is_some());
        assert_eq!(genuine.signed_digest, replay.signed_digest);
        let other = verify_signed(&github, b"{\"action\":\"closed\"}", "", "delivery-3", &[]);
        assert_ne!(genuine.signed_digest, other.signed_digest);
    }

    #[test]
    fn the_digest_leaves_out_the_timestamp_so_a_provider_retry_still_matches() {
        let acme = Recipe {
            signature_header: "x-acme-signature".into(),
            content: parse_template("{timestamp}.{body}", "f").unwrap(),
            timestamp: Some(TimestampSource { field: Field::Header("x-acme-timestamp".into()), format: TimeFormat::Unix }),
            event_id: IdSource::Field { field: Field::Header("x-acme-delivery".into()), required: true },
            ..crate::schemes::blank_recipe()
        };
        assert_eq!(acme.replay(), crate::schemes::Replay { coverage: crate::schemes::Coverage::SignedContent, signed_timestamp: true });
        let first = verify_signed(&acme, b"{\"n\":1}", "1000", "a", &[]);
        let retry = verify_signed(&acme, b"{\"n\":1}", "1010", "b", &[]);
        let next = verify_signed(&acme, b"{\"n\":2}", "1000", "a", &[]);
        assert_eq!(first.signed_digest, retry.signed_digest);
        assert_ne!(first.signed_digest, next.signed_digest);
    }

    #[test]
    fn a_signed_id_is_the_dedupe_key() {
        let sw = crate::schemes::standard_webhooks::recipe();
        assert!(sw.id_signed());
        let stripe = crate::schemes::catalogue::find("stripe").unwrap().recipe("s").unwrap();
        assert_eq!(stripe.replay(), crate::schemes::Replay { coverage: crate::schemes::Coverage::SignedId, signed_timestamp: true });
        let body_pointer = Recipe { event_id: IdSource::Field { field: Field::Pointer("/id".into()), required: true }, ..crate::schemes::blank_recipe() };
        assert!(body_pointer.id_signed());
        let query_id = Recipe { event_id: IdSource::Field { field: Field::Query("id".into()), required: true }, ..crate::schemes::blank_recipe() };
        assert!(!query_id.id_signed(), "the body alone does not sign the URL");
        assert!(Recipe { content: vec![Part::Url, Part::Body], ..query_id }.id_signed());
        assert_eq!(verify_signed(&body_pointer, b"{\"id\":\"e1\"}", "", "", &[]).signed_digest, None);
    }

    #[test]
    fn refuses_an_unsigned_timestamp_and_ed25519_without_whsec_keys() {
        let cfg = |extra: &str| -> crate::schemes::SchemeConfig {
            crate::json_read::read(&format!(r#"{{"type":"hmac","signature_header":"x-sig"{extra}}}"#)).unwrap()
        };
        let err = |c: &crate::schemes::SchemeConfig| crate::schemes::build(c, "s").unwrap_err().path().to_string();
        assert_eq!(err(&cfg(r#","timestamp":{"header":"x-ts"}"#)), "s.timestamp");
        assert!(crate::schemes::build(&cfg(r#","timestamp":{"header":"x-ts"},"signed_content":"{timestamp}.{body}""#), "s").is_ok());
        assert!(crate::schemes::build(&cfg(r#","timestamp":{"header":"x-ts"},"signed_content":"{header:x-ts}.{body}""#), "s").is_ok());
        assert_eq!(err(&cfg(r#","algorithm":"ed25519","encoding":"base64""#)), "s.secret_encoding");
        assert!(crate::schemes::build(&cfg(r#","algorithm":"ed25519","encoding":"base64","secret_encoding":"whsec""#), "s").is_ok());
    }

    /// Counts Ed25519 checks, to show the work per request is bounded.
    struct Counting(std::cell::Cell<usize>);

    impl Crypto for Counting {
        fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
            crate::crypto::CoreCrypto.hmac(alg, key, message)
        }
        fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
            self.0.set(self.0.get() + 1);
            crate::crypto::CoreCrypto.ed25519_verify(public_key, message, signature)
        }
        fn ecdsa_p256_verify(&self, key: &crate::crypto::P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool {
            self.0.set(self.0.get() + 1);
            crate::crypto::CoreCrypto.ecdsa_p256_verify(key, message, signature)
        }
        fn rsa_verify(&self, _key: &crate::cert::RsaKey, _hash: crate::crypto::RsaHash, _message: &[&[u8]], _signature: &[u8]) -> bool {
            false
        }
    }

    #[test]
    fn ed25519_work_per_request_is_bounded() {
        let recipe = crate::schemes::standard_webhooks::recipe();
        let bogus = format!("v1a,{}", crate::base64::STANDARD.encode([7u8; 64]));
        let header = vec![bogus; 170].join(" ");
        let headers = vec![
            ("webhook-signature".to_string(), header),
            ("webhook-id".to_string(), "msg_1".to_string()),
            ("webhook-timestamp".to_string(), "1000".to_string()),
        ];
        let key = Key { label: "pk".into(), material: KeyMaterial::Ed25519([9u8; 32]), not_after_secs: None };
        // Small body: the candidate cap bounds the checks (32 per key, not 170).
        let req = Inbound { method: "POST", url: "https://h/x", headers: &headers, body: b"{}", client_ip: None };
        let counting = Counting(std::cell::Cell::new(0));
        assert_eq!(recipe.verify(&req, &[&key, &key], 300, 1000, &counting), Err(Rejection::SignatureMismatch));
        assert_eq!(counting.0.get(), 2 * MAX_ED25519_CANDIDATES);
        // 1 MiB body: the byte budget does (8 MiB hashed in all, whatever the keys).
        let big = vec![b'x'; 1024 * 1024];
        let req = Inbound { body: &big, ..req };
        let counting = Counting(std::cell::Cell::new(0));
        assert_eq!(recipe.verify(&req, &[&key, &key], 300, 1000, &counting), Err(Rejection::SignatureMismatch));
        assert_eq!(counting.0.get(), 8);
    }

    #[test]
    fn composite_ids_never_merge_two_events() {
        let id = |json: &str| {
            let req = Inbound { method: "POST", url: "https://h/x", headers: &[], body: json.as_bytes(), client_ip: None };
            read_event_id(&IdSource::Composite(vec!["/a".into(), "/b".into()]), &req, &mut Body::new(json.as_bytes()))
        };
        assert_eq!(id(r#"{"a":"x","b":"y"}"#), Ok(Some("x:y".into())));
        // A `:` inside a value cannot pose as a boundary.
        assert_ne!(id(r#"{"a":"x:y","b":"z"}"#), id(r#"{"a":"x","b":"y:z"}"#));
        // A missing field is not an empty one, and two bodies missing the same field differ.
        assert_ne!(id(r#"{"a":"x","b":""}"#), id(r#"{"a":"x"}"#));
        assert_ne!(id(r#"{"a":"x","n":1}"#), id(r#"{"a":"x","n":2}"#));
        assert_eq!(id(r#"{"a":"x","n":1}"#), id(r#"{"a":"x","n":1}"#), "a redelivery keeps its id");
        assert!(id(r#"{"a":"x"}"#).unwrap().unwrap().starts_with("x:|body:"));
        // A `:` in the last field cannot shift a boundary: no digest needed.
        assert_eq!(id(r#"{"a":"x","b":"2026-01-01T00:00:00Z"}"#), Ok(Some("x:2026-01-01T00:00:00Z".into())));
        assert_eq!(id(r#"{"c":1}"#), Err(Rejection::EventIdMissing));
    }

    #[test]
    fn parses_time_formats() {
        assert_eq!(TimeFormat::Unix.parse("1767225600"), Some(1_767_225_600));
        assert_eq!(TimeFormat::UnixMs.parse("1767225600999"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Rfc3339.parse("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Rfc3339.parse("2026-01-01T01:00:00+01:00"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Iso8601.parse("2026-01-01T00:00:00.123456"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Iso8601.parse("2026-01-01T01:00:00+01:00"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Iso8601.parse("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(TimeFormat::Rfc3339.parse("2026-01-01T00:00:00.123456"), None, "RFC 3339 needs an offset");
        assert_eq!(TimeFormat::Iso8601.parse("2026-01-01"), None, "a date alone is not a time");
        assert_eq!(TimeFormat::Iso8601.parse("1767225600"), None);
        assert_eq!(TimeFormat::Unix.parse("12x"), None);
        assert_eq!(TimeFormat::Rfc3339.parse("yesterday"), None);
    }
}
