//! Request → source → scheme → [`Verified`] or [`Rejection`]: routing, size and IP checks,
//! key expiry, then the source's scheme.

use crate::config::{Config, Source};
use crate::crypto::{Answer, Call, Crypto, Defer, Recorder, Replayer};
use crate::inbound::Inbound;
use crate::reason::Rejection;
use crate::schemes::Verified;

/// Path prefix for webhook sources.
pub const HOOKS_PREFIX: &str = "/hooks/";

/// The source name in `/hooks/<name>` (one segment, a trailing `/` allowed).
///
/// GET passes here, for sources whose provider checks the URL with one (see
/// [`crate::handshake`]); [`source`] refuses it for every other source.
///
/// # Errors
/// `not_found` for other paths, `method_not_allowed` for anything but POST and GET.
pub fn route<'a>(req: &Inbound<'a>) -> Result<&'a str, Rejection> {
    let path = req.path();
    let name = path.strip_prefix(HOOKS_PREFIX).ok_or(Rejection::NotFound)?;
    let name = name.strip_suffix('/').unwrap_or(name);
    if name.is_empty() || name.contains('/') {
        return Err(Rejection::NotFound);
    }
    if !req.method.eq_ignore_ascii_case("POST") && !is_get(req) {
        return Err(Rejection::MethodNotAllowed);
    }
    Ok(name)
}

/// Whether the request is a GET (only ever a handshake).
#[must_use]
pub fn is_get(req: &Inbound<'_>) -> bool {
    req.method.eq_ignore_ascii_case("GET")
}

/// The `Allow` header of a 405 for this request's path: `GET, POST` where the path names a
/// source that answers a GET handshake, `POST` everywhere else.
#[must_use]
pub fn allow(config: &Config, req: &Inbound<'_>) -> &'static str {
    let name = req.path().strip_prefix(HOOKS_PREFIX).map(|n| n.strip_suffix('/').unwrap_or(n));
    match name.and_then(|n| config.sources.get(n)) {
        Some(s) if answers_get(s) => "GET, POST",
        _ => "POST",
    }
}

/// Whether the source answers GET: its scheme has a handshake that arrives as one.
#[must_use]
pub fn answers_get(source: &Source) -> bool {
    source.scheme.handshake().is_some_and(crate::handshake::Handshake::answers_get)
}

/// Finds the request's source.
///
/// # Errors
/// See [`route`]; `unknown_source` when no source has that name; `method_not_allowed` for
/// a GET to a source without a GET handshake (or to no source at all, as before GET
/// handshakes existed).
pub fn source<'c>(config: &'c Config, req: &Inbound<'_>) -> Result<&'c Source, Rejection> {
    let name = route(req)?;
    match config.sources.get(name) {
        Some(s) if is_get(req) && !answers_get(s) => Err(Rejection::MethodNotAllowed),
        Some(s) => Ok(s),
        None if is_get(req) => Err(Rejection::MethodNotAllowed),
        None => Err(Rejection::UnknownSource),
    }
}

/// Checks what can be checked before the body is read: its declared size.
///
/// # Errors
/// `body_too_large`.
pub fn check_declared_size(source: &Source, content_length: Option<u64>) -> Result<(), Rejection> {
    match content_length {
        Some(n) if n > source.max_body_bytes => Err(Rejection::BodyTooLarge),
        _ => Ok(()),
    }
}

/// Whether every key of the source is past its `not_after`: no request can verify, and
/// the fault is the configuration's, so the caller answers 503 for the provider to retry
/// until a current key is added, rather than a final 401.
#[must_use]
pub fn keys_expired(source: &Source, now_secs: u64) -> bool {
    !source.keys.is_empty() && !source.keys.iter().any(|k| k.usable_at(now_secs))
}

/// Verifies a request for its source.
///
/// A GET is a handshake (see [`crate::handshake`]): answered in [`Verified::handshake`],
/// never an event.
///
/// # Errors
/// `body_too_large`, `ip_not_allowed`, then whatever the scheme (or, for a GET, the
/// handshake) rejects.
pub fn verify(source: &Source, req: &Inbound<'_>, now_secs: u64, crypto: &dyn Crypto) -> Result<Verified, Rejection> {
    if req.body.len() as u64 > source.max_body_bytes {
        return Err(Rejection::BodyTooLarge);
    }
    if !source.allow_ips.is_empty() {
        let ip = req
            .client_ip
            .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok())
            .ok_or(Rejection::IpNotAllowed)?;
        if !source.allow_ips.iter().any(|net| net.contains(&ip)) {
            return Err(Rejection::IpNotAllowed);
        }
    }
    let keys: Vec<_> = source.keys.iter().filter(|k| k.usable_at(now_secs)).collect();
    if is_get(req) {
        let kind = source.scheme.handshake().filter(|h| h.answers_get()).ok_or(Rejection::MethodNotAllowed)?;
        let key_label = if kind.authenticates_get() {
            source.scheme.verify(req, &keys, source.tolerance_secs, now_secs, crypto)?.key_label
        } else {
            None
        };
        let reply = kind.answer_get(req, &keys, source.verify_token.as_ref(), crypto)?;
        return Ok(Verified { key_label, handshake: Some(reply), ..Verified::default() });
    }
    let mut verified = source.scheme.verify(req, &keys, source.tolerance_secs, now_secs, crypto)?;
    // Authentic from here: an answer that must echo a value (Adobe Sign) says so.
    verified.echo_header = source.scheme.handshake().and_then(|h| h.echo_header(req, &keys)).map(Box::new);
    Ok(verified)
}

/// Bodies from this size up have their MACs computed by the adapter (WebCrypto) rather
/// than in wasm. Measured in Node on this kind of machine, the Worker's HMAC-SHA256 (sha2's
/// compact rounds, scripts/build.sh) costs about 7.3 µs per KB, 133 µs at 16 KB, and
/// WebCrypto's importKey and sign 115 to 165 µs up to 64 KB (mostly the calls' promises), so
/// they cross near 16 KB; BENCHMARKS.md compares 1 MiB in workerd.
pub const DEFERRED_MAC_MIN_BYTES: usize = 16 * 1024;

/// The first pass of a verification whose MACs or signature checks are computed elsewhere.
#[derive(Debug)]
pub enum Deferred {
    /// Nothing was left to compute (or nothing could match): the answer.
    Done(Result<Verified, Rejection>),
    /// The calls to compute, in order, for [`verify_replayed`].
    Needs(Vec<Call>),
}

/// How the adapter should verify a request: ECDSA always leaves the wasm (it has no
/// curve code, see [`crate::crypto::CoreCrypto`]), MACs only for a large body.
#[must_use]
pub fn defer_for(body_len: usize) -> Defer {
    if body_len >= DEFERRED_MAC_MIN_BYTES {
        Defer::Everything
    } else {
        Defer::SignaturesOnly
    }
}

/// Runs [`verify`] leaving `defer`'s calls uncomputed, and collects them (see
/// [`crate::crypto::Recorder`]).
#[must_use]
pub fn verify_deferred(source: &Source, req: &Inbound<'_>, now_secs: u64, defer: Defer) -> Deferred {
    let recorder = Recorder::new(req.body, defer);
    let result = verify(source, req, now_secs, &recorder);
    let calls = recorder.into_calls();
    if calls.is_empty() {
        Deferred::Done(result)
    } else {
        Deferred::Needs(calls)
    }
}

/// The second pass: [`verify`] with the answers `answers` holds for the calls of the first.
///
/// # Errors
/// As [`verify`].
pub fn verify_replayed(source: &Source, req: &Inbound<'_>, now_secs: u64, answers: Vec<(Call, Answer)>) -> Result<Verified, Rejection> {
    verify(source, req, now_secs, &Replayer::new(req.body, answers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_expired_only_when_none_is_usable() {
        let json = r#"{"sources":{"s":{"scheme":{"type":"github"},"secrets":[{"label":"old","env":"A","not_after":100},{"label":"new","env":"B","not_after":200}],"destination":{"origin":"http://127.0.0.1:9/x"}}}}"#;
        let config = Config::load(json, &|_| Some("a-long-enough-key".into())).unwrap();
        let s = &config.sources["s"];
        assert!(!keys_expired(s, 150));
        assert!(!keys_expired(s, 200));
        assert!(keys_expired(s, 201));
    }

    #[test]
    fn get_reaches_only_sources_whose_handshake_arrives_as_one() {
        let json = r#"{"sources":{
            "gh":{"scheme":{"type":"github"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}},
            "zoom":{"scheme":{"type":"zoom"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}},
            "x":{"scheme":{"type":"x"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}}}}"#;
        let config = Config::load(json, &|_| Some("a-long-enough-key".into())).unwrap();
        fn name(r: Result<&Source, Rejection>) -> Result<&str, Rejection> {
            r.map(|s| s.name.as_str())
        }
        assert_eq!(name(source(&config, &req("GET", "https://h/hooks/gh"))), Err(Rejection::MethodNotAllowed));
        assert_eq!(name(source(&config, &req("GET", "https://h/hooks/zoom"))), Err(Rejection::MethodNotAllowed), "Zoom's handshake is a POST");
        assert_eq!(name(source(&config, &req("GET", "https://h/hooks/nope"))), Err(Rejection::MethodNotAllowed));
        assert_eq!(name(source(&config, &req("POST", "https://h/hooks/nope"))), Err(Rejection::UnknownSource));
        assert_eq!(name(source(&config, &req("GET", "https://h/hooks/x?crc_token=abc"))), Ok("x"));
        let x = &config.sources["x"];
        let answered = verify(x, &req("GET", "https://h/hooks/x?crc_token=abc"), 0, &crate::crypto::CoreCrypto).unwrap();
        assert!(answered.handshake.is_some_and(|r| r.body.starts_with(r#"{"response_token":"sha256="#)));
        assert_eq!(answered.event_id, None);
        assert_eq!(verify(x, &req("GET", "https://h/hooks/x"), 0, &crate::crypto::CoreCrypto), Err(Rejection::ChallengeMissing));
        assert_eq!(allow(&config, &req("PUT", "https://h/hooks/x/")), "GET, POST");
        assert_eq!(allow(&config, &req("PUT", "https://h/hooks/zoom")), "POST");
        assert_eq!(allow(&config, &req("PUT", "https://h/hooks/nope")), "POST");
    }

    fn req<'a>(method: &'a str, url: &'a str) -> Inbound<'a> {
        Inbound { method, url, headers: &[], body: b"", client_ip: None }
    }

    #[test]
    fn routes_hooks_paths_only() {
        assert_eq!(route(&req("POST", "https://h/hooks/demo")), Ok("demo"));
        assert_eq!(route(&req("POST", "https://h/hooks/demo/?x=1")), Ok("demo"));
        assert_eq!(route(&req("POST", "https://h/hooks/")), Err(Rejection::NotFound));
        assert_eq!(route(&req("POST", "https://h/hooks/a/b")), Err(Rejection::NotFound));
        assert_eq!(route(&req("POST", "https://h/other")), Err(Rejection::NotFound));
        assert_eq!(route(&req("GET", "https://h/hooks/demo")), Ok("demo"));
        assert_eq!(route(&req("PUT", "https://h/hooks/demo")), Err(Rejection::MethodNotAllowed));
        assert_eq!(route(&req("HEAD", "https://h/hooks/demo")), Err(Rejection::MethodNotAllowed));
    }
}
