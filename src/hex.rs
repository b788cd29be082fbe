//! Hex, as signatures and digests are written: lower case out, either case in. In the crate
//! itself rather than the `hex` crate (its error type and formatting were 1 KB of the wasm);
//! the tests check it against the crate.

/// `bytes` as lower-case hex.
#[must_use]
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    let bytes = bytes.as_ref();
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 15));
    }
    out
}

/// The lower-case hex digit of `n` (below 16).
#[must_use]
pub fn digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// The bytes `text` spells, two digits each, in either case.
///
/// # Errors
/// An odd length or a character that is not a hex digit.
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>, NotHex> {
    let text = text.as_ref();
    if text.len() % 2 != 0 {
        return Err(NotHex);
    }
    text.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Ok(value(*hi).ok_or(NotHex)? << 4 | value(*lo).ok_or(NotHex)?),
            _ => Err(NotHex),
        })
        .collect()
}

/// What the hex digit `digit` (either case) stands for; `None` for any other byte.
#[must_use]
pub fn value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Not an even number of hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotHex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_hex_crate() {
        let mut rng = crate::test_rng::Xorshift(0x3c6e_f372);
        const DIGITS: &[u8] = b"0123456789abcdefABCDEFgG x";
        for _ in 0..50_000 {
            let bytes: Vec<u8> = (0..rng.below(40)).map(|_| rng.below(256) as u8).collect();
            assert_eq!(encode(&bytes), ::hex::encode(&bytes));
            assert_eq!(decode(encode(&bytes)), Ok(bytes));
            let text: Vec<u8> = (0..rng.below(12)).map(|_| DIGITS[rng.below(DIGITS.len() as u64) as usize]).collect();
            assert_eq!(decode(&text).ok(), ::hex::decode(&text).ok(), "{text:?}");
        }
    }
}
