//! Event-type filters: which authentic events a source hands on, by the provider's own
//! event type (`X-GitHub-Event`, `X-Shopify-Topic`, a body field such as `/type`).
//!
//! A source's `filter.events` is an ordered list of patterns, read like a `.gitignore`:
//! `policy.*` lets matching types through, `!team.*` holds them back, and the **last**
//! pattern that matches decides. A type no pattern matches is handed on only if the list
//! holds no positive pattern (a list of `!` patterns alone is a deny list; any positive
//! pattern makes it an allow list). `*` matches any run of characters, dots included; every
//! other character matches itself, case-sensitively (providers' types are case-sensitive).
//!
//! The type is read only after the signature verified (the adapter calls this on a
//! [`crate::Verified`] request only): a forged request is refused as before, whatever type
//! it claims. A filtered event is answered `200 {"status":"filtered"}`, so the provider does
//! not retry it, and is neither handed on nor remembered.

use crate::config::ConfigError;
use crate::inbound::Inbound;
use crate::schemes::common::{Body, Field};

/// Most patterns in one `filter.events`.
pub const MAX_PATTERNS: usize = 256;
/// Longest pattern (and longest event type compared; a longer type matches nothing).
pub const MAX_PATTERN_CHARS: usize = 128;
/// Characters of an event type kept in a log line.
pub const MAX_LOGGED_TYPE_CHARS: usize = 64;

/// One pattern of `filter.events`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// `false` for a `!` pattern.
    pub allow: bool,
    /// The glob, without its `!`.
    pub glob: String,
}

/// What to do with an authentic event whose type is absent (or unreadable: a body that is
/// not JSON for a pointer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WhenAbsent {
    /// Hand it on (the default): an authentic event is never lost because the provider
    /// moved or dropped its type field; it is logged with `"event_type":null`.
    #[default]
    Forward,
    /// Filter it as if no pattern matched an allow list.
    Filter,
}

impl crate::json_read::FromJson for WhenAbsent {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        crate::json_read::variant(value, path, &[("forward", Self::Forward), ("filter", Self::Filter)])
    }
}

/// A source's event filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The patterns, in order.
    pub patterns: Vec<Pattern>,
    /// An absent type.
    pub when_absent: WhenAbsent,
}

/// The decision for one authentic event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Hand it on.
    Forward,
    /// Answer `200 {"status":"filtered"}`; never handed on or remembered.
    Filtered,
}

/// Parses one pattern.
///
/// # Errors
/// `Invalid` naming `path`, never echoing the pattern: empty, `!` alone, longer than
/// [`MAX_PATTERN_CHARS`], a `!` past the first character, or a character outside visible
/// ASCII (no spaces: a provider's type has none, so such a pattern is a typo).
pub fn parse_pattern(text: &str, path: &str) -> Result<Pattern, ConfigError> {
    let (allow, glob) = match text.strip_prefix('!') {
        Some(rest) => (false, rest),
        None => (true, text),
    };
    if glob.is_empty() {
        return Err(ConfigError::invalid(path, "a pattern is an event type, `prefix.*` or `!pattern`; it is empty"));
    }
    if glob.chars().count() > MAX_PATTERN_CHARS {
        return Err(ConfigError::invalid(path, &format!("a pattern has at most {MAX_PATTERN_CHARS} characters")));
    }
    if !glob.bytes().all(|b| b.is_ascii_graphic()) || glob.contains('!') {
        return Err(ConfigError::invalid(path, "a pattern uses visible ASCII without spaces; `!` only first (to negate) and `*` as the wildcard"));
    }
    Ok(Pattern { allow, glob: glob.to_string() })
}

/// Builds a filter from `filter.events` and `filter.when_absent`.
///
/// # Errors
/// Every bad pattern (each naming `path.events[i]`), an empty or too long list.
pub fn build(events: &[String], when_absent: WhenAbsent, path: &str) -> Result<Filter, Vec<ConfigError>> {
    let mut errors = Vec::new();
    if events.is_empty() {
        errors.push(ConfigError::invalid(&format!("{path}.events"), "list at least one pattern (or remove `filter`)"));
    }
    if events.len() > MAX_PATTERNS {
        errors.push(ConfigError::invalid(&format!("{path}.events"), &format!("at most {MAX_PATTERNS} patterns")));
    }
    let mut patterns = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match parse_pattern(e, &format!("{path}.events[{i}]")) {
            Ok(p) => patterns.push(p),
            Err(err) => errors.push(err),
        }
    }
    if errors.is_empty() {
        Ok(Filter { patterns, when_absent })
    } else {
        Err(errors)
    }
}

/// Whether `text` matches `glob` (`*` is any run of characters). Iterative, with one
/// backtrack point: linear in practice, at most `glob × text` steps, never recursive.
#[must_use]
pub fn glob_matches(glob: &str, text: &str) -> bool {
    let (g, t) = (glob.as_bytes(), text.as_bytes());
    let (mut gi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match g.get(gi) {
            Some(b'*') => {
                star = Some((gi, ti));
                gi += 1;
            }
            Some(c) if Some(c) == t.get(ti) => {
                gi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sg, st)) => {
                    gi = sg + 1;
                    ti = st + 1;
                    star = Some((sg, st + 1));
                }
                None => return false,
            },
        }
    }
    g.get(gi..).is_some_and(|rest| rest.iter().all(|b| *b == b'*'))
}

impl Filter {
    /// Decides for an event of type `event_type` (`None`: absent or unreadable).
    #[must_use]
    pub fn decide(&self, event_type: Option<&str>) -> Decision {
        let Some(t) = event_type.filter(|t| !t.is_empty()) else {
            return match self.when_absent {
                WhenAbsent::Forward => Decision::Forward,
                WhenAbsent::Filter => Decision::Filtered,
            };
        };
        let allow_list = self.patterns.iter().any(|p| p.allow);
        let fits = t.chars().count() <= MAX_PATTERN_CHARS;
        let last = self.patterns.iter().rev().find(|p| fits && glob_matches(&p.glob, t));
        match last {
            Some(p) if p.allow => Decision::Forward,
            Some(_) => Decision::Filtered,
            None if allow_list => Decision::Filtered,
            None => Decision::Forward,
        }
    }
}

/// An authentic event a source's filter holds back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filtered {
    /// Its type as read (`None`: absent), for the log line.
    pub event_type: Option<String>,
}

/// Screens an authentic request through its source's filter: `Some` when it is held back
/// (answer `200 {"status":"filtered"}`, hand nothing on, remember nothing), `None` when it
/// goes on (or the source has no filter). Call only after verification.
#[must_use]
pub fn screen(source: &crate::config::Source, req: &Inbound<'_>) -> Option<Filtered> {
    let filter = source.filter.as_ref()?;
    let event_type = source.scheme.event_type().and_then(|field| read_type(field, req));
    match filter.decide(event_type.as_deref()) {
        Decision::Forward => None,
        Decision::Filtered => Some(Filtered { event_type }),
    }
}

/// Reads an authentic request's event type from where its scheme says it is: `None` when
/// absent, empty or unreadable (a pointer into a body that is not JSON, a non-text value).
/// Call only after verification.
#[must_use]
pub fn read_type(field: &Field, req: &Inbound<'_>) -> Option<String> {
    let mut body = Body::new(req.body);
    match field {
        Field::Header(name) => req.header(name).map(|v| v.trim().to_string()),
        Field::Pointer(p) => body.pointer(p).ok().flatten(),
        Field::Query(name) => req.query_param(name),
        Field::Form(name) => crate::form::first(req.body, name),
        Field::SignatureList => None,
    }
    .filter(|t| !t.is_empty())
}

/// The event type as it may appear in a log line: at most [`MAX_LOGGED_TYPE_CHARS`]
/// characters, control characters replaced (it is authentic provider data, not a secret,
/// but it must not break a line).
#[must_use]
pub fn loggable(event_type: &str) -> String {
    event_type.chars().take(MAX_LOGGED_TYPE_CHARS).map(|c| if c.is_control() { '?' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(events: &[&str]) -> Filter {
        let events: Vec<String> = events.iter().map(|s| (*s).to_string()).collect();
        build(&events, WhenAbsent::Forward, "sources.s.filter").unwrap()
    }

    #[test]
    fn wildcards_match_any_run_including_dots() {
        assert!(glob_matches("policy.*", "policy.created"));
        assert!(glob_matches("policy.*", "policy.a.b"));
        assert!(glob_matches("policy.*", "policy."));
        assert!(!glob_matches("policy.*", "policy"));
        assert!(!glob_matches("policy.*", "xpolicy.created"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*.deleted", "team.member.deleted"));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("a*b*c", "aXXbYY"));
        assert!(glob_matches("push", "push"));
        assert!(!glob_matches("push", "Push"), "types are case-sensitive");
        assert!(!glob_matches("push", "push_x"));
    }

    #[test]
    fn a_pathological_glob_ends_quickly() {
        let text = "a".repeat(MAX_PATTERN_CHARS);
        let glob = format!("{}b", "*a".repeat(60));
        assert!(!glob_matches(&glob, &text));
    }

    #[test]
    fn positive_patterns_make_an_allow_list() {
        let f = filter(&["policy.*", "quote.bound"]);
        assert_eq!(f.decide(Some("policy.created")), Decision::Forward);
        assert_eq!(f.decide(Some("quote.bound")), Decision::Forward);
        assert_eq!(f.decide(Some("quote.created")), Decision::Filtered);
    }

    #[test]
    fn negative_patterns_alone_make_a_deny_list() {
        let f = filter(&["!team.*"]);
        assert_eq!(f.decide(Some("team.created")), Decision::Filtered);
        assert_eq!(f.decide(Some("policy.created")), Decision::Forward);
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let f = filter(&["policy.*", "!policy.deleted"]);
        assert_eq!(f.decide(Some("policy.deleted")), Decision::Filtered);
        assert_eq!(f.decide(Some("policy.created")), Decision::Forward);
        let g = filter(&["!policy.*", "policy.bound"]);
        assert_eq!(g.decide(Some("policy.bound")), Decision::Forward);
        assert_eq!(g.decide(Some("policy.created")), Decision::Filtered);
        assert_eq!(g.decide(Some("other")), Decision::Filtered, "an allow list: unmatched is filtered");
    }

    #[test]
    fn an_absent_type_is_forwarded_unless_the_source_says_filter() {
        let f = filter(&["push"]);
        assert_eq!(f.decide(None), Decision::Forward);
        assert_eq!(f.decide(Some("")), Decision::Forward);
        let strict = Filter { when_absent: WhenAbsent::Filter, ..f };
        assert_eq!(strict.decide(None), Decision::Filtered);
    }

    #[test]
    fn an_overlong_type_matches_no_pattern() {
        let f = filter(&["*"]);
        assert_eq!(f.decide(Some(&"x".repeat(MAX_PATTERN_CHARS + 1))), Decision::Filtered);
        assert_eq!(filter(&["!*"]).decide(Some(&"x".repeat(500))), Decision::Forward);
    }

    #[test]
    fn bad_patterns_are_refused_by_path_without_their_text() {
        let events: Vec<String> = ["ok.*", "", "!", "a b", "a!b", &"x".repeat(200), "se\u{e9}cret"].iter().map(|s| (*s).to_string()).collect();
        let errors = build(&events, WhenAbsent::Forward, "sources.s.filter").unwrap_err();
        let paths: Vec<&str> = errors.iter().map(ConfigError::path).collect();
        assert_eq!(paths, ["sources.s.filter.events[1]", "sources.s.filter.events[2]", "sources.s.filter.events[3]", "sources.s.filter.events[4]", "sources.s.filter.events[5]", "sources.s.filter.events[6]"]);
        assert!(errors.iter().all(|e| !e.to_string().contains("se\u{e9}cret") && !e.to_string().contains("a b")));
        assert_eq!(build(&[], WhenAbsent::Forward, "f").unwrap_err()[0].path(), "f.events");
    }

    #[test]
    fn reads_the_type_from_a_header_a_pointer_or_a_form_field() {
        let headers = vec![("x-github-event".to_string(), "push".to_string())];
        let req = Inbound { method: "POST", url: "https://h/hooks/s?t=q", headers: &headers, body: br#"{"meta":{"event":"policy.bound"},"n":1}"#, client_ip: None };
        assert_eq!(read_type(&Field::Header("x-github-event".into()), &req).as_deref(), Some("push"));
        assert_eq!(read_type(&Field::Pointer("/meta/event".into()), &req).as_deref(), Some("policy.bound"));
        assert_eq!(read_type(&Field::Pointer("/missing".into()), &req), None);
        assert_eq!(read_type(&Field::Pointer("/meta".into()), &req), None, "an object is no type");
        assert_eq!(read_type(&Field::Query("t".into()), &req).as_deref(), Some("q"));
        let form = Inbound { body: b"EventType=call.completed&x=1", ..req };
        assert_eq!(read_type(&Field::Form("EventType".into()), &form).as_deref(), Some("call.completed"));
        assert_eq!(read_type(&Field::Pointer("/type".into()), &form), None, "not JSON: absent");
    }

    fn load(source: &str) -> Result<crate::Config, Vec<ConfigError>> {
        let json = format!(r#"{{"sources":{{"s":{source}}}}}"#);
        crate::Config::load(&json, &|_| Some("a-long-enough-key".into()))
    }

    #[test]
    fn every_preset_reads_its_type_where_its_provider_puts_it() {
        let field = |t: &str| {
            let cfg = crate::schemes::SchemeConfig { kind: t.into(), ..Default::default() };
            crate::schemes::build(&cfg, "s").unwrap().event_type().cloned()
        };
        assert_eq!(field("github"), Some(Field::Header("x-github-event".into())));
        assert_eq!(field("shopify"), Some(Field::Header("x-shopify-topic".into())));
        assert_eq!(field("stripe"), Some(Field::Pointer("/type".into())));
        assert_eq!(field("cowbell"), Some(Field::Pointer("/meta/event".into())));
        assert_eq!(field("slack"), Some(Field::Pointer("/event/type".into())));
        assert_eq!(field("standard_webhooks"), Some(Field::Pointer("/type".into())));
        assert_eq!(field("gitlab"), Some(Field::Header("x-gitlab-event".into())), "a shared-credential catalogue entry");
        assert_eq!(field("paddle"), Some(Field::Pointer("/event_type".into())), "a signed catalogue entry");
        assert_eq!(field("twilio"), None);
    }

    #[test]
    fn a_source_filters_on_its_presets_type_or_where_its_scheme_says() {
        let gh = r#"{"scheme":{"type":"github"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"},"filter":{"events":["push","pull_request*"]}}"#;
        let config = load(gh).unwrap();
        let s = &config.sources["s"];
        let headers = |t: &str| vec![("x-github-event".to_string(), t.to_string())];
        let h = headers("issues");
        let req = Inbound { method: "POST", url: "https://h/hooks/s", headers: &h, body: b"{}", client_ip: None };
        assert_eq!(screen(s, &req), Some(Filtered { event_type: Some("issues".into()) }));
        let h = headers("pull_request_review");
        assert_eq!(screen(s, &Inbound { headers: &h, ..req }), None);
        assert_eq!(screen(s, &Inbound { headers: &[], ..req }), None, "absent: forwarded by default");
        let custom = r#"{"scheme":{"type":"hmac","signature_header":"x-sig","event_type":{"form":"EventType"}},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"},"filter":{"events":["!call.*"],"when_absent":"filter"}}"#;
        let config = load(custom).unwrap();
        let s = &config.sources["s"];
        assert_eq!(screen(s, &Inbound { body: b"EventType=call.done", headers: &[], ..req }), Some(Filtered { event_type: Some("call.done".into()) }));
        assert_eq!(screen(s, &Inbound { body: b"EventType=sms.done", headers: &[], ..req }), None);
        assert_eq!(screen(s, &Inbound { body: b"", headers: &[], ..req }), Some(Filtered { event_type: None }));
    }

    #[test]
    fn a_filter_needs_a_known_event_type_and_valid_settings() {
        let twilio = r#"{"scheme":{"type":"twilio"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"},"filter":{"events":["x"]}}"#;
        assert_eq!(load(twilio).unwrap_err()[0].path(), "sources.s.filter");
        let bad = r#"{"scheme":{"type":"hmac","signature_header":"x-sig"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"},"filter":{"events":["ok","x y"]}}"#;
        let paths: Vec<String> = load(bad).unwrap_err().iter().map(|e| e.path().to_string()).collect();
        assert_eq!(paths, ["sources.s.filter", "sources.s.filter.events[1]"]);
        let twice = r#"{"scheme":{"type":"hmac","signature_header":"x-sig","event_type":{"header":"a","pointer":"/b"}},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}}"#;
        assert_eq!(load(twice).unwrap_err()[0].path(), "sources.s.scheme.event_type");
        let fmt = r#"{"scheme":{"type":"hmac","signature_header":"x-sig","event_type":{"header":"a","format":"unix"}},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"}}"#;
        assert_eq!(load(fmt).unwrap_err()[0].path(), "sources.s.scheme.event_type");
        let unknown = r#"{"scheme":{"type":"github"},"secrets":[{"label":"k","env":"A"}],"destination":{"origin":"http://127.0.0.1:9/x"},"filter":{"events":["x"],"when_absent":"drop"}}"#;
        assert!(load(unknown).unwrap_err()[0].path().starts_with("HOOKGATE.sources.s.filter.when_absent"));
    }

    #[test]
    fn a_logged_type_is_bounded_and_has_no_control_characters() {
        assert_eq!(loggable("a\nb"), "a?b");
        assert_eq!(loggable(&"x".repeat(100)).len(), MAX_LOGGED_TYPE_CHARS);
    }
}
