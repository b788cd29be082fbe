//! Base64 (RFC 4648), standard and URL-safe, with the `base64` crate's strict rules: no
//! whitespace or other bytes outside the alphabet, `=` only at the end, and the last symbol's
//! unused bits zero, so each byte string has one accepted spelling per padding choice. In
//! the crate itself, not the `base64` crate: its general-purpose engine was 5 KB of the
//! wasm; the tests check this one against it.

/// Which 64 symbols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// `A–Z a–z 0–9 + /`.
    Standard,
    /// `A–Z a–z 0–9 - _`.
    UrlSafe,
}

/// What `decode` accepts at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// Exactly the `=` that make the length a multiple of 4.
    Required,
    /// Those `=`, fewer, or none (providers differ).
    Optional,
}

const STANDARD_SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE_SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Alphabet {
    const fn symbols(self) -> &'static [u8; 64] {
        match self {
            Self::Standard => STANDARD_SYMBOLS,
            Self::UrlSafe => URL_SAFE_SYMBOLS,
        }
    }

    fn value(self, c: u8) -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' if self == Self::Standard => 62,
            b'/' if self == Self::Standard => 63,
            b'-' if self == Self::UrlSafe => 62,
            b'_' if self == Self::UrlSafe => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
}

/// An alphabet with its padding rules, used as the `base64` crate's engines were.
#[derive(Clone, Copy, Debug)]
pub struct Engine {
    alphabet: Alphabet,
    padding: Padding,
    pad: bool,
}

/// Standard, padding required (and written).
pub const STANDARD: Engine = Engine { alphabet: Alphabet::Standard, padding: Padding::Required, pad: true };
/// Standard, padding optional when read (providers differ), written.
pub const BASE64: Engine = Engine { alphabet: Alphabet::Standard, padding: Padding::Optional, pad: true };
/// URL-safe, padding optional when read, not written.
pub const BASE64URL: Engine = Engine { alphabet: Alphabet::UrlSafe, padding: Padding::Optional, pad: false };

/// Not base64 by the engine's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid;

impl Engine {
    /// The bytes `text` spells.
    ///
    /// # Errors
    /// [`Invalid`]: not base64 by this engine's rules.
    pub fn decode(&self, text: impl AsRef<[u8]>) -> Result<Vec<u8>, Invalid> {
        decode(text.as_ref(), self.alphabet, self.padding).ok_or(Invalid)
    }

    /// `bytes` in this engine's alphabet.
    #[must_use]
    pub fn encode(&self, bytes: impl AsRef<[u8]>) -> String {
        encode(bytes.as_ref(), self.alphabet, self.pad)
    }
}

/// `bytes` in `alphabet`, padded with `=` when `pad`.
#[must_use]
pub fn encode(bytes: &[u8], alphabet: Alphabet, pad: bool) -> String {
    let symbols = alphabet.symbols();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        let kept = chunk.len() + 1;
        for i in 0..4 {
            if i < kept {
                out.extend(symbols.get(((n >> (18 - 6 * i)) & 63) as usize).map(|&c| char::from(c)));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes `text` spells; `None` when it is not base64 by the rules above.
#[must_use]
pub fn decode(text: &[u8], alphabet: Alphabet, padding: Padding) -> Option<Vec<u8>> {
    let body_len = text.iter().rposition(|&c| c != b'=').map_or(0, |i| i + 1);
    let (body, pads) = text.split_at(body_len);
    let tail = body.len() % 4;
    // One symbol alone carries 6 bits: never a whole byte.
    if tail == 1 {
        return None;
    }
    let canonical = if tail == 0 { 0 } else { 4 - tail };
    let pads_ok = match padding {
        Padding::Required => pads.len() == canonical,
        Padding::Optional => pads.len() <= canonical,
    };
    if !pads_ok {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= alphabet.value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let whole = chunk.len() - 1;
        // The bits of the last symbol past the last byte must be zero (canonical).
        if whole < 3 && n & (0x00FF_FFFF >> (8 * whole)) != 0 {
            return None;
        }
        out.extend_from_slice(bytes.get(..whole)?);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD as B64, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::engine::DecodePaddingMode;
    use base64::Engine as _;
    use crate::test_rng::Xorshift;

    const INDIFFERENT: GeneralPurpose =
        GeneralPurpose::new(&base64::alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));
    const URL_INDIFFERENT: GeneralPurpose =
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));

    #[test]
    fn encodes_as_the_base64_crate_does() {
        let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            assert_eq!(super::STANDARD.encode(&bytes), B64.encode(&bytes));
            assert_eq!(super::BASE64.encode(&bytes), B64.encode(&bytes));
            assert_eq!(encode(&bytes, Alphabet::UrlSafe, true), URL_SAFE.encode(&bytes));
            assert_eq!(super::BASE64URL.encode(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
        }
    }

    /// Every verdict and every decoded byte agree with the crate, over valid encodings and
    /// texts near them: symbols of both alphabets, `=` anywhere, whitespace, other bytes,
    /// non-canonical last symbols and every length.
    #[test]
    fn decodes_as_the_base64_crate_does() {
        let mut rng = Xorshift(0xD1B5_4A32_D192_ED03);
        let extra = b"AQgw+/-_=  \n.\x00\xff";
        for round in 0..60_000 {
            let text: Vec<u8> = if round % 3 == 0 {
                let bytes: Vec<u8> = (0..rng.next() % 40).map(|_| rng.next() as u8).collect();
                let mut t = B64.encode(&bytes).into_bytes();
                if !t.is_empty() {
                    let at = (rng.next() as usize) % t.len();
                    t[at] = extra[(rng.next() as usize) % extra.len()];
                }
                t
            } else {
                let len = (rng.next() % 12) as usize;
                (0..len)
                    .map(|_| if rng.next().is_multiple_of(4) { extra[(rng.next() as usize) % extra.len()] } else { STANDARD_SYMBOLS[(rng.next() % 64) as usize] })
                    .collect()
            };
            assert_eq!(super::STANDARD.decode(&text).ok(), B64.decode(&text).ok(), "{text:?} standard");
            assert_eq!(super::BASE64.decode(&text).ok(), INDIFFERENT.decode(&text).ok(), "{text:?} optional");
            assert_eq!(super::BASE64URL.decode(&text).ok(), URL_INDIFFERENT.decode(&text).ok(), "{text:?} url");
        }
    }

    #[test]
    fn refuses_what_the_rules_refuse() {
        for bad in ["Q", "QQ=", "QR==", "QQ==\n", " QQ==", "Q=Q=", "QQ===", "QQ-_"] {
            assert_eq!(super::STANDARD.decode(bad), Err(Invalid), "{bad}");
        }
        assert_eq!(super::BASE64.decode("QQ"), Ok(b"A".to_vec()));
        assert_eq!(super::BASE64.decode("QQ="), Ok(b"A".to_vec()));
        assert_eq!(super::STANDARD.decode("QQ"), Err(Invalid));
        assert_eq!(super::STANDARD.decode(""), Ok(Vec::new()));
        assert_eq!(super::BASE64URL.decode("-_-_"), Ok(vec![0xfb, 0xff, 0xbf]));
    }
}
