//! `npm run check`: validates hookgate's configuration together with the wrangler bindings it
//! names, before a build or deploy, so a broken setting is found at the desk and not by a
//! provider's webhook at 3 a.m. The runtime does the same [`Config`] load; this adds what
//! only the whole wrangler file shows (bindings, queues, where secrets live).

pub mod dotenv;
pub mod wrangler;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::config::{Config, DedupeMode, Source, DEFAULT_REPLAY_WINDOW_SECS};
use crate::schemes::Coverage;

/// The Durable Object class strict dedupe runs on (exported by this Worker).
pub const DEDUPE_CLASS: &str = "DedupeObject";
use wrangler::Deployment;

/// Where secret values come from for the check.
pub enum Secrets<'a> {
    /// Values, from `.dev.vars`: presence and format are checked.
    Values(&'a BTreeMap<String, String>),
    /// Names only, from `wrangler secret list`: presence is checked.
    Names(&'a BTreeSet<String>),
    /// Not checked (a build, where secrets are not at hand).
    Unchecked,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Would fail requests or lose events: the check fails.
    Error,
    /// Works, but probably not as meant.
    Warning,
}

/// One problem, with the configuration path it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// Where: a `HOOKGATE` field path or a wrangler table.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// The result of checking one environment.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems found.
    pub findings: Vec<Finding>,
    /// One line per source that loaded, saying what it will do.
    pub sources: Vec<String>,
}

impl Report {
    /// Whether any finding is an error.
    #[must_use]
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.level == Level::Error)
    }

    fn error(&mut self, path: &str, message: String) {
        self.findings.push(Finding { level: Level::Error, path: path.to_string(), message });
    }

    fn warn(&mut self, path: &str, message: String) {
        self.findings.push(Finding { level: Level::Warning, path: path.to_string(), message });
    }
}

use crate::config::PLACEHOLDER_SECRET as PLACEHOLDER;

/// Checks one environment; `deploying` adds what only matters on Cloudflare (loopback
/// origins, placeholder ids).
#[must_use]
pub fn check(dep: &Deployment, secrets: &Secrets<'_>, deploying: bool) -> Report {
    let mut report = Report::default();
    let vars_table = dep.env.as_ref().map_or("[vars]".to_string(), |e| format!("[env.{e}.vars]"));
    let Some(text) = &dep.hookgate else {
        report.error(&vars_table, format!("no `{}` variable: hookgate has no sources (see README, Configuration)", crate::config::CONFIG_VAR));
        return report;
    };
    let asked = RefCell::new(BTreeSet::new());
    let lookup = |name: &str| -> Option<String> {
        asked.borrow_mut().insert(name.to_string());
        let in_vars = dep.vars.iter().any(|v| v == name);
        match secrets {
            Secrets::Values(values) => values.get(name).cloned().or_else(|| in_vars.then(|| PLACEHOLDER.to_string())),
            Secrets::Names(names) => (names.contains(name) || in_vars).then(|| PLACEHOLDER.to_string()),
            Secrets::Unchecked => Some(PLACEHOLDER.to_string()),
        }
    };
    let config = match Config::load_serving(text, &lookup) {
        Ok(c) => c,
        Err(errors) => {
            errors.iter().for_each(|e| report.error(e.path(), e.message()));
            return report;
        }
    };
    for errors in config.broken.values() {
        errors.iter().for_each(|e| report.error(e.path(), e.message()));
    }
    let mut asked = asked.into_inner();
    asked.insert(crate::admin::ADMIN_TOKEN_VAR.to_string());
    for name in asked {
        if dep.vars.contains(&name) {
            report.warn(&vars_table, format!("`{name}` is a plain var, stored in clear in the wrangler file; make it a secret: `wrangler secret put {name}`"));
        }
    }
    for s in config.sources.values().filter(|s| s.scheme.secret_encoding() == crate::schemes::SecretEncoding::Raw) {
        for (i, key) in s.keys.iter().enumerate() {
            let short = match &key.material {
                crate::keys::KeyMaterial::Secret(secret) => secret.expose().len() < crate::config::MIN_RAW_SECRET_BYTES,
                crate::keys::KeyMaterial::Ed25519(_) | crate::keys::KeyMaterial::EcdsaP256(_) | crate::keys::KeyMaterial::Rsa(_) => false,
            };
            if short && !matches!(secrets, Secrets::Unchecked | Secrets::Names(_)) {
                report.warn(
                    &format!("sources.{}.secrets[{i}]", s.name),
                    format!("shorter than {} characters: guessable; use a long random secret (the provider's generated one)", crate::config::MIN_RAW_SECRET_BYTES),
                );
            }
        }
    }
    if let Secrets::Values(values) = secrets {
        let token = values.get(crate::admin::ADMIN_TOKEN_VAR).map_or(0, |t| t.len());
        if (1..crate::admin::MIN_ADMIN_TOKEN_BYTES).contains(&token) {
            report.error(
                crate::admin::ADMIN_TOKEN_VAR,
                format!(
                    "shorter than {} characters, so the dead-letter endpoints stay off: use a long random value (`openssl rand -hex 32`)",
                    crate::admin::MIN_ADMIN_TOKEN_BYTES
                ),
            );
        }
    }
    check_bindings(dep, &config, &mut report);
    if deploying {
        check_deployable(dep, &config, &mut report);
    }
    report.sources = config.sources.values().map(|s| describe(s, dep)).collect();
    report
}

fn check_bindings(dep: &Deployment, config: &Config, report: &mut Report) {
    let kv_declared = dep.kv_namespaces.contains(&config.kv_binding);
    let kv_users: Vec<&str> =
        config.sources.values().filter(|s| s.dedupe.mode == DedupeMode::Kv).map(|s| s.name.as_str()).collect();
    if !kv_users.is_empty() && !kv_declared {
        report.error(
            "kv_binding",
            format!(
                "KV namespace `{}` is not bound (needed for dedupe by {}): add [[kv_namespaces]] binding = \"{}\" (`wrangler kv namespace create {}` prints the id)",
                config.kv_binding,
                kv_users.join(", "),
                config.kv_binding,
                config.kv_binding
            ),
        );
    }
    check_dedupe(dep, config, report);
    let consumer = |queue: &str| dep.queue_consumers.iter().find(|c| c.queue == queue);
    for source in config.sources.values() {
        check_rate_limit(dep, source, report);
        if let Some(a) = source.archive.as_ref().filter(|a| !dep.r2_buckets.contains(&a.r2)) {
            report.error(
                &format!("sources.{}.archive.r2", source.name),
                format!("no R2 bucket bound as `{}`: add [[r2_buckets]] binding = \"{}\", and a lifecycle rule deleting `hookgate/archive/` after {} days", a.r2, a.r2, a.retention_days),
            );
        }
        if let Some(r2) = source.destination.r2.as_ref().filter(|b| !dep.r2_buckets.contains(b)) {
            report.error(
                &format!("sources.{}.destination.r2", source.name),
                format!("no R2 bucket bound as `{r2}`: add [[r2_buckets]] binding = \"{r2}\" (`wrangler r2 bucket create <name>` makes one)"),
            );
        }
        let Some(binding) = &source.destination.queue else { continue };
        let path = format!("sources.{}.destination.queue", source.name);
        let Some((_, queue)) = dep.queue_producers.iter().find(|(b, _)| b == binding) else {
            report.error(&path, format!("no queue producer bound as `{binding}`: add [[queues.producers]] binding = \"{binding}\""));
            continue;
        };
        if let (Some(pacing), Some(c)) = (&source.destination.pacing, consumer(queue)) {
            let pp = format!("sources.{}.destination.pacing", source.name);
            if c.max_concurrency != Some(1) {
                report.error(
                    &pp,
                    format!("a paced source needs its queue's consumer to run one batch at a time, or each batch would pace on its own: add max_concurrency = 1 to [[queues.consumers]] queue = \"{queue}\""),
                );
            }
            let batch = c.max_batch_size.unwrap_or(10);
            if !pacing.fits_batch(batch) {
                report.error(
                    &pp,
                    format!(
                        "a batch of {batch} at {} a minute takes {} s, over the {} s a batch may wait: its last messages would be retried, each retry spending one of Queues' attempts. Lower max_batch_size of queue `{queue}` to {} or raise max_per_minute",
                        pacing.max_per_minute,
                        batch.saturating_mul(pacing.slot_ms()) / 1000,
                        crate::pacing::BUDGET_MS / 1000,
                        (crate::pacing::BUDGET_MS / pacing.slot_ms()).max(1)
                    ),
                );
            }
        }
        match (consumer(queue), &source.destination.origin) {
            (Some(_), None) => report.error(
                &format!("sources.{}.destination", source.name),
                format!("this Worker consumes queue `{queue}` and delivers its events to the source's origin: set `origin`"),
            ),
            (None, Some(_)) => report.error(
                &path,
                format!("nothing in this Worker consumes queue `{queue}`, so queued events never reach `origin`: add [[queues.consumers]] queue = \"{queue}\""),
            ),
            _ => {}
        }
    }
    for c in &dep.queue_consumers {
        let path = format!("[[queues.consumers]] queue = \"{}\"", c.queue);
        if c.queue == config.queue.dead_letter_queue {
            if !kv_declared {
                report.error(&path, format!("dead letters are parked in KV, but `{}` is not bound", config.kv_binding));
            }
            continue;
        }
        match &c.dead_letter_queue {
            None => report.error(
                &path,
                format!(
                    "no dead_letter_queue: once max_retries is spent, Queues deletes the message and the event is lost; add dead_letter_queue = \"{}\" and a [[queues.consumers]] for it",
                    config.queue.dead_letter_queue
                ),
            ),
            Some(dlq) if consumer(dlq).is_none() => report.warn(
                &path,
                format!("dead-letter queue `{dlq}` has no consumer here: its messages are kept only for the queue's retention period (4 days by default); consume it in this Worker to park them in KV"),
            ),
            Some(dlq) if *dlq != config.queue.dead_letter_queue => report.error(
                &path,
                format!("this Worker consumes `{dlq}` but HOOKGATE.queue.dead_letter_queue is `{}`: dead letters would be delivered again instead of parked; set queue.dead_letter_queue = \"{dlq}\"", config.queue.dead_letter_queue),
            ),
            Some(_) => {}
        }
    }
}

fn check_deployable(dep: &Deployment, config: &Config, report: &mut Report) {
    for binding in &dep.kv_placeholders {
        report.error("[[kv_namespaces]]", format!("`{binding}` still has the placeholder id: `wrangler kv namespace create {binding}` prints the real one"));
    }
    for s in config.sources.values() {
        if s.destination.origin.as_deref().is_some_and(|o| o.starts_with("http://")) {
            report.warn(
                &format!("sources.{}.destination.origin", s.name),
                "a loopback origin is reachable only under `wrangler dev`; deployed, every delivery would fail and be retried".into(),
            );
        }
    }
}

/// Strict mode's Durable Object binding, and windows that leave replays open.
fn check_dedupe(dep: &Deployment, config: &Config, report: &mut Report) {
    let strict: Vec<&str> =
        config.sources.values().filter(|s| s.dedupe.mode == DedupeMode::Strict).map(|s| s.name.as_str()).collect();
    let name = &config.dedupe_object;
    match dep.durable_objects.iter().find(|o| o.name == *name) {
        _ if strict.is_empty() => {}
        None => report.error(
            "dedupe_object",
            format!(
                "Durable Object `{name}` is not bound (needed by strict dedupe of {}): add [[durable_objects.bindings]] name = \"{name}\" class_name = \"{DEDUPE_CLASS}\", and [[migrations]] tag = \"v1\" new_sqlite_classes = [\"{DEDUPE_CLASS}\"]",
                strict.join(", ")
            ),
        ),
        Some(o) if o.class_name != DEDUPE_CLASS => report.error(
            "dedupe_object",
            format!("`{name}` binds class `{}`; strict dedupe needs hookgate's `{DEDUPE_CLASS}`", o.class_name),
        ),
        Some(o) if o.script_name.is_none() && !dep.migrated_classes.iter().any(|c| c == DEDUPE_CLASS) => report.error(
            "dedupe_object",
            format!("no [[migrations]] creates `{DEDUPE_CLASS}`: add [[migrations]] tag = \"v1\" new_sqlite_classes = [\"{DEDUPE_CLASS}\"]"),
        ),
        Some(_) => {}
    }
    for s in config.sources.values() {
        let path = format!("sources.{}.dedupe", s.name);
        let timestamp_bounds = s.replay.signed_timestamp && s.tolerance_secs > 0;
        if s.replay.coverage == Coverage::Token || timestamp_bounds {
            continue;
        }
        if s.dedupe.mode == DedupeMode::Off {
            report.warn(&path, "no signed timestamp and dedupe off: nothing stops a captured request from being handed on again".into());
        } else if s.dedupe.window_secs < DEFAULT_REPLAY_WINDOW_SECS {
            report.warn(
                &format!("{path}.window_secs"),
                format!(
                    "no signed timestamp: dedupe is all that stops a replay, and a request captured now can be handed on again after {}; keep it at least {}",
                    human_secs(s.dedupe.window_secs),
                    human_secs(DEFAULT_REPLAY_WINDOW_SECS)
                ),
            );
        }
    }
}

/// What stops a captured request of this source from being handed on again, and how long.
fn replay_protection(s: &Source) -> String {
    let window = human_secs(s.dedupe.window_secs);
    let key = match s.replay.coverage {
        Coverage::SignedId => "the signed event id",
        Coverage::SignedContent => "a digest of the signed content (the id is not signed)",
        Coverage::Token => {
            return "replay: a shared token, no signature: anyone who sees one request can send others".into();
        }
    };
    let dedupe = match s.dedupe.mode {
        DedupeMode::Off => "nothing".to_string(),
        _ => format!("dedupe on {key} for {window}"),
    };
    if s.replay.signed_timestamp && s.tolerance_secs > 0 {
        format!("replay: refused after the signed timestamp's ±{}, {dedupe} inside it", human_secs(s.tolerance_secs))
    } else {
        format!("replay: no signed timestamp; {dedupe}")
    }
}

fn human_secs(secs: u64) -> String {
    match secs {
        0 => "off".into(),
        s if s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// A source's `rate_limit` needs its binding, declared with the same `simple` numbers: the
/// binding counts, the source's numbers say `Retry-After` and what the check prints.
fn check_rate_limit(dep: &Deployment, source: &Source, report: &mut Report) {
    let Some(limit) = &source.rate_limit else { return };
    let path = format!("sources.{}.rate_limit", source.name);
    let name = &limit.binding;
    let Some(declared) = dep.rate_limits.iter().find(|b| &b.name == name) else {
        report.error(
            &format!("{path}.binding"),
            format!(
                "no Rate Limiting binding `{name}`: add [[ratelimits]] name = \"{name}\", namespace_id = \"<a number of your choice>\", simple = {{ limit = {}, period = {} }}",
                limit.requests, limit.period_secs
            ),
        );
        return;
    };
    if declared.limit != Some(limit.requests) || declared.period != Some(limit.period_secs) {
        report.error(
            &path,
            format!(
                "the binding `{name}` counts simple = {{ limit = {}, period = {} }}, but the source says {} per {} s: make them equal (the binding counts, the source's numbers set Retry-After)",
                declared.limit.map_or("?".into(), |v| v.to_string()),
                declared.period.map_or("?".into(), |v| v.to_string()),
                limit.requests,
                limit.period_secs
            ),
        );
    }
}

fn describe(s: &Source, dep: &Deployment) -> String {
    let mut line = format!("{}: {}", s.name, s.scheme_name);
    let labels: Vec<&str> = s.keys.iter().map(|k| k.label.as_str()).collect();
    if s.scheme.needs_keys() {
        let _ = write!(line, ", keys [{}], tolerance {}", labels.join(", "), human_secs(s.tolerance_secs));
    } else {
        let _ = write!(line, ", keys from the provider's certificate, tolerance {}", human_secs(s.tolerance_secs));
    }
    match s.dedupe.mode {
        DedupeMode::Kv => {
            let _ = write!(line, ", dedupe kv {}", human_secs(s.dedupe.window_secs));
        }
        DedupeMode::Strict => {
            let _ = write!(line, ", dedupe strict {}", human_secs(s.dedupe.window_secs));
        }
        DedupeMode::Off => line.push_str(", dedupe off"),
    }
    let d = &s.destination;
    if let Some(binding) = &d.queue {
        let queue = dep.queue_producers.iter().find(|(b, _)| b == binding).map_or("?", |(_, q)| q.as_str());
        let _ = write!(line, " -> queue {binding} ({queue})");
        if let Some(r2) = &d.r2 {
            let _ = write!(line, " + large bodies in R2 {r2}");
        }
    }
    match &d.origin {
        Some(origin) => {
            let _ = write!(line, " -> {origin} (timeout {} ms)", d.timeout_ms);
        }
        None => line.push_str(", consumed elsewhere"),
    }
    let _ = write!(line, "\n    {}", replay_protection(s));
    if s.mode == crate::config::SourceMode::Shadow {
        line.push_str("\n    mode: shadow: verdicts are logged, not enforced; every forwardable request reaches the origin with X-Hookgate-Verdict");
    }
    if let Some(h) = s.scheme.handshake() {
        let how = if h.answers_get() { "GET" } else { "POST" };
        let _ = write!(line, "\n    handshake: {} ({how}) answered at the edge, never forwarded", h.name());
    }
    if let Some(p) = &d.pacing {
        let how = if p.concurrency == 1 { "one at a time".to_string() } else { format!("at most {} at once", p.concurrency) };
        let _ = write!(line, "\n    pacing: at most {} deliveries a minute, {how}", p.max_per_minute);
    }
    if let Some(a) = &s.archive {
        let _ = write!(line, "\n    archive: R2 {} under hookgate/archive/{}/, kept {} d by the bucket's lifecycle rule", a.r2, s.name, a.retention_days);
    }
    if let Some(l) = &s.rate_limit {
        let _ = write!(line, "\n    rate limit: {} authentic requests per {} s ({}), then 429 with Retry-After: {}", l.requests, l.period_secs, l.binding, l.period_secs);
    }
    if let Some(f) = &s.filter {
        let allow = f.patterns.iter().filter(|p| p.allow).count();
        let kind = if allow > 0 { "allow list" } else { "deny list" };
        let absent = match f.when_absent {
            crate::filter::WhenAbsent::Forward => "forwarded",
            crate::filter::WhenAbsent::Filter => "filtered",
        };
        let _ = write!(line, "\n    filter: {} pattern(s), {kind}; an event without a type is {absent}", f.patterns.len());
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use wrangler::Consumer;

    fn deployment(hookgate: &str) -> Deployment {
        Deployment {
            env: None,
            hookgate: Some(hookgate.to_string()),
            vars: vec!["HOOKGATE".into()],
            kv_namespaces: vec!["HOOKGATE_KV".into()],
            kv_placeholders: vec![],
            r2_buckets: vec![],
            queue_producers: vec![("Q".into(), "events".into())],
            queue_consumers: vec![
                Consumer { queue: "events".into(), dead_letter_queue: Some("hookgate-dlq".into()), max_batch_size: None, max_concurrency: None },
                Consumer { queue: "hookgate-dlq".into(), dead_letter_queue: None, max_batch_size: None, max_concurrency: None },
            ],
            durable_objects: vec![],
            migrated_classes: vec![],
            rate_limits: vec![],
        }
    }

    #[test]
    fn a_rate_limit_needs_its_binding_with_the_same_numbers() {
        let limited = SOURCE.replace("\"destination\"", "\"rate_limit\":{\"binding\":\"LIMIT\",\"requests\":100,\"period_secs\":60},\"destination\"");
        let r = check(&deployment(&limited), &Secrets::Unchecked, false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.rate_limit.binding"), "{r:?}");
        let mut dep = deployment(&limited);
        dep.rate_limits.push(wrangler::RateLimitBinding { name: "LIMIT".into(), limit: Some(100), period: Some(10) });
        let r = check(&dep, &Secrets::Unchecked, false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.rate_limit"), "{r:?}");
        dep.rate_limits[0].period = Some(60);
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(!r.failed(), "{r:?}");
        assert!(r.sources[0].contains("rate limit: 100 authentic requests per 60 s (LIMIT)"), "{r:?}");
        let out_of_range = limited.replace("\"period_secs\":60", "\"period_secs\":30").replace("\"requests\":100", "\"requests\":0");
        let r = check(&dep_of(&out_of_range), &Secrets::Unchecked, false);
        let paths: Vec<String> = errors(&r).into_iter().map(|e| e.0).collect();
        assert!(paths.contains(&"sources.s.rate_limit.requests".to_string()) && paths.contains(&"sources.s.rate_limit.period_secs".to_string()), "{paths:?}");
        // Declared either way.
        let config = serde_json::json!({ "ratelimits": [{ "name": "A", "namespace_id": "1", "simple": { "limit": 5, "period": 10 } }],
            "unsafe": { "bindings": [{ "name": "B", "type": "ratelimit", "namespace_id": "2", "simple": { "limit": 7, "period": 60 } }, { "name": "C", "type": "other" }] } });
        let d = wrangler::deployment(&config, None).unwrap();
        assert_eq!(d.rate_limits, [
            wrangler::RateLimitBinding { name: "A".into(), limit: Some(5), period: Some(10) },
            wrangler::RateLimitBinding { name: "B".into(), limit: Some(7), period: Some(60) },
        ]);
    }

    #[test]
    fn a_paced_source_needs_one_batch_at_a_time_and_a_batch_that_fits() {
        let paced = SOURCE.replace("\"origin\":", "\"queue\":\"Q\",\"pacing\":{\"max_per_minute\":60,\"concurrency\":2},\"origin\":");
        let r = check(&deployment(&paced), &Secrets::Unchecked, false);
        let found: Vec<(String, String)> = errors(&r);
        assert_eq!(found.len(), 1, "60 a minute fits a batch of 10: {found:?}");
        assert_eq!(found[0].0, "sources.s.destination.pacing");
        assert!(found[0].1.contains("max_concurrency = 1"), "{found:?}");
        let mut dep = deployment(&paced);
        dep.queue_consumers[0].max_concurrency = Some(1);
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(!r.failed(), "{r:?}");
        assert!(r.sources[0].contains("pacing: at most 60 deliveries a minute, at most 2 at once"), "{r:?}");
        let slow = paced.replace("\"max_per_minute\":60", "\"max_per_minute\":5");
        let r = check(&{ let mut d = deployment(&slow); d.queue_consumers[0].max_concurrency = Some(1); d }, &Secrets::Unchecked, false);
        let found = errors(&r);
        assert!(found.len() == 1 && found[0].1.contains("a batch of 10 at 5 a minute takes 120 s") && found[0].1.contains("to 5 or raise"), "{found:?}");
        let direct = SOURCE.replace("\"origin\":", "\"pacing\":{\"max_per_minute\":60},\"origin\":");
        let r = check(&deployment(&direct), &Secrets::Unchecked, false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.destination.pacing"));
    }

    #[test]
    fn an_archive_needs_its_bucket_and_a_retention_past_the_dedupe_window() {
        let archived = SOURCE.replace("\"destination\"", "\"archive\":{\"r2\":\"ARCHIVE\",\"retention_days\":10},\"destination\"");
        let r = check(&deployment(&archived), &Secrets::Unchecked, false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.archive.r2"), "{r:?}");
        let mut dep = deployment(&archived);
        dep.r2_buckets.push("ARCHIVE".into());
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(!r.failed(), "stripe's window is 3 d: {r:?}");
        assert!(r.sources[0].contains("archive: R2 ARCHIVE under hookgate/archive/s/, kept 10 d"), "{r:?}");
        let github = archived.replace("stripe", "github");
        let mut dep = deployment(&github);
        dep.r2_buckets.push("ARCHIVE".into());
        let r = check(&dep, &Secrets::Unchecked, false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.archive.retention_days"), "github remembers 30 d: {r:?}");
    }

    fn dep_of(hookgate: &str) -> Deployment {
        deployment(hookgate)
    }

    const SOURCE: &str = r#"{"sources":{"s":{"scheme":{"type":"stripe"},"secrets":[{"label":"main","env":"STRIPE_SECRET"}],
        "destination":{"origin":"https://api.example.com/hooks"}}}}"#;

    fn errors(r: &Report) -> Vec<(String, String)> {
        r.findings.iter().filter(|f| f.level == Level::Error).map(|f| (f.path.clone(), f.message.clone())).collect()
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    #[test]
    fn a_good_configuration_passes_and_is_described() {
        let secrets = values(&[("STRIPE_SECRET", "whsec_abcdefghijklmnop")]);
        let r = check(&deployment(SOURCE), &Secrets::Values(&secrets), false);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(
            r.sources,
            ["s: stripe, keys [main], tolerance 5 min, dedupe kv 3 d -> https://api.example.com/hooks (timeout 10000 ms)\n    replay: refused after the signed timestamp's ±5 min, dedupe on the signed event id for 3 d inside it"]
        );
    }

    #[test]
    fn says_a_source_is_in_shadow_mode() {
        let shadow = SOURCE.replace(r#""type":"stripe"}"#, r#""type":"stripe"},"mode":"shadow""#);
        let secrets = values(&[("STRIPE_SECRET", "whsec_abcdefghijklmnop")]);
        let r = check(&deployment(&shadow), &Secrets::Values(&secrets), false);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert!(r.sources[0].ends_with("mode: shadow: verdicts are logged, not enforced; every forwardable request reaches the origin with X-Hookgate-Verdict"), "{r:?}");
    }

    #[test]
    fn names_a_source_handshake_and_its_verify_token() {
        let meta = SOURCE.replace(r#""type":"stripe"}"#, r#""type":"whatsapp"},"verify_token":"META_VERIFY""#);
        let secrets = values(&[("STRIPE_SECRET", "app-secret-0123456789"), ("META_VERIFY", "verify-me")]);
        let r = check(&deployment(&meta), &Secrets::Values(&secrets), false);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert!(r.sources[0].ends_with("handshake: meta_verify_token (GET) answered at the edge, never forwarded"), "{r:?}");
        let r = check(&deployment(&meta), &Secrets::Values(&values(&[("STRIPE_SECRET", "app-secret-0123456789")])), false);
        assert_eq!(errors(&r).first().map(|e| e.0.as_str()), Some("sources.s.verify_token"), "{r:?}");
    }

    #[test]
    fn says_what_stops_a_replay_and_warns_when_little_does() {
        let github = SOURCE.replace("stripe", "github");
        let r = check(&deployment(&github), &Secrets::Unchecked, false);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert!(r.sources[0].ends_with("replay: no signed timestamp; dedupe on a digest of the signed content (the id is not signed) for 30 d"), "{r:?}");
        let short = github.replace("\"destination\"", "\"dedupe\":{\"window_secs\":86400},\"destination\"");
        let r = check(&deployment(&short), &Secrets::Unchecked, false);
        assert!(!r.failed());
        assert_eq!(r.findings[0].path, "sources.s.dedupe.window_secs");
        assert!(r.findings[0].message.contains("handed on again after 1 d"), "{r:?}");
        let off = github.replace("\"destination\"", "\"dedupe\":{\"mode\":\"off\"},\"destination\"");
        let r = check(&deployment(&off), &Secrets::Unchecked, false);
        assert!(r.findings[0].message.contains("nothing stops a captured request"), "{r:?}");
    }

    #[test]
    fn warns_about_a_short_text_secret() {
        let short = values(&[("STRIPE_SECRET", "whsec_abc")]);
        let r = check(&deployment(SOURCE), &Secrets::Values(&short), false);
        assert!(!r.failed());
        assert_eq!(r.findings[0].path, "sources.s.secrets[0]");
        assert!(r.findings[0].message.contains("guessable") && !r.findings[0].message.contains("abc"), "{r:?}");
    }

    #[test]
    fn the_admin_token_must_be_long_and_secret() {
        let short = values(&[("STRIPE_SECRET", "whsec_abcdefghijklmnop"), ("HOOKGATE_ADMIN_TOKEN", "admin")]);
        let r = check(&deployment(SOURCE), &Secrets::Values(&short), false);
        assert_eq!(errors(&r)[0].0, "HOOKGATE_ADMIN_TOKEN");
        let long = values(&[("STRIPE_SECRET", "whsec_abcdefghijklmnop"), ("HOOKGATE_ADMIN_TOKEN", &"a".repeat(32))]);
        assert!(!check(&deployment(SOURCE), &Secrets::Values(&long), false).failed());
        let mut plain = deployment(SOURCE);
        plain.vars.push("HOOKGATE_ADMIN_TOKEN".into());
        let r = check(&plain, &Secrets::Unchecked, false);
        assert!(r.findings.iter().any(|f| f.level == Level::Warning && f.message.contains("`HOOKGATE_ADMIN_TOKEN` is a plain var")), "{r:?}");
    }

    #[test]
    fn strict_dedupe_needs_its_durable_object_bound_and_created() {
        let strict = SOURCE.replace("\"destination\"", "\"dedupe\":{\"mode\":\"strict\"},\"destination\"");
        let mut dep = deployment(&strict);
        assert_eq!(errors(&check(&dep, &Secrets::Unchecked, false))[0].0, "dedupe_object");
        let binding = wrangler::ObjectBinding { name: "HOOKGATE_DEDUPE".into(), class_name: DEDUPE_CLASS.into(), script_name: None };
        dep.durable_objects.push(binding.clone());
        assert!(errors(&check(&dep, &Secrets::Unchecked, false))[0].1.contains("no [[migrations]] creates"));
        dep.migrated_classes.push(DEDUPE_CLASS.into());
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(!r.failed() && r.sources[0].contains("dedupe strict 3 d"), "{r:?}");
        // Bound to another Worker's class: that Worker's migrations create it.
        let mut other = deployment(&strict);
        other.durable_objects.push(wrangler::ObjectBinding { script_name: Some("hookgate-eu".into()), ..binding });
        assert!(!check(&other, &Secrets::Unchecked, false).failed());
    }

    #[test]
    fn names_a_missing_secret_in_each_mode_but_not_in_a_build() {
        let none = BTreeMap::new();
        let r = check(&deployment(SOURCE), &Secrets::Values(&none), false);
        assert_eq!(errors(&r)[0].0, "sources.s.secrets[0].env");
        assert!(errors(&r)[0].1.contains("wrangler secret put STRIPE_SECRET"));
        let names = BTreeSet::new();
        assert!(check(&deployment(SOURCE), &Secrets::Names(&names), false).failed());
        let listed: BTreeSet<String> = ["STRIPE_SECRET".to_string()].into();
        assert!(!check(&deployment(SOURCE), &Secrets::Names(&listed), false).failed());
        assert!(!check(&deployment(SOURCE), &Secrets::Unchecked, false).failed());
    }

    #[test]
    fn rejects_each_broken_setting_with_its_path() {
        let cases = [
            (SOURCE.replace("stripe\"", "strype\""), "sources.s.scheme.type"),
            (SOURCE.replace("https://api.example.com/hooks", "not a url"), "sources.s.destination.origin"),
            (SOURCE.replace("https://api.example", "http://api.example"), "sources.s.destination.origin"),
            (SOURCE.replace("\"destination\"", "\"tolerance_secs\":600,\"dedupe\":{\"window_secs\":300},\"destination\""), "sources.s.dedupe.window_secs"),
            (SOURCE.replace("\"destination\"", "\"dedupe\":{\"window_secs\":59},\"destination\""), "sources.s.dedupe.window_secs"),
            (SOURCE.replace("\"origin\":", "\"queue\":\"Q\",\"origin\":").replace("\"destination\"", "\"max_body_bytes\":200000,\"destination\""), "sources.s.max_body_bytes"),
            (SOURCE.replace("\"origin\":", "\"queue\":\"NOPE\",\"origin\":"), "sources.s.destination.queue"),
            (SOURCE.replace("\"secrets\"", "\"secrt\""), "HOOKGATE.sources.s.secrt"),
        ];
        for (json, path) in cases {
            let r = check(&deployment(&json), &Secrets::Unchecked, false);
            assert!(errors(&r).iter().any(|(p, _)| p == path), "{path}: {:?}", r.findings);
        }
    }

    #[test]
    fn checks_the_bindings_the_sources_need() {
        let mut dep = deployment(SOURCE);
        dep.kv_namespaces.clear();
        assert_eq!(errors(&check(&dep, &Secrets::Unchecked, false))[0].0, "kv_binding");

        let queued = SOURCE.replace("\"origin\":", "\"queue\":\"Q\",\"origin\":");
        let mut dep = deployment(&queued);
        dep.queue_consumers.clear();
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(errors(&r)[0].1.contains("nothing in this Worker consumes queue `events`"), "{r:?}");

        let no_origin = r#"{"sources":{"s":{"scheme":{"type":"stripe"},"secrets":[{"label":"main","env":"X"}],"destination":{"queue":"Q"}}}}"#;
        assert!(errors(&check(&deployment(no_origin), &Secrets::Unchecked, false))[0].1.contains("set `origin`"));
        let mut elsewhere = deployment(no_origin);
        elsewhere.queue_consumers.clear();
        let r = check(&elsewhere, &Secrets::Unchecked, false);
        assert!(!r.failed() && r.sources[0].contains("consumed elsewhere"), "{r:?}");

        let with_r2 = queued.replace("\"queue\":\"Q\",", "\"queue\":\"Q\",\"r2\":\"BODIES\",");
        let mut dep = deployment(&with_r2);
        assert_eq!(errors(&check(&dep, &Secrets::Unchecked, false))[0].0, "sources.s.destination.r2");
        dep.r2_buckets.push("BODIES".into());
        let r = check(&dep, &Secrets::Unchecked, false);
        assert!(!r.failed() && r.sources[0].contains("queue Q (events) + large bodies in R2 BODIES"), "{r:?}");

        let mut dep = deployment(&queued);
        dep.queue_consumers[1].queue = "other-dlq".into();
        dep.queue_consumers[0].dead_letter_queue = Some("other-dlq".into());
        assert!(errors(&check(&dep, &Secrets::Unchecked, false))[0].1.contains("queue.dead_letter_queue"));
    }

    #[test]
    fn warns_when_a_secret_sits_in_plain_vars_and_refuses_a_consumer_without_dead_letters() {
        let mut dep = deployment(SOURCE);
        dep.vars.push("STRIPE_SECRET".into());
        let r = check(&dep, &Secrets::Names(&BTreeSet::new()), false);
        assert!(!r.failed(), "{r:?}");
        let warnings: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(warnings.iter().any(|w| w.contains("wrangler secret put STRIPE_SECRET")), "{warnings:?}");
        dep.queue_consumers[0].dead_letter_queue = None;
        let r = check(&dep, &Secrets::Names(&BTreeSet::new()), false);
        assert_eq!(errors(&r), [("[[queues.consumers]] queue = \"events\"".to_string(), "no dead_letter_queue: once max_retries is spent, Queues deletes the message and the event is lost; add dead_letter_queue = \"hookgate-dlq\" and a [[queues.consumers]] for it".to_string())]);
    }

    #[test]
    fn a_deploy_refuses_placeholder_ids_and_warns_about_loopback_origins() {
        let local = SOURCE.replace("https://api.example.com/hooks", "http://127.0.0.1:8788/events");
        let mut dep = deployment(&local);
        assert!(check(&dep, &Secrets::Unchecked, true).findings.iter().all(|f| f.level == Level::Warning));
        assert!(check(&dep, &Secrets::Unchecked, false).findings.is_empty());
        dep.kv_placeholders.push("HOOKGATE_KV".into());
        assert_eq!(errors(&check(&dep, &Secrets::Unchecked, true))[0].0, "[[kv_namespaces]]");
    }

    #[test]
    fn a_missing_hookgate_variable_is_an_error() {
        let mut dep = deployment(SOURCE);
        dep.hookgate = None;
        dep.env = Some("production".into());
        assert_eq!(errors(&check(&dep, &Secrets::Unchecked, false))[0].0, "[env.production.vars]");
    }
}
