//! A small JSON value, parser and writer: what the Worker needs of `serde_json`, which cost
//! about 15 KB of the gzipped wasm (its reader and writer, serde's visitors and derived
//! serializers, the error strings, `std::io`'s and a float formatter).
//!
//! It keeps `serde_json`'s behaviour where the code relies on it: objects in key order with
//! the last of a repeated key kept, integers as `u64` or `i64`, `pointer()` per RFC 6901,
//! strings escaped as `serde_json` (and `JSON.stringify`) escape them, the same error
//! messages, and a nesting limit of 128 so that a hostile body cannot exhaust the stack.
//! It differs in one way: a number with a fraction or an exponent (or an integer too large
//! for 64 bits) is kept as written, never converted to or from `f64`, so `1.50` is written
//! back as `1.50` (`serde_json` wrote `1.5`) and `1e400` is read.

use std::fmt;

use crate::sorted_map::SortedMap;

/// A JSON object: keys in order, each once.
pub type Map = SortedMap<String, Value>;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number: an integer, or the text of any other number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    /// A number with a fraction or exponent, or an integer past 64 bits, as written.
    Float(String),
}

impl Number {
    /// Whether it is neither a `u64` nor an `i64` (as `serde_json` says of its `f64`s).
    #[must_use]
    pub fn is_f64(&self) -> bool {
        matches!(self, Self::Float(_))
    }

    /// Whether it fits an `i64`.
    #[must_use]
    pub fn is_i64(&self) -> bool {
        match self {
            Self::U64(n) => i64::try_from(*n).is_ok(),
            Self::I64(_) => true,
            Self::Float(_) => false,
        }
    }

    /// Whether it fits a `u64`.
    #[must_use]
    pub fn is_u64(&self) -> bool {
        matches!(self, Self::U64(_))
    }

    /// The number as a `u64`, if it is one.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::U64(n) => Some(*n),
            _ => None,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::U64(n) => write!(f, "{n}"),
            Self::I64(n) => write!(f, "{n}"),
            Self::Float(s) => f.write_str(s),
        }
    }
}

static NULL: Value = Value::Null;

impl Value {
    /// An object's field.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The string, if it is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is one.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The boolean, if it is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if it is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The fields, if it is an object.
    #[must_use]
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Self::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The fields, if it is an object, mutably.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Self::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Whether it is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value at an RFC 6901 pointer (`/a/0/b`, `~1` for `/`, `~0` for `~`; `""` is the
    /// whole value), as `serde_json`'s `pointer`: an array index is digits without a
    /// leading zero.
    #[must_use]
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut target = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            target = match target {
                Self::Object(map) => map.get(token.as_str())?,
                Self::Array(items) => {
                    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(target)
    }

    /// The JSON text, compact.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => {
                use fmt::Write as _;
                let _ = write!(out, "{n}");
            }
            Self::String(s) => write_str(out, s),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl<'a> std::ops::Index<&'a str> for Value {
    type Output = Value;
    /// The field, or `null` (as `serde_json`'s index does); for tests.
    fn index(&self, key: &'a str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;
    /// The item, or `null`; for tests.
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

/// What [`json!`] takes: a value it can write, borrowed (as `serde_json`'s `json!` does).
pub trait ToJson {
    /// The value.
    fn to_json(&self) -> Value;
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for u64 {
    fn to_json(&self) -> Value {
        Value::Number(Number::U64(*self))
    }
}

impl ToJson for u32 {
    fn to_json(&self) -> Value {
        u64::from(*self).to_json()
    }
}

impl ToJson for u16 {
    fn to_json(&self) -> Value {
        u64::from(*self).to_json()
    }
}

impl ToJson for usize {
    fn to_json(&self) -> Value {
        (*self as u64).to_json()
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        match u64::try_from(*self) {
            Ok(u) => u.to_json(),
            Err(_) => Value::Number(Number::I64(*self)),
        }
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Value {
        i64::from(*self).to_json()
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson + ?Sized> From<&T> for Value {
    fn from(v: &T) -> Self {
        v.to_json()
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Self::Number(Number::U64(n))
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        n.to_json()
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Self::Object(m)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<u64> for Value {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

impl PartialEq<i32> for Value {
    fn eq(&self, other: &i32) -> bool {
        *self == other.to_json()
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

/// A [`Value`] written as JSON: `json!({ "a": 1, "b": [x, null] })`. Keys are strings (a
/// literal or a variable); any other value is an expression whose type is [`ToJson`], borrowed.
macro_rules! json {
    (null) => { $crate::json::Value::Null };
    ([ $($items:tt)* ]) => { $crate::json::Value::Array($crate::json::json_items!([] $($items)*)) };
    ({ $($fields:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::json::Map::new();
        $crate::json::json_fields!(map; $($fields)*);
        $crate::json::Value::Object(map)
    }};
    ($value:expr) => { $crate::json::ToJson::to_json(&$value) };
}

/// The items of a [`json!`] array.
#[allow(unused_macros)]
macro_rules! json_items {
    ([$($done:expr,)*]) => { ::std::vec![$($done),*] };
    ([$($done:expr,)*] null $(, $($rest:tt)*)?) => { $crate::json::json_items!([$($done,)* $crate::json::Value::Null,] $($($rest)*)?) };
    ([$($done:expr,)*] [ $($v:tt)* ] $(, $($rest:tt)*)?) => { $crate::json::json_items!([$($done,)* $crate::json::json!([ $($v)* ]),] $($($rest)*)?) };
    ([$($done:expr,)*] { $($v:tt)* } $(, $($rest:tt)*)?) => { $crate::json::json_items!([$($done,)* $crate::json::json!({ $($v)* }),] $($($rest)*)?) };
    ([$($done:expr,)*] $v:expr $(, $($rest:tt)*)?) => { $crate::json::json_items!([$($done,)* $crate::json::ToJson::to_json(&$v),] $($($rest)*)?) };
}

/// The fields of a [`json!`] object.
macro_rules! json_fields {
    ($m:ident;) => {};
    ($m:ident; $k:tt : null $(, $($rest:tt)*)?) => { $m.insert(::std::string::String::from($k), $crate::json::Value::Null); $crate::json::json_fields!($m; $($($rest)*)?); };
    ($m:ident; $k:tt : [ $($v:tt)* ] $(, $($rest:tt)*)?) => { $m.insert(::std::string::String::from($k), $crate::json::json!([ $($v)* ])); $crate::json::json_fields!($m; $($($rest)*)?); };
    ($m:ident; $k:tt : { $($v:tt)* } $(, $($rest:tt)*)?) => { $m.insert(::std::string::String::from($k), $crate::json::json!({ $($v)* })); $crate::json::json_fields!($m; $($($rest)*)?); };
    ($m:ident; $k:tt : $v:expr $(, $($rest:tt)*)?) => { $m.insert(::std::string::String::from($k), $crate::json::ToJson::to_json(&$v)); $crate::json::json_fields!($m; $($($rest)*)?); };
}

#[allow(unused_imports)]
pub(crate) use {json, json_fields, json_items};

/// Writes `s` as a JSON string: `"`, `\` and control characters escaped (`\b\f\n\r\t`, the
/// rest as lower-case `\u00xx`), everything else as is, as `serde_json` and
/// `JSON.stringify` do for UTF-8 text.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(crate::hex::digit(b >> 4));
            out.push(crate::hex::digit(b & 0xf));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// `s` as a JSON string.
#[must_use]
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    out
}

/// Writes a JSON object field by field, in the order given (a log line's fields, unlike a
/// [`Map`]'s, are not sorted).
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ObjectWriter {
    /// An empty object.
    #[must_use]
    pub fn new() -> Self {
        Self { out: String::from("{") }
    }

    /// Starts the field `key`; its value is to be written next.
    #[inline(never)]
    fn key(&mut self, key: &str) -> &mut String {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_str(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    /// A field whose value is JSON text already.
    pub fn raw(&mut self, key: &str, json: &str) {
        self.key(key).push_str(json);
    }

    /// A string field.
    pub fn str(&mut self, key: &str, value: &str) {
        write_str(self.key(key), value);
    }

    /// A number field.
    pub fn u64(&mut self, key: &str, value: u64) {
        use fmt::Write as _;
        let _ = write!(self.key(key), "{value}");
    }

    /// A boolean field.
    pub fn bool(&mut self, key: &str, value: bool) {
        self.raw(key, if value { "true" } else { "false" });
    }

    /// A string field, left out when `None`.
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    /// A number field, left out when `None`.
    pub fn opt_u64(&mut self, key: &str, value: Option<u64>) {
        if let Some(v) = value {
            self.u64(key, v);
        }
    }

    /// The object's text.
    #[must_use]
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// Why a text is not JSON, and where the parser stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: &'static str,
    end: usize,
    line: usize,
    column: usize,
}

impl Error {
    /// What is wrong, in `serde_json`'s words (`EOF while parsing a value`).
    #[must_use]
    pub fn message(&self) -> &'static str {
        self.message
    }

    /// How many bytes of the text were read, the offending one included.
    #[must_use]
    pub fn end(&self) -> usize {
        self.end
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

/// How deep arrays and objects may nest, as in `serde_json`: the parser recurses once per
/// level, and a request body must not exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Parses a whole JSON text (UTF-8 in its strings; whitespace around the value allowed).
///
/// # Errors
/// Not JSON, or nested [`MAX_DEPTH`] deep.
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    let mut p = Parser { text, at: 0, depth: 0 };
    let value = p.value()?;
    p.skip_space();
    if p.at < text.len() {
        return Err(p.error_here("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
}

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_STRING: &str = "EOF while parsing a string";

impl Parser<'_> {
    /// An error at the byte just read (or at the end).
    #[inline(never)]
    fn error(&self, message: &'static str, end: usize) -> Error {
        let end = end.min(self.text.len());
        let read = self.text.get(..end).unwrap_or_default();
        let line = 1 + read.iter().filter(|b| **b == b'\n').count();
        let column = read.iter().rev().take_while(|b| **b != b'\n').count();
        Error { message, end, line, column }
    }

    /// An error at the next byte, which is the offending one (or at the end).
    fn error_here(&self, message: &'static str) -> Error {
        self.error(message, self.at + 1)
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed; `eof` as the error at the end.
    fn next_token(&mut self, eof: &'static str) -> Result<u8, Error> {
        self.skip_space();
        self.peek().ok_or_else(|| self.error(eof, self.at))
    }

    fn value(&mut self) -> Result<Value, Error> {
        match self.next_token(EOF_VALUE)? {
            b'n' => self.word(b"null", Value::Null),
            b't' => self.word(b"true", Value::Bool(true)),
            b'f' => self.word(b"false", Value::Bool(false)),
            b'"' => {
                self.at += 1;
                self.string().map(Value::String)
            }
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => self.nested(Self::array),
            b'{' => self.nested(Self::object),
            _ => Err(self.error_here("expected value")),
        }
    }

    /// One more level of nesting, refused past [`MAX_DEPTH`].
    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here("recursion limit exceeded"));
        }
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn word(&mut self, word: &[u8], value: Value) -> Result<Value, Error> {
        for &want in word {
            match self.peek() {
                None => return Err(self.error(EOF_VALUE, self.at)),
                Some(b) if b == want => self.at += 1,
                Some(_) => return Err(self.error_here("expected ident")),
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let from = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - from
    }

    fn number(&mut self) -> Result<Value, Error> {
        let from = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let int_from = self.at;
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_here("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.error_here("invalid number")),
            None => return Err(self.error(EOF_VALUE, self.at)),
        }
        let int_end = self.at;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.peek().map_or_else(|| self.error(EOF_VALUE, self.at), |_| self.error_here("invalid number")));
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.peek().map_or_else(|| self.error(EOF_VALUE, self.at), |_| self.error_here("invalid number")));
            }
            float = true;
        }
        let text = self.text.get(from..self.at).unwrap_or_default();
        let digits = self.text.get(int_from..int_end).unwrap_or_default();
        let integer = (!float).then(|| digits.iter().try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))).flatten();
        let number = match integer {
            Some(n) if !negative => Number::U64(n),
            // `-0` is `serde_json`'s `-0.0`, a float.
            Some(n) if n > 0 && n <= 1 << 63 => Number::I64(0i64.wrapping_sub_unsigned(n)),
            _ => Number::Float(String::from_utf8_lossy(text).into_owned()),
        };
        Ok(Value::Number(number))
    }

    /// Four hex digits of a `\u` escape (an error names the end of all four, as
    /// `serde_json`'s does).
    fn hex4(&mut self) -> Result<u16, Error> {
        let Some(digits) = self.text.get(self.at..self.at + 4) else {
            return Err(self.error(EOF_STRING, self.text.len()));
        };
        self.at += 4;
        let mut n = 0u16;
        for &b in digits {
            let Some(d) = crate::hex::value(b) else {
                return Err(self.error("invalid escape", self.at));
            };
            n = n << 4 | u16::from(d);
        }
        Ok(n)
    }

    /// A string's text, from just after its opening quote to just after its closing one.
    fn string(&mut self) -> Result<String, Error> {
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error(EOF_STRING, self.at));
            };
            match b {
                b'"' => {
                    self.at += 1;
                    break;
                }
                b'\\' => {
                    self.at += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.error(EOF_STRING, self.at));
                    };
                    self.at += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape", self.at)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.error_here("control character (\\u0000-\\u001F) found while parsing a string")),
                _ => {
                    // The run of plain bytes up to the next quote, escape or control byte, at once.
                    let rest = self.text.get(self.at..).unwrap_or_default();
                    let run = rest.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(rest.len());
                    out.extend_from_slice(rest.get(..run).unwrap_or_default());
                    self.at += run;
                }
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid unicode code point", self.at))
    }

    /// The character of a `\uXXXX` escape (a surrogate pair, two of them), after the `u`.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                match (self.peek(), self.text.get(self.at + 1)) {
                    (Some(b'\\'), Some(b'u')) => self.at += 2,
                    (None, _) | (Some(b'\\'), None) => return Err(self.error(EOF_STRING, self.text.len())),
                    // At the byte that is not `u`, after a `\` (as serde_json reads it).
                    (Some(b'\\'), Some(_)) => return Err(self.error("unexpected end of hex escape", self.at + 2)),
                    _ => return Err(self.error_here("unexpected end of hex escape")),
                }
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape", self.at));
                }
                0x10000 + ((u32::from(first) - 0xd800) << 10) + (u32::from(second) - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.error("lone leading surrogate in hex escape", self.at)),
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point", self.at))
    }

    fn array(&mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        if self.next_token("EOF while parsing a list")? == b']' {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            match self.next_token("EOF while parsing a list")? {
                b',' => {
                    self.at += 1;
                    if self.next_token(EOF_VALUE)? == b']' {
                        return Err(self.error_here("trailing comma"));
                    }
                }
                b']' => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Error> {
        const EOF_OBJECT: &str = "EOF while parsing an object";
        // Collected, then sorted once (`SortedMap::from_pairs`): inserting each key into the
        // sorted map would be quadratic in a hostile body's keys.
        let mut pairs: Vec<(String, Value)> = Vec::new();
        if self.next_token(EOF_OBJECT)? == b'}' {
            self.at += 1;
            return Ok(Value::Object(Map::new()));
        }
        loop {
            if self.next_token(EOF_OBJECT)? != b'"' {
                return Err(self.error_here("key must be a string"));
            }
            self.at += 1;
            let key = self.string()?;
            if self.next_token(EOF_OBJECT)? != b':' {
                return Err(self.error_here("expected `:`"));
            }
            self.at += 1;
            // A repeated key: the last one is kept, as `serde_json` keeps it.
            pairs.push((key, self.value()?));
            match self.next_token(EOF_OBJECT)? {
                b',' => {
                    self.at += 1;
                    if self.next_token(EOF_VALUE)? == b'}' {
                        return Err(self.error_here("trailing comma"));
                    }
                }
                b'}' => {
                    self.at += 1;
                    return Ok(Value::Object(Map::from_pairs(pairs)));
                }
                _ => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Value {
        parse(text.as_bytes()).unwrap()
    }

    fn error(text: &str) -> String {
        parse(text.as_bytes()).unwrap_err().to_string()
    }

    /// The same text read by `serde_json` and written back by it.
    fn theirs(text: &str) -> Result<String, String> {
        serde_json::from_str::<serde_json::Value>(text).map(|v| v.to_string()).map_err(|e| e.to_string())
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn reads_and_writes_what_serde_json_does() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-1",
            "18446744073709551615",
            "-9223372036854775808",
            r#""a\"b\\c\/d\b\f\n\r\t\u0001\u001f\u007f\u00e9\u2028\ud83d\ude00 é""#,
            r#"{"b":1,"a":[1,2,{"c":null}],"a":{"x":"last wins"}}"#,
            "[]",
            "{}",
            " [ 1 , { } , [ ] ] ",
            "\"\u{7f}\u{2028}\"",
            "\"\\u0000\\uD83D\\uDE00\"",
        ] {
            assert_eq!(Ok(parsed(text).text()), theirs(text), "{text}");
        }
    }

    /// Many keys in descending order, some repeated: sorted once (not inserted one by one,
    /// which would be quadratic), with the last of each repeated key kept, as serde_json does.
    #[test]
    fn reads_an_object_of_many_keys_in_any_order_as_serde_json_does() {
        let mut text = String::from("{");
        for i in (0..30_000u32).rev() {
            text.push_str(&format!("\"k{i:05}\":{i},"));
            if i % 7 == 0 {
                text.push_str(&format!("\"k{:05}\":\"again {i}\",", i + 3));
            }
        }
        text.push_str("\"k00000\":\"last\"}");
        assert_eq!(Ok(parsed(&text).text()), theirs(&text));
        assert_eq!(parsed(&text).pointer("/k00000").and_then(Value::as_str), Some("last"));
    }

    #[test]
    fn keeps_other_numbers_as_written() {
        assert_eq!(parsed("[1.50,1e400,-0,18446744073709551616,-9223372036854775809]").text(), "[1.50,1e400,-0,18446744073709551616,-9223372036854775809]");
        assert!(matches!(parsed("1.5"), Value::Number(n) if n.is_f64()));
        assert!(matches!(parsed("-0"), Value::Number(n) if n.is_f64()));
        assert!(matches!(parsed("-5"), Value::Number(n) if n.is_i64() && !n.is_u64()));
        assert_eq!(parsed("-9223372036854775808"), Value::Number(Number::I64(i64::MIN)));
    }

    #[test]
    fn refuses_what_serde_json_refuses_with_its_message_and_position() {
        for text in [
            "",
            "   ",
            "{",
            "[",
            "[1",
            "[1,",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "[1 2]",
            "{1:2}",
            "{\"a\":",
            "{\"sources\": {\"a\": ",
            "\"abc",
            "\"a\\",
            "\"a\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\ud83d\\ude0\"",
            "\"\\ud83d\\u12g4\"",
            "\"\\ud83d\\",
            "\"\\ud83dx\"",
            "\"\\ud83d\\]\"",
            "\"\\ud83d\\n\"",
            "[1,2",
            "{\"a\":1",
            "{\"a\"",
            "{\"a",
            "[\"a\",]",
            "[[[[[[x]]]]]]",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "\"\u{1}\"",
            "01",
            "-",
            "-a",
            "1.",
            "1.e5",
            "1e",
            "1e+",
            "nul",
            "nulx",
            "tru",
            "x",
            "1 2",
            "{} x",
            "[1]\n\n ]",
            "{\n  \"a\": [\n    1,\n    x\n  ]\n}",
        ] {
            assert_eq!(Err(error(text)), theirs(text), "{text:?}");
        }
    }

    #[test]
    fn refuses_text_that_is_not_utf_8() {
        assert_eq!(parse(b"\"\xff\"").unwrap_err().message(), "invalid unicode code point");
        assert_eq!(parse(b"\xff").unwrap_err().message(), "expected value");
    }

    /// Under wasm too: its stack is what a hostile body would exhaust.
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn nests_as_deep_as_serde_json_and_no_deeper() {
        for depth in [1, 126, 127, 128, 129, 100_000] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let text = format!("{}{}", open.repeat(depth), close.repeat(depth));
                assert_eq!(parse(text.as_bytes()).map(|v| v.text()).map_err(|e| e.to_string()), theirs(&text), "{depth} {open}");
            }
        }
    }

    #[test]
    fn finds_values_by_pointer_as_serde_json_does() {
        let text = r#"{"a":{"b/c":[10,{"d~e":true}]},"":{"":"empty"},"0":"zero"}"#;
        let ours = parsed(text);
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        for pointer in ["", "/", "/a", "/a/b~1c", "/a/b~1c/0", "/a/b~1c/1/d~0e", "/a/b~1c/01", "/a/b~1c/+1", "/a/b~1c/2", "//", "/0", "a", "/a/x", "/a/b~1c/0/x"] {
            assert_eq!(ours.pointer(pointer).map(Value::text), theirs.pointer(pointer).map(ToString::to_string), "{pointer}");
        }
    }

    #[test]
    fn builds_values_and_objects_in_the_order_given() {
        let name: Option<&str> = None;
        let v = json!({ "b": [1u64, null, { "x": name }], "a": "q\"", "c": vec!["y".to_string()] });
        assert_eq!(v.text(), r#"{"a":"q\"","b":[1,null,{"x":null}],"c":["y"]}"#);
        let mut w = ObjectWriter::new();
        w.str("z", "\u{1}");
        w.opt_u64("n", None);
        w.u64("y", 7);
        w.bool("x", true);
        assert_eq!(w.finish(), r#"{"z":"\u0001","y":7,"x":true}"#);
        assert_eq!(ObjectWriter::new().finish(), "{}");
    }
}
