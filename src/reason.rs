//! Why a request was refused, as stable reason codes.
//!
//! The codes are public API: providers' dashboards, users' alerts and the README quote them.
//! Add new variants freely; never rename or reuse a code.

/// A single request refused by hookgate. Always the provider's or the sender's fault:
/// failures on our side (KV, origin, Queue) are not rejections and answer 5xx instead.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No source is configured under the path's name.
    UnknownSource,
    /// The path is not `/hooks/<source>`.
    NotFound,
    /// Only `POST` carries webhooks.
    MethodNotAllowed,
    /// The body is larger than the source's `max_body_bytes`.
    BodyTooLarge,
    /// The scheme needs a content type the request does not have (Twilio form posts).
    ContentTypeUnsupported,
    /// The signature header is absent.
    SignatureMissing,
    /// The signature header is present but holds no usable candidate.
    SignatureMalformed,
    /// No candidate matches any usable key.
    SignatureMismatch,
    /// A timestamp the scheme needs is absent.
    TimestampMissing,
    /// A timestamp is present but cannot be read.
    TimestampMalformed,
    /// The message is authentic but older than the tolerance.
    TimestampTooOld,
    /// The message is authentic but dated further ahead than the tolerance.
    TimestampInFuture,
    /// The scheme's event id source is absent.
    EventIdMissing,
    /// The scheme reads a JSON field but the body is not JSON.
    BodyNotJson,
    /// An unsigned source's token or Basic credentials are absent.
    CredentialsMissing,
    /// An unsigned source's token or Basic credentials are wrong.
    CredentialsMismatch,
    /// The client address is not in the source's allow-list.
    IpNotAllowed,
    /// The body could not be read to its end (the upload broke off or was malformed).
    BodyUnreadable,
    /// A handshake request (a GET on a source whose provider checks its URL, or a Zoom
    /// validation) without the challenge or token it must carry.
    ChallengeMissing,
    /// A handshake's challenge or token is not of the shape the provider documents (too
    /// long, or characters no provider sends): not answered, so a handshake never echoes or
    /// signs attacker-chosen text.
    ChallengeMalformed,
    /// Amazon SNS: the message's `SigningCertURL` is not an `https` URL of an
    /// `sns.<region>.amazonaws.com` host ending in `.pem`: never fetched.
    CertificateUrlRefused,
    /// Amazon SNS: an unknown `Type`, or a field the signature covers is absent.
    MessageMalformed,
    /// Authentic, but over the source's `rate_limit`: answered 429 with `Retry-After`, so
    /// the provider retries later (counted after verification: forgeries never count).
    RateLimited,
}

impl Rejection {
    /// The stable, machine-readable reason code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownSource => "unknown_source",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::BodyTooLarge => "body_too_large",
            Self::ContentTypeUnsupported => "content_type_unsupported",
            Self::SignatureMissing => "signature_missing",
            Self::SignatureMalformed => "signature_malformed",
            Self::SignatureMismatch => "signature_mismatch",
            Self::TimestampMissing => "timestamp_missing",
            Self::TimestampMalformed => "timestamp_malformed",
            Self::TimestampTooOld => "timestamp_too_old",
            Self::TimestampInFuture => "timestamp_in_future",
            Self::EventIdMissing => "event_id_missing",
            Self::BodyNotJson => "body_not_json",
            Self::CredentialsMissing => "credentials_missing",
            Self::CredentialsMismatch => "credentials_mismatch",
            Self::IpNotAllowed => "ip_not_allowed",
            Self::BodyUnreadable => "body_unreadable",
            Self::ChallengeMissing => "challenge_missing",
            Self::ChallengeMalformed => "challenge_malformed",
            Self::CertificateUrlRefused => "certificate_url_refused",
            Self::MessageMalformed => "message_malformed",
            Self::RateLimited => "rate_limited",
        }
    }

    /// The HTTP status answered for this rejection. All are 4xx: a bad request is never
    /// a reason for the provider to keep retrying it forever.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::UnknownSource | Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::BodyTooLarge => 413,
            Self::ContentTypeUnsupported => 415,
            Self::BodyNotJson
            | Self::EventIdMissing
            | Self::BodyUnreadable
            | Self::ChallengeMissing
            | Self::ChallengeMalformed
            | Self::CertificateUrlRefused
            | Self::MessageMalformed => 400,
            Self::IpNotAllowed => 403,
            Self::RateLimited => 429,
            Self::SignatureMissing
            | Self::SignatureMalformed
            | Self::SignatureMismatch
            | Self::TimestampMissing
            | Self::TimestampMalformed
            | Self::TimestampTooOld
            | Self::TimestampInFuture
            | Self::CredentialsMissing
            | Self::CredentialsMismatch => 401,
        }
    }

    /// Every variant, for documentation checks and tests.
    pub const ALL: [Rejection; 23] = [
        Self::UnknownSource,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::BodyTooLarge,
        Self::ContentTypeUnsupported,
        Self::SignatureMissing,
        Self::SignatureMalformed,
        Self::SignatureMismatch,
        Self::TimestampMissing,
        Self::TimestampMalformed,
        Self::TimestampTooOld,
        Self::TimestampInFuture,
        Self::EventIdMissing,
        Self::BodyNotJson,
        Self::CredentialsMissing,
        Self::CredentialsMismatch,
        Self::IpNotAllowed,
        Self::BodyUnreadable,
        Self::ChallengeMissing,
        Self::ChallengeMalformed,
        Self::CertificateUrlRefused,
        Self::MessageMalformed,
        Self::RateLimited,
    ];
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REASONS: &str = include_str!("../docs/reasons.json");
    const README: &str = include_str!("../README.md");

    fn reasons() -> crate::json::Map {
        let doc: crate::json::Value = crate::json::parse(REASONS.as_bytes()).unwrap();
        doc["codes"].as_object().unwrap().clone()
    }

    /// The README's troubleshooting table, as rendered from docs/reasons.json.
    fn troubleshooting_table() -> String {
        let mut out = String::from("| code | status | what it says | likely causes | what to do |\n|---|---|---|---|---|\n");
        for (code, r) in reasons() {
            let cell = |k: &str| r[k].as_str().unwrap().replace('|', "\\|");
            out.push_str(&format!("| `{code}` | {} | {} | {} | {} |\n", r["status"], cell("says"), cell("causes"), cell("fix")));
        }
        out
    }

    #[test]
    fn every_reason_code_has_a_plain_sentence_and_its_status() {
        let reasons = reasons();
        for r in Rejection::ALL {
            let entry = reasons.get(r.code()).unwrap_or_else(|| panic!("docs/reasons.json lacks {}", r.code()));
            // event_id_missing and body_not_json are 503 when authentic (a configuration fault).
            assert_eq!(entry["status"], u64::from(r.status()), "{}", r.code());
            for k in ["says", "causes", "fix"] {
                assert!(entry[k].as_str().is_some_and(|s| !s.is_empty()), "{}: {k}", r.code());
            }
        }
    }

    #[test]
    fn the_readme_troubleshooting_table_is_rendered_from_reasons_json() {
        let table = troubleshooting_table();
        assert!(README.contains(&table), "README.md's troubleshooting table differs from docs/reasons.json; it should read:\n\n{table}");
    }

    #[test]
    fn codes_are_unique_snake_case_and_4xx() {
        let mut seen = std::collections::BTreeSet::new();
        for r in Rejection::ALL {
            assert!(seen.insert(r.code()), "duplicate code {}", r.code());
            assert!(r.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!((400..500).contains(&r.status()), "{} is {}", r.code(), r.status());
        }
    }
}
