//! Runs every provider's vectors (tests/vectors/*.json, made with the providers' own
//! signing libraries by scripts/vectors/) through the core, natively and under wasm.

use base64::Engine as _;
use hookgate::crypto::{CoreCrypto, Crypto, MacCall, Piece};
use hookgate::{verify, Config, Inbound, Verified};
use serde_json::{json, Value};

fn secret_binding(i: usize) -> String {
    format!("VECTOR_SECRET_{i}")
}

/// Runs one file; panics with every failing case named.
/// What an adapter computes for a recorded call (here with the same Rust MACs).
fn mac_of_call(call: &MacCall, body: &[u8]) -> Vec<u8> {
    let pieces: Vec<&[u8]> = call.pieces.iter().map(|p| match p { Piece::Body => body, Piece::Bytes(b) => b.as_slice() }).collect();
    CoreCrypto.hmac(call.alg, &call.key, &pieces)
}

fn run(file: &str, text: &str) {
    let doc: Value = serde_json::from_str(text).unwrap();
    let provider = doc["provider"].as_str().unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "{file} has no cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let secrets = case["secrets"].as_array().unwrap();
        let mut source = doc["source"].clone();
        source["secrets"] = secrets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut r = json!({ "label": s["label"], "env": secret_binding(i) });
                if let Some(t) = s.get("not_after") {
                    r["not_after"] = t.clone();
                }
                r
            })
            .collect();
        source["destination"] = json!({ "origin": "https://origin.example/hooks" });
        let config_text = json!({ "sources": { provider: source } }).to_string();
        let lookup = |binding: &str| {
            if binding == "VECTOR_VERIFY_TOKEN" {
                return case["verify_token"].as_str().map(str::to_string);
            }
            (0..secrets.len())
                .find(|i| secret_binding(*i) == binding)
                .and_then(|i| secrets[i]["value"].as_str().map(str::to_string))
        };
        let config = match Config::load(&config_text, &lookup) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: config rejected: {e:?}"));
                continue;
            }
        };
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let body = match (case.get("body_utf8"), case.get("body_base64")) {
            (Some(t), _) => t.as_str().unwrap().as_bytes().to_vec(),
            (None, Some(b)) => base64::engine::general_purpose::STANDARD.decode(b.as_str().unwrap()).unwrap(),
            (None, None) => Vec::new(),
        };
        let client_ip = headers.iter().find(|(k, _)| k == "cf-connecting-ip").map(|(_, v)| v.as_str());
        let req = Inbound {
            method: case["method"].as_str().unwrap_or("POST"),
            url: case["url"].as_str().unwrap(),
            headers: &headers,
            body: &body,
            client_ip,
        };
        let now = case["now_secs"].as_u64().unwrap();
        let got = verify::source(&config, &req).and_then(|s| verify::verify(s, &req, now, &CoreCrypto));
        // The adapter's large-body path: MACs recorded, computed apart, then replayed.
        let two_pass = verify::source(&config, &req).and_then(|s| match verify::verify_deferred(s, &req, now) {
            verify::Deferred::Done(result) => result,
            verify::Deferred::Needs(calls) => {
                let answers = calls.into_iter().map(|c| { let mac = mac_of_call(&c, &body); (c, mac) }).collect();
                verify::verify_replayed(s, &req, now, answers)
            }
        });
        if two_pass != got {
            failures.push(format!("{name}: two passes gave {two_pass:?}, one pass {got:?}"));
        }
        let expect = case["expect"].as_str().unwrap();
        match (&got, expect) {
            (Ok(v), "accept") if v.id_fault.is_none() => {
                if let Some(id) = case.get("event_id").and_then(Value::as_str) {
                    if v.event_id.as_deref() != Some(id) {
                        failures.push(format!("{name}: event id {:?}, expected {id}", v.event_id));
                    }
                }
                if let Some(label) = case.get("key_label").and_then(Value::as_str) {
                    if v.key_label.as_deref() != Some(label) {
                        failures.push(format!("{name}: key {:?}, expected {label}", v.key_label));
                    }
                }
                // A handshake is answered exactly so, and an event is never taken for one.
                match (case.get("handshake"), &v.handshake) {
                    (None, None) => {}
                    (Some(want), Some(got)) => {
                        let same_body = match (serde_json::from_str::<Value>(&got.body), serde_json::from_str::<Value>(want["body"].as_str().unwrap())) {
                            (Ok(a), Ok(b)) if got.content_type == Some("application/json") => a == b,
                            _ => got.body == want["body"].as_str().unwrap(),
                        };
                        if !same_body || got.content_type != want["content_type"].as_str() {
                            failures.push(format!("{name}: handshake answered {got:?}, expected {want}"));
                        }
                    }
                    (want, got) => failures.push(format!("{name}: handshake {got:?}, expected {want:?}")),
                }
            }
            (Err(r), code) if r.code() == code => {}
            // Authentic, but the configured id is not in what the provider signed: 503.
            (Ok(Verified { id_fault: Some(r), .. }), code) if r.code() == code && case["status"] == 503 => {}
            _ => failures.push(format!("{name}: got {got:?}, expected {expect}")),
        }
    }
    assert!(failures.is_empty(), "{file}: {} of {} cases failed:\n  {}", failures.len(), cases.len(), failures.join("\n  "));
}

macro_rules! vector_tests {
    ($($name:ident),* $(,)?) => {$(
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() {
            let file = concat!(stringify!($name), ".json");
            run(file, include_str!(concat!("vectors/", stringify!($name), ".json")));
        }
    )*};
}

vector_tests!(
    aftership,
    airwallex,
    alchemy,
    autodesk,
    bindpilot,
    bitbucket,
    bolt,
    box_v2,
    brex,
    buildkite,
    calendly,
    castle,
    chargebee,
    chargify,
    circleci,
    clearbit,
    clerk,
    coinbase_commerce,
    conformity,
    coverkit,
    coverkit_override,
    discord,
    dropbox,
    facebook,
    instagram,
    okta,
    twitter,
    whatsapp,
    x,
    xero,
    zoom,
    cowbell,
    cowbell_basic,
    cowbell_header,
    cowbell_ip,
    docusign,
    easypost,
    frameio,
    github,
    github_sha1,
    gitlab,
    go1,
    gocardless,
    heroku,
    hubspot,
    intercom,
    jira,
    launchdarkly,
    linear,
    lithic,
    modern_treasury,
    mux,
    nango,
    nexus,
    openai,
    orb,
    paddle,
    pagerduty,
    persona,
    pinwheel,
    pleo,
    port,
    postmark,
    pusher,
    razorpay,
    replicate,
    resend,
    sendpilot,
    sentry,
    shopify,
    slack,
    square,
    standard_webhooks,
    stripe,
    svix,
    tailscale,
    terraform,
    twilio,
    typeform,
    vercel,
    webex,
    woocommerce,
    workos,
    zendesk,
);

/// Every file in tests/vectors/ must be listed above (checked natively, where fs exists).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_vector_file_is_run() {
    let listed = include_str!("vectors.rs");
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".json").unwrap();
        assert!(listed.contains(&format!("    {stem},\n")), "tests/vectors/{name} is not run by tests/vectors.rs");
    }
}
