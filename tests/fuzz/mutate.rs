//! Mutations: byte-level (flips, inserts, deletes, splices, dictionary tokens, interesting
//! numbers, floods) and structure-aware (JSON values, form bodies).

use serde_json::{Map, Value};

use crate::engine::Rng;

/// Tokens every target's mutations may insert: separators and prefixes of the schemes'
/// headers, template placeholders, pointer escapes, percent escapes, URL pieces, and text
/// that often breaks parsers.
pub const COMMON: &[&str] = &[
    "v1=", "v1,", "v1a,", "v0=", "t=", "s=", "sha256=", "sha1=", ",", " ", "=", ";", ":", "\t", "\r\n",
    "whsec_", "whpk_", "Bearer ", "Basic ", "{timestamp}", "{body}", "{id}", "{url}", "{header:", "{", "}",
    "/", "~0", "~1", "~", "%", "%ff", "%zz", "%00", "%2F", "+", "&", "?", "#", "://", ":443", ":80",
    "bodySHA256=", "token=", "[::1]", "@", "..", "é", "\u{0}", "\u{feff}", "\u{1f600}", "\u{202e}", "\u{fffd}",
    "null", "true", "[]", "{}", "\"", "\\", "\\u0000", "\\ud800", "'", "MessageSid", "CallSid",
    "application/x-www-form-urlencoded", "application/json", "url_verification", "challenge",
    "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-02-30T25:61:61+25:00",
    "2026-01-01T00:00:00.123456789+14:00", "1970-01-01T00:00:00-23:59",
];

/// Numbers around type limits, and times near the vectors' clock.
pub const NUMBERS: &[&str] = &[
    "0", "1", "-1", "-0", "255", "256", "65535", "65536", "2147483647", "2147483648", "-2147483649",
    "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
    "1e3", "1.5", "1e309", "0x10", "+1", "00000000001767225600", "1767225600", "1767225600000",
    "1767225299", "1767225901", "253402300799", "-62135596800",
];

/// Integers for numeric fields (tolerances, windows, clocks).
pub const INTS: &[u64] = &[
    0, 1, 59, 60, 61, 299, 300, 301, 3600, 86_400, 90_000, 259_200, 2_592_000, 315_360_000, 315_360_001,
    1_767_225_600, 1_767_225_600_000, i32::MAX as u64, u32::MAX as u64, i64::MAX as u64, (i64::MAX as u64) + 1, u64::MAX,
];

const BYTES: &[u8] = &[0, 1, 0x7f, 0x80, 0xff, 0xc3, 0xe2, b'"', b'\\', b'%', b',', b'=', b' ', b'{', b'}', b':', b'/', b'&', b'\n', b'~'];

/// A uniformly chosen element.
pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// A stack depth like AFL's havoc: mostly small, sometimes up to 8.
pub fn depth(rng: &mut Rng) -> usize {
    1 << rng.u32(0..4)
}

fn token<'a>(rng: &mut Rng, dict: &[&'a str]) -> &'a str {
    if dict.is_empty() || rng.bool() {
        if rng.u8(..) < 200 {
            pick::<&str>(rng, COMMON)
        } else {
            pick::<&str>(rng, NUMBERS)
        }
    } else {
        pick::<&str>(rng, dict)
    }
}

/// One byte-level mutation, keeping `data` at most `max_len` bytes.
pub fn bytes(rng: &mut Rng, data: &mut Vec<u8>, dict: &[&str], others: &[&[u8]], max_len: usize) {
    let len = data.len();
    let at = |rng: &mut Rng| rng.usize(..=len);
    match rng.u8(0..16) {
        0 if len > 0 => {
            let i = rng.usize(..len);
            data[i] ^= 1 << rng.u8(0..8);
        }
        1 if len > 0 => {
            let i = rng.usize(..len);
            data[i] = if rng.bool() { *pick(rng, BYTES) } else { rng.u8(..) };
        }
        2 => {
            let i = at(rng);
            let n = rng.usize(1..=8);
            let fill: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
            data.splice(i..i, fill);
        }
        3 | 4 if len > 0 => {
            let i = rng.usize(..len);
            let cap = if rng.bool() { 4 } else { len };
            let n = rng.usize(1..=(len - i).min(cap));
            data.drain(i..i + n);
        }
        5 if len > 0 => {
            let i = rng.usize(..len);
            let n = rng.usize(1..=(len - i).min(64));
            let chunk = data[i..i + n].to_vec();
            let j = at(rng);
            data.splice(j..j, chunk);
        }
        6..=8 => {
            let t = token(rng, dict).as_bytes().to_vec();
            let i = at(rng);
            data.splice(i..i, t);
        }
        9 if len > 0 => {
            let t = token(rng, dict).as_bytes().to_vec();
            let i = rng.usize(..len);
            let n = rng.usize(1..=(len - i).min(t.len().max(1)));
            data.splice(i..i + n, t);
        }
        10 if len > 0 => data.truncate(rng.usize(..len)),
        11 => {
            // Replace a run of digits (or insert) with a number near a type limit.
            let num = pick(rng, NUMBERS).as_bytes().to_vec();
            match data.iter().position(u8::is_ascii_digit).filter(|_| rng.bool()) {
                Some(start) => {
                    let end = data[start..].iter().position(|b| !b.is_ascii_digit()).map_or(len, |e| start + e);
                    data.splice(start..end, num);
                }
                None => {
                    let i = at(rng);
                    data.splice(i..i, num);
                }
            }
        }
        12 if len > 0 => {
            // A flood: one chunk repeated many times (candidate lists, deep nesting).
            let i = rng.usize(..len);
            let n = rng.usize(1..=(len - i).min(80));
            let chunk = data[i..i + n].to_vec();
            let times = *pick(rng, &[2usize, 10, 100, 1000, 10_000]);
            let room = max_len.saturating_sub(len) / chunk.len().max(1);
            let j = at(rng);
            data.splice(j..j, chunk.repeat(times.min(room)));
        }
        13 if !others.is_empty() => {
            // Splice with another input's bytes.
            let other = others[rng.usize(..others.len())];
            if !other.is_empty() {
                let i = rng.usize(..other.len());
                let n = rng.usize(1..=(other.len() - i).min(256));
                let j = at(rng);
                let cut = rng.usize(j..=len).min(j + n);
                data.splice(j..cut, other[i..i + n].iter().copied());
            }
        }
        14 if len > 0 => {
            let i = rng.usize(..len);
            let n = rng.usize(1..=(len - i).min(16));
            for b in &mut data[i..i + n] {
                if b.is_ascii_alphabetic() {
                    *b ^= 0x20;
                }
            }
        }
        15 => {
            let c = *pick(rng, &['é', 'ß', '\u{0}', '\u{7f}', '\u{85}', '\u{a0}', '\u{2028}', '\u{feff}', '\u{10ffff}', 'İ', 'K']);
            let mut buf = [0u8; 4];
            let i = at(rng);
            data.splice(i..i, c.encode_utf8(&mut buf).as_bytes().iter().copied());
        }
        _ => {
            let t = token(rng, dict).as_bytes().to_vec();
            data.extend(t);
        }
    }
    data.truncate(max_len);
}

/// One mutation of a string, as bytes, then read back as UTF-8 (invalid bytes become U+FFFD).
pub fn string(rng: &mut Rng, s: &mut String, dict: &[&str], max_len: usize) {
    let mut b = std::mem::take(s).into_bytes();
    bytes(rng, &mut b, dict, &[], max_len);
    *s = match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
}

/// A short random string: a token, digits, hex, or a mutated token.
pub fn short_string(rng: &mut Rng, dict: &[&str]) -> String {
    match rng.u8(0..6) {
        0 => token(rng, dict).to_string(),
        1 => pick(rng, NUMBERS).to_string(),
        2 => (0..rng.usize(0..=70)).map(|_| *pick(rng, b"0123456789abcdef") as char).collect(),
        3 => (0..rng.usize(0..=90)).map(|_| *pick(rng, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_") as char).collect(),
        4 => String::new(),
        _ => {
            let mut s = token(rng, dict).to_string();
            for _ in 0..depth(rng) {
                string(rng, &mut s, dict, 256);
            }
            s
        }
    }
}

/// A random JSON value, `depth` levels deep at most.
pub fn json_value(rng: &mut Rng, dict: &[&str], keys: &[&str], depth_left: usize) -> Value {
    match rng.u8(0..if depth_left == 0 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => match rng.u8(0..4) {
            0 => Value::from(*pick(rng, INTS)),
            1 => Value::from(rng.i64(..)),
            2 => serde_json::Number::from_f64(f64::from_bits(rng.u64(..))).map_or(Value::Null, Value::Number),
            _ => Value::from(rng.i64(-1000..1000)),
        },
        3 | 4 => Value::String(short_string(rng, dict)),
        5 => Value::Array((0..rng.usize(0..4)).map(|_| json_value(rng, dict, keys, depth_left - 1)).collect()),
        _ => Value::Object(
            (0..rng.usize(0..5))
                .map(|_| (key(rng, keys), json_value(rng, dict, keys, depth_left - 1)))
                .collect(),
        ),
    }
}

fn key(rng: &mut Rng, keys: &[&str]) -> String {
    if !keys.is_empty() && rng.u8(..) < 220 {
        pick(rng, keys).to_string()
    } else {
        short_string(rng, &[])
    }
}

/// How many nodes `v` has (itself included).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// Node `n` (mod the node count) in pre-order.
fn nth(v: &mut Value, n: usize) -> &mut Value {
    let path = path_to(v, n % count(v));
    let mut cur = v;
    for i in path {
        cur = match cur {
            Value::Array(a) => &mut a[i],
            Value::Object(o) => o.values_mut().nth(i).unwrap(),
            _ => unreachable!(),
        };
    }
    cur
}

fn path_to(v: &Value, n: usize) -> Vec<usize> {
    fn go(v: &Value, n: &mut usize, path: &mut Vec<usize>) -> bool {
        if *n == 0 {
            return true;
        }
        *n -= 1;
        let children: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) => o.values().collect(),
            _ => Vec::new(),
        };
        for (i, c) in children.into_iter().enumerate() {
            path.push(i);
            if go(c, n, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    let mut n = n;
    go(v, &mut n, &mut path);
    path
}

/// One structural mutation of a JSON value: replace, delete, add, nest, duplicate, or
/// mutate a string or number in place.
pub fn json(rng: &mut Rng, root: &mut Value, dict: &[&str], keys: &[&str]) {
    let n = rng.usize(..count(root));
    let node = nth(root, n);
    match rng.u8(0..9) {
        0 => *node = json_value(rng, dict, keys, 3),
        1 => match node {
            Value::Object(o) if !o.is_empty() => {
                let k = o.keys().nth(rng.usize(..o.len())).cloned().unwrap();
                o.remove(&k);
            }
            Value::Array(a) if !a.is_empty() => {
                a.remove(rng.usize(..a.len()));
            }
            _ => *node = Value::Null,
        },
        2 => match node {
            Value::Object(o) => {
                o.insert(key(rng, keys), json_value(rng, dict, keys, 2));
            }
            Value::Array(a) => a.push(json_value(rng, dict, keys, 2)),
            _ => *node = json_value(rng, dict, keys, 1),
        },
        3 => {
            // Deep nesting: past serde_json's recursion limit (128) sometimes.
            let levels = *pick(rng, &[2usize, 20, 100, 127, 128, 129, 500]);
            let mut v = std::mem::take(node);
            for i in 0..levels {
                v = if i % 2 == 0 { Value::Array(vec![v]) } else { Value::Object(Map::from_iter([("a".to_string(), v)])) };
            }
            *node = v;
        }
        4 => match node {
            Value::String(s) => string(rng, s, dict, 4096),
            _ => *node = Value::String(short_string(rng, dict)),
        },
        5 => {
            *node = match node {
                Value::String(s) => s.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::from(*pick(rng, INTS))),
                Value::Number(n) => Value::String(n.to_string()),
                _ => Value::from(*pick(rng, INTS)),
            }
        }
        6 => {
            let copy = node.clone();
            match node {
                Value::Array(a) => a.push(copy),
                Value::Object(o) => {
                    o.insert(key(rng, keys), copy);
                }
                _ => *node = Value::Array(vec![copy.clone(), copy]),
            }
        }
        7 => *node = Value::String("x".repeat(*pick(rng, &[0usize, 1, 200, 201, 512, 70_000]))),
        _ => *node = Value::from(*pick(rng, INTS)),
    }
}

/// Parses a form body into pairs (raw, not decoded), for structural mutation.
pub fn form_pairs(body: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    body.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.iter().position(|b| *b == b'=') {
            Some(i) => (p[..i].to_vec(), p[i + 1..].to_vec()),
            None => (p.to_vec(), Vec::new()),
        })
        .collect()
}

pub fn form_join(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend(k);
        out.push(b'=');
        out.extend(v);
    }
    out
}

/// Form parameter names Twilio sends, and odd ones.
pub const FORM_KEYS: &[&str] = &[
    "MessageSid", "CallSid", "SmsSid", "MessageStatus", "AccountSid", "From", "To", "Body", "ApiVersion",
    "bodySHA256", "token", "id", "ts", "", "a%20b", "%ff", "+", "MessageSid%00",
];

/// One structural mutation of a form body.
pub fn form(rng: &mut Rng, body: &mut Vec<u8>) {
    let mut pairs = form_pairs(body);
    match rng.u8(0..7) {
        0 => pairs.push((pick(rng, FORM_KEYS).as_bytes().to_vec(), short_string(rng, &[]).into_bytes())),
        1 if !pairs.is_empty() => {
            pairs.remove(rng.usize(..pairs.len()));
        }
        2 if !pairs.is_empty() => {
            let p = pairs[rng.usize(..pairs.len())].clone();
            pairs.insert(rng.usize(..=pairs.len()), p);
        }
        3 if pairs.len() > 1 => {
            let (a, b) = (rng.usize(..pairs.len()), rng.usize(..pairs.len()));
            pairs.swap(a, b);
        }
        4 if !pairs.is_empty() => {
            let i = rng.usize(..pairs.len());
            let dict = &["%", "%2", "%zz", "%C3%A9", "+", "%26", "%3D", "&", "="];
            bytes(rng, &mut pairs[i].1, dict, &[], 4096);
        }
        5 if !pairs.is_empty() => {
            let i = rng.usize(..pairs.len());
            bytes(rng, &mut pairs[i].0, FORM_KEYS, &[], 256);
        }
        _ => {
            let n = *pick(rng, &[1usize, 10, 1000, 20_000]);
            for i in 0..n {
                pairs.push((format!("P{i}").into_bytes(), b"v".to_vec()));
            }
        }
    }
    *body = form_join(&pairs);
}
