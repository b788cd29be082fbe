//! The archive: an optional R2 copy of each event a source handed on (the exact body bytes,
//! the headers passed to the origin, the event id, the key label and the time), for
//! `npm run replay -- --source S --from T1 --to T2` to deliver again later.
//!
//! Objects are keyed `hookgate/archive/<source>/<received ms, 13 digits>/<16 hex of the
//! event id's SHA-256>`, so one source's archive lists in time order and a time range is a
//! listing from one key. Metadata rides in the object's custom metadata (R2 allows 2 KB);
//! headers that would not fit are left out and the record says so.
//!
//! Retention is the bucket's lifecycle rule (README), not hookgate's: `retention_days` in
//! the configuration says what the rule is, so `npm run check` can compare it with the
//! dedupe window.

use crate::config::ConfigError;

/// Where archived events live in the bucket.
pub const PREFIX: &str = "hookgate/archive/";
/// Custom metadata that fits beside the fixed fields (R2 allows 2,048 bytes in all).
pub const MAX_HEADER_METADATA_BYTES: usize = 1_500;
/// Longest retention a source may state: 10 years, as the dedupe window.
pub const MAX_RETENTION_DAYS: u64 = 3_650;

/// A source's archive settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Archive {
    /// R2 bucket binding.
    pub r2: String,
    /// The bucket's lifecycle rule for `hookgate/archive/`, in days.
    pub retention_days: u64,
}

impl Archive {
    /// Reads `archive` of a source.
    ///
    /// # Errors
    /// Each bad field by path; a retention not longer than the dedupe window.
    pub fn load(r2: &str, retention_days: u64, dedupe_window_secs: u64, path: &str) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        if !crate::config::is_binding_name(r2) {
            errors.push(ConfigError::invalid(&format!("{path}.r2"), "the name of an R2 bucket binding (letters, digits and _)"));
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&retention_days) {
            errors.push(ConfigError::invalid(&format!("{path}.retention_days"), &format!("between 1 and {MAX_RETENTION_DAYS}")));
        } else if retention_days.saturating_mul(86_400) <= dedupe_window_secs {
            errors.push(ConfigError::invalid(
                &format!("{path}.retention_days"),
                &format!(
                    "longer than the dedupe window ({} d): every event dedupe still remembers, and so refuses to take again, must be replayable from the archive",
                    dedupe_window_secs.div_ceil(86_400)
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Self { r2: r2.to_string(), retention_days })
        } else {
            Err(errors)
        }
    }
}

/// The object key of an event.
#[must_use]
pub fn key(source: &str, received_ms: u64, event_id: &str) -> String {
    let digest = crate::crypto::sha256_hex(event_id.as_bytes());
    format!("{PREFIX}{source}/{received_ms:013}/{}", digest.get(..16).unwrap_or(&digest))
}

/// The listing prefix of a source's archive.
#[must_use]
pub fn source_prefix(source: &str) -> String {
    format!("{PREFIX}{source}/")
}

/// The R2 `startAfter` that begins a listing at `from_ms`: every key of an earlier
/// millisecond sorts before it, every key of `from_ms` or later after it.
#[must_use]
pub fn start_after(source: &str, from_ms: u64) -> String {
    match from_ms.checked_sub(1) {
        Some(before) => format!("{PREFIX}{source}/{before:013}/~"),
        None => format!("{PREFIX}{source}/"),
    }
}

/// The source and time of an archive key; `None` for anything else.
#[must_use]
pub fn parse_key(key: &str) -> Option<(&str, u64)> {
    let rest = key.strip_prefix(PREFIX)?;
    let mut parts = rest.split('/');
    let (source, ms, digest) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || source.is_empty() || ms.len() != 13 || digest.len() != 16 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((source, ms.parse().ok()?))
}

/// Whether `key` is an archive key of `source` (an operator's replay names one: it must
/// not make the Worker read anything else in the bucket).
#[must_use]
pub fn key_belongs(key: &str, source: &str) -> bool {
    parse_key(key).is_some_and(|(s, _)| s == source)
}

/// The custom metadata of an archived event.
#[must_use]
pub fn metadata(event_id: &str, key_label: Option<&str>, received_ms: u64, headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut meta = vec![("event_id".to_string(), event_id.to_string()), ("received_ms".to_string(), received_ms.to_string())];
    if let Some(k) = key_label {
        meta.push(("key".to_string(), k.to_string()));
    }
    let text = crate::envelope::headers_text(headers);
    if text.len() <= MAX_HEADER_METADATA_BYTES {
        meta.push(("headers".to_string(), text));
    } else {
        meta.push(("headers_left_out".to_string(), "1".to_string()));
    }
    meta
}

/// Headers back from an archived event's metadata (none when they were left out).
#[must_use]
pub fn headers_from(meta_headers: Option<&str>) -> Vec<(String, String)> {
    let parsed = meta_headers.and_then(|t| crate::json::parse(t.as_bytes()).ok());
    parsed.and_then(|v| crate::envelope::headers_of(Some(&v))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_time_and_a_range_starts_at_its_first_millisecond() {
        let a = key("stripe", 1_700_000_000_000, "evt_1");
        let b = key("stripe", 1_700_000_000_001, "evt_0");
        assert!(a < b);
        assert_eq!(parse_key(&a), Some(("stripe", 1_700_000_000_000)));
        let start = start_after("stripe", 1_700_000_000_001);
        assert!(a < start && start < b);
        assert!(start_after("stripe", 0) < key("stripe", 0, "x"));
        assert!(key_belongs(&a, "stripe"));
        assert!(!key_belongs(&a, "strip"));
        assert!(!key_belongs("hookgate/bodies/stripe/x/y", "stripe"));
        assert!(!key_belongs(&format!("{a}/../x"), "stripe"));
        assert_eq!(parse_key("hookgate/archive/s/123/abcdabcdabcdabcd"), None);
    }

    #[test]
    fn metadata_reads_back_and_oversized_headers_are_left_out_and_said_so() {
        let headers = vec![("content-type".to_string(), "application/json".to_string())];
        let meta = metadata("evt_1", Some("k"), 5, &headers);
        let get = |m: &[(String, String)], k: &str| m.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(headers_from(get(&meta, "headers").as_deref()), headers);
        assert_eq!(get(&meta, "key").as_deref(), Some("k"));
        let big = vec![("x-big".to_string(), "x".repeat(2_000))];
        let meta = metadata("evt_1", None, 5, &big);
        assert_eq!(get(&meta, "headers"), None);
        assert_eq!(get(&meta, "headers_left_out").as_deref(), Some("1"));
    }

    #[test]
    fn retention_must_outlast_the_dedupe_window() {
        let errors = Archive::load("ARCHIVE", 30, 30 * 86_400, "sources.s.archive").unwrap_err();
        assert_eq!(errors[0].path(), "sources.s.archive.retention_days");
        assert!(Archive::load("ARCHIVE", 31, 30 * 86_400, "p").is_ok());
        let errors = Archive::load("a secret?", 0, 60, "p").unwrap_err();
        assert_eq!(errors.iter().map(ConfigError::path).collect::<Vec<_>>(), ["p.r2", "p.retention_days"]);
        assert!(!errors[0].to_string().contains("secret?"));
    }
}
