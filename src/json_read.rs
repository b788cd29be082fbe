//! Reading the configuration out of its parsed JSON ([`crate::json::Value`]) by hand.
//!
//! Each configuration type implements [`FromJson`]: it opens its object with [`Obj::new`],
//! which knows the object's path and refuses fields the type does not have, then takes its
//! fields by name. This replaces `#[derive(Deserialize)]`: serde's derived code,
//! instantiated for serde_json's reader, was about 100 KB of the wasm (a
//! `deserialize_struct` per type, an `Option<T>::deserialize` per field type), while this
//! is one copy of each check. The path of an error is known here, instead of worked out
//! from where a parser stopped.
//!
//! Messages follow serde's (``unknown field `x`, expected one of `a`, `b` ``, ``missing
//! field `x` ``, `invalid type: string "…", expected u64`) but never show a value: a secret
//! pasted into the wrong field must not reach a log.

use crate::sorted_map::SortedMap;

use crate::json::{Map, Value};

use crate::config::{ConfigError, CONFIG_VAR};

/// A configuration type read from JSON.
pub trait FromJson: Sized {
    /// Reads `value`, the field at `path` (a path inside `HOOKGATE`, empty for the whole
    /// variable).
    ///
    /// # Errors
    /// [`ConfigError::Syntax`] naming the field: a wrong type, an unknown or missing field.
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError>;
}

/// Parses `text` and reads a `T` from the whole of it (the `HOOKGATE` variable, or a
/// preset's scheme table).
///
/// # Errors
/// A syntax error, named by the path where the parser stopped, a key written twice in one
/// object, or `T`'s own.
pub fn read<T: FromJson>(text: &str) -> Result<T, ConfigError> {
    T::from_json(&parse(text)?, "")
}

/// Kept apart from [`read`] so that it is not copied for each type read.
fn parse(text: &str) -> Result<Value, ConfigError> {
    // The text was serialised from wrangler's table, so a line and column would mean
    // nothing to the reader; the field path says where. The parser's messages never quote
    // the text, so a misplaced secret cannot reach a log through them.
    let doc = crate::json::parse(text.as_bytes()).map_err(|e| shape_error(&crate::json_path::at(text, e.end()), e.message().to_string()))?;
    if let Some((path, key)) = crate::json_path::duplicate_key(text) {
        return Err(shape_error(&path, format!("duplicate field `{key}`")));
    }
    Ok(doc)
}

/// A problem with the shape of the field at `path`: a `Syntax` error, whose path names the
/// variable (`HOOKGATE.sources.demo.secret`) as the parser's errors do.
#[must_use]
pub fn shape_error(path: &str, message: String) -> ConfigError {
    let path = if path.is_empty() { CONFIG_VAR.to_string() } else { format!("{CONFIG_VAR}.{path}") };
    ConfigError::Syntax { path, message }
}

/// `path.name`, or `name` at the top.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// `path[i]`; kept apart so that each `Vec<T>` reader does not carry a `format!`.
#[inline(never)]
fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What a value is, in serde's words, without the value itself.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "floating point",
        Value::Number(_) => "integer",
        Value::String(_) => "string \"…\"",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// `value` at `path` is not `expected`.
#[must_use]
pub fn invalid_type(value: &Value, path: &str, expected: &str) -> ConfigError {
    shape_error(path, format!("invalid type: {}, expected {expected}", kind(value)))
}

/// serde's list of the names expected: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of<'n>(names: impl ExactSizeIterator<Item = &'n str>) -> String {
    let count = names.len();
    let mut out = String::from(if count > 2 { "one of " } else { "" });
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(if count == 2 { " or " } else { ", " });
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
    out
}

/// An object being read: its fields, its path and the first problem found.
///
/// A type's reader is one struct literal of `o.req(..)`, `o.opt(..)` and
/// `o.or_default(..)` closed by [`Obj::done`]: a field with a problem reads as its default
/// and the first problem is kept, so the reader is straight-line code (no early return
/// per field, each dropping what was read so far, which is most of what derived code costs).
pub struct Obj<'a> {
    map: &'a Map,
    path: &'a str,
    fields: &'static [&'static str],
    error: Option<ConfigError>,
}

/// What an absent field means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Nothing: `None` (and so is `null`, as serde reads an `Option`).
    Optional,
    /// ``missing field `name` ``.
    Required,
    /// The type's default (serde's `#[serde(default)]`: `null` is read, and refused
    /// unless the type takes it).
    Defaulted,
}

impl<'a> Obj<'a> {
    /// `value` as an object of `fields` only; `what` names the type in a wrong-type
    /// message (`struct SourceFile`, as serde named it).
    ///
    /// # Errors
    /// Not an object, or a field not in `fields` (the first, in key order).
    pub fn new(value: &'a Value, path: &'a str, what: &str, fields: &'static [&'static str]) -> Result<Self, ConfigError> {
        let Value::Object(map) = value else {
            return Err(invalid_type(value, path, what));
        };
        if let Some(key) = map.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err(shape_error(&join(path, key), format!("unknown field `{key}`, expected {}", one_of(fields.iter().copied()))));
        }
        Ok(Self { map, path, fields, error: None })
    }

    /// The field's value and path, if there is one to read.
    #[inline(never)]
    fn lookup(&mut self, name: &str, need: Need) -> Option<(&'a Value, String)> {
        debug_assert!(self.fields.contains(&name), "`{name}` is not among the fields of {}", self.path);
        match self.map.get(name) {
            Some(Value::Null) if need == Need::Optional => None,
            Some(value) => Some((value, join(self.path, name))),
            None => {
                if need == Need::Required {
                    self.note(shape_error(self.path, format!("missing field `{name}`")));
                }
                None
            }
        }
    }

    #[inline(never)]
    fn note(&mut self, error: ConfigError) {
        self.error.get_or_insert(error);
    }

    /// Reads one field with `read` and keeps its first problem: the one copy of the
    /// bookkeeping. `read` is a `dyn` closure (it stores what it read) so that this is not
    /// copied for each field type, as a generic method was.
    #[inline(never)]
    fn field(&mut self, name: &str, need: Need, read: &mut dyn FnMut(&Value, &str) -> Result<(), ConfigError>) {
        if let Some((value, path)) = self.lookup(name, need) {
            if let Err(e) = read(value, &path) {
                self.note(e);
            }
        }
    }

    fn take<T: FromJson>(&mut self, name: &str, need: Need) -> Option<T> {
        let mut out = None;
        self.field(name, need, &mut |value, path| T::from_json(value, path).map(|v| out = Some(v)));
        out
    }

    /// An optional field: absent and `null` are `None`.
    pub fn opt<T: FromJson>(&mut self, name: &str) -> Option<T> {
        self.take(name, Need::Optional)
    }

    /// A required field (its default, with ``missing field `name` `` kept, when absent).
    pub fn req<T: FromJson + Default>(&mut self, name: &str) -> T {
        self.take(name, Need::Required).unwrap_or_default()
    }

    /// A field with a default when absent.
    pub fn or_default<T: FromJson + Default>(&mut self, name: &str) -> T {
        self.take(name, Need::Defaulted).unwrap_or_default()
    }

    /// `read`, unless a field had a problem.
    ///
    /// # Errors
    /// The first problem found.
    pub fn done<T>(self, read: T) -> Result<T, ConfigError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(read),
        }
    }
}

/// One of `table`'s names, as the unit variant it stands for.
///
/// # Errors
/// Not a string, or not one of the names.
pub fn variant<T: Copy>(value: &Value, path: &str, table: &[(&'static str, T)]) -> Result<T, ConfigError> {
    if let Value::String(s) = value {
        if let Some((_, v)) = table.iter().find(|(name, _)| name == s) {
            return Ok(*v);
        }
    }
    Err(not_a_variant(value, path, &mut table.iter().map(|(name, _)| *name)))
}

/// Kept apart from [`variant`] so that each enum's copy is only the search.
fn not_a_variant(value: &Value, path: &str, names: &mut dyn ExactSizeIterator<Item = &'static str>) -> ConfigError {
    let expected = one_of(names);
    match value {
        Value::String(_) => shape_error(path, format!("unknown variant \"…\", expected {expected}")),
        _ => invalid_type(value, path, &expected),
    }
}

/// An unsigned integer; `expected` names its type (`u64`).
fn unsigned(value: &Value, path: &str, expected: &str) -> Result<u64, ConfigError> {
    match value {
        Value::Number(n) if n.is_i64() && !n.is_u64() => Err(shape_error(path, format!("invalid value: integer, expected {expected}"))),
        Value::Number(n) => n.as_u64().ok_or_else(|| invalid_type(value, path, expected)),
        _ => Err(invalid_type(value, path, expected)),
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        unsigned(value, path, "u64")
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let n = unsigned(value, path, "u32")?;
        u32::try_from(n).map_err(|_| shape_error(path, "invalid value: integer, expected u32".into()))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        value.as_bool().ok_or_else(|| invalid_type(value, path, "a boolean"))
    }
}

impl FromJson for String {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(value, path, "a string")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let Value::Array(items) = value else {
            return Err(invalid_type(value, path, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item, &index(path, i))?);
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for SortedMap<String, T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
        let Value::Object(map) = value else {
            return Err(invalid_type(value, path, "a map"));
        };
        let mut out = SortedMap::new();
        for (k, v) in map {
            out.insert(k.clone(), T::from_json(v, &join(path, k))?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Key {
        env: String,
        label: Option<String>,
        ttl_secs: u32,
    }

    impl FromJson for Key {
        fn from_json(value: &Value, path: &str) -> Result<Self, ConfigError> {
            let mut o = Obj::new(value, path, "struct Key", &["env", "label", "ttl_secs"])?;
            let key = Self { env: o.req("env"), label: o.opt("label"), ttl_secs: o.or_default("ttl_secs") };
            o.done(key)
        }
    }

    fn read(text: &str) -> Result<SortedMap<String, Vec<Key>>, String> {
        let value: Value = crate::json::parse(text.as_bytes()).unwrap();
        SortedMap::from_json(&value, "keys").map_err(|e| e.to_string())
    }

    #[test]
    fn reads_fields_by_name_with_defaults() {
        let keys = read(r#"{"a":[{"env":"A"},{"env":"B","label":null,"ttl_secs":7}]}"#).unwrap();
        assert_eq!(keys["a"], [Key { env: "A".into(), label: None, ttl_secs: 0 }, Key { env: "B".into(), label: None, ttl_secs: 7 }]);
    }

    #[test]
    fn names_the_field_of_each_problem_and_never_its_value() {
        for (text, error) in [
            (r#"{"a":[{"env":"A"},{"env":7}]}"#, "HOOKGATE.keys.a[1].env: invalid type: integer, expected a string"),
            (r#"{"a":[{"env":"A","lable":"x"}]}"#, "HOOKGATE.keys.a[0].lable: unknown field `lable`, expected one of `env`, `label`, `ttl_secs`"),
            (r#"{"a":[{"label":"x"}]}"#, "HOOKGATE.keys.a[0]: missing field `env`"),
            (r#"{"a":[{"env":"A","ttl_secs":"s3cr3t"}]}"#, "HOOKGATE.keys.a[0].ttl_secs: invalid type: string \"…\", expected u32"),
            (r#"{"a":[{"env":"A","ttl_secs":-1}]}"#, "HOOKGATE.keys.a[0].ttl_secs: invalid value: integer, expected u32"),
            (r#"{"a":[{"env":"A","ttl_secs":4294967296}]}"#, "HOOKGATE.keys.a[0].ttl_secs: invalid value: integer, expected u32"),
            (r#"{"a":[{"env":"A","ttl_secs":1.5}]}"#, "HOOKGATE.keys.a[0].ttl_secs: invalid type: floating point, expected u32"),
            (r#"{"a":[{"env":"A","ttl_secs":null}]}"#, "HOOKGATE.keys.a[0].ttl_secs: invalid type: null, expected u32"),
            (r#"{"a":{"env":"A"}}"#, "HOOKGATE.keys.a: invalid type: map, expected a sequence"),
            (r#"{"a":[true]}"#, "HOOKGATE.keys.a[0]: invalid type: boolean, expected struct Key"),
            ("[]", "HOOKGATE.keys: invalid type: sequence, expected a map"),
        ] {
            assert_eq!(read(text).unwrap_err(), error, "{text}");
        }
    }

    #[test]
    fn a_variant_is_one_of_its_names_and_an_unknown_one_is_not_shown() {
        let table = [("kv", 1), ("strict", 2)];
        assert_eq!(variant(&Value::from("strict"), "mode", &table), Ok(2));
        let err = variant(&Value::from("s3cr3t"), "mode", &table).unwrap_err();
        assert_eq!(err.to_string(), "HOOKGATE.mode: unknown variant \"…\", expected `kv` or `strict`");
        let err = variant(&Value::from(5), "mode", &[("a", 1), ("b", 2), ("c", 3)]).unwrap_err();
        assert_eq!(err.to_string(), "HOOKGATE.mode: invalid type: integer, expected one of `a`, `b`, `c`");
        assert_eq!(variant(&Value::from(5), "", &[("a", 1)]).unwrap_err().to_string(), "HOOKGATE: invalid type: integer, expected `a`");
    }
}
