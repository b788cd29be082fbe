//! Shadow mode (`mode = "shadow"` on a source): verify and log the verdict, but forward
//! every request that can be forwarded, tagged with [`VERDICT_HEADER`], so a live
//! integration can be switched over to hookgate without risk and the verdicts read before
//! they are enforced (ngrok's `enforce: false` is the model).
//!
//! The rules, decided here and executed by the adapter:
//! - An **accepted** event goes the usual way, dedupe included, tagged `accepted`: a
//!   duplicate is not a refusal, the origin already has the first copy, and forwarding it
//!   again would double-process it, which is the risk shadow mode exists to avoid.
//! - A **refused** request (any signature, timestamp, credential, IP or id verdict, and
//!   `keys_expired` or an id the configuration cannot find) is forwarded as received,
//!   tagged `rejected; reason=<code>`, with a digest of its body as `X-Hookgate-Event-Id`.
//!   It is **never remembered and never looked up**: its id is not proven, and a forged
//!   event carrying a genuine id must not be able to make the genuine one a duplicate.
//! - A request that **cannot be forwarded** is still answered 4xx as in enforce mode: a
//!   body over `max_body_bytes` (413) or one that could not be read (400), a path or
//!   method that names no source (404/405), and every GET, which is only ever a handshake
//!   answered at the edge. A verified POST handshake is answered at the edge as usual.
//! - A copy of an accepted event arriving while the first is handed on still gets `409
//!   in_flight` with `Retry-After`: not a refusal, a "come back in a moment" whose retry is a
//!   duplicate, and forwarding it would hand the event on twice.
//! - Requests hookgate cannot hand on (origin down, config broken) answer 5xx as always.
//!
//! The provider is answered as if the event had been accepted (`200 {"status":"accepted"}`
//! once the origin took it): the origin, not hookgate, decides in shadow mode.

use crate::config::SourceMode;
use crate::reason::Rejection;

/// The header hookgate adds to what it forwards from a shadow source.
pub const VERDICT_HEADER: &str = "x-hookgate-verdict";

/// What enforce mode would have done with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Verified: it would have been handed on.
    Accepted,
    /// It would have been refused, with this reason code.
    Rejected(&'static str),
}

impl Verdict {
    /// The value of [`VERDICT_HEADER`]: `accepted` or `rejected; reason=<code>`.
    #[must_use]
    pub fn header_value(self) -> String {
        match self {
            Self::Accepted => "accepted".to_string(),
            Self::Rejected(code) => format!("rejected; reason={code}"),
        }
    }
}

/// Whether a refusal concerns a request that can still be forwarded in shadow mode (see
/// the module docs): not for a body that is too large or unreadable, nor for a request
/// that names no source.
#[must_use]
pub fn forwardable(rejection: Rejection) -> bool {
    !matches!(
        rejection,
        Rejection::BodyTooLarge
            | Rejection::BodyUnreadable
            | Rejection::NotFound
            | Rejection::MethodNotAllowed
            | Rejection::UnknownSource
    )
}

/// For a request the source would refuse with `code`: `Some(verdict)` when it is to be
/// forwarded anyway (shadow mode, a POST, a forwardable refusal), `None` when it is
/// answered as in enforce mode.
#[must_use]
pub fn on_refusal(mode: SourceMode, is_get: bool, code: &'static str, can_forward: bool) -> Option<Verdict> {
    (mode == SourceMode::Shadow && !is_get && can_forward).then_some(Verdict::Rejected(code))
}

/// For a rejection: as [`on_refusal`], with [`forwardable`] deciding.
#[must_use]
pub fn on_rejection(mode: SourceMode, is_get: bool, rejection: Rejection) -> Option<Verdict> {
    on_refusal(mode, is_get, rejection.code(), forwardable(rejection))
}

/// The tag of an accepted event: `Some(Accepted)` in shadow mode, nothing in enforce mode.
#[must_use]
pub fn on_accept(mode: SourceMode) -> Option<Verdict> {
    (mode == SourceMode::Shadow).then_some(Verdict::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforce_mode_never_forwards_a_refusal_nor_tags_an_accept() {
        for r in Rejection::ALL {
            assert_eq!(on_rejection(SourceMode::Enforce, false, r), None, "{r}");
        }
        assert_eq!(on_refusal(SourceMode::Enforce, false, "keys_expired", true), None);
        assert_eq!(on_accept(SourceMode::Enforce), None);
    }

    #[test]
    fn shadow_mode_forwards_a_forged_post_with_its_reason() {
        let v = on_rejection(SourceMode::Shadow, false, Rejection::SignatureMismatch);
        assert_eq!(v, Some(Verdict::Rejected("signature_mismatch")));
        assert_eq!(v.map(Verdict::header_value).as_deref(), Some("rejected; reason=signature_mismatch"));
        assert_eq!(on_rejection(SourceMode::Shadow, false, Rejection::TimestampTooOld), Some(Verdict::Rejected("timestamp_too_old")));
        assert_eq!(on_rejection(SourceMode::Shadow, false, Rejection::IpNotAllowed), Some(Verdict::Rejected("ip_not_allowed")));
        assert_eq!(on_refusal(SourceMode::Shadow, false, "keys_expired", true), Some(Verdict::Rejected("keys_expired")));
    }

    #[test]
    fn shadow_mode_still_refuses_what_cannot_be_forwarded() {
        for r in [Rejection::BodyTooLarge, Rejection::BodyUnreadable, Rejection::NotFound, Rejection::MethodNotAllowed, Rejection::UnknownSource] {
            assert_eq!(on_rejection(SourceMode::Shadow, false, r), None, "{r}");
        }
    }

    #[test]
    fn shadow_mode_answers_a_get_handshake_as_enforce_mode_does() {
        assert_eq!(on_rejection(SourceMode::Shadow, true, Rejection::ChallengeMissing), None);
        assert_eq!(on_rejection(SourceMode::Shadow, true, Rejection::SignatureMismatch), None);
    }

    #[test]
    fn shadow_mode_tags_an_accepted_event() {
        assert_eq!(on_accept(SourceMode::Shadow).map(Verdict::header_value).as_deref(), Some("accepted"));
    }

    #[test]
    fn a_shadow_source_loads_and_refuses_a_queue() {
        let secret = |_: &str| Some("a-long-enough-key".to_string());
        let json = r#"{"sources":{"s":{"scheme":{"type":"github"},"mode":"shadow","secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}}}}"#;
        assert_eq!(crate::Config::load(json, &secret).map(|c| c.sources.get("s").map(|s| s.mode)), Ok(Some(SourceMode::Shadow)));
        let default = json.replace(r#""mode":"shadow","#, "");
        assert_eq!(crate::Config::load(&default, &secret).map(|c| c.sources.get("s").map(|s| s.mode)), Ok(Some(SourceMode::Enforce)));
        let queued = json.replace(r#""origin":"http://127.0.0.1:9/x""#, r#""origin":"http://127.0.0.1:9/x","queue":"Q""#);
        let errors = crate::Config::load(&queued, &secret).err().unwrap_or_default();
        assert_eq!(errors.iter().map(crate::ConfigError::path).collect::<Vec<_>>(), vec!["sources.s.mode"]);
        let bad = json.replace(r#""shadow""#, r#""dry_run""#);
        assert_eq!(crate::Config::load(&bad, &secret).err().map(|e| e.len()), Some(1));
    }
}
