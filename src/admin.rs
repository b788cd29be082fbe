//! The operator's endpoints for dead letters: list what the dead-letter consumer parked,
//! and replay one to its origin once the origin is fixed, so a parked event can go home
//! without hand-made requests. Off (404, indistinguishable from any unknown path) unless
//! the secret `HOOKGATE_ADMIN_TOKEN` is set; callers send it as a Bearer token, compared in
//! constant time.
//!
//! ```text
//! GET  /hookgate/                                          the operator's page (no data in it)
//! GET  /hookgate/sources                                   sources, keys, destinations, health
//! GET  /hookgate/stats                                     this isolate's figures and outcome counts
//! GET  /hookgate/dead-letters[?source=S][&cursor=C]        list parked events
//! POST /hookgate/dead-letters/replay?source=S&event_id=ID  deliver one, then unpark it
//! ```
//!
//! The page and its script are static and hold no data, so they are served without the
//! token (when one is configured); the script asks for the token and sends it with every
//! call to the JSON endpoints.


use crate::config::{Config, DedupeMode};
use crate::inbound::Inbound;

/// The secret that turns the endpoints on.
pub const ADMIN_TOKEN_VAR: &str = "HOOKGATE_ADMIN_TOKEN";
/// Shortest admin token that turns the endpoints on.
pub const MIN_ADMIN_TOKEN_BYTES: usize = 32;
/// Where they live: outside `/hooks/`, so no source name can shadow them.
pub const PREFIX: &str = "/hookgate/dead-letters";
/// Where the archive's endpoints live.
pub const ARCHIVE_PREFIX: &str = "/hookgate/archive";
/// Path of the isolate's figures (memory, hand-offs under way).
pub const STATS_PATH: &str = "/hookgate/stats";
/// Path of the sources' summary.
pub const SOURCES_PATH: &str = "/hookgate/sources";
/// The operator's page and its static files.
const PAGE_PREFIX: &str = "/hookgate";

/// A static file of the operator's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asset {
    /// `/hookgate/`.
    Html,
    /// `/hookgate/page.js`.
    Script,
    /// `/hookgate/page.css`.
    Style,
}

impl Asset {
    /// Its file in the Worker's static assets (wrangler.toml's `[assets]`, the directory
    /// `src/adapter/page`) and its content type.
    #[must_use]
    pub const fn file(self) -> (&'static str, &'static str) {
        match self {
            Self::Html => ("/index.html", "text/html; charset=utf-8"),
            Self::Script => ("/page.js", "text/javascript; charset=utf-8"),
            Self::Style => ("/page.css", "text/css; charset=utf-8"),
        }
    }
}

/// A well-formed, authorised operator request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminRequest {
    /// List parked events, optionally of one source, from a KV list cursor.
    List {
        /// Only this source's.
        source: Option<String>,
        /// Where the previous page ended.
        cursor: Option<String>,
    },
    /// This isolate's figures: its wasm memory, the hand-offs it has under way and its
    /// outcome counts.
    Stats,
    /// The sources: scheme, keys and their expiry, destination, dedupe, problems.
    Sources,
    /// A static file of the operator's page (no data, no token needed).
    Page(Asset),
    /// List one source's archived events received from `from_ms` to `to_ms` (inclusive).
    ArchiveList {
        /// Source name.
        source: String,
        /// First millisecond.
        from_ms: u64,
        /// Last millisecond.
        to_ms: u64,
        /// Where the previous page ended (an R2 list cursor).
        cursor: Option<String>,
    },
    /// Deliver one archived event to its source's current origin, bypassing dedupe.
    ArchiveReplay {
        /// Source name.
        source: String,
        /// The archive key (listed by [`AdminRequest::ArchiveList`]).
        key: String,
    },
    /// Deliver one parked event to its source's origin, then unpark it.
    Replay {
        /// Source name.
        source: String,
        /// Event id as parked.
        event_id: String,
    },
}

/// Why an operator request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminError {
    /// Not an endpoint (or the endpoints are off).
    NotFound,
    /// Wrong method for the endpoint.
    MethodNotAllowed,
    /// No or wrong Bearer token.
    Unauthorized,
    /// `source` and `event_id` are both needed.
    MissingParameter,
    /// An archive request without `source` and `from`/`to` (unix ms), or `key`.
    ArchiveParameter,
}

impl AdminError {
    /// HTTP status.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Unauthorized => 401,
            Self::MissingParameter | Self::ArchiveParameter => 400,
        }
    }

    /// Stable reason code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Unauthorized => "unauthorized",
            Self::MissingParameter => "source_and_event_id_required",
            Self::ArchiveParameter => "source_and_range_required",
        }
    }
}

/// `None` when the path is not an operator path (the request is a webhook, or a 404 of
/// the webhook router). `token` is the configured admin token, if any.
#[must_use]
pub fn route(req: &Inbound<'_>, token: Option<&str>) -> Option<Result<AdminRequest, AdminError>> {
    let path = req.path();
    let asset = match path.strip_prefix(PAGE_PREFIX) {
        Some("" | "/") => Some(Asset::Html),
        Some("/page.js") => Some(Asset::Script),
        Some("/page.css") => Some(Asset::Style),
        _ => None,
    };
    let (archive, rest) = match path.strip_prefix(ARCHIVE_PREFIX) {
        Some(rest) => (true, rest),
        None => match path {
            STATS_PATH => (false, "/stats"),
            SOURCES_PATH => (false, "/sources"),
            _ if asset.is_some() => (false, "/page"),
            _ => (false, path.strip_prefix(PREFIX)?),
        },
    };
    // A token too short to resist guessing keeps the endpoints off (`npm run check` says so).
    let Some(token) = token.filter(|t| t.len() >= MIN_ADMIN_TOKEN_BYTES) else {
        return Some(Err(AdminError::NotFound));
    };
    if let Some(asset) = asset {
        let method = req.method.to_ascii_uppercase();
        return Some(if method == "GET" || method == "HEAD" { Ok(AdminRequest::Page(asset)) } else { Err(AdminError::MethodNotAllowed) });
    }
    let presented = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
    if !crate::crypto::ct_eq_hashed(presented.as_bytes(), token.as_bytes()) {
        return Some(Err(AdminError::Unauthorized));
    }
    let method = req.method.to_ascii_uppercase();
    if archive {
        return Some(archive_route(req, rest, &method));
    }
    Some(match (rest, method.as_str()) {
        ("" | "/", "GET") => Ok(AdminRequest::List { source: req.query_param("source"), cursor: req.query_param("cursor") }),
        ("/stats", "GET") => Ok(AdminRequest::Stats),
        ("/sources", "GET") => Ok(AdminRequest::Sources),
        ("/replay", "POST") => match (req.query_param("source"), req.query_param("event_id")) {
            (Some(source), Some(event_id)) if !source.is_empty() && !event_id.is_empty() => Ok(AdminRequest::Replay { source, event_id }),
            _ => Err(AdminError::MissingParameter),
        },
        ("" | "/" | "/replay" | "/stats" | "/sources", _) => Err(AdminError::MethodNotAllowed),
        _ => Err(AdminError::NotFound),
    })
}

/// What the operator's page shows of the sources: names, presets, key labels and expiry,
/// destinations and problems. Never a secret or a binding's value; an origin URL without its
/// query (which may carry a token).
#[must_use]
pub fn sources_view(config: &Config, now_secs: u64) -> crate::json::Value {
    let sources: Vec<crate::json::Value> = config
        .sources
        .values()
        .map(|s| {
            let keys: Vec<crate::json::Value> = s
                .keys
                .iter()
                .map(|k| crate::json::json!({ "label": k.label, "not_after": k.not_after_secs, "usable": k.usable_at(now_secs) }))
                .collect();
            let d = &s.destination;
            crate::json::json!({
                "name": s.name,
                "type": s.scheme_name,
                "status": if s.keys.iter().any(|k| k.usable_at(now_secs)) { "ok" } else { "keys_expired" },
                "keys": keys,
                "tolerance_secs": s.tolerance_secs,
                "replay": s.replay.summary(),
                "handshake": s.scheme.handshake().map(crate::handshake::Handshake::name),
                "dedupe": { "mode": dedupe_mode(s.dedupe.mode), "window_secs": s.dedupe.window_secs },
                "archive": s.archive.as_ref().map(|a| crate::json::json!({ "r2": a.r2, "retention_days": a.retention_days })),
                "destination": {
                    "origin": d.origin.as_deref().map(without_query),
                    "queue": d.queue,
                    "r2": d.r2,
                    "timeout_ms": d.timeout_ms,
                    "signed": d.signing_key.is_some(),
                },
            })
        })
        .collect();
    let broken: Vec<crate::json::Value> = config
        .broken
        .iter()
        .map(|(name, errors)| crate::json::json!({ "name": name, "status": "config_invalid", "problems": errors.iter().map(ToString::to_string).collect::<Vec<_>>() }))
        .collect();
    crate::json::json!({ "sources": sources, "broken": broken, "now": now_secs })
}

fn dedupe_mode(mode: DedupeMode) -> &'static str {
    match mode {
        DedupeMode::Kv => "kv",
        DedupeMode::Strict => "strict",
        DedupeMode::Off => "off",
    }
}

/// An origin URL as the page shows it: its query and fragment dropped.
fn without_query(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let mut shown = url.get(..end).unwrap_or(url).to_string();
    if end < url.len() {
        shown.push_str("?…");
    }
    shown
}

fn archive_route(req: &Inbound<'_>, rest: &str, method: &str) -> Result<AdminRequest, AdminError> {
    let source = req.query_param("source").filter(|s| !s.is_empty());
    match (rest, method) {
        ("" | "/", "GET") => {
            let ms = |name: &str| req.query_param(name).and_then(|v| v.parse::<u64>().ok());
            match (source, ms("from"), ms("to")) {
                (Some(source), Some(from_ms), Some(to_ms)) if from_ms <= to_ms => {
                    Ok(AdminRequest::ArchiveList { source, from_ms, to_ms, cursor: req.query_param("cursor") })
                }
                _ => Err(AdminError::ArchiveParameter),
            }
        }
        ("/replay", "POST") => match (source, req.query_param("key")) {
            (Some(source), Some(key)) if crate::archive::key_belongs(&key, &source) => Ok(AdminRequest::ArchiveReplay { source, key }),
            _ => Err(AdminError::ArchiveParameter),
        },
        ("" | "/" | "/replay", _) => Err(AdminError::MethodNotAllowed),
        _ => Err(AdminError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(method: &'a str, url: &'a str, headers: &'a [(String, String)]) -> Inbound<'a> {
        Inbound { method, url, headers, body: b"", client_ip: None }
    }

    #[test]
    fn routes_only_authorised_operator_paths() {
        const TOKEN: &str = "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken";
        let auth = [("Authorization".to_string(), "Bearer t0ken-t0ken-t0ken-t0ken-t0ken-t0ken".to_string())];
        let none: [(String, String); 0] = [];
        let base = "https://h.example/hookgate/dead-letters";
        assert_eq!(route(&req("POST", "https://h.example/hooks/x", &auth), Some(TOKEN)), None);
        assert_eq!(route(&req("GET", base, &auth), None), Some(Err(AdminError::NotFound)));
        assert_eq!(route(&req("GET", base, &none), Some(TOKEN)), Some(Err(AdminError::Unauthorized)));
        let wrong = [("authorization".to_string(), "Bearer t0ken-t0ken-t0ken-t0ken-t0ken-t0ken-t0ken-t0ken-t0ken-t0ken-t0kem".to_string())];
        assert_eq!(route(&req("GET", base, &wrong), Some(TOKEN)), Some(Err(AdminError::Unauthorized)));
        assert_eq!(
            route(&req("GET", &format!("{base}?source=stripe"), &auth), Some(TOKEN)),
            Some(Ok(AdminRequest::List { source: Some("stripe".into()), cursor: None }))
        );
        assert_eq!(
            route(&req("POST", &format!("{base}/replay?source=s&event_id=a%2Fb%3Dc"), &auth), Some(TOKEN)),
            Some(Ok(AdminRequest::Replay { source: "s".into(), event_id: "a/b=c".into() }))
        );
        assert_eq!(route(&req("POST", &format!("{base}/replay?source=s"), &auth), Some(TOKEN)), Some(Err(AdminError::MissingParameter)));
        assert_eq!(route(&req("DELETE", base, &auth), Some(TOKEN)), Some(Err(AdminError::MethodNotAllowed)));
        assert_eq!(route(&req("GET", &format!("{base}/other"), &auth), Some(TOKEN)), Some(Err(AdminError::NotFound)));
        assert_eq!(route(&req("GET", "https://h.example/hookgate/stats", &auth), Some(TOKEN)), Some(Ok(AdminRequest::Stats)));
        assert_eq!(route(&req("GET", "https://h.example/hookgate/stats", &none), Some(TOKEN)), Some(Err(AdminError::Unauthorized)));
        assert_eq!(route(&req("POST", "https://h.example/hookgate/stats", &auth), Some(TOKEN)), Some(Err(AdminError::MethodNotAllowed)));
    }

    #[test]
    fn the_page_is_served_without_the_token_but_only_when_one_is_set_and_its_data_needs_it() {
        const TOKEN: &str = "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken";
        let auth = [("authorization".to_string(), format!("Bearer {TOKEN}"))];
        let none: [(String, String); 0] = [];
        for (path, asset) in [("/hookgate", Asset::Html), ("/hookgate/", Asset::Html), ("/hookgate/page.js", Asset::Script), ("/hookgate/page.css", Asset::Style)] {
            let url = format!("https://h.example{path}");
            assert_eq!(route(&req("GET", &url, &none), Some(TOKEN)), Some(Ok(AdminRequest::Page(asset))), "{path}");
            assert_eq!(route(&req("GET", &url, &none), None), Some(Err(AdminError::NotFound)), "{path}");
            assert_eq!(route(&req("POST", &url, &none), Some(TOKEN)), Some(Err(AdminError::MethodNotAllowed)), "{path}");
        }
        assert_eq!(route(&req("GET", "https://h.example/hookgate/other.js", &none), Some(TOKEN)), None);
        assert_eq!(route(&req("GET", "https://h.example/hookgate/sources", &auth), Some(TOKEN)), Some(Ok(AdminRequest::Sources)));
        assert_eq!(route(&req("GET", "https://h.example/hookgate/sources", &none), Some(TOKEN)), Some(Err(AdminError::Unauthorized)));
        assert_eq!(route(&req("DELETE", "https://h.example/hookgate/sources", &auth), Some(TOKEN)), Some(Err(AdminError::MethodNotAllowed)));
    }

    #[test]
    fn the_sources_view_names_keys_and_destinations_but_no_secret_or_origin_query() {
        let json = r#"{"sources":{
            "stripe":{"scheme":{"type":"stripe"},"secrets":[{"label":"old","env":"S1","not_after":"2026-01-01T00:00:00Z"},{"label":"new","env":"S2"}],
                      "destination":{"origin":"https://origin.example/hook?token=origin-secret-value"}},
            "gone":{"scheme":{"type":"github"},"secrets":[{"label":"k","env":"MISSING"}],"destination":{"origin":"https://origin.example/gh"}}}}"#;
        let secret = |name: &str| match name {
            "S1" => Some("whsec_c2VjcmV0LW9uZS12YWx1ZS0xMjM0NTY3ODkw".to_string()),
            "S2" => Some("whsec_c2VjcmV0LXR3by12YWx1ZS0xMjM0NTY3ODkw".to_string()),
            _ => None,
        };
        let config = Config::load_serving(json, &secret).expect("loads");
        let view = sources_view(&config, 1_800_000_000);
        let text = view.to_string();
        for leak in ["c2VjcmV0", "origin-secret-value", "token="] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        let stripe = &view["sources"][0];
        assert_eq!(stripe["name"], "stripe");
        assert_eq!(stripe["type"], "stripe");
        assert_eq!(stripe["status"], "ok");
        assert_eq!(stripe["keys"][0]["label"], "old");
        assert_eq!(stripe["keys"][0]["usable"], false);
        assert_eq!(stripe["keys"][1]["usable"], true);
        assert_eq!(stripe["destination"]["origin"], "https://origin.example/hook?…");
        assert_eq!(view["broken"][0]["name"], "gone");
        assert!(view["broken"][0]["problems"][0].as_str().is_some_and(|p| p.contains("sources.gone")), "{text}");
    }

    #[test]
    fn routes_archive_listings_and_replays_of_a_sources_own_keys_only() {
        const TOKEN: &str = "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken";
        let auth = [("authorization".to_string(), format!("Bearer {TOKEN}"))];
        let base = "https://h.example/hookgate/archive";
        assert_eq!(
            route(&req("GET", &format!("{base}?source=s&from=1&to=2"), &auth), Some(TOKEN)),
            Some(Ok(AdminRequest::ArchiveList { source: "s".into(), from_ms: 1, to_ms: 2, cursor: None }))
        );
        assert_eq!(route(&req("GET", &format!("{base}?source=s&from=3&to=2"), &auth), Some(TOKEN)), Some(Err(AdminError::ArchiveParameter)));
        assert_eq!(route(&req("GET", &format!("{base}?from=1&to=2"), &auth), Some(TOKEN)), Some(Err(AdminError::ArchiveParameter)));
        let key = crate::archive::key("s", 5, "evt");
        assert_eq!(
            route(&req("POST", &format!("{base}/replay?source=s&key={key}"), &auth), Some(TOKEN)),
            Some(Ok(AdminRequest::ArchiveReplay { source: "s".into(), key: key.clone() }))
        );
        assert_eq!(route(&req("POST", &format!("{base}/replay?source=t&key={key}"), &auth), Some(TOKEN)), Some(Err(AdminError::ArchiveParameter)));
        assert_eq!(route(&req("POST", &format!("{base}/replay?source=s&key=hookgate/bodies/s/x/y"), &auth), Some(TOKEN)), Some(Err(AdminError::ArchiveParameter)));
        assert_eq!(route(&req("GET", &format!("{base}?source=s&from=1&to=2"), &[]), Some(TOKEN)), Some(Err(AdminError::Unauthorized)));
        assert_eq!(route(&req("GET", &format!("{base}?source=s&from=1&to=2"), &auth), None), Some(Err(AdminError::NotFound)));
    }

    #[test]
    fn a_token_shorter_than_32_bytes_keeps_the_endpoints_off() {
        let short = "t0ken-t0ken-t0ken-t0ken-t0ken";
        let auth = [("authorization".to_string(), format!("Bearer {short}"))];
        assert_eq!(route(&req("GET", "https://h.example/hookgate/dead-letters", &auth), Some(short)), Some(Err(AdminError::NotFound)));
    }
}
