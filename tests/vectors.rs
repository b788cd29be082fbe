//! Runs every provider's vectors (tests/vectors/*.json, made with the providers' own
//! signing libraries by scripts/vectors/) through the core, natively and under wasm.

use base64::Engine as _;
use hookgate::crypto::{Algorithm, Answer, Call, CoreCrypto, Crypto, P256Key, Piece, RsaHash};
use hookgate::cert::RsaKey;

/// The case's certificates (URL -> public key): what the Worker would fetch (Amazon SNS).
type Certs = std::collections::BTreeMap<String, Vec<u8>>;
use hookgate::{verify, Config, Inbound, Verified};
use serde_json::{json, Value};

fn secret_binding(i: usize) -> String {
    format!("VECTOR_SECRET_{i}")
}

/// Runs one file; panics with every failing case named.
/// What an adapter computes for a recorded call: the same Rust MACs, and ECDSA with
/// RustCrypto's `p256` (WebCrypto's job in the Worker).
fn answer_of(call: &Call, body: &[u8], certs: &Certs) -> Answer {
    let join = |pieces: &[Piece]| -> Vec<u8> { pieces.iter().flat_map(|p| match p { Piece::Body => body, Piece::Bytes(b) => b.as_slice() }).copied().collect() };
    match call {
        Call::Mac(c) => Answer::Mac(mac(c.alg, &c.key, &[&join(&c.pieces)])),
        Call::EcdsaP256(c) => Answer::Valid(p256_verify(&c.key, &join(&c.pieces), &c.signature)),
        Call::Ed25519(c) => Answer::Valid(ed25519_verify(&c.key, &join(&c.pieces), &c.signature)),
        Call::Rsa(c) => Answer::Valid(rsa_verify(certs, &c.key, c.hash, &join(&c.pieces), &c.signature)),
    }
}

/// RSASSA-PKCS1-v1_5 with RustCrypto's `rsa` (WebCrypto's job in the Worker): the hash is
/// computed here and given with its DigestInfo prefix.
fn rsa_verify(certs: &Certs, key: &RsaKey, hash: RsaHash, message: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs8::DecodePublicKey as _;
    use sha2::Digest as _;
    let spki = match key {
        RsaKey::Spki(spki) => Some(spki),
        RsaKey::Fetch(url) => certs.get(url.as_str()),
    };
    let Some(key) = spki.and_then(|spki| rsa::RsaPublicKey::from_public_key_der(spki).ok()) else {
        return false;
    };
    let digest_info = match hash {
        RsaHash::Sha1 => [hex::decode("3021300906052b0e03021a05000414").unwrap(), sha1::Sha1::digest(message).to_vec()].concat(),
        RsaHash::Sha256 => [hex::decode("3031300d060960864801650304020105000420").unwrap(), sha2::Sha256::digest(message).to_vec()].concat(),
    };
    key.verify(rsa::Pkcs1v15Sign::new_unprefixed(), &digest_info, signature).is_ok()
}

fn p256_verify(key: &P256Key, message: &[u8], signature: &[u8; 64]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let (Ok(key), Ok(sig)) = (p256::ecdsa::VerifyingKey::from_sec1_bytes(key.point()), p256::ecdsa::Signature::from_slice(signature)) else {
        return false;
    };
    key.verify(message, &sig).is_ok()
}

fn ed25519_verify(key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let (Ok(key), Ok(sig)) = (ed25519_dalek::VerifyingKey::from_bytes(key), ed25519_dalek::Signature::from_slice(signature)) else {
        return false;
    };
    key.verify_strict(message, &sig).is_ok()
}

/// A MAC as the Worker gets it: [`CoreCrypto`]'s, or for HMAC-SHA512, which the wasm leaves
/// to WebCrypto, RustCrypto's directly.
fn mac(alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
    use hmac::{KeyInit as _, Mac as _};
    if alg.computed_here() {
        return CoreCrypto.hmac(alg, key, message);
    }
    assert_eq!(alg, Algorithm::HmacSha512, "only HMAC-SHA512 is left to WebCrypto");
    let mut m = hmac::Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
    for piece in message {
        m.update(piece);
    }
    m.finalize().into_bytes().to_vec()
}

/// [`CoreCrypto`], with ECDSA from `p256` under wasm too, where the core has none (the
/// Worker defers it to WebCrypto; the two-pass run below takes that path).
struct TestCrypto<'c>(&'c Certs);

impl Crypto for TestCrypto<'_> {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        mac(alg, key, message)
    }
    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        let got = ed25519_verify(public_key, &message.concat(), signature);
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(got, CoreCrypto.ed25519_verify(public_key, message, signature));
        got
    }
    fn ecdsa_p256_verify(&self, key: &P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool {
        let got = p256_verify(key, &message.concat(), signature);
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(got, CoreCrypto.ecdsa_p256_verify(key, message, signature));
        got
    }
    fn rsa_verify(&self, key: &RsaKey, hash: RsaHash, message: &[&[u8]], signature: &[u8]) -> bool {
        rsa_verify(self.0, key, hash, &message.concat(), signature)
    }
}

/// Runs one file; panics with every failing case named.
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
        let certs: Certs = case
            .get("certificates")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(u, pem)| (u.clone(), hookgate::cert::spki_of_pem(pem.as_str().unwrap().as_bytes()).expect("an RSA certificate"))).collect())
            .unwrap_or_default();
        let got = verify::source(&config, &req).and_then(|s| verify::verify(s, &req, now, &TestCrypto(&certs)));
        // The adapter's paths: everything recorded (a large body) or only the ECDSA checks
        // (any body), computed apart, then replayed.
        for defer in [hookgate::crypto::Defer::Everything, hookgate::crypto::Defer::SignaturesOnly] {
            let two_pass = verify::source(&config, &req).and_then(|s| match verify::verify_deferred(s, &req, now, defer) {
                verify::Deferred::Done(result) => result,
                verify::Deferred::Needs(calls) => {
                    let answers = calls.into_iter().map(|c| { let a = answer_of(&c, &body, &certs); (c, a) }).collect();
                    verify::verify_replayed(s, &req, now, answers)
                }
            });
            if two_pass != got {
                failures.push(format!("{name}: two passes ({defer:?}) gave {two_pass:?}, one pass {got:?}"));
            }
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
                // A header echoed on the answer (Adobe Sign's client id) only where the case says.
                let echoed = v.handshake.as_ref().and_then(|h| h.header.clone()).or_else(|| v.echo_header.as_deref().cloned());
                let want_echo = case.get("echo_header").map(|e| (e[0].as_str().unwrap().to_string(), e[1].as_str().unwrap().to_string()));
                if echoed.as_ref().map(|(n, v)| ((*n).to_string(), v.clone())) != want_echo {
                    failures.push(format!("{name}: echoed {echoed:?}, expected {want_echo:?}"));
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
    adyen,
    aftership,
    amazon_sns,
    airwallex,
    alchemy,
    autodesk,
    beehiiv,
    bigcommerce,
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
    checkbook,
    circleci,
    clearbit,
    clerk,
    coinbase_commerce,
    conformity,
    contentful,
    coverkit,
    coverkit_override,
    adobe_sign,
    discord,
    dropbox,
    facebook,
    facebook_messenger,
    instagram,
    mailchimp,
    okta,
    twitter,
    whatsapp,
    worldline,
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
    guesty,
    heroku,
    hostedhooks,
    hubspot,
    hygraph,
    incident_io,
    intercom,
    jira,
    launchdarkly,
    linear,
    lithic,
    mailgun,
    microsoft_teams,
    modern_treasury,
    mongodb_atlas,
    mux,
    nango,
    nash,
    nexus,
    openai,
    openclaw,
    orb,
    orbit,
    orum,
    paddle,
    paypal,
    pagerduty,
    pandadoc,
    persona,
    pinwheel,
    pleo,
    plivo,
    port,
    postmark,
    psi_fi,
    pusher,
    razorpay,
    render,
    replicate,
    resend,
    rutter,
    safebase,
    sardine,
    segment,
    sendgrid,
    sendpilot,
    sentry,
    shopify,
    slack,
    signal_sciences,
    square,
    standard_webhooks,
    stripe,
    stytch,
    svix,
    tailscale,
    telnyx,
    terraform,
    tiktok,
    twilio,
    typeform,
    vapi,
    vercel,
    veriff,
    vmware_workspace_one,
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
