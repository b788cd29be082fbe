//! Writes the seed corpus (`fuzz/corpus/<target>/`): every case of tests/vectors/*.json
//! as a request case, configurations from those files, the README and wrangler.toml,
//! signed requests for the configurable scheme and Ed25519 keys, and small hand-written
//! inputs for the other targets. Files named `regress-*` (inputs that once failed) are kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::engine::{Codec, Rng};
use crate::request::{self, Case, Sign};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

struct Writer {
    dir: PathBuf,
    files: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
}

impl Writer {
    fn add(&mut self, target: &str, name: &str, ext: &str, bytes: Vec<u8>) {
        let files = self.files.entry(target.to_string()).or_default();
        let mut file = format!("{}.{ext}", slug(name));
        let mut n = 2;
        while files.contains_key(&file) {
            file = format!("{}-{n}.{ext}", slug(name));
            n += 1;
        }
        files.insert(file, bytes);
    }

    fn add_case(&mut self, target: &str, name: &str, case: &Case) {
        assert!(request::target(target).is_some(), "no fuzz target `{target}`");
        self.add(target, name, "json", case.encode());
    }

    fn finish(self) {
        for (target, files) in &self.files {
            let dir = self.dir.join(target);
            std::fs::create_dir_all(&dir).unwrap();
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let keep = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("regress-"));
                if !keep {
                    std::fs::remove_file(&path).unwrap();
                }
            }
            for (name, bytes) in files {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
            println!("fuzz/corpus/{target}: {} files", files.len());
        }
    }
}

/// The request target a vector file feeds.
fn target_of(file_stem: &str) -> &'static str {
    request::PRESETS.iter().copied().filter(|p| file_stem.starts_with(p)).max_by_key(|p| p.len()).unwrap_or("hmac")
}

fn vector_files() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/vectors")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()))
        .collect()
}

/// A vector case as a request case (the configuration tests/vectors.rs builds for it).
fn vector_case(doc: &Value, case: &Value) -> Case {
    let provider = doc["provider"].as_str().unwrap();
    let mut source = doc["source"].clone();
    let mut secrets = BTreeMap::new();
    let mut refs = Vec::new();
    for (i, s) in case["secrets"].as_array().unwrap().iter().enumerate() {
        let env = format!("VECTOR_SECRET_{i}");
        let mut r = json!({ "label": s["label"], "env": env });
        if let Some(t) = s.get("not_after") {
            r["not_after"] = t.clone();
        }
        refs.push(r);
        secrets.insert(env, s["value"].as_str().unwrap().to_string());
    }
    source["secrets"] = refs.into();
    source["destination"] = json!({ "origin": "https://origin.example/hooks" });
    let headers: Vec<(String, String)> =
        case["headers"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect();
    let body = match (case.get("body_utf8"), case.get("body_base64")) {
        (Some(t), _) => t.as_str().unwrap().as_bytes().to_vec(),
        (None, Some(b)) => base64::engine::general_purpose::STANDARD.decode(b.as_str().unwrap()).unwrap(),
        (None, None) => Vec::new(),
    };
    let client_ip = headers.iter().find(|(k, _)| k == "cf-connecting-ip").map(|(_, v)| v.clone());
    Case {
        config: json!({ "sources": { provider: source } }),
        secrets,
        method: case["method"].as_str().unwrap_or("POST").to_string(),
        url: case["url"].as_str().unwrap().to_string(),
        headers,
        body,
        now_secs: case["now_secs"].as_u64().unwrap(),
        client_ip,
    }
}

fn toml_blocks(markdown: &str) -> Vec<String> {
    markdown.split("```toml\n").skip(1).filter_map(|b| b.split("```").next()).map(str::to_string).collect()
}

fn hookgate_of(toml_text: &str) -> Option<Value> {
    let v: toml::Value = toml::from_str(toml_text).ok()?;
    crate::targets::toml_to_json(v).get("vars")?.get("HOOKGATE").cloned()
}

/// Configurations of the configurable scheme (and overrides), each signed once.
/// A seed: name, scheme table, body, headers.
type Seed = (&'static str, Value, &'static str, Vec<(String, String)>);

fn hmac_seeds() -> Vec<Seed> {
    let json_body = r#"{"id":"evt_1","timestamp":1767225600,"createdAt":"2026-01-01T00:00:00Z","data":{"id":"d_1","object":{"id":"o_1"}}}"#;
    let ct = |t: &str| vec![("content-type".to_string(), t.to_string())];
    vec![
        (
            "readme-acme",
            json!({ "type": "hmac", "signature_header": "x-acme-signature", "signed_content": "{timestamp}.{body}", "timestamp": { "header": "x-acme-timestamp" }, "encoding": "base64", "event_id": { "header": "x-acme-delivery" } }),
            json_body,
            ct("application/json"),
        ),
        (
            "wrangler-demo",
            json!({ "type": "hmac", "signature_header": "x-signature", "prefix": "sha256=", "event_id": { "pointer": "/id", "required": false } }),
            json_body,
            ct("application/json"),
        ),
        (
            "list-id-timestamp-sha512-base64url",
            json!({ "type": "hmac", "signature_header": "x-sig", "list": { "item_separator": ",", "pair_separator": "=", "signature_keys": ["v1", "v2"], "timestamp_key": "t" }, "signed_content": "{id}.{timestamp}.{body}", "timestamp": { "signature_list": true }, "event_id": { "header": "x-id" }, "algorithm": "hmac-sha512", "encoding": "base64url" }),
            json_body,
            ct("application/json"),
        ),
        (
            "unix-ms-header-template",
            json!({ "type": "hmac", "signature_header": "x-sig", "prefix": "v1=", "separator": " ", "signed_content": "{header:x-ts}:{header:x-extra}:{body}", "timestamp": { "header": "x-ts", "format": "unix_ms" } }),
            json_body,
            vec![("content-type".into(), "application/json".into()), ("x-extra".into(), "extra".into())],
        ),
        (
            "rfc3339-pointer-timestamp",
            json!({ "type": "hmac", "signature_header": "x-sig", "timestamp": { "pointer": "/createdAt", "format": "rfc3339" }, "event_id": { "pointer": "/data/object/id" } }),
            json_body,
            ct("application/json"),
        ),
        (
            "query-timestamp-url-template",
            json!({ "type": "hmac", "signature_header": "x-sig", "signed_content": "{url}|{body}", "timestamp": { "query": "ts" }, "event_id": { "query": "id" }, "algorithm": "hmac-sha1", "secret_encoding": "base64" }),
            json_body,
            ct("application/json"),
        ),
        (
            "form-id",
            json!({ "type": "hmac", "signature_header": "x-sig", "signed_content": "{timestamp}.{body}", "timestamp": { "form": "ts" }, "event_id": { "form": "MessageSid" } }),
            "MessageSid=SM1&Body=hi%20there&ts=1767225600",
            ct("application/x-www-form-urlencoded"),
        ),
        (
            "composite-pointers",
            json!({ "type": "hmac", "signature_header": "x-sig", "event_id": { "pointers": ["/id", "/data/id", "/missing"] } }),
            json_body,
            ct("application/json"),
        ),
        (
            "ed25519-plain",
            json!({ "type": "hmac", "signature_header": "x-sig", "algorithm": "ed25519", "secret_encoding": "whsec", "encoding": "base64", "signed_content": "{timestamp}.{body}", "timestamp": { "header": "x-ts" } }),
            json_body,
            ct("application/json"),
        ),
        (
            "handshake-twitter-crc",
            json!({ "type": "hmac", "signature_header": "x-twitter-webhooks-signature", "prefix": "sha256=", "encoding": "base64", "handshake": "twitter_crc" }),
            json_body,
            ct("application/json"),
        ),
        (
            "handshake-zoom-validation",
            json!({ "type": "hmac", "signature_header": "x-zm-signature", "prefix": "v0=", "signed_content": "v0:{timestamp}:{body}", "timestamp": { "header": "x-zm-request-timestamp" }, "handshake": "zoom_url_validation" }),
            "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":1767225600000,\"event\":\"endpoint.url_validation\"}",
            ct("application/json"),
        ),
        (
            "handshake-xero-intent",
            json!({ "type": "hmac", "signature_header": "x-xero-signature", "encoding": "base64", "handshake": "xero_intent_to_receive" }),
            "{\"events\":[],\"lastEventSequence\":0,\"firstEventSequence\":0,\"entropy\":\"S0m3r4Nd0mt3xt\"}",
            ct("application/json"),
        ),
        (
            "handshake-dropbox",
            json!({ "type": "hmac", "signature_header": "x-dropbox-signature", "handshake": "dropbox_challenge" }),
            json_body,
            ct("application/json"),
        ),
        (
            "stripe-with-pointer-id-override",
            json!({ "type": "stripe", "event_id": { "pointer": "/data/object/id" } }),
            json_body,
            ct("application/json"),
        ),
    ]
}

fn signed_case(target: &str, scheme: Value, secret: &str, body: &str, headers: Vec<(String, String)>, rng: &mut Rng) -> Case {
    let mut case = Case {
        config: json!({ "sources": { target: {
            "scheme": scheme,
            "secrets": [{ "label": "k1", "env": "FUZZ_SECRET" }],
            "destination": { "origin": "https://origin.example/hooks", "signing_secret": "ORIGIN_SIGNING_SECRET", "pass_headers": ["x-extra"] },
        } } }),
        secrets: BTreeMap::from([
            ("FUZZ_SECRET".to_string(), secret.to_string()),
            ("ORIGIN_SIGNING_SECRET".to_string(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string()),
        ]),
        method: "POST".into(),
        url: format!("https://hooks.example.com/hooks/{target}"),
        headers,
        body: body.as_bytes().to_vec(),
        now_secs: 1_767_225_600,
        client_ip: Some("203.0.113.7".into()),
    };
    assert!(request::sign(target, &mut case, rng, Sign::Fresh), "cannot sign the {target} seed");
    case
}

pub fn write() {
    let mut w = Writer { dir: root().join("fuzz/corpus"), files: BTreeMap::new() };
    let mut rng = Rng::with_seed(2026);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let wrangler_toml = std::fs::read_to_string(root().join("wrangler.toml")).unwrap();

    // Requests: every vector case, as tests/vectors.rs runs it.
    let mut configs: Vec<(String, Value)> = Vec::new();
    for (stem, doc) in vector_files() {
        let target = target_of(&stem);
        for case in doc["cases"].as_array().unwrap() {
            let c = vector_case(&doc, case);
            w.add_case(target, &format!("{stem}-{}", case["name"].as_str().unwrap()), &c);
        }
        let first = vector_case(&doc, &doc["cases"][0]);
        configs.push((format!("vector-{stem}"), first.config));
    }
    // The configurable scheme, and an Ed25519 key for Standard Webhooks and Svix.
    for (name, scheme, body, headers) in hmac_seeds() {
        let secret = match scheme.get("secret_encoding").and_then(Value::as_str) {
            Some("base64") => "c2VlZC1iYXNlNjQtc2VjcmV0LTAxMjM0NTY3ODk=".to_string(),
            Some("whsec") => request::ed25519_whpk(),
            _ => "seed-hmac-secret-0123456789".to_string(),
        };
        let target = request::target(scheme["type"].as_str().unwrap()).unwrap().preset;
        let case = signed_case(target, scheme, &secret, body, headers, &mut rng);
        configs.push((format!("hmac-{name}"), case.config.clone()));
        w.add_case(target, &format!("seed-{name}"), &case);
    }
    for target in ["standard_webhooks", "svix"] {
        let body = r#"{"type":"invoice.paid","data":{"id":"inv_1"}}"#;
        let headers = vec![("content-type".to_string(), "application/json".to_string())];
        let case = signed_case(target, json!({ "type": target }), &request::ed25519_whpk(), body, headers, &mut rng);
        w.add_case(target, "seed-ed25519-whpk-key", &case);
    }

    // Configurations: the vectors', the README's and wrangler.toml's, and a few settings.
    for block in toml_blocks(&readme).into_iter().chain([wrangler_toml.clone()]) {
        if let Some(hg) = hookgate_of(&block) {
            configs.push(("readme".into(), hg));
        }
    }
    configs.push((
        "queue-strict-r2".into(),
        json!({
            "kv_binding": "KV", "dedupe_object": "DO", "log": { "events": "none", "rejections": "sampled", "rejections_per_window": 5, "window_secs": 600 }, "queue": { "dead_letter_queue": "dlq", "retry_base_secs": 30, "retry_max_secs": 43200 },
            "sources": {
                "q": { "scheme": { "type": "github" }, "secrets": [{ "label": "a", "env": "GITHUB_SECRET", "not_after": "2026-12-01T00:00:00Z" }, { "label": "b", "env": "GITHUB_SECRET_2", "not_after": 1767225600u64 }],
                       "dedupe": { "mode": "strict", "shards": 64, "window_secs": 2592000 }, "max_body_bytes": 4194304,
                       "destination": { "queue": "HOOKGATE_QUEUE", "r2": "HOOKGATE_R2", "origin": "https://api.example.com/q", "timeout_ms": 30000, "on_origin_4xx": "accept" } },
                "off": { "scheme": { "type": "slack" }, "secrets": [{ "label": "s", "env": "SLACK_SECRET" }], "tolerance_secs": 0, "dedupe": { "mode": "off" }, "allow_ips": ["203.0.113.0/24", "2001:db8::/32"], "destination": { "origin": "http://127.0.0.1:8788/events" } },
                "broken": { "scheme": { "type": "standard_webhooks" }, "secrets": [{ "label": "m", "env": "MISSING_SECRET" }], "destination": { "origin": "https://x.example" } }
            }
        }),
    ));
    for (name, config) in &configs {
        let mut text = serde_json::to_string_pretty(config).unwrap();
        text.push('\n');
        w.add("config", name, "json", text.into_bytes());
    }

    // Wrangler files for the check: this repository's, and the README's blocks in one.
    w.add("check", "wrangler", "toml", wrangler_toml.clone().into_bytes());
    for (i, block) in toml_blocks(&readme).iter().enumerate() {
        let file = format!("name = \"hookgate\"\n[[kv_namespaces]]\nbinding = \"HOOKGATE_KV\"\nid = \"0000\"\n{block}");
        if toml::from_str::<toml::Value>(&file).is_ok() {
            w.add("check", &format!("readme-block-{i}"), "toml", file.into_bytes());
        }
    }
    w.add("check", "dev-vars-example", "toml", std::fs::read(root().join("dev.vars.example")).unwrap());
    w.add(
        "check",
        "environments-jsonc",
        "toml",
        br#"// wrangler.jsonc
{ "name": "hookgate", /* block */ "vars": { "HOOKGATE": "{\"sources\":{\"s\":{\"scheme\":{\"type\":\"github\"},\"secrets\":[{\"label\":\"k\",\"env\":\"GH\"}],\"destination\":{\"queue\":\"Q\"}}}}" },
  "queues": { "producers": [{ "binding": "Q", "queue": "events" }], "consumers": [{ "queue": "events" }] },
  "env": { "production": { "vars": { "HOOKGATE": { "sources": {} } } } } }
"#
        .to_vec(),
    );

    // Envelopes: parked records, keys, the Durable Object's URLs and records.
    use hookgate::envelope::{self, QueuedBody, QueuedEvent};
    let event = QueuedEvent {
        source: "stripe".into(),
        event_id: "evt_1".into(),
        key_label: Some("current".into()),
        received_at: 1_767_225_600,
        headers: vec![("content-type".into(), "application/json".into()), ("stripe-signature".into(), "t=1,v1=00".into())],
        body: QueuedBody::Inline(vec![0, 159, 146, 150, b'{']),
    };
    w.add("envelope", "parked-inline", "txt", event.parked_record(1_767_235_600).into_bytes());
    let stored = QueuedEvent { body: QueuedBody::Stored(envelope::body_object_key("stripe", "evt_1", "1767225600000-0a")), key_label: None, ..event };
    w.add("envelope", "parked-r2", "txt", stored.parked_record(1).into_bytes());
    w.add("envelope", "dead-letter-key", "txt", envelope::dead_letter_key("queued", "evt:2").into_bytes());
    w.add("envelope", "body-key", "txt", envelope::body_object_key("s", "evt_1", "1767225600000-0a").into_bytes());
    use hookgate::lease::Op;
    for (name, op) in [
        ("claim", Op::Claim { token: 7, lease_ms: 15_000 }),
        ("commit", Op::Commit { window_ms: 259_200_000 }),
        ("release", Op::Release { token: 7 }),
    ] {
        w.add("envelope", &format!("lease-{name}"), "txt", format!("https://dedupe.example{}", op.path("hookgate:v1:s:evt_1")).into_bytes());
    }
    w.add("envelope", "record-leased", "txt", br#"{"state":"leased","token":7,"until_ms":1767225615000}"#.to_vec());
    w.add("envelope", "record-done", "txt", br#"{"state":"done","until_ms":1767484800000}"#.to_vec());

    // Operator requests.
    let auth = vec![("authorization".to_string(), format!("Bearer {}", request::ADMIN_TOKEN))];
    for (name, method, url) in [
        ("list", "GET", "https://h.example/hookgate/dead-letters?source=stripe&cursor=abc"),
        ("replay", "POST", "https://h.example/hookgate/dead-letters/replay?source=s&event_id=a%2Fb%3Dc"),
        ("stats", "GET", "https://h.example/hookgate/stats"),
        ("webhook", "POST", "https://h.example/hooks/stripe/?x=1#f"),
    ] {
        let case = json!({ "method": method, "url": url, "headers": auth, "token": request::ADMIN_TOKEN });
        w.add("admin", name, "json", serde_json::to_vec_pretty(&case).unwrap());
    }

    // Small parsers: timestamps, templates, field tables, scheme tables, URLs.
    let parsers: &[(&str, &str)] = &[
        ("unix", "1767225600"),
        ("unix-ms", "1767225600123"),
        ("rfc3339", "2026-01-01T00:00:00Z"),
        ("rfc3339-offset", "2026-01-01T00:00:00.123456+05:30"),
        ("template-stripe", "{timestamp}.{body}"),
        ("template-slack", "v0:{timestamp}:{body}"),
        ("template-header", "{id}.{header:x-acme-delivery}.{url}.{body}"),
        ("field-pointer", r#"{"pointer":"/data/object/id","required":false}"#),
        ("field-pointers", r#"{"pointers":["/meta/event","/data/quoteId","/data/policyId","/data/modified"]}"#),
        ("field-timestamp", r#"{"header":"x-ts","format":"unix_ms"}"#),
        ("scheme-list", r#"{"type":"hmac","signature_header":"x-sig","list":{"item_separator":",","pair_separator":"=","signature_keys":["v1"],"timestamp_key":"t"},"signed_content":"{timestamp}.{body}","timestamp":{"signature_list":true}}"#),
        ("url", "https://hooks.example.com:443/hooks/twilio?bodySHA256=abc#f"),
        ("hex", "b63d2d524ec47b3b1984fc2a01a92bec81f23a3530f9b6a9c01fb6544a23b097"),
        ("base64", "ZnV6ei1iYXNlNjQtc2VjcmV0LXZhbHVlLTAxMjM0NTY3"),
    ];
    for (name, text) in parsers {
        w.add("parsers", name, "txt", text.as_bytes().to_vec());
    }
    w.finish();
}
