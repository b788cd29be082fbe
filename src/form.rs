//! `application/x-www-form-urlencoded` (WHATWG URL standard, section 5): form bodies (Twilio,
//! Plivo, Mailgun, `form` fields) and query strings, read and written as the
//! `form_urlencoded` crate does. In the crate itself: that crate and `percent_encoding`
//! were 2.6 KB of the wasm, with a 768-byte table; the tests check this one against it.

use std::borrow::Cow;

/// The name and value pairs of `input`, in order, each `+` a space and each `%XX` its byte,
/// then read as UTF-8 (an invalid sequence becomes U+FFFD). Empty pairs (`a&&b`) are
/// skipped; a pair without `=` has an empty value.
pub fn parse(input: &[u8]) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    input.split(|&b| b == b'&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (pair.get(..at).unwrap_or_default(), pair.get(at + 1..).unwrap_or_default()),
            None => (pair, &[][..]),
        };
        (decode(name), decode(value))
    })
}

/// Every pair, sorted by name, then by value (the order Twilio and Plivo sign them in): no
/// B-tree's code in the wasm, O(n log n) in a body not yet authenticated.
#[must_use]
pub fn sorted(input: &[u8]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = parse(input).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    pairs.sort_unstable();
    pairs
}

/// The value of the first pair named `name`.
#[must_use]
pub fn first(input: &[u8], name: &str) -> Option<String> {
    parse(input).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if !bytes.iter().any(|&b| b == b'+' || b == b'%') {
        return String::from_utf8_lossy(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'+' => out.push(b' '),
            // A `%` not followed by two hex digits stays as it is.
            b'%' => match tail {
                [hi, lo, after @ ..] => match (crate::hex::value(*hi), crate::hex::value(*lo)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        rest = after;
                    }
                    _ => out.push(b'%'),
                },
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Appends `name=value` to a query being built, after a `&` unless it is the first pair:
/// ASCII letters, digits and `*-._` as they are, a space as `+`, every other byte `%XX`.
pub fn append_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    encode(query, name);
    query.push('=');
    encode(query, value);
}

fn encode(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(crate::hex::digit(b >> 4).to_ascii_uppercase());
                out.push(crate::hex::digit(b & 15).to_ascii_uppercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes weighted toward what the format treats specially.
    fn generated(rng: &mut crate::test_rng::Xorshift) -> Vec<u8> {
        const SPECIAL: &[u8] = b"&=+%%%aF09 zZ*-._~/?#";
        let len = rng.below(24) as usize;
        (0..len)
            .map(|_| match rng.below(4) {
                0 => rng.below(256) as u8,
                1 => b"\xc3\xa9\xe2\x82\xac\xff"[rng.below(6) as usize],
                _ => SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
            })
            .collect()
    }

    #[test]
    fn parses_as_the_form_urlencoded_crate_does() {
        let mut rng = crate::test_rng::Xorshift(0x6a09_e667);
        for _ in 0..50_000 {
            let input = generated(&mut rng);
            let ours: Vec<(String, String)> = parse(&input).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let theirs: Vec<(String, String)> = form_urlencoded::parse(&input).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            assert_eq!(ours, theirs, "{input:?}");
        }
    }

    #[test]
    fn writes_as_the_form_urlencoded_crate_does() {
        let mut rng = crate::test_rng::Xorshift(0xbb67_ae85);
        for _ in 0..20_000 {
            let pairs: Vec<(String, String)> = (0..rng.below(4))
                .map(|_| (String::from_utf8_lossy(&generated(&mut rng)).into_owned(), String::from_utf8_lossy(&generated(&mut rng)).into_owned()))
                .collect();
            let mut ours = String::new();
            let mut theirs = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                append_pair(&mut ours, k, v);
                theirs.append_pair(k, v);
            }
            assert_eq!(ours, theirs.finish(), "{pairs:?}");
            let back: Vec<(String, String)> = parse(ours.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            assert_eq!(back, pairs);
        }
    }

    #[test]
    fn reads_the_first_value_of_a_name() {
        assert_eq!(first(b"a=1&b=x+y%21&a=2", "a").as_deref(), Some("1"));
        assert_eq!(first(b"a=1&b=x+y%21&a=2", "b").as_deref(), Some("x y!"));
        assert_eq!(first(b"flag&%zz=%4", "flag").as_deref(), Some(""));
        assert_eq!(first(b"flag&%zz=%4", "%zz").as_deref(), Some("%4"));
        assert_eq!(first(b"a=1", "A"), None);
    }
}
