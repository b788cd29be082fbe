//! `cargo run --release --example core_bench` (run by `npm run bench`): the core's `verify`, natively, for
//! Standard Webhooks, Stripe and BindPilot at 1 KB, 16 KB and 1 MB, against a bare
//! `hmac` + `sha2` HMAC-SHA256 over the same bytes, which is the floor: everything above it
//! is parsing, decoding and comparing. Prints a Markdown table. No timing is asserted.

use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use hookgate::crypto::CoreCrypto;
use hookgate::schemes::{bindpilot, catalogue, standard_webhooks};
use hookgate::{verify, Config, Inbound};

const NOW: u64 = 1_790_000_000;
const URL: &str = "https://hookgate.example/hooks/x";

/// Median nanoseconds per call of `f`, over 15 samples of about 40 ms each.
fn time(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed().as_millis() < 20 {
        f();
        calls += 1;
    }
    let per_sample = ((calls as f64) * 2.0).max(1.0) as u64;
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_sample {
                f();
            }
            t.elapsed().as_nanos() as f64 / per_sample as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn body(bytes: usize) -> Vec<u8> {
    let head = r#"{"id":"evt_0123456789","type":"policy.bound","timestamp":"2026-09-21T13:46:40Z","pad":""#;
    let mut b = head.as_bytes().to_vec();
    b.resize(bytes.saturating_sub(2), b'x');
    b.extend_from_slice(b"\"}");
    b
}

fn main() {
    let wh_key = [7u8; 32];
    let wh_secret = format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(wh_key));
    let stripe_secret = "whsec_bench_stripe_secret_value";
    let bp_secret = "bench-bindpilot-secret";
    let config = r#"{"sources":{
        "sw":{"scheme":{"type":"standard_webhooks"},"secrets":[{"label":"k","env":"SW"}],"max_body_bytes":2000000,"destination":{"origin":"https://o.example/"}},
        "stripe":{"scheme":{"type":"stripe"},"secrets":[{"label":"k","env":"ST"}],"max_body_bytes":2000000,"destination":{"origin":"https://o.example/"}},
        "bp":{"scheme":{"type":"bindpilot"},"tolerance_secs":0,"secrets":[{"label":"k","env":"BP"}],"max_body_bytes":2000000,"destination":{"origin":"https://o.example/"}}}}"#.to_string();
    let secrets = |name: &str| match name {
        "SW" => Some(wh_secret.clone()),
        "ST" => Some(stripe_secret.to_string()),
        "BP" => Some(bp_secret.to_string()),
        _ => None,
    };
    let config = match Config::load(&config, &secrets) {
        Ok(c) => c,
        Err(e) => panic!("bench configuration: {e:?}"),
    };
    println!("| body | bare HMAC-SHA256 µs | Standard Webhooks µs (× bare) | Stripe µs (× bare) | BindPilot µs (× bare) |");
    println!("|---|---|---|---|---|");
    for (label, size) in [("1 KB", 1024), ("16 KB", 16 * 1024), ("1 MB", 1024 * 1024)] {
        let b = body(size);
        let ts = NOW.to_string();
        let bare = time(|| {
            let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(black_box(&wh_key)).unwrap_or_else(|_| unreachable!());
            mac.update(black_box(&b));
            black_box(mac.finalize());
        });
        let cases = [
            ("sw", standard_webhooks::recipe().sign(&wh_key, &b, &ts, "msg_1", URL)),
            ("stripe", catalogue::find("stripe").unwrap().recipe("stripe").unwrap().sign(stripe_secret.as_bytes(), &b, &ts, "", URL)),
            ("bp", bindpilot::recipe().sign(bp_secret.as_bytes(), &b, &ts, "", URL)),
        ];
        let mut cells = Vec::new();
        for (name, headers) in &cases {
            let source = &config.sources[*name];
            let req = Inbound { method: "POST", url: URL, headers, body: &b, client_ip: None };
            if let Err(r) = verify::verify(source, &req, NOW, &CoreCrypto) {
                panic!("{name} at {label} did not verify: {r:?}");
            }
            let t = time(|| {
                black_box(verify::verify(source, black_box(&req), NOW, &CoreCrypto)).ok();
            });
            cells.push(format!("{:.2} ({:.2}x)", t / 1000.0, t / bare));
        }
        println!("| {label} | {:.2} | {} |", bare / 1000.0, cells.join(" | "));
    }
}
