//! Fuzzing every parser on the request path and the configuration (SECURITY.md, "Fuzzing").
//!
//! `cargo test --test fuzz` runs a short, fixed-seed pass over every target (part of
//! `npm test`); `npm run fuzz [-- --secs N]` runs the same harness optimised for minutes
//! with a random seed (scripts/fuzz.sh). Targets: one per preset (requests, see
//! `request.rs`), `config`, `check`, `envelope`, `admin` and `parsers` (see `targets.rs`).
//! The seed corpus is `fuzz/corpus/<target>/`; crashes and hangs are written to
//! `target/fuzz/`. Native only: the dev-dependencies it uses are not built for wasm.
//!
//! Settings (environment): `HOOKGATE_FUZZ_SECS`, `_SEED`, `_TARGETS`, `_JOBS` (the long
//! run), `HOOKGATE_FUZZ_TIMEOUT_MS` (the hang limit: 1000, or 5000 in the short run),
//! `HOOKGATE_FUZZ_OUT` (instead of `target/fuzz`), `HOOKGATE_FUZZ_VERBOSE` (outcome counts
//! per target) and `HOOKGATE_FUZZ_SLOW_MS` (print inputs slower than this, and the time
//! spent making inputs).
#![cfg(not(target_arch = "wasm32"))]

mod engine;
mod mutate;
mod request;
mod seeds;
mod targets;

use std::time::Duration;

use engine::{Budget, Settings, Stats};

/// Every target, in report order.
pub const TARGETS: &[&str] = &[
    "stripe", "github", "shopify", "slack", "twilio", "standard_webhooks", "svix", "bindpilot", "sendpilot", "coverkit", "cowbell",
    "amazon_sns", "hmac", "config", "check", "envelope", "admin", "parsers",
];

static CONFIG: targets::ConfigTarget = targets::ConfigTarget;
static CHECK: targets::CheckTarget = targets::CheckTarget;
static ENVELOPE: targets::EnvelopeTarget = targets::EnvelopeTarget;
static ADMIN: targets::AdminTarget = targets::AdminTarget;
static PARSERS: targets::ParsersTarget = targets::ParsersTarget;

fn fuzz(name: &str, settings: &Settings) -> Stats {
    match name {
        "config" => engine::fuzz(&CONFIG, settings),
        "check" => engine::fuzz(&CHECK, settings),
        "envelope" => engine::fuzz(&ENVELOPE, settings),
        "admin" => engine::fuzz(&ADMIN, settings),
        "parsers" => engine::fuzz(&PARSERS, settings),
        preset => engine::fuzz(request::target(preset).unwrap_or_else(|| panic!("no fuzz target `{preset}`")), settings),
    }
}

fn replay_file(name: &str, bytes: &[u8]) -> String {
    match name {
        "config" => engine::replay(&CONFIG, bytes),
        "check" => engine::replay(&CHECK, bytes),
        "envelope" => engine::replay(&ENVELOPE, bytes),
        "admin" => engine::replay(&ADMIN, bytes),
        "parsers" => engine::replay(&PARSERS, bytes),
        preset => engine::replay(request::target(preset).unwrap_or_else(|| panic!("no fuzz target `{preset}`")), bytes),
    }
}

/// Inputs that got through: accepted requests, configurations that loaded, wrangler files
/// that pass the check ("-" for targets without such an outcome).
fn passed(s: &Stats) -> String {
    if request::target(s.target).is_none() && !["config", "check"].contains(&s.target) {
        return "-".into();
    }
    let n: u64 = s.outcomes.iter().filter(|(k, _)| k.starts_with("accepted") || ["loaded", "passes"].contains(&k.as_str())).map(|(_, n)| n).sum();
    n.to_string()
}

fn report_line(s: &Stats) -> String {
    let accepted = passed(s);
    format!(
        "{:<18} {:>10} {:>9.0} {:>7} {:>5} {:>6} {:>8} {:>8}{}",
        s.target,
        s.execs,
        s.execs_per_sec(),
        s.crashes,
        s.hangs,
        s.corpus,
        s.novel,
        accepted,
        if s.stuck { "  (stopped: an input never finished)" } else { "" }
    )
}

const HEADER: &str = "target                  execs   execs/s crashes hangs corpus outcomes   passed";

fn fail_message(stats: &[Stats]) -> Option<String> {
    let failed: Vec<&Stats> = stats.iter().filter(|s| s.failed()).collect();
    if failed.is_empty() {
        return None;
    }
    let mut msg = String::new();
    for s in failed {
        msg.push_str(&format!("{}: {} crash(es), {} hang(s)\n", s.target, s.crashes, s.hangs));
        for line in &s.crash_lines {
            msg.push_str(&format!("  panic: {line}\n"));
        }
        for p in &s.saved {
            msg.push_str(&format!("  saved: {} (see the .txt beside it)\n", p.display()));
        }
    }
    Some(msg)
}

/// The short pass inside `cargo test`: the corpus as is, then a fixed number of inputs
/// from a fixed seed, so a failure reproduces.
mod short {
    use super::*;

    /// Inputs after the corpus, per target.
    const EXECS: u64 = 600;
    const SEED: u64 = 0x0068_6f6f_6b67_6174; // "hookgat"

    fn run(name: &str) {
        let mut settings = Settings::new(SEED, Budget::Execs(EXECS));
        if std::env::var_os("HOOKGATE_FUZZ_TIMEOUT_MS").is_none() {
            // A debug build on a busy machine: a hang here is an input that does not end,
            // not one that is slow (`npm run fuzz`, optimised, keeps the 1 s limit).
            settings.time_limit = std::time::Duration::from_secs(5);
        }
        let stats = fuzz(name, &settings);
        assert!(stats.corpus > 0, "fuzz/corpus/{name}/ is empty");
        if let Some(msg) = fail_message(std::slice::from_ref(&stats)) {
            panic!("fuzz target {name} (seed {SEED}):\n{msg}");
        }
    }

    macro_rules! short_runs {
        ($($name:ident),* $(,)?) => {$(
            #[test]
            fn $name() {
                run(stringify!($name));
            }
        )*};
    }

    short_runs!(
        stripe, github, shopify, slack, twilio, standard_webhooks, svix, bindpilot, sendpilot, coverkit, cowbell, amazon_sns, hmac, config,
        check, envelope, admin, parsers,
    );

    #[test]
    fn every_target_has_a_short_run_and_a_corpus() {
        let listed = include_str!("main.rs");
        for t in TARGETS {
            assert!(listed.contains(&format!(" {t},")), "target {t} has no short run");
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(t);
            assert!(!engine::corpus_files(&dir).is_empty(), "fuzz/corpus/{t}/ is empty");
        }
        for p in request::PRESETS {
            assert!(TARGETS.contains(p), "preset {p} has no target");
        }
        // A preset added later is fuzzed through `config` (which picks from the crate's
        // list) until it gets a request target of its own here.
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// `npm run fuzz`: every target (or `HOOKGATE_FUZZ_TARGETS`, comma-separated) for
/// `HOOKGATE_FUZZ_SECS` seconds in all, spread over `HOOKGATE_FUZZ_JOBS` threads, from
/// `HOOKGATE_FUZZ_SEED`. Fails on any crash or hang.
#[test]
#[ignore = "minutes long: run by `npm run fuzz`"]
fn long_run() {
    let total = env_u64("HOOKGATE_FUZZ_SECS").unwrap_or(300);
    let seed = env_u64("HOOKGATE_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let targets: Vec<String> = match std::env::var("HOOKGATE_FUZZ_TARGETS") {
        Ok(list) if !list.trim().is_empty() => list.split(',').map(|t| t.trim().to_string()).collect(),
        _ => TARGETS.iter().map(|t| (*t).to_string()).collect(),
    };
    for t in &targets {
        assert!(TARGETS.contains(&t.as_str()), "no fuzz target `{t}` (targets: {})", TARGETS.join(", "));
    }
    let jobs = env_u64("HOOKGATE_FUZZ_JOBS")
        .map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), |j| j as usize)
        .clamp(1, targets.len());
    let per_target = Duration::from_secs_f64((total as f64 * jobs as f64 / targets.len() as f64).max(1.0));
    println!("fuzz: seed {seed}, {} targets, {total} s in all on {jobs} thread(s), {per_target:.0?} each", targets.len());
    println!("{HEADER}");
    let queue = std::sync::Mutex::new(targets.clone().into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let Some(name) = queue.lock().unwrap().next() else { break };
                let stats = fuzz(&name, &Settings::new(seed, Budget::Time(per_target)));
                println!("{}", report_line(&stats));
                if std::env::var_os("HOOKGATE_FUZZ_VERBOSE").is_some() {
                    println!("  {name} outcomes: {:?}", stats.outcomes);
                }
                results.lock().unwrap().push(stats);
            });
        }
    });
    let mut stats = results.into_inner().unwrap();
    stats.sort_by_key(|s| TARGETS.iter().position(|t| *t == s.target));
    let execs: u64 = stats.iter().map(|s| s.execs).sum();
    let crashes: u64 = stats.iter().map(|s| s.crashes).sum();
    let hangs: u64 = stats.iter().map(|s| s.hangs).sum();
    println!("\n{HEADER}");
    for s in &stats {
        println!("{}", report_line(s));
    }
    println!("fuzz: seed {seed}: {execs} executions, {crashes} crashes, {hangs} hangs");
    if let Some(msg) = fail_message(&stats) {
        panic!("fuzzing found problems (seed {seed}):\n{msg}");
    }
}

/// `npm run fuzz -- --replay FILE`: runs one saved input (its target is its folder's name,
/// or `HOOKGATE_FUZZ_TARGET`), panicking as the code does.
#[test]
#[ignore = "run by `npm run fuzz -- --replay FILE`"]
fn replay() {
    let path = std::path::PathBuf::from(std::env::var("HOOKGATE_FUZZ_REPLAY").expect("HOOKGATE_FUZZ_REPLAY=<file>"));
    let target = std::env::var("HOOKGATE_FUZZ_TARGET").ok().unwrap_or_else(|| {
        path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    });
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("{}", replay_file(&target, &bytes));
}

/// `npm run fuzz -- --write-corpus`: writes the seed corpus from tests/vectors/*.json,
/// the README's and wrangler.toml's configurations, and the seeds in `seeds.rs`.
#[test]
#[ignore = "run by `npm run fuzz -- --write-corpus`"]
fn write_seed_corpus() {
    seeds::write();
}
