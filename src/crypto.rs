//! The seam where MACs and signatures are computed.
//!
//! Schemes ask a [`Crypto`] for every MAC; [`CoreCrypto`] computes them in Rust, which is
//! the fast choice in wasm for small bodies. An adapter can fill the seam otherwise (for
//! example with WebCrypto for very large bodies, by recording the calls of a first pass,
//! computing them asynchronously and replaying them in a second pass): verification is
//! deterministic, so the calls come in the same order.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;

/// A signature algorithm a scheme can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// HMAC-SHA256, the common case.
    HmacSha256,
    /// HMAC-SHA1 (Twilio, GitHub's legacy header).
    HmacSha1,
    /// HMAC-SHA512.
    HmacSha512,
    /// Ed25519 signatures checked with a public key (Standard Webhooks `v1a`).
    Ed25519,
}

impl Algorithm {
    /// Length in bytes of a MAC or signature; candidates of another length are malformed.
    #[must_use]
    pub fn output_len(self) -> usize {
        match self {
            Self::HmacSha256 => 32,
            Self::HmacSha1 => 20,
            Self::HmacSha512 | Self::Ed25519 => 64,
        }
    }

    /// Whether this is a shared-secret MAC (as opposed to a public-key signature).
    #[must_use]
    pub fn is_mac(self) -> bool {
        !matches!(self, Self::Ed25519)
    }
}

/// Computes MACs and checks signatures over a message given in pieces (the body is one
/// piece, never copied into a new buffer).
pub trait Crypto {
    /// The HMAC of the concatenated pieces. `alg` is never `Ed25519`.
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8>;
    /// Whether `signature` is a valid Ed25519 signature of the concatenated pieces.
    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool;
}

/// Pure-Rust implementations (RustCrypto `hmac`/`sha2`/`sha1`, `ed25519-dalek`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CoreCrypto;

fn mac_of<M: Mac + KeyInit>(key: &[u8], message: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail; an empty MAC would never match.
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    for piece in message {
        mac.update(piece);
    }
    mac.finalize().into_bytes().to_vec()
}

impl Crypto for CoreCrypto {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        match alg {
            Algorithm::HmacSha256 => mac_of::<Hmac<sha2::Sha256>>(key, message),
            Algorithm::HmacSha1 => mac_of::<Hmac<sha1::Sha1>>(key, message),
            Algorithm::HmacSha512 => mac_of::<Hmac<sha2::Sha512>>(key, message),
            Algorithm::Ed25519 => Vec::new(),
        }
    }

    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(public_key) else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        let joined = message.concat();
        key.verify_strict(&joined, &sig).is_ok()
    }
}

/// A piece of a message a scheme asked to MAC: the request body by reference (so an
/// adapter can use the buffer it already holds), or other bytes (a timestamp, a URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The request body, the very slice the recorder was given.
    Body,
    /// Anything else, copied.
    Bytes(Vec<u8>),
}

/// One MAC a verification asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacCall {
    /// The algorithm (never `Ed25519`).
    pub alg: Algorithm,
    /// The key. Never logged.
    pub key: Vec<u8>,
    /// The message, in order.
    pub pieces: Vec<Piece>,
}

impl MacCall {
    fn new(alg: Algorithm, key: &[u8], message: &[&[u8]], body: &[u8]) -> Self {
        let pieces = message
            .iter()
            .map(|p| if std::ptr::eq(*p, body) { Piece::Body } else { Piece::Bytes(p.to_vec()) })
            .collect();
        Self { alg, key: key.to_vec(), pieces }
    }
}

/// A first pass of verification that computes no MAC: it records the calls, answering
/// each with an empty MAC that matches no candidate, so the scheme asks for every MAC it
/// could need. An adapter computes them elsewhere (WebCrypto, asynchronously) and runs a
/// second pass with a [`Replayer`]. Verification is deterministic, so the second pass asks
/// for the same MACs in the same order until one matches. Ed25519 is checked at once.
#[derive(Debug)]
pub struct Recorder<'b> {
    body: &'b [u8],
    calls: std::cell::RefCell<Vec<MacCall>>,
}

impl<'b> Recorder<'b> {
    /// A recorder for a request whose body is `body` (the slice given to the scheme).
    #[must_use]
    pub fn new(body: &'b [u8]) -> Self {
        Self { body, calls: std::cell::RefCell::default() }
    }

    /// The calls recorded, in order.
    #[must_use]
    pub fn into_calls(self) -> Vec<MacCall> {
        self.calls.into_inner()
    }
}

impl Crypto for Recorder<'_> {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        self.calls.borrow_mut().push(MacCall::new(alg, key, message, self.body));
        Vec::new()
    }

    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        CoreCrypto.ed25519_verify(public_key, message, signature)
    }
}

/// The second pass: answers each call with the MAC computed for the same call of the
/// first pass. A call that does not match its recorded twin (which would be a bug) is
/// computed in Rust, so the result is always right.
#[derive(Debug)]
pub struct Replayer<'b> {
    body: &'b [u8],
    answers: Vec<(MacCall, Vec<u8>)>,
    next: std::cell::Cell<usize>,
}

impl<'b> Replayer<'b> {
    /// Answers for `body`'s calls, in the recorded order.
    #[must_use]
    pub fn new(body: &'b [u8], answers: Vec<(MacCall, Vec<u8>)>) -> Self {
        Self { body, answers, next: std::cell::Cell::new(0) }
    }
}

impl Crypto for Replayer<'_> {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        let at = self.next.get();
        self.next.set(at + 1);
        let call = MacCall::new(alg, key, message, self.body);
        match self.answers.get(at) {
            Some((recorded, mac)) if *recorded == call => mac.clone(),
            _ => CoreCrypto.hmac(alg, key, message),
        }
    }

    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        CoreCrypto.ed25519_verify(public_key, message, signature)
    }
}

/// Constant-time equality that does not reveal either length: both sides are hashed to 32
/// bytes first, then compared in constant time (shared tokens, the admin token).
#[must_use]
pub fn ct_eq_hashed(a: &[u8], b: &[u8]) -> bool {
    use sha2::Digest as _;
    use subtle::ConstantTimeEq as _;
    bool::from(sha2::Sha256::digest(a).ct_eq(&sha2::Sha256::digest(b)))
}

/// SHA-256 of bytes, hex-encoded: the fallback event id and Twilio's `bodySHA256`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// SHA-256 of several pieces, each prefixed by its length so that no two different lists
/// of pieces hash alike; hex-encoded. The replay-proof dedupe key of what a provider signed.
#[must_use]
pub fn sha256_pieces_hex(pieces: &[&[u8]]) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for piece in pieces {
        hasher.update((piece.len() as u64).to_be_bytes());
        hasher.update(piece);
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc4231_case_2() {
        let mac = CoreCrypto.hmac(Algorithm::HmacSha256, b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn hmac_sha1_and_sha512_match_rfc_vectors() {
        let sha1 = CoreCrypto.hmac(Algorithm::HmacSha1, b"Jefe", &[b"what do ya want for nothing?"]);
        assert_eq!(hex::encode(sha1), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        let sha512 = CoreCrypto.hmac(Algorithm::HmacSha512, b"Jefe", &[b"what do ya want for nothing?"]);
        assert!(hex::encode(sha512).starts_with("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd6"));
    }

    #[test]
    fn hashed_comparison_matches_only_equal_bytes() {
        assert!(ct_eq_hashed(b"token-1", b"token-1"));
        assert!(!ct_eq_hashed(b"token-1", b"token-2"));
        assert!(!ct_eq_hashed(b"token", b"token-1"));
        assert!(!ct_eq_hashed(b"", b"x"));
    }

    #[test]
    fn piece_digests_do_not_merge_shifted_boundaries() {
        assert_ne!(sha256_pieces_hex(&[b"ab", b"c"]), sha256_pieces_hex(&[b"a", b"bc"]));
        assert_eq!(sha256_pieces_hex(&[b"ab", b"c"]), sha256_pieces_hex(&[b"ab", b"c"]));
    }

    #[test]
    fn a_recorded_pass_replays_to_the_same_macs_and_marks_the_body() {
        let body = b"{\"id\":1}".to_vec();
        let rec = Recorder::new(&body);
        assert_eq!(rec.hmac(Algorithm::HmacSha256, b"k", &[b"123.", &body]), Vec::<u8>::new());
        rec.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]);
        let calls = rec.into_calls();
        assert_eq!(calls[0].pieces, vec![Piece::Bytes(b"123.".to_vec()), Piece::Body]);
        // A sub-slice of the body is not the body.
        assert_eq!(calls[1].pieces, vec![Piece::Bytes(body[..3].to_vec())]);
        let answers = calls.into_iter().map(|c| (c, vec![7u8; 4])).collect();
        let replay = Replayer::new(&body, answers);
        assert_eq!(replay.hmac(Algorithm::HmacSha256, b"k", &[b"123.", &body]), vec![7u8; 4]);
        // Out of step (another key): computed in Rust instead, never a wrong answer.
        let expected = CoreCrypto.hmac(Algorithm::HmacSha1, b"other", &[&body[..3]]);
        assert_eq!(replay.hmac(Algorithm::HmacSha1, b"other", &[&body[..3]]), expected);
        assert_eq!(replay.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]), CoreCrypto.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]));
    }

    #[test]
    fn rejects_an_ed25519_signature_of_the_wrong_length() {
        assert!(!CoreCrypto.ed25519_verify(&[0u8; 32], &[b"x"], &[0u8; 63]));
    }
}
