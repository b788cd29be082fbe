//! Request targets, one per preset: a configuration and a request go through what the
//! Worker does with them (operator routing, `verify::route`/`source`, the size, key and
//! scheme checks, then the dedupe key, the origin's headers and the queue and dead-letter
//! records of an accepted event).
//!
//! Inputs are JSON (`fuzz/corpus/<preset>/*.json`), the shape of `tests/vectors/*.json`
//! cases with the configuration inline: `config` (the `HOOKGATE` value), `secrets` (binding
//! → value), `method`, `url`, `headers` (a list of pairs, so order and duplicates survive),
//! `body_utf8` or `body_base64`, `now_secs`, `client_ip`.
//!
//! Mutations change headers (the signature header most: candidate floods, `v1,`, zero
//! MACs, huge numbers, non-ASCII), timestamps, ids, the URL and query, the body (bytes,
//! JSON structure, form parameters, non-UTF-8, over the size limit), the clock and the
//! source's settings (templates, JSON-pointer ids, tolerances, windows); then most inputs
//! are signed again with the source's key, so the checks after the MAC are reached too.

use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use ed25519_dalek::Signer as _;
use hookgate::crypto::{Algorithm, Answer, Call, CoreCrypto, Crypto, Piece};
use hookgate::envelope::{self, QueuedBody, QueuedEvent};
use hookgate::schemes::common::{self, Encoding, Field, IdSource, Part, Recipe, SecretEncoding, SignatureFormat, TimeFormat};
use hookgate::schemes::{self, SchemeConfig};
use hookgate::{admin, dedupe, forward, verify, Config, ConfigError, Inbound, Rejection};
use serde_json::{json, Value};

use crate::engine::{fnv, Codec, Outcome, Rng, Target};
use crate::mutate::{self, depth, pick, INTS, NUMBERS};

/// Every preset with a request target (the configurable scheme is `hmac`).
pub const PRESETS: &[&str] = &[
    "stripe", "github", "shopify", "slack", "twilio", "standard_webhooks", "svix", "bindpilot", "sendpilot", "coverkit",
    "cowbell", "amazon_sns", "hmac",
];

/// The operator token the request targets configure (so `/hookgate/...` paths are live).
pub const ADMIN_TOKEN: &str = "fuzz-admin-token-0123456789abcdefghijkl";

/// The Ed25519 key whose public half (`whpk_`) the Standard Webhooks seeds configure, so
/// the harness can sign `v1a` candidates.
pub fn ed25519_key() -> &'static ed25519_dalek::SigningKey {
    static KEY: std::sync::OnceLock<ed25519_dalek::SigningKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| ed25519_dalek::SigningKey::from_bytes(&[0x42; 32]))
}

pub fn ed25519_whpk() -> String {
    static WHPK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    WHPK.get_or_init(|| format!("whpk_{}", base64::engine::general_purpose::STANDARD.encode(ed25519_key().verifying_key().to_bytes())))
        .clone()
}

/// One request case.
#[derive(Clone, Debug)]
pub struct Case {
    pub config: Value,
    pub secrets: BTreeMap<String, String>,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub now_secs: u64,
    pub client_ip: Option<String>,
}

impl Case {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "config": self.config,
            "secrets": self.secrets,
            "method": self.method,
            "url": self.url,
            "headers": self.headers,
            "now_secs": self.now_secs,
        });
        match std::str::from_utf8(&self.body) {
            Ok(text) => v["body_utf8"] = text.into(),
            Err(_) => v["body_base64"] = base64::engine::general_purpose::STANDARD.encode(&self.body).into(),
        }
        if let Some(ip) = &self.client_ip {
            v["client_ip"] = ip.clone().into();
        }
        v
    }

    pub fn from_json(v: &Value) -> Option<Case> {
        let body = match (v.get("body_utf8"), v.get("body_base64")) {
            (Some(t), _) => t.as_str()?.as_bytes().to_vec(),
            (None, Some(b)) => base64::engine::general_purpose::STANDARD.decode(b.as_str()?).ok()?,
            (None, None) => Vec::new(),
        };
        Some(Case {
            config: v.get("config")?.clone(),
            secrets: serde_json::from_value(v.get("secrets")?.clone()).ok()?,
            method: v.get("method").and_then(Value::as_str).unwrap_or("POST").to_string(),
            url: v.get("url")?.as_str()?.to_string(),
            headers: serde_json::from_value(v.get("headers")?.clone()).ok()?,
            body,
            now_secs: v.get("now_secs")?.as_u64()?,
            client_ip: v.get("client_ip").and_then(Value::as_str).map(str::to_string),
        })
    }

    pub fn inbound(&self) -> Inbound<'_> {
        Inbound { method: &self.method, url: &self.url, headers: &self.headers, body: &self.body, client_ip: self.client_ip.as_deref() }
    }

    /// The source table named like the target, if the configuration still has one.
    pub fn source(&self, name: &str) -> Option<&Value> {
        self.config.get("sources")?.get(name)
    }

    fn source_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.config.get_mut("sources")?.get_mut(name).filter(|s| s.is_object())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Sets a header: the first of that name is replaced (others stay), or it is added first.
    pub fn set_header(&mut self, name: &str, value: String) {
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(h) => h.1 = value,
            None => self.headers.insert(0, (name.to_string(), value)),
        }
    }

    /// Sets a query parameter (the first of that name is dropped), keeping the fragment.
    pub fn set_query(&mut self, name: &str, value: &str) {
        let (rest, fragment) = match self.url.split_once('#') {
            Some((r, f)) => (r.to_string(), Some(f.to_string())),
            None => (self.url.clone(), None),
        };
        let (base, query) = rest.split_once('?').map_or((rest.as_str(), ""), |(b, q)| (b, q));
        let mut out = form_urlencoded::Serializer::new(String::new());
        let mut dropped = false;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if k == name && !dropped {
                dropped = true;
                continue;
            }
            out.append_pair(&k, &v);
        }
        out.append_pair(name, value);
        self.url = format!("{base}?{}", out.finish());
        if let Some(f) = fragment {
            self.url.push('#');
            self.url.push_str(&f);
        }
    }
}

/// Loaded configurations by their text, so most runs skip the load.
#[derive(Default)]
pub struct Cache {
    loaded: HashMap<u64, (String, Result<Config, Vec<ConfigError>>)>,
}

impl Cache {
    fn get(&mut self, text: String, secrets: &BTreeMap<String, String>) -> &Result<Config, Vec<ConfigError>> {
        let mut key_text = text.clone();
        for (k, v) in secrets {
            key_text.push('\u{0}');
            key_text.push_str(k);
            key_text.push('\u{0}');
            key_text.push_str(v);
        }
        let key = fnv(key_text.as_bytes());
        if self.loaded.get(&key).is_none_or(|(t, _)| *t != key_text) {
            if self.loaded.len() > 256 {
                self.loaded.clear();
            }
            let lookup = |name: &str| secrets.get(name).cloned();
            // `load` is `load_serving` plus refusing any broken source: run both once.
            let strict = Config::load(&text, &lookup);
            let serving = Config::load_serving(&text, &lookup);
            assert_eq!(strict.is_ok(), serving.as_ref().is_ok_and(|c| c.broken.is_empty()), "load and load_serving disagree");
            for e in strict.err().into_iter().flatten() {
                let _ = (e.to_string(), e.path().len());
            }
            self.loaded.insert(key, (key_text, serving));
        }
        &self.loaded[&key].1
    }
}

pub struct RequestTarget {
    pub preset: &'static str,
}

pub static TARGETS: [RequestTarget; 13] = [
    RequestTarget { preset: "stripe" },
    RequestTarget { preset: "github" },
    RequestTarget { preset: "shopify" },
    RequestTarget { preset: "slack" },
    RequestTarget { preset: "twilio" },
    RequestTarget { preset: "standard_webhooks" },
    RequestTarget { preset: "svix" },
    RequestTarget { preset: "bindpilot" },
    RequestTarget { preset: "sendpilot" },
    RequestTarget { preset: "coverkit" },
    RequestTarget { preset: "cowbell" },
    // Amazon SNS: no certificate is at hand (CoreCrypto holds none), so every input ends at
    // or before the RSA check: the JSON, the SigningCertURL rule, the string to sign.
    RequestTarget { preset: "amazon_sns" },
    RequestTarget { preset: "hmac" },
];

pub fn target(name: &str) -> Option<&'static RequestTarget> {
    TARGETS.iter().find(|t| t.preset == name)
}

/// What the adapter computes for a recorded call (here with the same Rust crypto).
fn answer_of(call: &Call, body: &[u8]) -> Answer {
    let join = |pieces: &[Piece]| -> Vec<u8> { pieces.iter().flat_map(|p| match p { Piece::Body => body, Piece::Bytes(b) => b.as_slice() }).copied().collect() };
    match call {
        Call::Mac(c) => Answer::Mac(CoreCrypto.hmac(c.alg, &c.key, &[&join(&c.pieces)])),
        Call::EcdsaP256(c) => Answer::Valid(CoreCrypto.ecdsa_p256_verify(&c.key, &[&join(&c.pieces)], &c.signature)),
        Call::Ed25519(c) => Answer::Valid(CoreCrypto.ed25519_verify(&c.key, &[&join(&c.pieces)], &c.signature)),
        Call::Rsa(c) => Answer::Valid(CoreCrypto.rsa_verify(&c.key, c.hash, &[&join(&c.pieces)], &c.signature)),
    }
}

fn bit(on: bool, n: u32) -> u64 {
    u64::from(on) << n
}

fn check_rejection(r: Rejection) -> (String, u64) {
    let code = r.code();
    assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "odd code {code:?}");
    assert!((400..=599).contains(&r.status()), "{code} answers {}", r.status());
    assert!(!r.to_string().is_empty());
    (code.to_string(), u64::from(r.status()))
}

/// What the Worker does with a request, through the core's public API, with invariants of
/// an accepted event checked on the way.
pub fn run_case(case: &Case, cache: &mut Cache) -> Outcome {
    let req = case.inbound();
    let _ = (req.path(), req.query(), req.media_type(), req.query_param("token"), req.header("content-type"));
    let admin = admin::route(&req, Some(ADMIN_TOKEN));
    let mut features = bit(admin.is_some(), 0);
    if let Some(Ok(_)) = admin {
        features |= bit(true, 1);
    }
    let loaded = cache.get(case.config.to_string(), &case.secrets);
    let config = match loaded {
        Ok(c) => c,
        Err(errors) => return Outcome::new("config_error", fnv(errors[0].path().as_bytes()) & 0xff),
    };
    let src_name = match verify::route(&req) {
        Ok(n) => n,
        Err(r) => return Outcome::new(check_rejection(r).0, features),
    };
    if config.broken.contains_key(src_name) {
        return Outcome::new("config_invalid", features);
    }
    let source = match verify::source(config, &req) {
        Ok(s) => s,
        Err(r) => return Outcome::new(check_rejection(r).0, features),
    };
    let declared = req.header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if let Err(r) = verify::check_declared_size(source, declared) {
        features |= bit(true, 2);
        let _ = check_rejection(r);
    }
    if verify::keys_expired(source, case.now_secs) {
        return Outcome::new("keys_expired", features);
    }
    let _ = (source.scheme.replay().summary(), source.scheme.default_tolerance_secs(), source.scheme.secret_encoding());
    let one_pass = verify::verify(source, &req, case.now_secs, &CoreCrypto);
    // The adapter's path for large bodies (MACs recorded, computed apart, replayed) must
    // decide exactly as the one pass does.
    if case.body.len() >= verify::DEFERRED_MAC_MIN_BYTES || fnv(&case.body).is_multiple_of(4) {
        let two_pass = match verify::verify_deferred(source, &req, case.now_secs, verify::defer_for(case.body.len().max(verify::DEFERRED_MAC_MIN_BYTES))) {
            verify::Deferred::Done(result) => result,
            verify::Deferred::Needs(calls) => {
                features |= bit(true, 9);
                let answers = calls.into_iter().map(|c| { let a = answer_of(&c, &case.body); (c, a) }).collect();
                verify::verify_replayed(source, &req, case.now_secs, answers)
            }
        };
        assert_eq!(two_pass, one_pass, "the two-pass verification disagrees with the one pass");
    }
    let verified = match one_pass {
        Ok(v) => v,
        Err(r) => return Outcome::new(check_rejection(r).0, features),
    };

    // Handshakes: a GET is only ever a handshake, a handshake's token has the answerable
    // shape, and an event accepted where the handshake answers with a MAC is a JSON object
    // (so no handshake answer signs a body that would be forwarded).
    let kind = source.scheme.handshake();
    if req.method.eq_ignore_ascii_case("GET") {
        assert!(verified.handshake.is_some() && kind.is_some_and(|h| h.answers_get()), "a GET was accepted as an event");
    }
    if let Some(reply) = &verified.handshake {
        assert!(kind.is_some(), "a handshake answered by a source without one");
        if reply.content_type == Some("text/plain") {
            assert!(hookgate::handshake::token_shape_ok(&reply.body), "echoed {:?}", reply.body);
        }
    } else if kind.is_some_and(|h| h.answers_with_mac()) {
        assert_eq!(case.body.iter().find(|b| !b.is_ascii_whitespace()), Some(&b'{'), "a MAC-answering source accepted a non-object body");
    }

    // Accepted: what happens next must hold whatever the request was.
    let label = verified.key_label.as_deref();
    assert!(label.is_none_or(|l| source.keys.iter().any(|k| k.label == l)), "key label {label:?} is not configured");
    if let (Some(ts), true) = (verified.timestamp, source.tolerance_secs > 0) {
        // The core reads a clock past i64::MAX as i64::MAX (no real clock gets there).
        let now = case.now_secs.min(i64::MAX as u64);
        let off = (i128::from(now) - i128::from(ts)).unsigned_abs();
        assert!(off <= u128::from(source.tolerance_secs), "accepted a timestamp {off} s from now (tolerance {})", source.tolerance_secs);
    }
    if let Some(fault) = verified.id_fault {
        let _ = check_rejection(fault);
    }
    // The event filter runs on authentic requests only, and must decide whatever the type.
    if let Some(filtered) = hookgate::filter::screen(source, &req) {
        let shown = filtered.event_type.as_deref().map(hookgate::filter::loggable);
        assert!(shown.as_deref().is_none_or(|t| t.chars().count() <= hookgate::filter::MAX_LOGGED_TYPE_CHARS && !t.chars().any(char::is_control)), "logged type {shown:?}");
    }
    if let (Some(d), Some(p)) = (&source.archive, source.destination.pacing.as_ref()) {
        let _ = (d, p.slot_ms());
    }
    let event_id = dedupe::event_id(verified.event_id.as_deref(), &case.body);
    assert!(event_id.bytes().all(|b| (0x21..=0x7e).contains(&b)) && !event_id.is_empty(), "event id {event_id:?} is not header-safe");
    let key = dedupe::key(&source.name, &event_id, verified.signed_digest.as_deref());
    assert!(key.len() <= 512, "dedupe key of {} bytes (KV allows 512)", key.len());
    let _ = dedupe::shard(&source.name, &key, source.dedupe.shards);
    let passed = forward::passed(source, &case.headers);
    let out = forward::headers(source, &case.headers, &case.body, &event_id, label, case.now_secs);
    assert_eq!(out.get(..passed.len()), Some(passed.as_slice()), "the origin's headers start with the passed ones");
    // What hookgate adds itself must be a valid header value whatever the request held.
    for (n, v) in &out[passed.len()..] {
        assert!(v.bytes().all(|b| (0x20..0x7f).contains(&b)), "header {n} has a value that is not visible ASCII");
    }
    let _ = envelope::message_bytes(case.body.len(), &passed, &event_id);
    let dl = envelope::dead_letter_key(&source.name, &event_id);
    assert_eq!(envelope::parse_dead_letter_key(&dl), Some((source.name.as_str(), event_id.as_str())));
    let object = envelope::body_object_key(&source.name, &event_id, "1767225600000-0a");
    assert!(envelope::body_key_belongs(&object, &source.name, &event_id));
    let body = if case.body.len().is_multiple_of(2) { QueuedBody::Inline(case.body.clone()) } else { QueuedBody::Stored(object) };
    let event = QueuedEvent {
        source: source.name.clone(),
        event_id: event_id.clone(),
        key_label: verified.key_label.clone(),
        received_at: case.now_secs,
        headers: passed,
        body,
    };
    assert_eq!(QueuedEvent::from_parked(&event.parked_record(case.now_secs)).as_ref(), Ok(&event), "parked record does not read back");

    features |= bit(verified.event_id.is_some(), 3)
        | bit(verified.timestamp.is_some(), 4)
        | bit(verified.signed_digest.is_some(), 5)
        | bit(verified.handshake.is_some(), 6)
        | bit(verified.id_fault.is_some(), 7)
        | bit(event_id.starts_with("sha256:"), 8);
    let label = if verified.id_fault.is_some() { "accepted_id_fault" } else { "accepted" };
    Outcome::new(label, features)
}

// ---- signing -------------------------------------------------------------------------

/// The recipe a scheme table builds: a coded preset's or a catalogue entry's (None for Twilio,
/// Cowbell, an entry that signs nothing, or a table that does not build).
pub fn recipe_for(cfg: &SchemeConfig) -> Option<Recipe> {
    let base = match cfg.kind.as_str() {
        "github" => schemes::github::recipe(),
        "standard_webhooks" => schemes::standard_webhooks::recipe(),
        "svix" => schemes::svix::recipe(),
        "bindpilot" => schemes::bindpilot::recipe(),
        "sendpilot" => schemes::sendpilot::recipe(),
        "coverkit" => schemes::coverkit::recipe(),
        "hmac" => schemes::blank_recipe(),
        kind => schemes::catalogue::find(kind)?.recipe("fuzz").ok()?,
    };
    schemes::apply_overrides(base, cfg, "fuzz").ok()
}

/// How a signature is made: `Fresh` makes an input that should be accepted (the seeds);
/// `Random` also picks timestamps outside the window and odd values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Fresh,
    Random,
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Sets `pointer` in a JSON object, creating objects on the way; false when it cannot.
fn set_pointer(root: &mut Value, pointer: &str, value: Value) -> bool {
    if pointer.is_empty() {
        *root = value;
        return true;
    }
    let Some(rest) = pointer.strip_prefix('/') else { return false };
    let mut cur = root;
    let tokens: Vec<String> = rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        cur = match cur {
            Value::Object(o) => {
                if last {
                    o.insert(t.clone(), value);
                    return true;
                }
                o.entry(t.clone()).or_insert_with(|| json!({}))
            }
            Value::Array(a) => match t.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    if last {
                        a[i] = value;
                        return true;
                    }
                    &mut a[i]
                }
                _ => return false,
            },
            _ => return false,
        };
    }
    false
}

/// The value a field has in the case, or `proposed` put there (when `replace` or absent).
/// `None` when the field cannot hold it (a pointer into a body that is not a JSON object).
fn field_value(case: &mut Case, field: &Field, proposed: String, replace: bool, numeric: bool) -> Option<String> {
    match field {
        Field::Header(h) => {
            if replace || case.header(h).is_none() {
                case.set_header(h, proposed.clone());
            }
            case.header(h).map(str::to_string)
        }
        Field::Pointer(p) => {
            let mut body: Value = serde_json::from_slice(&case.body).ok()?;
            let existing = body.pointer(p).and_then(json_text);
            if let (Some(v), false) = (&existing, replace) {
                return Some(v.clone());
            }
            let value = match proposed.parse::<i64>() {
                Ok(n) if numeric => Value::from(n),
                _ => Value::String(proposed.clone()),
            };
            if !set_pointer(&mut body, p, value) {
                return existing;
            }
            case.body = serde_json::to_vec(&body).ok()?;
            Some(proposed)
        }
        Field::Query(q) => {
            let existing = case.inbound().query_param(q);
            if replace || existing.is_none() {
                case.set_query(q, &proposed);
                return Some(proposed);
            }
            existing
        }
        Field::Form(f) => {
            let existing = form_urlencoded::parse(&case.body).find(|(k, _)| k == f.as_str()).map(|(_, v)| v.into_owned());
            if replace || existing.is_none() {
                let mut pairs: Vec<(String, String)> =
                    form_urlencoded::parse(&case.body).filter(|(k, _)| k != f.as_str()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                pairs.push((f.clone(), proposed.clone()));
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in &pairs {
                    s.append_pair(k, v);
                }
                case.body = s.finish().into_bytes();
                return Some(proposed);
            }
            existing
        }
        Field::SignatureList => Some(proposed),
    }
}

/// A timestamp in `format`, at `now` or (for `Sign::Random`) anywhere near or far from it.
fn proposed_timestamp(rng: &mut Rng, now: u64, tolerance: u64, format: TimeFormat, mode: Sign) -> String {
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    let tol = i64::try_from(tolerance).unwrap_or(i64::MAX);
    let delta = match (mode, rng.u8(0..10)) {
        (Sign::Fresh, _) | (_, 0..=2) => 0,
        (_, 3..=4) => rng.i64(-tol.min(1 << 40)..=tol.min(1 << 40)),
        (_, 5) => tol.saturating_add(1),
        (_, 6) => tol.saturating_add(1).saturating_neg(),
        (_, 7) => rng.i64(..),
        (_, 8) => return pick(rng, NUMBERS).to_string(),
        _ => return mutate::short_string(rng, &[]),
    };
    let t = now.saturating_add(delta);
    match format {
        TimeFormat::Unix => t.to_string(),
        TimeFormat::UnixMs => t.saturating_mul(1000).saturating_add(rng.i64(0..1000)).to_string(),
        TimeFormat::Rfc3339 => time::OffsetDateTime::from_unix_timestamp(t)
            .ok()
            .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_else(|| t.to_string()),
        // Orb's form: no offset, UTC.
        TimeFormat::Iso8601 => time::OffsetDateTime::from_unix_timestamp(t)
            .ok()
            .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
            .map(|s| s.trim_end_matches('Z').to_string())
            .unwrap_or_else(|| t.to_string()),
    }
}

fn proposed_id(rng: &mut Rng, mode: Sign) -> String {
    match (mode, rng.u8(0..8)) {
        (Sign::Fresh, _) | (_, 0..=4) => format!("evt_fuzz_{:08x}", rng.u32(..)),
        (_, 5) => "x".repeat(*pick(rng, &[199usize, 200, 201, 600])),
        _ => mutate::short_string(rng, &[]),
    }
}

/// The secret (value) of one of the source's keys.
fn pick_secret(rng: &mut Rng, case: &Case, src: &Value) -> Option<String> {
    let refs = src.get("secrets")?.as_array()?;
    if refs.is_empty() {
        return None;
    }
    let r = &refs[rng.usize(..refs.len())];
    case.secrets.get(r.get("env")?.as_str()?).cloned()
}

enum KeyBytes {
    Mac(Vec<u8>),
    Ed25519,
}

fn key_bytes(value: &str, encoding: SecretEncoding) -> Option<KeyBytes> {
    let text = value.trim();
    match encoding {
        SecretEncoding::Raw => Some(KeyBytes::Mac(value.as_bytes().to_vec())),
        SecretEncoding::Base64 => common::BASE64.decode(text).ok().map(KeyBytes::Mac),
        SecretEncoding::Hex => hex::decode(text).ok().map(KeyBytes::Mac),
        // Discord-style hex public keys: nothing to sign with here (no private key at hand).
        SecretEncoding::Ed25519Hex | SecretEncoding::Ed25519Base64 => None,
        // ECDSA public keys (SendGrid): likewise.
        SecretEncoding::EcdsaP256Spki => None,
        // RSA public keys (Orum): likewise.
        SecretEncoding::RsaPublicKey => None,
        SecretEncoding::Whsec => match (text.strip_prefix("whsec_"), text == ed25519_whpk()) {
            (Some(b), _) => common::BASE64.decode(b).ok().map(KeyBytes::Mac),
            (None, true) => Some(KeyBytes::Ed25519),
            _ => None,
        },
    }
}

/// The signed content as the recipe defines it, for this request.
fn message(recipe: &Recipe, req: &Inbound<'_>, ts: &str, id: &str) -> Vec<u8> {
    let url = common::public_url(req, recipe.public_url.as_deref());
    let mut out = Vec::new();
    for part in &recipe.content {
        match part {
            Part::Literal(s) => out.extend(s.as_bytes()),
            Part::Body => out.extend(req.body),
            Part::Timestamp => out.extend(ts.as_bytes()),
            Part::Id => out.extend(id.as_bytes()),
            Part::Url => out.extend(url.as_bytes()),
            Part::Header(h) => out.extend(req.header(h).unwrap_or("").as_bytes()),
        }
    }
    out
}

fn zero_candidate(rng: &mut Rng, encoding: Encoding) -> String {
    encoding.encode(&vec![0u8; *pick(rng, &[20usize, 32, 64, 31, 33])])
}

/// Signs the case the way its source's scheme expects; false when it cannot (no source,
/// no usable key, a table that does not build).
pub fn sign(name: &str, case: &mut Case, rng: &mut Rng, mode: Sign) -> bool {
    let Some(src) = case.source(name).cloned() else { return false };
    let Some(cfg) = src.get("scheme").and_then(|s| hookgate::json_read::read::<SchemeConfig>(&s.to_string()).ok()) else { return false };
    let Some(secret) = pick_secret(rng, case, &src) else { return false };
    match cfg.kind.as_str() {
        "twilio" => sign_twilio(case, &cfg, &secret, rng, mode),
        "cowbell" => sign_cowbell(case, &cfg, &secret, rng),
        _ => {
            let Some(mut recipe) = recipe_for(&cfg) else { return false };
            if cfg.kind == "github" && cfg.allow_sha1 == Some(true) && mode == Sign::Random && rng.u8(..) < 80 {
                // The legacy header, used only when the SHA-256 one is absent.
                case.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&recipe.signature_header));
                recipe = Recipe {
                    signature_header: schemes::github::SHA1_SIGNATURE_HEADER.into(),
                    format: schemes::github::sha1_recipe().format,
                    algorithm: Algorithm::HmacSha1,
                    ..recipe
                };
            }
            sign_recipe(case, &src, &recipe, &secret, rng, mode)
        }
    }
}

fn sign_recipe(case: &mut Case, src: &Value, recipe: &Recipe, secret: &str, rng: &mut Rng, mode: Sign) -> bool {
    let Some(key) = key_bytes(secret, recipe.secret_encoding) else { return false };
    let tolerance = src.get("tolerance_secs").and_then(Value::as_u64).unwrap_or(recipe.default_tolerance_secs);
    let replace = mode == Sign::Fresh || rng.bool();
    let mut ts = String::new();
    if let Some(t) = &recipe.timestamp {
        let proposed = proposed_timestamp(rng, case.now_secs, tolerance, t.format, mode);
        ts = field_value(case, &t.field, proposed, replace, matches!(t.format, TimeFormat::Unix | TimeFormat::UnixMs)).unwrap_or_default();
    }
    let mut id = String::new();
    if let IdSource::Field { field, .. } = &recipe.event_id {
        let proposed = proposed_id(rng, mode);
        id = field_value(case, field, proposed, replace && mode == Sign::Random, false).unwrap_or_default();
    } else if let IdSource::Composite(pointers) = &recipe.event_id {
        for p in pointers {
            let proposed = proposed_id(rng, mode);
            let _ = field_value(case, &Field::Pointer(p.clone()), proposed, false, false);
        }
    }
    let msg = message(recipe, &case.inbound(), &ts, &id);
    let ed25519 = matches!(key, KeyBytes::Ed25519);
    let sig = match &key {
        KeyBytes::Mac(k) => CoreCrypto.hmac(recipe.algorithm, k, &[&msg]),
        KeyBytes::Ed25519 => ed25519_key().sign(&msg).to_bytes().to_vec(),
    };
    let encoded = recipe.encoding.encode(&sig);
    let value = match &recipe.format {
        SignatureFormat::Plain { prefix, separator } => {
            let mut items = vec![format!("{prefix}{encoded}")];
            if let (Some(sep), Sign::Random, true) = (separator, mode, rng.u8(..) < 80) {
                for _ in 0..rng.usize(1..4) {
                    items.insert(rng.usize(..=items.len()), format!("{prefix}{}", zero_candidate(rng, recipe.encoding)));
                }
                items.join(sep)
            } else {
                items.remove(0)
            }
        }
        SignatureFormat::List(list) => {
            let sig_key = list
                .signature_keys
                .iter()
                .find(|k| recipe.ed25519_keys.contains(k) == ed25519)
                .or(list.signature_keys.first())
                .cloned()
                .unwrap_or_default();
            let mut items = vec![format!("{sig_key}{}{encoded}", list.pair_separator)];
            if mode == Sign::Random && rng.u8(..) < 80 {
                for _ in 0..rng.usize(1..4) {
                    let k = pick(rng, &list.signature_keys).clone();
                    items.insert(rng.usize(..=items.len()), format!("{k}{}{}", list.pair_separator, zero_candidate(rng, recipe.encoding)));
                }
            }
            if let (Some(t), Some(Field::SignatureList)) = (&list.timestamp_key, recipe.timestamp.as_ref().map(|t| &t.field)) {
                let at = if mode == Sign::Random && rng.u8(..) < 50 { rng.usize(..=items.len()) } else { 0 };
                items.insert(at, format!("{t}{}{ts}", list.pair_separator));
            }
            items.join(&list.item_separator)
        }
    };
    if mode == Sign::Fresh || rng.u8(..) < 220 {
        case.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&recipe.signature_header));
    }
    case.headers.insert(0, (recipe.signature_header.clone(), value));
    true
}

/// Twilio: HMAC-SHA1 over the URL and the sorted form parameters, or over a URL that
/// carries `bodySHA256` for other bodies.
fn sign_twilio(case: &mut Case, cfg: &SchemeConfig, secret: &str, rng: &mut Rng, mode: Sign) -> bool {
    let form = case.inbound().media_type() == "application/x-www-form-urlencoded";
    if !form && !case.body.is_empty() && case.inbound().query_param("bodySHA256").is_none() && (mode == Sign::Fresh || rng.u8(..) < 200) {
        let mut hash = hookgate::crypto::sha256_hex(&case.body);
        if mode == Sign::Random && rng.u8(..) < 20 {
            hash = hash.to_ascii_uppercase();
        }
        case.set_query("bodySHA256", &hash);
    }
    let req = case.inbound();
    let url = common::public_url(&req, cfg.public_url.as_deref());
    let content = if req.query_param("bodySHA256").is_some() || !form {
        url
    } else {
        let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(&case.body) {
            params.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        let mut out = url;
        for (k, mut values) in params {
            values.sort();
            for v in values {
                out.push_str(&k);
                out.push_str(&v);
            }
        }
        out
    };
    let mac = CoreCrypto.hmac(Algorithm::HmacSha1, secret.as_bytes(), &[content.as_bytes()]);
    case.set_header(schemes::twilio::SIGNATURE_HEADER, base64::engine::general_purpose::STANDARD.encode(mac));
    true
}

/// Cowbell: the shared token where the source expects it.
fn sign_cowbell(case: &mut Case, cfg: &SchemeConfig, secret: &str, rng: &mut Rng) -> bool {
    if let Some(h) = &cfg.token_header {
        let value = if rng.bool() { format!("Bearer {secret}") } else { secret.to_string() };
        case.set_header(h, value);
    } else if let Some(user) = &cfg.basic_user {
        let creds = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        case.set_header("authorization", format!("Basic {creds}"));
    } else {
        let q = cfg.token_query.clone().unwrap_or_else(|| schemes::cowbell::DEFAULT_TOKEN_QUERY.into());
        case.set_query(&q, secret);
    }
    true
}

// ---- mutation ------------------------------------------------------------------------

/// Header names the schemes read, and a few others.
pub const HEADER_NAMES: &[&str] = &[
    "content-type", "stripe-signature", "x-hub-signature-256", "x-hub-signature", "x-github-delivery", "x-shopify-hmac-sha256",
    "x-shopify-webhook-id", "x-slack-signature", "x-slack-request-timestamp", "x-twilio-signature", "i-twilio-idempotency-token",
    "webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature", "x-bindpilot-signature",
    "coverkit-signature", "x-cowbell-token", "authorization", "content-length", "cf-connecting-ip", "x-acme-signature",
    "x-acme-timestamp", "x-acme-delivery", "x-signature", "x-ts", "x-id", "x-extra", "x-github-event", "x-hookgate-event-id",
];

const CONTENT_TYPES: &[&str] = &[
    "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
    "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8", "text/plain", "", ";", "multipart/form-data; boundary=x",
];

/// Keys found in webhook bodies (ids, timestamps, Slack's challenge, Cowbell's fields).
pub const BODY_KEYS: &[&str] = &[
    "id", "event_id", "eventId", "timestamp", "createdAt", "created", "type", "challenge", "token", "meta", "event", "data",
    "quoteId", "policyId", "modified", "object", "api_version", "",
];

pub const POINTERS: &[&str] = &[
    "", "/", "/id", "/event_id", "/eventId", "/timestamp", "/createdAt", "/created", "/data/id", "/data/object/id",
    "/meta/event", "/data/quoteId", "/data/policyId", "/data/modified", "/a~1b", "/~0", "/~2", "/~", "/0", "/-",
    "/18446744073709551616", "//", "/data/", "id", "/\u{0}", "/é",
];

pub const TEMPLATES: &[&str] = &[
    "{body}", "{timestamp}.{body}", "{id}.{timestamp}.{body}", "v0:{timestamp}:{body}", "{url}{body}", "{url}",
    "{header:x-extra}.{body}", "{body}{body}", "{timestamp}{timestamp}{body}", "{id}{body}", "{header:}{body}",
    "{unknown}{body}", "{body", "}{body}{", "{{body}}", "{header:x-ts}.{body}", "{timestamp}.{id}.{url}.{body}",
    "{header:X-Acme-Delivery}:{timestamp}:{body}", "",
];

const URLS: &[&str] = &[
    "https://hooks.example.com/hooks/x", "https://a.example:443/p?q=1", "http://127.0.0.1:8787/hooks/x", "http://localhost",
    "ftp://x/y", "https://", "https://[::1]:99999/", "https://user@host/x", "https://h/ x", "hooks.example.com/x",
    "https://[fe80::1%25eth0]/x", "https://h.example?#", "HTTPS://H.EXAMPLE/X",
];

/// A value for a field table (`timestamp`, `event_id`): mostly one location, sometimes
/// none or two, with or without `format` and `required`.
pub fn field_config(rng: &mut Rng, timestamp: bool) -> Value {
    let mut v = json!({});
    for _ in 0..if rng.u8(..) < 230 { 1 } else { rng.usize(0..3) } {
        match rng.u8(0..6) {
            0 => v["header"] = pick(rng, HEADER_NAMES).to_string().into(),
            1 => v["pointer"] = pick(rng, POINTERS).to_string().into(),
            2 if !timestamp => {
                v["pointers"] = (0..rng.usize(0..4)).map(|_| Value::from(pick(rng, POINTERS).to_string())).collect();
            }
            3 => v["query"] = pick(rng, &["ts", "id", "token", "bodySHA256", ""]).to_string().into(),
            4 => v["form"] = pick(rng, mutate::FORM_KEYS).to_string().into(),
            _ => v["signature_list"] = Value::Bool(rng.u8(..) < 230),
        }
    }
    if timestamp && rng.bool() {
        v["format"] = pick(rng, &["unix", "unix_ms", "rfc3339", "iso8601", "iso"]).to_string().into();
    }
    if !timestamp && rng.u8(..) < 80 {
        v["required"] = Value::Bool(rng.bool());
    }
    if rng.u8(..) < 8 {
        v[if timestamp { "required" } else { "format" }] = Value::from("unix");
    }
    v
}

/// One change to a source's table (settings, scheme overrides, keys, destination),
/// within what its preset accepts most of the time.
pub fn mutate_source(rng: &mut Rng, src: &mut Value, secrets: &mut BTreeMap<String, String>) {
    if !src.is_object() {
        *src = json!({});
    }
    let kind = src.get("scheme").and_then(|s| s.get("type")).and_then(Value::as_str).unwrap_or("hmac").to_string();
    match rng.u8(0..13) {
        0 => src["tolerance_secs"] = Value::from(*pick(rng, INTS)),
        1 => {
            let mut d = json!({});
            match rng.u8(0..4) {
                0 => d["mode"] = "off".into(),
                1 => {
                    d["mode"] = "strict".into();
                    d["shards"] = Value::from(*pick(rng, &[0u64, 1, 16, 1024, 1025, u64::from(u32::MAX)]));
                }
                _ => d["window_secs"] = Value::from(*pick(rng, INTS)),
            }
            src["dedupe"] = d;
        }
        2 => src["max_body_bytes"] = Value::from(*pick(rng, &[0u64, 1, 16, 1024, 122_880, 122_881, 1_048_576, 33_554_432, 33_554_433])),
        3 => {
            src["allow_ips"] = (0..rng.usize(0..3))
                .map(|_| Value::from(*pick(rng, &["0.0.0.0/0", "::/0", "203.0.113.0/24", "2001:db8::1", "127.0.0.1", "10.0.0.0/33", "x", ""])))
                .collect();
        }
        4..=8 => {
            let scheme = &mut src["scheme"];
            if !scheme.is_object() {
                *scheme = json!({ "type": kind });
            }
            let fields: &[&str] = match kind.as_str() {
                "twilio" => &["public_url"],
                "cowbell" => &["token_header", "token_query", "basic_user", "event_id", "event_type"],
                _ => &[
                    "signature_header", "prefix", "separator", "list", "signed_content", "signed_content", "algorithm", "encoding",
                    "secret_encoding", "timestamp", "timestamp", "event_id", "event_id", "public_url", "allow_sha1", "event_type",
                ],
            };
            let field = *pick(rng, fields);
            scheme[field] = match field {
                "signature_header" | "token_header" => pick(rng, HEADER_NAMES).to_string().into(),
                "prefix" => pick(rng, &["", "sha256=", "v0=", "sha1=", "v1=", " ", "="]).to_string().into(),
                "separator" => pick(rng, &[",", " ", ", ", "", ";"]).to_string().into(),
                "list" => json!({
                    "item_separator": pick(rng, &[",", " ", ";", "", "=", ",,"]).to_string(),
                    "pair_separator": pick(rng, &["=", ",", ":", "", " "]).to_string(),
                    "signature_keys": (0..rng.usize(0..3)).map(|_| Value::from(*pick(rng, &["v1", "v0", "v1a", "s", "sig", ""]))).collect::<Vec<_>>(),
                    "timestamp_key": pick(rng, &[Value::Null, "t".into(), "ts".into(), "v1".into(), "".into()]).clone(),
                }),
                "signed_content" => {
                    let mut t = pick(rng, TEMPLATES).to_string();
                    if rng.u8(..) < 60 {
                        mutate::string(rng, &mut t, &["{", "}", "{body}", "{timestamp}", "{id}", "{url}", "{header:"], 256);
                    }
                    t.into()
                }
                "algorithm" => pick(rng, &["hmac-sha256", "hmac-sha1", "hmac-sha512", "ed25519", "md5"]).to_string().into(),
                "encoding" => pick(rng, &["hex", "base64", "base64url", "utf8"]).to_string().into(),
                "secret_encoding" => pick(rng, &["raw", "base64", "whsec"]).to_string().into(),
                "timestamp" => field_config(rng, true),
                "event_id" => field_config(rng, false),
                "event_type" => match rng.u8(0..4) {
                    0 => json!({ "header": *pick(rng, HEADER_NAMES) }),
                    1 => json!({ "pointer": *pick(rng, &["/type", "/event/type", "/meta/event", "", "type"]) }),
                    2 => json!({ "form": "EventType" }),
                    _ => field_config(rng, false),
                },
                "public_url" => pick(rng, URLS).to_string().into(),
                "token_query" | "basic_user" => pick(rng, &["token", "t", "cowbell", "", "a:b", "é"]).to_string().into(),
                _ => Value::Bool(rng.bool()),
            };
        }
        9 => {
            if let Some(o) = src.get_mut("scheme").and_then(Value::as_object_mut) {
                let keys: Vec<String> = o.keys().filter(|k| *k != "type").cloned().collect();
                if !keys.is_empty() {
                    o.remove(&keys[rng.usize(..keys.len())]);
                }
            }
        }
        10 => {
            let i = rng.usize(..secrets.len().max(1));
            if let Some((_, v)) = secrets.iter_mut().nth(i) {
                mutate::string(rng, v, &["whsec_", "whpk_", "=", " "], 256);
            }
        }
        11 => {
            let n = rng.u32(..);
            let env = format!("FUZZ_KEY_{n:x}");
            let value = match rng.u8(0..4) {
                0 => format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(n.to_be_bytes().repeat(6))),
                1 => ed25519_whpk(),
                2 => common::BASE64.encode(n.to_le_bytes().repeat(5)),
                _ => format!("raw-secret-{n:x}"),
            };
            secrets.insert(env.clone(), value);
            let mut r = json!({ "label": format!("k{}", n % 7), "env": env });
            if rng.bool() {
                r["not_after"] = if rng.bool() { Value::from(*pick(rng, INTS)) } else { pick(rng, &["2026-12-01T00:00:00Z", "1969-12-31T23:59:59Z", "x"]).to_string().into() };
            }
            match src["secrets"].as_array_mut() {
                Some(a) if rng.u8(..) < 200 => a.push(r),
                _ => src["secrets"] = json!([r]),
            }
        }
        12 if rng.u8(..) < 96 => match rng.u8(0..3) {
            // The gateway settings: filters, rate limits, archives.
            0 => {
                let patterns = ["push", "pull_request*", "!team.*", "*", "!*", "policy.*", "", "!", "a b", "x!y", "é"];
                src["filter"] = json!({ "events": (0..rng.usize(0..4)).map(|_| *pick(rng, &patterns)).collect::<Vec<_>>() });
                if rng.bool() {
                    src["filter"]["when_absent"] = pick(rng, &["forward", "filter", "drop"]).to_string().into();
                }
            }
            1 => {
                src["rate_limit"] = json!({ "binding": pick(rng, &["HOOKGATE_LIMIT", "not a binding"]).to_string(), "requests": *pick(rng, INTS), "period_secs": *pick(rng, &[0u64, 10, 30, 60]) });
            }
            _ => src["archive"] = json!({ "r2": "HOOKGATE_ARCHIVE", "retention_days": *pick(rng, &[0u64, 1, 3, 31, 3650, 3651]) }),
        },
        _ => {
            let d = &mut src["destination"];
            if !d.is_object() {
                *d = json!({ "origin": "https://origin.example/hooks" });
            }
            if rng.u8(..) < 24 {
                d["queue"] = "HOOKGATE_QUEUE".into();
                d["pacing"] = json!({ "max_per_minute": *pick(rng, &[0u64, 1, 60, 600, 60_000, 60_001]), "concurrency": *pick(rng, &[0u64, 1, 2, 100, 101]) });
            }
            match rng.u8(0..6) {
                0 => d["pass_headers"] = (0..rng.usize(0..4)).map(|_| Value::from(*pick(rng, HEADER_NAMES))).collect(),
                1 => {
                    d["signing_secret"] = "ORIGIN_SIGNING_SECRET".into();
                    secrets.insert("ORIGIN_SIGNING_SECRET".into(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into());
                }
                2 => {
                    d["queue"] = "HOOKGATE_QUEUE".into();
                    if rng.bool() {
                        d["r2"] = "HOOKGATE_R2".into();
                    }
                }
                3 => d["on_origin_4xx"] = pick(rng, &["accept", "retry", "x"]).to_string().into(),
                4 => d["timeout_ms"] = Value::from(*pick(rng, &[0u64, 99, 100, 30_000, 30_001])),
                _ => d["origin"] = pick(rng, URLS).to_string().into(),
            }
        }
    }
}

/// A body: JSON, a form, random bytes, empty, or one past the size limits.
pub fn generate_body(rng: &mut Rng) -> Vec<u8> {
    match rng.u8(0..20) {
        0..=8 => {
            let mut v = json!({});
            for _ in 0..rng.usize(0..6) {
                v[*pick(rng, BODY_KEYS)] = mutate::json_value(rng, &[], BODY_KEYS, 2);
            }
            serde_json::to_vec(&v).unwrap()
        }
        9..=12 => {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = (0..rng.usize(0..8))
                .map(|_| (pick(rng, mutate::FORM_KEYS).as_bytes().to_vec(), mutate::short_string(rng, &[]).into_bytes()))
                .collect();
            mutate::form_join(&pairs)
        }
        13..=15 => (0..rng.usize(0..512)).map(|_| rng.u8(..)).collect(),
        16..=17 => Vec::new(),
        18 => b"{\"type\":\"url_verification\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"token\":\"t\"}".to_vec(),
        _ => vec![b'a'; *pick(rng, &[122_880usize, 122_881, 1_048_576, 1_048_577])],
    }
}

/// Longest header value the mutations make (Cloudflare refuses far shorter ones; the
/// core must cope anyway).
const MAX_HEADER_BYTES: usize = 256 * 1024;

fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
}

/// Replaces the signature header's value with something only a parser would send:
/// floods of candidates, zero MACs, empty items, huge numbers.
fn mutate_signature(rng: &mut Rng, case: &mut Case, header: &str) {
    let mut current = case.header(header).unwrap_or("").to_string();
    truncate(&mut current, MAX_HEADER_BYTES / 4);
    let hex64 = "0".repeat(64);
    let value = match rng.u8(0..8) {
        0 | 1 => {
            // Many candidates: the check stays bounded (each key's MAC once, Ed25519 capped).
            let sep = *pick(rng, &[",", " ", ", "]);
            let item = match current.split([',', ' ']).rfind(|s| !s.is_empty()) {
                Some(i) if rng.bool() => i.to_string(),
                _ => format!("{}{hex64}", pick(rng, &["v1=", "v1,", "v1a,", "sha256=", "s=", ""])),
            };
            let times = *pick(rng, &[10usize, 100, 1000, 5000]);
            let mut v = current.clone();
            for _ in 0..times {
                v.push_str(sep);
                v.push_str(&item);
            }
            v
        }
        2 => pick(rng, &["v1,", "v1=", "t=,v1=", ",", "", " ", "sha256=", "v1a,", "t=1767225600", "v1,,", "=", "t=1,t=2,v1=", "v0="]).to_string(),
        3 => format!("t={},v1={hex64}", pick(rng, NUMBERS)),
        4 => format!("{current}{}", pick(rng, &[",v1=", " v1,", ",", " ", "\u{0}", "é"])),
        5 => current.to_ascii_uppercase(),
        _ => {
            let mut v = current;
            for _ in 0..depth(rng) {
                mutate::string(rng, &mut v, &["v1=", "v1,", "v1a,", "t=", ",", " ", "="], MAX_HEADER_BYTES);
            }
            v
        }
    };
    let mut value = value;
    truncate(&mut value, MAX_HEADER_BYTES);
    case.set_header(header, value);
}

impl RequestTarget {
    fn signature_header(&self, case: &Case) -> String {
        let from_config = case
            .source(self.preset)
            .and_then(|s| s.get("scheme"))
            .and_then(|s| hookgate::json_read::read::<SchemeConfig>(&s.to_string()).ok())
            .and_then(|cfg| recipe_for(&cfg))
            .map(|r| r.signature_header);
        from_config.unwrap_or_else(|| match self.preset {
            "twilio" => schemes::twilio::SIGNATURE_HEADER.into(),
            _ => "authorization".into(),
        })
    }

    fn mutate_once(&self, case: &mut Case, rng: &mut Rng, pool: &[Case]) {
        match rng.u8(0..110) {
            0..=29 if !case.headers.is_empty() => {
                let i = rng.usize(..case.headers.len());
                let v = &mut case.headers[i].1;
                mutate::string(rng, v, &["v1=", "v1,", "t=", ","], 64 * 1024);
            }
            30..=44 => {
                let header = self.signature_header(case);
                mutate_signature(rng, case, &header);
            }
            45..=54 => match rng.u8(0..5) {
                0 => {
                    let name = pick(rng, HEADER_NAMES).to_string();
                    let value = if name == "content-type" { pick(rng, CONTENT_TYPES).to_string() } else { mutate::short_string(rng, &[]) };
                    case.headers.insert(rng.usize(..=case.headers.len()), (name, value));
                }
                1 if !case.headers.is_empty() => {
                    case.headers.remove(rng.usize(..case.headers.len()));
                }
                2 if !case.headers.is_empty() => {
                    let h = case.headers[rng.usize(..case.headers.len())].clone();
                    case.headers.insert(rng.usize(..=case.headers.len()), h);
                }
                3 if !case.headers.is_empty() => {
                    let i = rng.usize(..case.headers.len());
                    case.headers[i].0 = case.headers[i].0.chars().map(|c| if rng.bool() { c.to_ascii_uppercase() } else { c }).collect();
                }
                _ => case.set_header("content-type", pick(rng, CONTENT_TYPES).to_string()),
            },
            55..=64 => match rng.u8(0..4) {
                0 => {
                    let name = *pick(rng, &["bodySHA256", "token", "ts", "id", "source", "event_id"]);
                    let value = mutate::short_string(rng, &[]);
                    case.set_query(name, &value);
                }
                1 => case.url = case.url.replace("/hooks/", pick::<&str>(rng, &["/hooks//", "/hooks/x/", "/HOOKS/", "/hookgate/dead-letters/", "/hooks/"])),
                _ => mutate::string(rng, &mut case.url, &["?", "&", "#", "%", "/", ":443", "//", "bodySHA256=", "token="], 8192),
            },
            65..=89 => match rng.u8(0..8) {
                0..=2 => {
                    let others: Vec<&[u8]> = pool.iter().take(64).map(|c| c.body.as_slice()).collect();
                    mutate::bytes(rng, &mut case.body, &["\"id\":", "\"timestamp\":", "\"type\":\"url_verification\"", "&", "="], &others, 2 << 20);
                }
                3 | 4 => {
                    if let Ok(mut v) = serde_json::from_slice::<Value>(&case.body) {
                        mutate::json(rng, &mut v, &[], BODY_KEYS);
                        case.body = serde_json::to_vec(&v).unwrap_or_default();
                    }
                }
                5 => mutate::form(rng, &mut case.body),
                6 => case.body = generate_body(rng),
                _ => {
                    // Invalid UTF-8 somewhere.
                    let i = rng.usize(..=case.body.len());
                    case.body.insert(i, *pick(rng, &[0xffu8, 0xc3, 0x80, 0xed, 0xf4]));
                }
            },
            90..=94 => {
                case.now_secs = match rng.u8(0..4) {
                    0 => *pick(rng, INTS),
                    1 => case.now_secs.saturating_add(rng.u64(0..1_000_000)),
                    2 => case.now_secs.saturating_sub(rng.u64(0..1_000_000)),
                    _ => rng.u64(..),
                }
            }
            95..=96 => {
                case.client_ip = pick(rng, &[None, Some("203.0.113.7"), Some("2001:db8::1"), Some(" 203.0.113.7 "), Some("x"), Some("::ffff:203.0.113.7")])
                    .map(str::to_string);
            }
            97 => case.method = pick(rng, &["POST", "post", "GET", "PUT", "", "P\u{0}ST"]).to_string(),
            98..=107 => {
                let name = self.preset;
                let mut secrets = std::mem::take(&mut case.secrets);
                if let Some(src) = case.source_mut(name) {
                    mutate_source(rng, src, &mut secrets);
                } else {
                    case.config = json!({ "sources": { name: { "scheme": { "type": name } } } });
                }
                case.secrets = secrets;
            }
            _ if !pool.is_empty() => {
                let other = &pool[rng.usize(..pool.len())];
                match rng.u8(0..4) {
                    0 => case.body = other.body.clone(),
                    1 => case.headers = other.headers.clone(),
                    2 => case.url = other.url.clone(),
                    _ => {
                        case.config = other.config.clone();
                        case.secrets = other.secrets.clone();
                    }
                }
            }
            _ => {}
        }
    }
}

impl Codec for Case {
    fn decode(bytes: &[u8]) -> Option<Self> {
        Case::from_json(&serde_json::from_slice(bytes).ok()?)
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&self.to_json()).unwrap();
        out.push(b'\n');
        out
    }
}

impl Target for RequestTarget {
    type Input = Case;
    type State = Cache;

    fn name(&self) -> &'static str {
        self.preset
    }

    fn ext(&self) -> &'static str {
        "json"
    }

    fn generate(&self, rng: &mut Rng, pool: &[Case]) -> Case {
        let mut case = match pool.len() {
            0 => Case {
                config: json!({ "sources": { self.preset: {
                    "scheme": { "type": self.preset, "signature_header": "x-signature" },
                    "secrets": [{ "label": "k", "env": "KEY" }],
                    "destination": { "origin": "https://origin.example/hooks" },
                } } }),
                secrets: BTreeMap::from([("KEY".to_string(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string())]),
                method: "POST".into(),
                url: format!("https://hooks.example.com/hooks/{}", self.preset),
                headers: Vec::new(),
                body: Vec::new(),
                now_secs: 1_767_225_600,
                client_ip: None,
            },
            n => pool[rng.usize(..n)].clone(),
        };
        // Fresh headers and body under the same configuration.
        case.headers = (0..rng.usize(0..6))
            .map(|_| {
                let name = pick(rng, HEADER_NAMES).to_string();
                let value = if name == "content-type" { pick(rng, CONTENT_TYPES).to_string() } else { mutate::short_string(rng, &[]) };
                (name, value)
            })
            .collect();
        case.body = generate_body(rng);
        if rng.bool() {
            case.now_secs = *pick(rng, INTS);
        }
        if rng.u8(..) < 180 {
            sign(self.preset, &mut case, rng, Sign::Random);
        }
        case
    }

    fn mutate(&self, case: &mut Case, rng: &mut Rng, pool: &[Case]) {
        for _ in 0..depth(rng) {
            self.mutate_once(case, rng, pool);
        }
        if rng.u8(..) < 150 {
            sign(self.preset, case, rng, Sign::Random);
        }
        if rng.u8(..) < 50 {
            self.mutate_once(case, rng, pool);
        }
    }

    fn run(&self, case: &Case, cache: &mut Cache) -> Outcome {
        run_case(case, cache)
    }
}
