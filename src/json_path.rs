//! The field path (`sources.demo.secrets[1].env`) at a position in a JSON text: what a
//! configuration syntax error (`EOF while parsing`, a stray comma) names, found from where
//! the parser stopped; and the path of a key written twice in one object, which a parsed
//! `Value` no longer shows. Errors in the shape of a parsed configuration know their path
//! already ([`crate::json_read`]).

enum Frame {
    /// The key being read or whose value is being read, if any yet, and the keys before it.
    Object { key: Option<String>, in_value: bool, seen: Vec<String> },
    Array { index: usize },
}

/// The path of the innermost key or value being read when the parser stopped after `end`
/// bytes of `text` ([`crate::json::Error::end`]); empty at the top.
pub fn at(text: &str, end: usize) -> String {
    let bytes = text.as_bytes();
    path(&walk(bytes, end.min(bytes.len()), false).0)
}

/// The first key that appears twice in one object, with its path, in a text that parsed:
/// serde refused such a duplicate field, while a parsed [`crate::json::Value`] silently keeps
/// the last one (and TOML, the other way to write the configuration, refuses it).
pub fn duplicate_key(text: &str) -> Option<(String, String)> {
    let (stack, duplicate) = walk(text.as_bytes(), text.len(), true);
    duplicate.map(|key| (path(&stack), key))
}

/// Walks the text up to `end`; with `stop_at_duplicate`, stops at the first key seen
/// before in the same object, and returns it.
fn walk(bytes: &[u8], end: usize, stop_at_duplicate: bool) -> (Vec<Frame>, Option<String>) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => {
                let (s, next) = string(bytes, i + 1, end);
                if let Some(Frame::Object { key, in_value: false, seen }) = stack.last_mut() {
                    if stop_at_duplicate {
                        if seen.contains(&s) {
                            *key = Some(s.clone());
                            return (stack, Some(s));
                        }
                        seen.push(s.clone());
                    }
                    *key = Some(s);
                }
                i = next;
                continue;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, in_value, .. }) => {
                    *key = None;
                    *in_value = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'{' => stack.push(Frame::Object { key: None, in_value: false, seen: Vec::new() }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    (stack, None)
}

fn path(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// A string's text from just after its opening quote (escapes kept as written), and the
/// position after its closing quote (or `end`, if it does not close before it).
fn string(bytes: &[u8], from: usize, end: usize) -> (String, usize) {
    let mut i = from;
    while i < end {
        match bytes.get(i) {
            Some(b'\\') => i += 2,
            Some(b'"') => break,
            _ => i += 1,
        }
    }
    let text = bytes.get(from..i.min(end)).map(String::from_utf8_lossy).unwrap_or_default().into_owned();
    (text, i + 1)
}

#[cfg(test)]
mod tests {
    use super::at;

    #[test]
    fn names_the_field_a_syntax_error_stops_at() {
        for (text, path) in [
            (r#"{"sources": {"a": "#, "sources.a"),
            (r#"{"sources":{"a":{"secrets":[{"env":"A"}]}}"#, "sources"),
            (r#"{"sources":{"a":{"secrets":[{"env":"A"} {"env":"B"}]}}}"#, "sources.a.secrets[0]"),
            (r#"{"sources":{"a":{"secrets":[],}}}"#, "sources.a"),
        ] {
            assert_eq!(at(text, crate::json::parse(text.as_bytes()).unwrap_err().end()), path, "{text}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    /// The path where `serde_json` stops on `text` when reading `T`: these cases were
    /// `serde_json`'s errors, by line and column, before `crate::json_read` took over
    /// the shape of a configuration.
    fn stop<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let e = serde_json::from_str::<T>(text).unwrap_err();
        let line_start = if e.line() <= 1 { 0 } else { text.match_indices('\n').nth(e.line() - 2).map_or(text.len(), |(i, _)| i + 1) };
        at(text, line_start + e.column())
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Key {
        env: String,
        label: Option<String>,
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Source {
        secrets: Vec<Key>,
        tolerance_secs: Option<u64>,
    }

    #[cfg(not(target_arch = "wasm32"))]
    type Sources = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Source>>;

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn names_the_field_an_error_stops_at() {
        let ok = r#"{"sources":{"a":{"secrets":[{"env":"A"}]}}}"#;
        assert!(serde_json::from_str::<Sources>(ok).is_ok());
        for (text, path) in [
            (r#"{"sources":{"a":{"secrets":[{"env":"A"},{"env":7}]}}}"#, "sources.a.secrets[1].env"),
            (r#"{"sources":{"a":{"secrets":[{"env":"A","lable":"x"}]}}}"#, "sources.a.secrets[0].lable"),
            (r#"{"sources":{"a":{"secrets":[{"label":"x"}]}}}"#, "sources.a.secrets[0]"),
            (r#"{"sources":{"a":{"secrets":[],"tolerance_secs":"5"}}}"#, "sources.a.tolerance_secs"),
            (r#"{"sources":{"a\"b":{"secrets":[],"tolerance_secs":-1}}}"#, "sources.a\\\"b.tolerance_secs"),
            ("{\"sources\":{\n  \"b\":{\"secrets\":[{\"env\":\"B\"}],\n  \"tolerance_secs\":true}}}", "sources.b.tolerance_secs"),
            (r#"{"sources":{"a":{"secrets":[{"env":"A"}]}}"#, "sources"),
            (r#"{"sources":{"a":{"secrets":[{"env":"A"}], "x"#, "sources.a.x"),
        ] {
            assert_eq!(stop::<Sources>(text), path, "{text}");
        }
    }

    #[test]
    fn finds_a_key_written_twice_in_one_object() {
        use super::duplicate_key;
        let dup = |text: &str| duplicate_key(text).map(|(path, key)| format!("{path} {key}"));
        assert_eq!(dup(r#"{"sources":{"a":{"secrets":[],"env":"secrets","secrets":[]}}}"#).as_deref(), Some("sources.a.secrets secrets"));
        assert_eq!(dup(r#"{"a":[{"k":1},{"k":2}],"b":{"k":{"k":3}},"c":["c","c"]}"#), None, "one key per object");
        assert_eq!(dup(r#"{"s":{"x":1,"x":2}}"#).as_deref(), Some("s.x x"));
        assert_eq!(dup(r#"{"a\"":1,"a\"":2}"#).as_deref(), Some("a\\\" a\\\""));
    }

    #[test]
    fn never_panics_on_positions_past_the_text() {
        assert_eq!(at("{\"a\":", 99), "a");
        assert_eq!(at("", 5), "");
        assert_eq!(at("[[[", 3), "[0][0][0]");
    }
}
