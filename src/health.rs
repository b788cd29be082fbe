//! `GET /healthz`: whether the configuration serves, for monitors and operators.
//!
//! What is public and what is not:
//! - without credentials: `{"status":"ok"}` (200) or `{"status":"config_invalid"}` (503,
//!   so a monitor notices), nothing else: no source names, presets or version, which would
//!   tell a stranger what to forge or which build to attack;
//! - with `Authorization: Bearer <HOOKGATE_ADMIN_TOKEN>` (set, at least 32 characters):
//!   the build (Cargo version and git commit), each source with its preset, mode,
//!   destination, dedupe mode and key labels (or the field paths that break it), the
//!   configuration errors and the bindings the configuration needs with whether they are
//!   present. Never a secret, and never a secret binding's value: a key appears as its
//!   label only. A wrong token is 401 `unauthorized`.
//!
//! The status is `config_invalid` when `HOOKGATE` cannot be read, any source is broken, or
//! a binding a source needs (KV, Durable Object, Queue, R2) is absent.

use crate::json::{json, Value};

use crate::config::{Config, DedupeMode, SourceMode};
use crate::inbound::Inbound;

/// Where the endpoint lives: outside `/hooks/`, so no source name can shadow it.
pub const PATH: &str = "/healthz";
/// The crate's version, as built.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit, when `scripts/build.sh` passed `HOOKGATE_GIT_COMMIT` at compile time.
pub const COMMIT: Option<&str> = option_env!("HOOKGATE_GIT_COMMIT");

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Anyone: the status alone.
    Public,
    /// The operator, with the admin token: the whole report.
    Admin,
}

/// Why a `/healthz` request is refused: `(status, code)`.
pub type Refusal = (u16, &'static str);

/// Whether the request is for this endpoint.
#[must_use]
pub fn is_health(req: &Inbound<'_>) -> bool {
    req.path() == PATH
}

/// Which view the request gets.
///
/// # Errors
/// `(405, "method_not_allowed")` for anything but GET; `(401, "unauthorized")` for an
/// `Authorization` header that is not the admin token (or when no usable token is set).
pub fn view(req: &Inbound<'_>, admin_token: Option<&str>) -> Result<View, Refusal> {
    if !req.method.eq_ignore_ascii_case("GET") {
        return Err((405, "method_not_allowed"));
    }
    let Some(auth) = req.header("authorization") else { return Ok(View::Public) };
    let presented = auth.strip_prefix("Bearer ").unwrap_or("");
    match admin_token.filter(|t| t.len() >= crate::admin::MIN_ADMIN_TOKEN_BYTES) {
        Some(token) if crate::crypto::ct_eq_hashed(presented.as_bytes(), token.as_bytes()) => Ok(View::Admin),
        _ => Err((401, "unauthorized")),
    }
}

/// The bindings the configuration needs: `(kind, binding name)`, sorted, without repeats.
/// Secrets are not listed here: a missing secret breaks its source, which says so.
#[must_use]
pub fn bindings_needed(config: &Config) -> Vec<(&'static str, String)> {
    let mut out = vec![("kv", config.kv_binding.clone())];
    for s in config.sources.values() {
        if s.dedupe.mode == DedupeMode::Strict {
            out.push(("durable_object", config.dedupe_object.clone()));
        }
        if let Some(q) = &s.destination.queue {
            out.push(("queue", q.clone()));
        }
        if let Some(r2) = &s.destination.r2 {
            out.push(("r2", r2.clone()));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn mode_name(mode: SourceMode) -> &'static str {
    match mode {
        SourceMode::Enforce => "enforce",
        SourceMode::Shadow => "shadow",
    }
}

fn dedupe_name(mode: DedupeMode) -> &'static str {
    match mode {
        DedupeMode::Kv => "kv",
        DedupeMode::Strict => "strict",
        DedupeMode::Off => "off",
    }
}

/// The answer: `(status, body)`. `loaded` is the configuration, or the errors that stop it
/// from loading (field paths and messages, never values); `present` says whether a binding
/// exists in the Worker's environment.
#[must_use]
pub fn report(loaded: Result<&Config, &[String]>, present: &dyn Fn(&str) -> bool, view: View) -> (u16, Value) {
    let (healthy, detail) = match loaded {
        Err(errors) => (false, json!({ "config_errors": errors })),
        Ok(config) => {
            let bindings: Vec<Value> = bindings_needed(config)
                .into_iter()
                .map(|(kind, name)| json!({ "kind": kind, "name": name, "present": present(&name) }))
                .collect();
            let bindings_ok = bindings.iter().all(|b| b.get("present") == Some(&Value::Bool(true)));
            let mut sources: Vec<Value> = config
                .sources
                .values()
                .map(|s| {
                    let destination = if s.destination.queue.is_some() { "queue" } else { "origin" };
                    json!({
                        "name": s.name,
                        "ok": true,
                        "preset": s.scheme_name,
                        "mode": mode_name(s.mode),
                        "destination": destination,
                        "dedupe": dedupe_name(s.dedupe.mode),
                        "keys": s.keys.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            for (name, errors) in &config.broken {
                let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                sources.push(json!({ "name": name, "ok": false, "errors": errors }));
            }
            (config.broken.is_empty() && bindings_ok, json!({ "sources": sources, "bindings": bindings }))
        }
    };
    let status = if healthy { "ok" } else { "config_invalid" };
    let code = if healthy { 200 } else { 503 };
    let body = match (view, detail) {
        (View::Admin, Value::Object(mut fields)) => {
            fields.insert("status".into(), status.into());
            fields.insert("version".into(), VERSION.into());
            fields.insert("commit".into(), COMMIT.filter(|c| !c.is_empty()).map_or(Value::Null, Value::from));
            Value::Object(fields)
        }
        _ => json!({ "status": status }),
    };
    (code, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken";

    fn req<'a>(method: &'a str, headers: &'a [(String, String)]) -> Inbound<'a> {
        Inbound { method, url: "https://h.example/healthz", headers, body: b"", client_ip: None }
    }

    fn config(json: &str) -> Config {
        Config::load_serving(json, &|name| (name == "A").then(|| "the-secret-value-itself".to_string())).unwrap()
    }

    const TWO: &str = r#"{"sources":{
        "gh":{"scheme":{"type":"github"},"mode":"shadow","secrets":[{"label":"2026-11","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}},
        "st":{"scheme":{"type":"stripe"},"secrets":[{"label":"k","env":"MISSING_BINDING"}],"destination":{"origin":"http://127.0.0.1:9/x"}}}}"#;

    #[test]
    fn anyone_gets_the_status_alone_and_an_admin_the_report() {
        let none: [(String, String); 0] = [];
        let auth = [("authorization".to_string(), format!("Bearer {TOKEN}"))];
        let wrong = [("authorization".to_string(), "Bearer nope".to_string())];
        assert_eq!(view(&req("GET", &none), Some(TOKEN)), Ok(View::Public));
        assert_eq!(view(&req("GET", &auth), Some(TOKEN)), Ok(View::Admin));
        assert_eq!(view(&req("GET", &wrong), Some(TOKEN)), Err((401, "unauthorized")));
        assert_eq!(view(&req("GET", &auth), None), Err((401, "unauthorized")));
        assert_eq!(view(&req("GET", &auth), Some("short")), Err((401, "unauthorized")));
        assert_eq!(view(&req("POST", &none), Some(TOKEN)), Err((405, "method_not_allowed")));
    }

    #[test]
    fn a_healthy_configuration_is_200_ok_publicly() {
        let c = config(&TWO.replace("MISSING_BINDING", "A"));
        assert_eq!(report(Ok(&c), &|_| true, View::Public), (200, json!({ "status": "ok" })));
    }

    #[test]
    fn a_broken_source_is_503_and_the_report_names_its_field_never_a_secret() {
        let c = config(TWO);
        assert_eq!(report(Ok(&c), &|_| true, View::Public), (503, json!({ "status": "config_invalid" })));
        let (code, body) = report(Ok(&c), &|_| true, View::Admin);
        assert_eq!(code, 503);
        assert_eq!(body["status"], "config_invalid");
        assert_eq!(body["version"], VERSION);
        assert_eq!(body["sources"][0], json!({ "name": "gh", "ok": true, "preset": "github", "mode": "shadow", "destination": "origin", "dedupe": "kv", "keys": ["2026-11"] }));
        assert_eq!(body["sources"][1]["name"], "st");
        assert_eq!(body["sources"][1]["ok"], false);
        assert!(body["sources"][1]["errors"][0].as_str().is_some_and(|e| e.starts_with("sources.st.secrets[0].env")));
        assert!(!body.to_string().contains("the-secret-value-itself"));
    }

    #[test]
    fn a_missing_binding_is_503() {
        let c = config(&TWO.replace("MISSING_BINDING", "A"));
        let (code, body) = report(Ok(&c), &|name| name != "HOOKGATE_KV", View::Admin);
        assert_eq!(code, 503);
        assert_eq!(body["bindings"], json!([{ "kind": "kv", "name": "HOOKGATE_KV", "present": false }]));
    }

    #[test]
    fn an_unreadable_configuration_is_503_with_its_errors_for_the_admin() {
        let errors = vec!["HOOKGATE: not set".to_string()];
        assert_eq!(report(Err(&errors), &|_| true, View::Public), (503, json!({ "status": "config_invalid" })));
        let (_, body) = report(Err(&errors), &|_| true, View::Admin);
        assert_eq!(body["config_errors"], json!(["HOOKGATE: not set"]));
    }
}
