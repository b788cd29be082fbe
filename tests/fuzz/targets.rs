//! The targets that are not one preset's requests:
//! - `config`: the `HOOKGATE` JSON through `Config::load`/`load_serving` and `npm run check`'s
//!   per-source checks, then a signed request through every source that loaded;
//! - `check`: a wrangler file (TOML, or JSON with comments) and `.dev.vars` text through
//!   `npm run check`'s readers;
//! - `envelope`: parked dead letters, dead-letter keys, R2 body keys, the Durable Object's
//!   operation URLs and lease records, dedupe keys;
//! - `admin`: operator routes and the request's URL, header and query readers;
//! - `parsers`: timestamps (`unix`, `unix_ms`, `rfc3339`, `iso8601`), `signed_content` templates,
//!   signature encodings, `timestamp`/`event_id` field tables (JSON pointers), scheme
//!   tables, URLs, pass-through header names, dotenv text.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;

use hookgate::check::{self, dotenv, wrangler, Secrets};
use hookgate::crypto::CoreCrypto;
use hookgate::envelope::{self, QueuedEvent};
use hookgate::lease::{self, Op, Record};
use hookgate::schemes::common::{self, Encoding, TimeFormat};
use hookgate::schemes::{self, FieldConfig, SchemeConfig};
use hookgate::{admin, config, dedupe, forward, verify, Config, Inbound};
use serde_json::{json, Value};

use crate::engine::{fnv, Codec, Outcome, Rng, Target};
use crate::mutate::{self, depth, pick, INTS};
use crate::request::{self, Case, Sign};

/// Mutates text that may be JSON: mostly structurally when it parses (so most inputs stay
/// JSON and reach past the parser), else as bytes.
fn mutate_text(rng: &mut Rng, text: &mut String, dict: &[&str], keys: &[&str], max_len: usize) {
    let parsed = serde_json::from_str::<Value>(text).ok().filter(|_| rng.u8(..) < 190);
    match parsed {
        Some(mut v) => {
            for _ in 0..depth(rng) {
                mutate::json(rng, &mut v, dict, keys);
            }
            *text = v.to_string();
        }
        None => {
            for _ in 0..depth(rng) {
                mutate::string(rng, text, dict, max_len);
            }
        }
    }
}

// ---- config ----------------------------------------------------------------------------

/// Secret values by binding name: typical names get a key every encoding accepts, names
/// that say what they want get it, and odd names get odd values (none, empty, short, the
/// check's placeholder) so those paths run too. Every value is distinctive, so a value
/// echoed in an error or a `Debug` print can be told.
pub fn secret_for(name: &str) -> Option<String> {
    let typical = !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let has = |s: &str| name.contains(s);
    if has("MISSING") {
        None
    } else if has("EMPTY") {
        Some(String::new())
    } else if has("SHORT") {
        Some("whsec_c2hvcnQ=".into())
    } else if has("PK") {
        Some(request::ed25519_whpk())
    } else if has("B64") {
        Some("ZnV6ei1iYXNlNjQtc2VjcmV0LXZhbHVlLTAxMjM0NTY3".into())
    } else if has("PLACEHOLDER") {
        Some(config::PLACEHOLDER_SECRET.into())
    } else if typical {
        Some("whsec_ZnV6ei13aHNlYy1zZWNyZXQtdmFsdWUtMDEyMw==".into())
    } else {
        match fnv(name.as_bytes()) % 6 {
            0 => None,
            1 => Some("  ".into()),
            2 => Some("raw-fuzz-secret-value-0123456789".into()),
            3 => Some(request::ed25519_whpk()),
            _ => Some("whsec_ZnV6ei13aHNlYy1zZWNyZXQtdmFsdWUtMDEyMw==".into()),
        }
    }
}

/// Values no error message or `Debug` print may show (unless the configuration text itself
/// holds them).
const SECRET_VALUES: &[&str] = &["ZnV6ei13aHNlYy1zZWNyZXQtdmFsdWUtMDEyMw", "raw-fuzz-secret-value-0123456789", "ZnV6ei1iYXNlNjQtc2VjcmV0LXZhbHVlLTAxMjM0NTY3"];

fn assert_no_secret(text: &str, config_text: &str, what: &str) {
    for s in SECRET_VALUES {
        assert!(!text.contains(s) || config_text.contains(s), "{what} shows a secret value: {text}");
    }
}

const CONFIG_KEYS: &[&str] = &[
    "sources", "kv_binding", "dedupe_object", "queue", "dead_letter_queue", "retry_base_secs", "retry_max_secs", "scheme", "type",
    "secrets", "label", "env", "not_after", "tolerance_secs", "max_body_bytes", "allow_ips", "dedupe", "mode", "window_secs",
    "shards", "destination", "origin", "timeout_ms", "pass_headers", "signing_secret", "on_origin_4xx", "r2", "signature_header",
    "prefix", "separator", "list", "item_separator", "pair_separator", "signature_keys", "timestamp_key", "signed_content",
    "algorithm", "encoding", "secret_encoding", "timestamp", "event_id", "public_url", "allow_sha1", "token_header",
    "token_query", "basic_user", "header", "pointer", "pointers", "query", "form", "signature_list", "format", "required",
    "log", "events", "rejections", "rejections_per_window", "window_secs",
    "filter", "when_absent", "event_type", "rate_limit", "binding", "requests", "period_secs", "pacing", "max_per_minute",
    "concurrency", "archive", "retention_days",
];

const CONFIG_TOKENS: &[&str] = &[
    "\"stripe\"", "\"github\"", "\"shopify\"", "\"slack\"", "\"twilio\"", "\"standard_webhooks\"", "\"svix\"", "\"bindpilot\"",
    "\"sendpilot\"", "\"coverkit\"", "\"cowbell\"", "\"hmac\"", "\"{timestamp}.{body}\"", "\"{id}.{timestamp}.{body}\"",
    "\"/id\"", "\"/data/id\"", "\"unix_ms\"", "\"rfc3339\"", "\"strict\"", "\"off\"", "\"kv\"", "\"whsec\"", "\"base64\"",
    "\"ed25519\"", "\"hmac-sha512\"", "\"base64url\"", "18446744073709551615", "-1", "1e400", "\"MISSING_SECRET\"",
    "\"SHORT_SECRET\"", "\"PK_KEY\"", "\"B64_KEY\"", "\"EMPTY_SECRET\"", "\"PLACEHOLDER\"", "\"https://api.example.com/x\"",
    "\"http://127.0.0.1:8788/events\"", "\"http://example.com\"", "\"2026-12-01T00:00:00Z\"", "null", "[]", "{}", ",", ":", "\"sampled\"", "\"summary\"", "\"all\"", "\"none\"",
];

pub struct ConfigTarget;

/// A configuration from parts: one to three sources of random presets, each changed a few
/// times the way the request targets change theirs.
fn generate_config(rng: &mut Rng) -> Value {
    let mut sources = serde_json::Map::new();
    let mut secrets = BTreeMap::new();
    for i in 0..rng.usize(1..=3) {
        let names: Vec<&str> = hookgate::schemes::preset_names().collect();
        let kind = *pick(rng, &names);
        let mut src = json!({
            "scheme": { "type": kind },
            "secrets": [{ "label": "k", "env": pick(rng, &["KEY", "SECRET_B64", "PK_KEY", "MISSING_KEY", "lower_case"]).to_string() }],
            "destination": { "origin": "https://origin.example/hooks" },
        });
        if kind == "hmac" {
            src["scheme"]["signature_header"] = "x-signature".into();
        }
        for _ in 0..rng.usize(0..5) {
            request::mutate_source(rng, &mut src, &mut secrets);
        }
        sources.insert(if i == 0 { kind.to_string() } else { format!("{kind}-{i}") }, src);
    }
    let mut config = json!({ "sources": sources });
    if rng.u8(..) < 40 {
        config["queue"] = json!({ "retry_base_secs": *pick(rng, INTS), "retry_max_secs": *pick(rng, INTS) });
    }
    if rng.u8(..) < 40 {
        let mut log = json!({});
        for _ in 0..rng.usize(1..4) {
            match rng.u8(0..4) {
                0 => log["events"] = pick(rng, &["all", "none", "some"]).to_string().into(),
                1 => log["rejections"] = pick(rng, &["all", "sampled", "summary", "none"]).to_string().into(),
                2 => log["rejections_per_window"] = Value::from(*pick(rng, &[0u64, 1, 10, 10_000, 10_001, u64::from(u32::MAX) + 1])),
                _ => log["window_secs"] = Value::from(*pick(rng, &[0u64, 1, 60, 3600, 3601, u64::MAX])),
            }
        }
        config["log"] = log;
    }
    if rng.u8(..) < 20 {
        config[*pick(rng, &["kv_binding", "dedupe_object"])] = pick(rng, &["", "KV", "x"]).to_string().into();
    }
    config
}

impl Target for ConfigTarget {
    type Input = String;
    type State = ();

    fn name(&self) -> &'static str {
        "config"
    }
    fn ext(&self) -> &'static str {
        "json"
    }
    fn generate(&self, rng: &mut Rng, _pool: &[String]) -> String {
        generate_config(rng).to_string()
    }
    fn mutate(&self, input: &mut String, rng: &mut Rng, pool: &[String]) {
        match rng.u8(0..10) {
            0..=2 => {
                // Change a source as the request targets do (valid-looking overrides).
                if let Ok(mut v) = serde_json::from_str::<Value>(input) {
                    let names: Vec<String> = v.get("sources").and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default();
                    if let Some(name) = names.get(rng.usize(..names.len().max(1))) {
                        let mut secrets = BTreeMap::new();
                        for _ in 0..depth(rng) {
                            request::mutate_source(rng, &mut v["sources"][name.as_str()], &mut secrets);
                        }
                        *input = v.to_string();
                        return;
                    }
                }
                mutate_text(rng, input, CONFIG_TOKENS, CONFIG_KEYS, 64 * 1024);
            }
            3 if !pool.is_empty() => {
                // Graft a source of another configuration.
                let other = &pool[rng.usize(..pool.len())];
                if let (Ok(mut a), Ok(b)) = (serde_json::from_str::<Value>(input), serde_json::from_str::<Value>(other)) {
                    if let (Some(bs), true) = (b.get("sources").and_then(Value::as_object), a.get("sources").is_some_and(Value::is_object)) {
                        if let Some((k, v)) = bs.iter().nth(rng.usize(..bs.len().max(1))) {
                            a["sources"][format!("{k}2")] = v.clone();
                            *input = a.to_string();
                        }
                    }
                }
            }
            _ => mutate_text(rng, input, CONFIG_TOKENS, CONFIG_KEYS, 64 * 1024),
        }
    }

    fn run(&self, text: &String, _state: &mut ()) -> Outcome {
        let lookup = |name: &str| secret_for(name);
        let strict = Config::load(text, &lookup);
        for e in strict.as_ref().err().into_iter().flatten() {
            assert!(!e.path().is_empty(), "an error without a path: {e:?}");
            assert_no_secret(&e.to_string(), text, "a configuration error");
        }
        let serving = match Config::load_serving(text, &lookup) {
            Ok(c) => c,
            Err(errors) => {
                assert!(!errors.is_empty());
                assert!(strict.is_err());
                return Outcome::new(if matches!(errors[0], hookgate::ConfigError::Syntax { .. }) { "syntax_error" } else { "refused" }, 0);
            }
        };
        assert_no_secret(&format!("{serving:?}"), text, "Debug of a loaded configuration");
        for errors in serving.broken.values() {
            for e in errors {
                assert_no_secret(&e.to_string(), text, "a source's error");
            }
        }
        // What `npm run check` adds on the same text.
        let dep = wrangler::Deployment { hookgate: Some(text.clone()), vars: vec!["HOOKGATE".into()], ..Default::default() };
        let values: BTreeMap<String, String> = BTreeMap::from([("HOOKGATE_ADMIN_TOKEN".to_string(), "short".to_string())]);
        for secrets in [Secrets::Unchecked, Secrets::Values(&values), Secrets::Names(&BTreeSet::new())] {
            let report = check::check(&dep, &secrets, true);
            let _ = report.failed();
        }
        // A signed request through every source that loaded.
        let parsed: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let mut rng = Rng::with_seed(fnv(text.as_bytes()));
        let mut accepted = 0u64;
        let mut cache = request::Cache::default();
        for (name, source) in &serving.sources {
            let _ = (source.replay.summary(), verify::keys_expired(source, 1_767_225_600), forward::passed(source, &[]));
            let secrets: BTreeMap<String, String> = parsed["sources"][name.as_str()]["secrets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("env").and_then(Value::as_str))
                .filter_map(|env| secret_for(env).map(|v| (env.to_string(), v)))
                .collect();
            let mut case = Case {
                config: json!({ "sources": { name.as_str(): parsed["sources"][name.as_str()].clone() } }),
                secrets,
                method: "POST".into(),
                url: format!("https://hooks.example.com/hooks/{name}"),
                headers: vec![("content-type".into(), "application/json".into())],
                body: request::generate_body(&mut rng),
                now_secs: 1_767_225_600,
                client_ip: Some("203.0.113.7".into()),
            };
            if case.body.len() > 4096 {
                case.body.truncate(16);
            }
            if request::sign(name, &mut case, &mut rng, Sign::Fresh) {
                let outcome = request::run_case(&case, &mut cache);
                accepted += u64::from(outcome.label.starts_with("accepted"));
            }
        }
        let label = match (serving.sources.len(), serving.broken.len()) {
            (_, 0) => "loaded",
            (0, _) => "all_broken",
            _ => "some_broken",
        };
        Outcome::new(label, accepted.min(3) | (serving.sources.len().min(3) as u64) << 2)
    }
}

// ---- check -----------------------------------------------------------------------------

/// TOML as `npm run check` hands it on (see src/bin/hookgate-check.rs).
pub fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Into::into),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect::<serde_json::Map<_, _>>().into(),
    }
}

const TOML_TOKENS: &[&str] = &[
    "[vars.HOOKGATE.sources.x]\n", "[[queues.consumers]]\n", "[[queues.producers]]\n", "[[kv_namespaces]]\n",
    "[[durable_objects.bindings]]\n", "[[migrations]]\n", "[[r2_buckets]]\n", "[env.production]\n", "[env.production.vars.HOOKGATE]\n",
    "scheme = { type = \"stripe\" }\n", "secrets = [{ label = \"k\", env = \"KEY\" }]\n", "destination = { origin = \"https://o.example/x\" }\n",
    "dead_letter_queue = \"hookgate-dlq\"\n", "queue = \"hookgate-events\"\n", "binding = \"HOOKGATE_KV\"\n", "id = \"0000\"\n",
    "new_sqlite_classes = [\"DedupeObject\"]\n", "HOOKGATE = '''{\"sources\":{}}'''\n", "not_after = 2026-12-01T00:00:00Z\n",
    "=", "\"", "'''", "[", "]", "{", "}", "\n", "#", ".", "HOOKGATE_ADMIN_TOKEN=x\n", "export ", "\\n",
];

pub struct CheckTarget;

impl Target for CheckTarget {
    type Input = String;
    type State = ();

    fn name(&self) -> &'static str {
        "check"
    }
    fn ext(&self) -> &'static str {
        "toml"
    }
    fn generate(&self, rng: &mut Rng, _pool: &[String]) -> String {
        let config = generate_config(rng);
        let mut file = json!({ "name": "hookgate", "vars": { "HOOKGATE": config } });
        if rng.bool() {
            file["kv_namespaces"] = json!([{ "binding": "HOOKGATE_KV", "id": "0000" }]);
        }
        if rng.bool() {
            file["queues"] = json!({ "producers": [{ "binding": "HOOKGATE_QUEUE", "queue": "q" }], "consumers": [{ "queue": "q" }] });
        }
        toml::to_string(&file).unwrap_or_default()
    }
    fn mutate(&self, input: &mut String, rng: &mut Rng, _pool: &[String]) {
        for _ in 0..depth(rng) {
            let structural = rng.bool();
            let parsed = toml::from_str::<toml::Value>(input).ok().map(toml_to_json);
            match parsed {
                Some(mut v) if structural => {
                    mutate::json(rng, &mut v, CONFIG_TOKENS, CONFIG_KEYS);
                    if let Ok(t) = toml::to_string(&v) {
                        *input = t;
                        continue;
                    }
                    mutate::string(rng, input, TOML_TOKENS, 64 * 1024);
                }
                _ => mutate::string(rng, input, TOML_TOKENS, 64 * 1024),
            }
        }
    }

    fn run(&self, text: &String, _state: &mut ()) -> Outcome {
        let values = dotenv::parse(text);
        let mut plain = String::new();
        let jsonc = json_comments::StripComments::new(text.as_bytes()).read_to_string(&mut plain).ok().and_then(|_| serde_json::from_str::<Value>(&plain).ok());
        let parsed = toml::from_str::<toml::Value>(text).ok().map(toml_to_json).or(jsonc);
        let Some(config) = parsed else {
            return Outcome::new("not_a_wrangler_file", values.len().min(4) as u64);
        };
        let mut envs: Vec<Option<String>> = vec![None];
        envs.extend(wrangler::environments(&config).into_iter().map(Some));
        let _ = wrangler::deployment(&config, Some("no-such-env"));
        let mut errors = 0usize;
        let mut passes = false;
        for env in envs.iter().take(8) {
            let Ok(dep) = wrangler::deployment(&config, env.as_deref()) else { continue };
            // As `npm run deploy` with the file's own lines as `.dev.vars`, and as a build.
            for (secrets, deploying) in [(Secrets::Values(&values), true), (Secrets::Unchecked, false)] {
                let report = check::check(&dep, &secrets, deploying);
                errors += usize::from(report.failed());
                passes |= !report.failed() && !deploying;
                for f in &report.findings {
                    let _ = (f.path.len(), f.message.len());
                }
            }
        }
        Outcome::new(if passes { "passes" } else { "fails" }, (envs.len().min(4) as u64) | (errors.min(4) as u64) << 2)
    }
}

// ---- envelope --------------------------------------------------------------------------

const ENVELOPE_KEYS: &[&str] = &["v", "source", "event_id", "key", "received_at", "dead_at", "headers", "body_base64", "body_r2", "state", "token", "until_ms"];
const ENVELOPE_TOKENS: &[&str] = &[
    "hookgate:dlq:", "hookgate:v1:", "hookgate/bodies/", "/claim?", "/commit?", "/release?", "key=", "token=", "lease_ms=",
    "window_ms=", "\"leased\"", "\"done\"", "AJ+Slns=", "=", "==", ":", "/", "..",
];

pub struct EnvelopeTarget;

impl Target for EnvelopeTarget {
    type Input = String;
    type State = ();

    fn name(&self) -> &'static str {
        "envelope"
    }
    fn ext(&self) -> &'static str {
        "txt"
    }
    fn generate(&self, rng: &mut Rng, _pool: &[String]) -> String {
        let s = mutate::short_string(rng, ENVELOPE_TOKENS);
        match rng.u8(0..4) {
            0 => envelope::dead_letter_key(&s, &mutate::short_string(rng, &[])),
            1 => format!("https://dedupe{}", Op::Claim { token: rng.u64(..), lease_ms: *pick(rng, INTS) }.path(&s)),
            2 => json!({ "state": pick(rng, &["leased", "done"]), "token": rng.u64(..), "until_ms": *pick(rng, INTS) }).to_string(),
            _ => json!({ "v": 1, "source": s, "event_id": "e", "key": null, "received_at": *pick(rng, INTS), "headers": [], "body_base64": "" }).to_string(),
        }
    }
    fn mutate(&self, input: &mut String, rng: &mut Rng, _pool: &[String]) {
        mutate_text(rng, input, ENVELOPE_TOKENS, ENVELOPE_KEYS, 64 * 1024);
    }

    fn run(&self, text: &String, _state: &mut ()) -> Outcome {
        let h = fnv(text.as_bytes());
        let mut features = 0u64;
        if let Some((source, event)) = envelope::parse_dead_letter_key(text) {
            features |= 1;
            if !source.contains(':') {
                assert_eq!(envelope::dead_letter_key(source, event), *text);
            }
        }
        match QueuedEvent::from_parked(text) {
            Ok(event) => {
                features |= 2;
                let again = QueuedEvent::from_parked(&event.parked_record(h)).expect("a parked record reads back");
                assert_eq!(again, event);
            }
            Err(e) => assert!(!e.is_empty()),
        }
        let mut parts = text.splitn(3, '/');
        let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let _ = envelope::body_key_belongs(text, a, b);
        if let Some((key, op)) = Op::parse(text) {
            features |= 4;
            let again = Op::parse(&format!("https://dedupe.example{}", op.path(&key)));
            assert_eq!(again, Some((key, op)), "an operation does not survive its own URL");
            let stored = serde_json::from_str::<Record>(text).ok().or(Some(Record::Leased { token: h, until_ms: h >> 8 }));
            let now = h >> 4;
            match op {
                Op::Claim { token, lease_ms } => {
                    if let (lease::Claim::Held { retry_after_ms }, _) = lease::claim(stored, now, lease_ms, token) {
                        assert!(retry_after_ms > 0);
                    }
                }
                Op::Commit { window_ms } => {
                    let _ = lease::commit(stored, now, window_ms);
                }
                Op::Release { token } => {
                    let _ = lease::release(stored, token);
                }
            }
        }
        if let Ok(record) = serde_json::from_str::<Record>(text) {
            features |= 8;
            for now in [0, h, u64::MAX, record.until_ms()] {
                let _ = lease::alarm(Some(record), now);
                let _ = lease::claim(Some(record), now, h % 300_000, h);
                let _ = lease::commit(Some(record), now, h);
            }
            let _ = lease::Claim::from_status((h % 600) as u16, Some(h));
        }
        let id = dedupe::event_id(Some(text), text.as_bytes());
        let key = dedupe::key("s", &id, None);
        let _ = dedupe::shard("s", &key, (h % 2048) as u32);
        let _ = envelope::message_bytes(text.len(), &[(text.clone(), text.clone())], text);
        Outcome::new("ran", features)
    }
}

// ---- admin -----------------------------------------------------------------------------

/// An operator (or any) request: method, URL, headers and the configured admin token.
#[derive(Clone, Debug)]
pub struct AdminCase {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    token: Option<String>,
}

const ADMIN_TOKENS: &[&str] = &[
    "/hookgate/dead-letters", "/hookgate/stats", "/replay", "?source=", "&event_id=", "&cursor=", "Bearer ", "/hooks/", "%2F",
    "//", "?", "#", "&", "=", request::ADMIN_TOKEN,
];

pub struct AdminTarget;

impl Codec for AdminCase {
    fn decode(bytes: &[u8]) -> Option<Self> {
        let v: Value = serde_json::from_slice(bytes).ok()?;
        Some(AdminCase {
            method: v.get("method")?.as_str()?.to_string(),
            url: v.get("url")?.as_str()?.to_string(),
            headers: serde_json::from_value(v.get("headers")?.clone()).ok()?,
            token: v.get("token").and_then(Value::as_str).map(str::to_string),
        })
    }
    fn encode(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&json!({ "method": self.method, "url": self.url, "headers": self.headers, "token": self.token })).unwrap();
        out.push(b'\n');
        out
    }
}

impl Target for AdminTarget {
    type Input = AdminCase;
    type State = ();

    fn name(&self) -> &'static str {
        "admin"
    }
    fn ext(&self) -> &'static str {
        "json"
    }
    fn generate(&self, rng: &mut Rng, _pool: &[AdminCase]) -> AdminCase {
        let path = format!("{}{}", pick(rng, &["/hookgate/dead-letters", "/hookgate/stats", "/hooks/x", "/"]), mutate::short_string(rng, ADMIN_TOKENS));
        AdminCase {
            method: pick(rng, &["GET", "POST", "get", "DELETE", ""]).to_string(),
            url: format!("{}{path}", pick(rng, &["https://h.example", "http://127.0.0.1:8787", "", "h.example"])),
            headers: vec![("authorization".into(), format!("Bearer {}", request::ADMIN_TOKEN))],
            token: Some(request::ADMIN_TOKEN.into()),
        }
    }
    fn mutate(&self, c: &mut AdminCase, rng: &mut Rng, _pool: &[AdminCase]) {
        for _ in 0..depth(rng) {
            match rng.u8(0..8) {
                0..=3 => mutate::string(rng, &mut c.url, ADMIN_TOKENS, 8192),
                4 => mutate::string(rng, &mut c.method, &["GET", "POST"], 64),
                5 if !c.headers.is_empty() => {
                    let i = rng.usize(..c.headers.len());
                    mutate::string(rng, &mut c.headers[i].1, ADMIN_TOKENS, 4096);
                }
                6 => c.headers.push((pick(rng, &["authorization", "Authorization", "content-type", "x"]).to_string(), mutate::short_string(rng, ADMIN_TOKENS))),
                _ => {
                    c.token = match rng.u8(0..4) {
                        0 => None,
                        1 => Some("short".into()),
                        _ => Some(request::ADMIN_TOKEN.into()),
                    }
                }
            }
        }
    }

    fn run(&self, c: &AdminCase, _state: &mut ()) -> Outcome {
        let req = Inbound { method: &c.method, url: &c.url, headers: &c.headers, body: b"", client_ip: None };
        let _ = (req.path(), req.query(), req.media_type(), req.header("authorization"));
        for name in ["source", "event_id", "cursor", "", "%"] {
            let _ = req.query_param(name);
        }
        let _ = verify::route(&req).map_err(|r| r.code());
        let _ = Op::parse(&c.url);
        let label = match admin::route(&req, c.token.as_deref()) {
            None => "not_admin".to_string(),
            Some(Ok(r)) => {
                if let admin::AdminRequest::Replay { source, event_id } = &r {
                    assert!(!source.is_empty() && !event_id.is_empty());
                }
                format!("{r:?}").split([' ', '{']).next().unwrap_or("").to_ascii_lowercase()
            }
            Some(Err(e)) => {
                assert!((400..500).contains(&e.status()));
                e.code().to_string()
            }
        };
        Outcome::new(label, 0)
    }
}

// ---- parsers ---------------------------------------------------------------------------

const PARSER_TOKENS: &[&str] = &[
    "{body}", "{timestamp}", "{id}", "{url}", "{header:", "}", "{", "T", "Z", "+", "-", ":", ".", "e", "/", "~0", "~1",
    "\"pointer\":", "\"pointers\":", "\"header\":", "\"format\":", "\"required\":", "\"signature_list\":", "\"query\":", "\"form\":",
    "\"type\":", "\"list\":", "https://", "http://", "[", "]", "@", "=", "\n",
    // JSON's own: escapes, surrogates, literals, numbers at the edges of 64 bits.
    "\\u", "\\ud83d", "\\ude00", "\\\"", "\\", "\"", ",", "null", "true", "1e400", "-0", "18446744073709551616", "\u{1}",
];
const PARSER_KEYS: &[&str] = &[
    "header", "pointer", "pointers", "query", "form", "signature_list", "format", "required", "type", "signature_header", "prefix",
    "separator", "list", "signed_content", "algorithm", "encoding", "secret_encoding", "timestamp", "event_id", "public_url",
    "item_separator", "pair_separator", "signature_keys", "timestamp_key",
];

pub struct ParsersTarget;

impl Target for ParsersTarget {
    type Input = String;
    type State = ();

    fn name(&self) -> &'static str {
        "parsers"
    }
    fn ext(&self) -> &'static str {
        "txt"
    }
    fn generate(&self, rng: &mut Rng, _pool: &[String]) -> String {
        match rng.u8(0..4) {
            0 => {
                let ts = rng.bool();
                request::field_config(rng, ts).to_string()
            }
            1 => pick(rng, request::TEMPLATES).to_string(),
            2 => pick(rng, mutate::NUMBERS).to_string(),
            _ => mutate::short_string(rng, PARSER_TOKENS),
        }
    }
    fn mutate(&self, input: &mut String, rng: &mut Rng, _pool: &[String]) {
        mutate_text(rng, input, PARSER_TOKENS, PARSER_KEYS, 16 * 1024);
    }

    fn run(&self, text: &String, _state: &mut ()) -> Outcome {
        let h = fnv(text.as_bytes());
        let mut features = 0u64;
        for (i, format) in [TimeFormat::Unix, TimeFormat::UnixMs, TimeFormat::Rfc3339].into_iter().enumerate() {
            if let Some(ts) = format.parse(text) {
                features |= 1 << i;
                for (now, tol) in [(h, h >> 3), (u64::MAX, 1), (0, u64::MAX), (1_767_225_600, 300)] {
                    let _ = common::check_window(ts, now, tol);
                }
            }
        }
        if let Some(ts) = TimeFormat::Iso8601.parse(text) {
            features |= 2048;
            let _ = common::check_window(ts, 1_767_225_600, 300);
        }
        if let Ok(parts) = common::parse_template(text, "f") {
            features |= 8;
            assert!(parts.contains(&common::Part::Body));
        }
        for (i, e) in [Encoding::Hex, Encoding::Base64, Encoding::Base64url].into_iter().enumerate() {
            if let Some(bytes) = e.decode(text) {
                features |= 16 << i;
                let _ = e.encode(&bytes);
            }
        }
        if let Ok(f) = hookgate::json_read::read::<FieldConfig>(text) {
            features |= 128;
            let _ = f.timestamp("t").map_err(|e| e.to_string());
            let _ = f.event_id("e").map_err(|e| e.to_string());
        }
        if let Ok(cfg) = hookgate::json_read::read::<SchemeConfig>(text) {
            features |= 256;
            if let Ok(scheme) = schemes::build(&cfg, "s") {
                features |= 512;
                let _ = scheme.replay().summary();
                let req = Inbound { method: "POST", url: "https://h.example/hooks/s?ts=1", headers: &[], body: text.as_bytes(), client_ip: None };
                let _ = scheme.verify(&req, &[], 300, 1_767_225_600, &CoreCrypto);
            }
        }
        for allow_http in [false, true] {
            if config::check_url(text, "u", allow_http).is_ok() {
                features |= 1024;
            }
        }
        // The Worker's JSON parser (src/json.rs) against serde_json: the same verdict,
        // message and position, and the same value once read back (a number other than an
        // integer is kept as written, so `1e400`, out of serde_json's range, is read, and
        // the text is then refused further on, if at all).
        match (hookgate::json::parse(text.as_bytes()), serde_json::from_str::<Value>(text)) {
            (Ok(ours), Ok(theirs)) => {
                features |= 4096;
                assert_eq!(serde_json::from_str::<Value>(&ours.text()).ok(), Some(theirs), "{text:?}");
            }
            (ours, Err(theirs)) if theirs.to_string().starts_with("number out of range") => {
                let line_start = text.split_inclusive('\n').take(theirs.line() - 1).map(str::len).sum::<usize>();
                assert!(ours.as_ref().err().is_none_or(|e| e.end() >= line_start + theirs.column()), "{text:?}: {ours:?}");
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string(), "{text:?}"),
            (ours, theirs) => panic!("{text:?}: {ours:?} {theirs:?}"),
        }
        let _ = config::min_replay_window_secs(h);
        let _ = forward::refused_pass_header(text, h.is_multiple_of(2));
        let _ = dotenv::parse(text);
        let req = Inbound { method: "POST", url: text, headers: &[], body: text.as_bytes(), client_ip: Some(text) };
        let _ = (req.path(), req.query(), req.query_param("bodySHA256"), common::public_url(&req, Some(text)));
        Outcome::new("ran", features)
    }
}
