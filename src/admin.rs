//! The operator's endpoints for dead letters: list what the dead-letter consumer parked,
//! and replay one to its origin once the origin is fixed, so a parked event can go home
//! without hand-made requests. Off (404, indistinguishable from any unknown path) unless
//! the secret `HOOKGATE_ADMIN_TOKEN` is set; callers send it as a Bearer token, compared in
//! constant time.
//!
//! ```text
//! GET  /hookgate/dead-letters[?source=S][&cursor=C]        list parked events
//! POST /hookgate/dead-letters/replay?source=S&event_id=ID  deliver one, then unpark it
//! ```


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
    /// This isolate's figures: its wasm memory and the hand-offs it has under way.
    Stats,
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
    let (archive, rest) = match path.strip_prefix(ARCHIVE_PREFIX) {
        Some(rest) => (true, rest),
        None if path == STATS_PATH => (false, "/stats"),
        None => (false, path.strip_prefix(PREFIX)?),
    };
    // A token too short to resist guessing keeps the endpoints off (`npm run check` says so).
    let Some(token) = token.filter(|t| t.len() >= MIN_ADMIN_TOKEN_BYTES) else {
        return Some(Err(AdminError::NotFound));
    };
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
        ("/replay", "POST") => match (req.query_param("source"), req.query_param("event_id")) {
            (Some(source), Some(event_id)) if !source.is_empty() && !event_id.is_empty() => Ok(AdminRequest::Replay { source, event_id }),
            _ => Err(AdminError::MissingParameter),
        },
        ("" | "/" | "/replay" | "/stats", _) => Err(AdminError::MethodNotAllowed),
        _ => Err(AdminError::NotFound),
    })
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
