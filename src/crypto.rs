//! The seam where MACs and signatures are computed.
//!
//! Schemes ask a [`Crypto`] for every MAC; [`CoreCrypto`] computes them in Rust, which is
//! the fast choice in wasm for small bodies. An adapter can fill the seam otherwise (for
//! example with WebCrypto for very large bodies, by recording the calls of a first pass,
//! computing them asynchronously and replaying them in a second pass): verification is
//! deterministic, so the calls come in the same order.

use hmac::{Hmac, KeyInit, Mac};

/// A signature algorithm a scheme can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA256, the common case.
    HmacSha256,
    /// HMAC-SHA1 (Twilio, GitHub's legacy header).
    HmacSha1,
    /// HMAC-SHA512.
    HmacSha512,
    /// Ed25519 signatures checked with a public key (Standard Webhooks `v1a`).
    Ed25519,
    /// ECDSA over P-256 with SHA-256, checked with a public key (SendGrid). The header
    /// carries a DER signature; the core converts it to the 64-byte `r || s` form
    /// ([`ecdsa_der_to_p1363`]) before anything else sees it.
    EcdsaP256Sha256,
}

impl crate::json_read::FromJson for Algorithm {
    fn from_json(value: &crate::json::Value, path: &str) -> Result<Self, crate::config::ConfigError> {
        crate::json_read::variant(value, path, &[
            ("hmac-sha256", Self::HmacSha256),
            ("hmac-sha1", Self::HmacSha1),
            ("hmac-sha512", Self::HmacSha512),
            ("ed25519", Self::Ed25519),
            ("ecdsa-p256-sha256", Self::EcdsaP256Sha256),
        ])
    }
}

impl Algorithm {
    /// Length in bytes of a MAC or signature; candidates of another length are malformed.
    #[must_use]
    pub fn output_len(self) -> usize {
        match self {
            Self::HmacSha256 => 32,
            Self::HmacSha1 => 20,
            Self::HmacSha512 | Self::Ed25519 | Self::EcdsaP256Sha256 => 64,
        }
    }

    /// Whether this is a shared-secret MAC (as opposed to a public-key signature).
    #[must_use]
    pub fn is_mac(self) -> bool {
        !matches!(self, Self::Ed25519 | Self::EcdsaP256Sha256)
    }

    /// Whether [`CoreCrypto`] computes this MAC in this build. The Worker leaves HMAC-SHA512
    /// (one preset, `terraform`) to WebCrypto: SHA-512 would be about 12 KB of wasm.
    #[must_use]
    pub fn computed_here(self) -> bool {
        self.is_mac() && !(cfg!(target_arch = "wasm32") && self == Self::HmacSha512)
    }
}

/// Computes MACs and checks signatures over a message given in pieces (the body is one
/// piece, never copied into a new buffer).
pub trait Crypto {
    /// The HMAC of the concatenated pieces. `alg` is always a MAC ([`Algorithm::is_mac`]).
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8>;
    /// Whether `signature` is a valid Ed25519 signature of the concatenated pieces.
    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool;
    /// Whether `signature` (`r || s`, 32 bytes each) is a valid ECDSA P-256 / SHA-256
    /// signature of the concatenated pieces under `key`.
    fn ecdsa_p256_verify(&self, key: &P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool;
    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature of the concatenated
    /// pieces under `key`: a public key at hand, or a certificate's that the Worker fetches
    /// (Amazon SNS, PayPal). The core does no I/O:
    /// [`CoreCrypto`] answers `false`; the Worker answers through a
    /// [`Recorder`]/[`Replayer`] pair, with the pinned key or fetching the certificate.
    fn rsa_verify(&self, key: &crate::cert::RsaKey, hash: RsaHash, message: &[&[u8]], signature: &[u8]) -> bool;
}

/// The hash of an RSASSA-PKCS1-v1_5 signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaHash {
    /// SHA-1 (SNS `SignatureVersion` 1).
    Sha1,
    /// SHA-256 (SNS `SignatureVersion` 2).
    Sha256,
}

/// The fixed DER prefix of a P-256 SubjectPublicKeyInfo with an uncompressed point:
/// `SEQUENCE { SEQUENCE { OID id-ecPublicKey, OID prime256v1 }, BIT STRING (0 unused) 04 ... }`.
const P256_SPKI_PREFIX: [u8; 27] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
];
/// Length of that SubjectPublicKeyInfo: the prefix and the point's two 32-byte coordinates.
pub const P256_SPKI_LEN: usize = 91;

/// A P-256 public key, kept as the DER SubjectPublicKeyInfo WebCrypto imports (`spki`).
///
/// Built only by [`P256Key::from_spki`], which accepts exactly the 91-byte encoding of an
/// uncompressed point on the named curve `prime256v1` (the form SendGrid's dashboard
/// shows). Natively the point is also checked to be on the curve; in wasm, where no
/// curve arithmetic is compiled in, WebCrypto checks it when it imports the key.
#[derive(Clone, PartialEq, Eq)]
pub struct P256Key(Vec<u8>);

impl P256Key {
    /// The key in `spki`, or `None` when it is not a P-256 SubjectPublicKeyInfo with an
    /// uncompressed point (natively: or the point is not on the curve).
    #[must_use]
    pub fn from_spki(spki: &[u8]) -> Option<Self> {
        if spki.len() != P256_SPKI_LEN || !spki.starts_with(&P256_SPKI_PREFIX) {
            return None;
        }
        #[cfg(not(target_arch = "wasm32"))]
        if p256::ecdsa::VerifyingKey::from_sec1_bytes(spki.get(P256_SPKI_PREFIX.len() - 1..)?).is_err() {
            return None;
        }
        Some(Self(spki.to_vec()))
    }

    /// The DER SubjectPublicKeyInfo.
    #[must_use]
    pub fn spki(&self) -> &[u8] {
        &self.0
    }

    /// The SEC1 uncompressed point (`04 || x || y`).
    #[must_use]
    pub fn point(&self) -> &[u8] {
        self.0.get(P256_SPKI_PREFIX.len() - 1..).unwrap_or_default()
    }
}

impl std::fmt::Debug for P256Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A public key, but the rule stays simple: no key material in any log line.
        f.write_str("P256Key([not shown])")
    }
}

/// One DER INTEGER at the start of `input`, as its unsigned big-endian magnitude without
/// the sign byte, and what follows it. `None` for anything but the strict DER form of a
/// positive integer of at most 32 bytes (short-form length, minimal, non-zero).
fn der_positive_int(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let len = usize::from(len);
    if tag != 0x02 || len == 0 || len >= 0x80 || rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    let first = *value.first()?;
    if first & 0x80 != 0 {
        return None; // negative
    }
    let magnitude = if first == 0 {
        let tail = value.get(1..)?;
        // A leading zero is allowed only to clear the sign bit of the next byte.
        if tail.first().is_none_or(|b| b & 0x80 == 0) {
            return None;
        }
        tail
    } else {
        value
    };
    if magnitude.len() > 32 {
        return None;
    }
    Some((magnitude, rest))
}

/// Converts a DER `ECDSA-Sig-Value` (`SEQUENCE { INTEGER r, INTEGER s }`) to the IEEE
/// P1363 `r || s` form WebCrypto verifies (32 bytes each, left-padded with zeros).
///
/// Strict: short-form lengths only (a P-256 signature is at most 72 bytes), the sequence
/// length must be exact with nothing after it, and both integers must be minimal, positive
/// and at most 32 bytes. `None` for anything else. Whether `r` and `s` are below the group
/// order is left to the verifier (both WebCrypto and `p256` refuse them).
#[must_use]
pub fn ecdsa_der_to_p1363(der: &[u8]) -> Option<[u8; 64]> {
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || len >= 0x80 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = der_positive_int(body)?;
    let (s, rest) = der_positive_int(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut out = [0u8; 64];
    out.get_mut(32 - r.len()..32)?.copy_from_slice(r);
    out.get_mut(64 - s.len()..)?.copy_from_slice(s);
    Some(out)
}

/// Pure-Rust implementations (RustCrypto `hmac`/`sha2`/`sha1`; natively also `ed25519-dalek`
/// and `p256`, whose checks the Worker leaves to WebCrypto).
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
            #[cfg(not(target_arch = "wasm32"))]
            Algorithm::HmacSha512 => mac_of::<Hmac<sha2::Sha512>>(key, message),
            // Left to WebCrypto (see `Algorithm::computed_here`): an empty MAC matches nothing.
            #[cfg(target_arch = "wasm32")]
            Algorithm::HmacSha512 => Vec::new(),
            Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 => Vec::new(),
        }
    }

    /// Natively with `ed25519-dalek`. The wasm carries no curve code: there the adapter
    /// verifies with WebCrypto (as for ECDSA), and this answers `false`.
    #[cfg(not(target_arch = "wasm32"))]
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

    #[cfg(target_arch = "wasm32")]
    fn ed25519_verify(&self, _public_key: &[u8; 32], _message: &[&[u8]], _signature: &[u8]) -> bool {
        false
    }

    /// Natively with RustCrypto's `p256`. The wasm carries no ECDSA code: there the adapter
    /// verifies with WebCrypto (recorded by a [`Recorder`], answered through a
    /// [`Replayer`]), and this answers `false`, so a signature is never taken as valid
    /// without being checked.
    #[cfg(not(target_arch = "wasm32"))]
    fn ecdsa_p256_verify(&self, key: &P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool {
        use p256::ecdsa::signature::Verifier as _;
        let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key.point()) else {
            return false;
        };
        let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
            return false;
        };
        key.verify(&message.concat(), &sig).is_ok()
    }

    #[cfg(target_arch = "wasm32")]
    fn ecdsa_p256_verify(&self, _key: &P256Key, _message: &[&[u8]], _signature: &[u8; 64]) -> bool {
        false
    }

    fn rsa_verify(&self, _key: &crate::cert::RsaKey, _hash: RsaHash, _message: &[&[u8]], _signature: &[u8]) -> bool {
        false
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
    /// The algorithm (always a MAC).
    pub alg: Algorithm,
    /// The key. Never logged.
    pub key: Vec<u8>,
    /// The message, in order.
    pub pieces: Vec<Piece>,
}

fn pieces_of(message: &[&[u8]], body: &[u8]) -> Vec<Piece> {
    message.iter().map(|p| if std::ptr::eq(*p, body) { Piece::Body } else { Piece::Bytes(p.to_vec()) }).collect()
}

impl MacCall {
    fn new(alg: Algorithm, key: &[u8], message: &[&[u8]], body: &[u8]) -> Self {
        Self { alg, key: key.to_vec(), pieces: pieces_of(message, body) }
    }
}

/// One ECDSA P-256 / SHA-256 check a verification asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcdsaCall {
    /// The public key.
    pub key: P256Key,
    /// The signed message, in order.
    pub pieces: Vec<Piece>,
    /// The candidate signature, `r || s`.
    pub signature: [u8; 64],
}

impl EcdsaCall {
    fn new(key: &P256Key, message: &[&[u8]], signature: &[u8; 64], body: &[u8]) -> Self {
        Self { key: key.clone(), pieces: pieces_of(message, body), signature: *signature }
    }
}

/// One Ed25519 check a verification asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ed25519Call {
    /// The public key.
    pub key: [u8; 32],
    /// The signed message, in order.
    pub pieces: Vec<Piece>,
    /// The candidate signature.
    pub signature: Vec<u8>,
}

/// One RSA check, against a key at hand or a certificate the adapter fetches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaCall {
    /// The key, or the certificate to fetch (its URL passed the provider's SSRF rule).
    pub key: crate::cert::RsaKey,
    /// The signature's hash.
    pub hash: RsaHash,
    /// The signed message, in order.
    pub pieces: Vec<Piece>,
    /// The signature.
    pub signature: Vec<u8>,
}

/// What a first pass asks the adapter to compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// A MAC.
    Mac(MacCall),
    /// An ECDSA P-256 signature check.
    EcdsaP256(EcdsaCall),
    /// An Ed25519 signature check.
    Ed25519(Ed25519Call),
    /// An RSA check with a fetched certificate.
    Rsa(RsaCall),
}

/// The adapter's answer to one [`Call`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The MAC computed for a [`Call::Mac`].
    Mac(Vec<u8>),
    /// Whether the signature of a [`Call::EcdsaP256`] is valid.
    Valid(bool),
}

/// What a [`Recorder`] leaves to the adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defer {
    /// MACs and signature checks (a large body: WebCrypto hashes it faster than wasm).
    Everything,
    /// Signature checks only (ECDSA, Ed25519, RSA), which the wasm cannot do, and MACs the
    /// wasm does not compute (HMAC-SHA512); the other MACs are computed in Rust at once.
    SignaturesOnly,
}

/// A first pass of verification that leaves work to the adapter: it records the calls,
/// answering each with an empty MAC or `false`, which match no candidate, so the scheme
/// asks for every MAC and check it could need. An adapter computes them elsewhere
/// (WebCrypto, asynchronously) and runs a second pass with a [`Replayer`]. Verification is
/// deterministic, so the second pass asks for the same calls in the same order until one
/// matches. MACs are computed at once under [`Defer::SignaturesOnly`].
#[derive(Debug)]
pub struct Recorder<'b> {
    body: &'b [u8],
    defer: Defer,
    calls: std::cell::RefCell<Vec<Call>>,
}

impl<'b> Recorder<'b> {
    /// A recorder for a request whose body is `body` (the slice given to the scheme).
    #[must_use]
    pub fn new(body: &'b [u8], defer: Defer) -> Self {
        Self { body, defer, calls: std::cell::RefCell::default() }
    }

    /// The calls recorded, in order.
    #[must_use]
    pub fn into_calls(self) -> Vec<Call> {
        self.calls.into_inner()
    }
}

impl Crypto for Recorder<'_> {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        if self.defer == Defer::SignaturesOnly && alg.computed_here() {
            return CoreCrypto.hmac(alg, key, message);
        }
        self.calls.borrow_mut().push(Call::Mac(MacCall::new(alg, key, message, self.body)));
        Vec::new()
    }

    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        let call = Ed25519Call { key: *public_key, pieces: pieces_of(message, self.body), signature: signature.to_vec() };
        self.calls.borrow_mut().push(Call::Ed25519(call));
        false
    }

    fn ecdsa_p256_verify(&self, key: &P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool {
        self.calls.borrow_mut().push(Call::EcdsaP256(EcdsaCall::new(key, message, signature, self.body)));
        false
    }

    fn rsa_verify(&self, key: &crate::cert::RsaKey, hash: RsaHash, message: &[&[u8]], signature: &[u8]) -> bool {
        let call = RsaCall { key: key.clone(), hash, pieces: pieces_of(message, self.body), signature: signature.to_vec() };
        self.calls.borrow_mut().push(Call::Rsa(call));
        false
    }
}

/// The second pass: answers each call with the answer computed for the same call of the
/// first pass. MACs and signature checks are matched in order, each kind apart (a
/// [`Defer::SignaturesOnly`] pass records only the MACs not [`Algorithm::computed_here`]).
/// A call that does not match its recorded twin is computed in Rust (for a MAC, without
/// taking the recorded one), so a MAC is always right and a
/// signature is never valid unchecked (in wasm, [`CoreCrypto`] answers `false`).
#[derive(Debug)]
pub struct Replayer<'b> {
    body: &'b [u8],
    macs: Vec<(MacCall, Vec<u8>)>,
    checks: Vec<(EcdsaCall, bool)>,
    eddsa: Vec<(Ed25519Call, bool)>,
    rsa: Vec<(RsaCall, bool)>,
    next_mac: std::cell::Cell<usize>,
    next_check: std::cell::Cell<usize>,
    next_eddsa: std::cell::Cell<usize>,
    next_rsa: std::cell::Cell<usize>,
}

impl<'b> Replayer<'b> {
    /// Answers for `body`'s calls, in the recorded order. A call paired with an answer of
    /// the other kind is dropped (then computed in Rust).
    #[must_use]
    pub fn new(body: &'b [u8], answers: Vec<(Call, Answer)>) -> Self {
        let mut macs = Vec::new();
        let mut checks = Vec::new();
        let mut eddsa = Vec::new();
        let mut rsa = Vec::new();
        for (call, answer) in answers {
            match (call, answer) {
                (Call::Mac(c), Answer::Mac(mac)) => macs.push((c, mac)),
                (Call::EcdsaP256(c), Answer::Valid(ok)) => checks.push((c, ok)),
                (Call::Ed25519(c), Answer::Valid(ok)) => eddsa.push((c, ok)),
                (Call::Rsa(c), Answer::Valid(ok)) => rsa.push((c, ok)),
                _ => {}
            }
        }
        let zero = || std::cell::Cell::new(0);
        Self { body, macs, checks, eddsa, rsa, next_mac: zero(), next_check: zero(), next_eddsa: zero(), next_rsa: zero() }
    }
}

fn take(next: &std::cell::Cell<usize>) -> usize {
    let at = next.get();
    next.set(at.saturating_add(1));
    at
}

impl Crypto for Replayer<'_> {
    fn hmac(&self, alg: Algorithm, key: &[u8], message: &[&[u8]]) -> Vec<u8> {
        // A recorded MAC is taken only by the same call: a pass that computed some MACs at
        // once (those `computed_here`) recorded only the others.
        let call = MacCall::new(alg, key, message, self.body);
        match self.macs.get(self.next_mac.get()) {
            Some((recorded, mac)) if *recorded == call => {
                take(&self.next_mac);
                mac.clone()
            }
            _ => CoreCrypto.hmac(alg, key, message),
        }
    }

    fn ed25519_verify(&self, public_key: &[u8; 32], message: &[&[u8]], signature: &[u8]) -> bool {
        let call = Ed25519Call { key: *public_key, pieces: pieces_of(message, self.body), signature: signature.to_vec() };
        match self.eddsa.get(take(&self.next_eddsa)) {
            Some((recorded, valid)) if *recorded == call => *valid,
            _ => CoreCrypto.ed25519_verify(public_key, message, signature),
        }
    }

    fn ecdsa_p256_verify(&self, key: &P256Key, message: &[&[u8]], signature: &[u8; 64]) -> bool {
        let call = EcdsaCall::new(key, message, signature, self.body);
        match self.checks.get(take(&self.next_check)) {
            Some((recorded, valid)) if *recorded == call => *valid,
            _ => CoreCrypto.ecdsa_p256_verify(key, message, signature),
        }
    }

    fn rsa_verify(&self, key: &crate::cert::RsaKey, hash: RsaHash, message: &[&[u8]], signature: &[u8]) -> bool {
        let call = RsaCall { key: key.clone(), hash, pieces: pieces_of(message, self.body), signature: signature.to_vec() };
        match self.rsa.get(take(&self.next_rsa)) {
            Some((recorded, valid)) if *recorded == call => *valid,
            _ => false,
        }
    }
}

/// CRC-32 (IEEE 802.3, the zlib one) of `bytes`: PayPal signs it in place of the body. Not a
/// cryptographic hash; bit by bit, so the wasm carries no table.
#[must_use]
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
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
    crate::hex::encode(sha2::Sha256::digest(bytes))
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
    crate::hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc4231_case_2() {
        let mac = CoreCrypto.hmac(Algorithm::HmacSha256, b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(crate::hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn hmac_sha1_and_sha512_match_rfc_vectors() {
        let sha1 = CoreCrypto.hmac(Algorithm::HmacSha1, b"Jefe", &[b"what do ya want for nothing?"]);
        assert_eq!(crate::hex::encode(sha1), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        let sha512 = CoreCrypto.hmac(Algorithm::HmacSha512, b"Jefe", &[b"what do ya want for nothing?"]);
        assert!(crate::hex::encode(sha512).starts_with("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd6"));
    }

    #[test]
    fn crc32_matches_the_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
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
        let rec = Recorder::new(&body, Defer::Everything);
        assert_eq!(rec.hmac(Algorithm::HmacSha256, b"k", &[b"123.", &body]), Vec::<u8>::new());
        rec.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]);
        let calls = rec.into_calls();
        let pieces = |c: &Call| match c {
            Call::Mac(m) => m.pieces.clone(),
            Call::EcdsaP256(e) => e.pieces.clone(),
            Call::Ed25519(e) => e.pieces.clone(),
            Call::Rsa(r) => r.pieces.clone(),
        };
        assert_eq!(pieces(&calls[0]), vec![Piece::Bytes(b"123.".to_vec()), Piece::Body]);
        // A sub-slice of the body is not the body.
        assert_eq!(pieces(&calls[1]), vec![Piece::Bytes(body[..3].to_vec())]);
        let answers = calls.into_iter().map(|c| (c, Answer::Mac(vec![7u8; 4]))).collect();
        let replay = Replayer::new(&body, answers);
        assert_eq!(replay.hmac(Algorithm::HmacSha256, b"k", &[b"123.", &body]), vec![7u8; 4]);
        // Out of step (another key): computed in Rust instead, never a wrong answer, and the
        // recorded answer stays for its own call.
        let expected = CoreCrypto.hmac(Algorithm::HmacSha1, b"other", &[&body[..3]]);
        assert_eq!(replay.hmac(Algorithm::HmacSha1, b"other", &[&body[..3]]), expected);
        assert_eq!(replay.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]), vec![7u8; 4]);
        assert_eq!(replay.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]), CoreCrypto.hmac(Algorithm::HmacSha1, b"k2", &[&body[..3]]), "each answer is used once");
    }

    /// SendGrid's published verification key (@sendgrid/eventwebhook's tests).
    const SENDGRID_SPKI_B64: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";

    fn sendgrid_spki() -> Vec<u8> {
        crate::base64::STANDARD.decode(SENDGRID_SPKI_B64).unwrap()
    }

    #[test]
    fn reads_only_an_uncompressed_p256_spki() {
        let spki = sendgrid_spki();
        let key = P256Key::from_spki(&spki).unwrap();
        assert_eq!(key.spki(), spki.as_slice());
        assert_eq!(key.point().len(), 65);
        assert_eq!(key.point()[0], 0x04);
        assert_eq!(format!("{key:?}"), "P256Key([not shown])");
        assert_eq!(P256Key::from_spki(&spki[..90]), None, "truncated");
        assert_eq!(P256Key::from_spki(&[spki.as_slice(), &[0]].concat()), None, "trailing byte");
        let mut other_curve = spki.clone();
        other_curve[22] = 0x08; // prime256v1 (…03 01 07) → another curve OID
        assert_eq!(P256Key::from_spki(&other_curve), None);
        let mut compressed_tag = spki.clone();
        compressed_tag[26] = 0x02;
        assert_eq!(P256Key::from_spki(&compressed_tag), None);
        // Natively the point is checked to be on the curve (in wasm WebCrypto does it).
        let mut off_curve = spki.clone();
        off_curve[90] ^= 1;
        assert_eq!(P256Key::from_spki(&off_curve), None);
    }

    fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
        let mut body = vec![0x02, r.len() as u8];
        body.extend(r);
        body.extend([0x02, s.len() as u8]);
        body.extend(s);
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn converts_strict_der_signatures_to_p1363_only() {
        let r = [0x11u8; 32];
        let mut s_high = [0x22u8; 32];
        s_high[0] = 0x99; // top bit set: DER needs a 00 in front
        let with_sign_byte = [&[0u8][..], &s_high].concat();
        let got = ecdsa_der_to_p1363(&der(&r, &with_sign_byte)).unwrap();
        assert_eq!(&got[..32], &r);
        assert_eq!(&got[32..], &s_high);
        // Short integers are left-padded.
        let got = ecdsa_der_to_p1363(&der(&[0x05], &[0x07, 0x08])).unwrap();
        assert_eq!(got[31], 0x05);
        assert_eq!(&got[62..], &[0x07, 0x08]);
        assert!(got[..31].iter().all(|b| *b == 0));
        // Refused: the top bit without a sign byte (negative), a needless 00, zero, 33
        // bytes of magnitude, trailing data, a wrong or long-form length, other tags, empty.
        assert_eq!(ecdsa_der_to_p1363(&der(&r, &s_high)), None);
        assert_eq!(ecdsa_der_to_p1363(&der(&[0x00, 0x11], &r)), None);
        assert_eq!(ecdsa_der_to_p1363(&der(&[0x00], &r)), None);
        assert_eq!(ecdsa_der_to_p1363(&der(&[0x11; 33], &r)), None);
        assert_eq!(ecdsa_der_to_p1363(&der(&[0x00, 0x80], &r)).map(|s| s[31]), Some(0x80));
        let mut trailing = der(&r, &r);
        trailing.push(0);
        assert_eq!(ecdsa_der_to_p1363(&trailing), None);
        let mut short_len = der(&r, &r);
        short_len[1] -= 1;
        assert_eq!(ecdsa_der_to_p1363(&short_len), None);
        let mut inner_len = der(&r, &r);
        inner_len[3] = 0x40; // r claims more bytes than there are
        assert_eq!(ecdsa_der_to_p1363(&inner_len), None);
        let body = &der(&r, &r)[2..];
        assert_eq!(ecdsa_der_to_p1363(&[&[0x30, 0x81, body.len() as u8][..], body].concat()), None);
        let mut tag = der(&r, &r);
        tag[0] = 0x31;
        assert_eq!(ecdsa_der_to_p1363(&tag), None);
        assert_eq!(ecdsa_der_to_p1363(&[]), None);
        assert_eq!(ecdsa_der_to_p1363(&[0x30]), None);
        assert_eq!(ecdsa_der_to_p1363(&[0x30, 0x00]), None);
        assert_eq!(ecdsa_der_to_p1363(&[0x30, 0x03, 0x02, 0x01, 0x01]), None, "one integer only");
    }

    #[test]
    fn verifies_sendgrids_published_signature_natively() {
        let key = P256Key::from_spki(&sendgrid_spki()).unwrap();
        let sig = crate::base64::STANDARD
            .decode("MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=")
            .unwrap();
        let sig = ecdsa_der_to_p1363(&sig).unwrap();
        let body = concat!(
            r#"[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","#,
            r#""sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]"#,
            "\r\n"
        );
        assert!(CoreCrypto.ecdsa_p256_verify(&key, &[b"1600112502", body.as_bytes()], &sig));
        assert!(!CoreCrypto.ecdsa_p256_verify(&key, &[b"1600112503", body.as_bytes()], &sig));
        let mut zero_r = sig;
        zero_r[..32].fill(0);
        assert!(!CoreCrypto.ecdsa_p256_verify(&key, &[b"1600112502", body.as_bytes()], &zero_r));
    }

    #[test]
    fn a_mac_the_wasm_leaves_to_webcrypto_is_recorded_and_replayed_among_computed_ones() {
        // RFC 4231, test case 2.
        let body = b"what do ya want for nothing?".to_vec();
        let sha512 = crate::hex::decode("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737").unwrap();
        let sha256 = |k: &[u8]| CoreCrypto.hmac(Algorithm::HmacSha256, k, &[&body]);
        let rec = Recorder::new(&body, Defer::SignaturesOnly);
        assert_eq!(rec.hmac(Algorithm::HmacSha256, b"k", &[&body]), sha256(b"k"));
        let first = rec.hmac(Algorithm::HmacSha512, b"Jefe", &[&body]);
        assert_eq!(rec.hmac(Algorithm::HmacSha256, b"j", &[&body]), sha256(b"j"));
        let calls = rec.into_calls();
        if Algorithm::HmacSha512.computed_here() {
            assert_eq!(first, sha512);
            assert!(calls.is_empty());
        } else {
            assert!(first.is_empty(), "an uncomputed MAC matches nothing");
            assert_eq!(calls.len(), 1);
        }
        // The second pass takes the recorded MAC only for its own call.
        let replay = Replayer::new(&body, calls.into_iter().map(|c| (c, Answer::Mac(sha512.clone()))).collect());
        assert_eq!(replay.hmac(Algorithm::HmacSha256, b"k", &[&body]), sha256(b"k"));
        assert_eq!(replay.hmac(Algorithm::HmacSha512, b"Jefe", &[&body]), sha512);
        assert_eq!(replay.hmac(Algorithm::HmacSha256, b"j", &[&body]), sha256(b"j"));
    }

    #[test]
    fn a_signatures_only_pass_computes_macs_and_records_ecdsa_checks() {
        let body = b"[{}]".to_vec();
        let key = P256Key::from_spki(&sendgrid_spki()).unwrap();
        let rec = Recorder::new(&body, Defer::SignaturesOnly);
        assert_eq!(rec.hmac(Algorithm::HmacSha256, b"k", &[&body]), CoreCrypto.hmac(Algorithm::HmacSha256, b"k", &[&body]));
        assert!(!rec.ecdsa_p256_verify(&key, &[b"1", &body], &[1u8; 64]), "a recorded check never passes");
        let calls = rec.into_calls();
        assert_eq!(calls.len(), 1);
        assert!(matches!(&calls[0], Call::EcdsaP256(c) if c.pieces == vec![Piece::Bytes(b"1".to_vec()), Piece::Body] && c.signature == [1u8; 64]));
        // The replay answers the recorded check; an unrecorded one falls back to Rust
        // (natively p256, which refuses this signature; in wasm, `false`).
        let replay = Replayer::new(&body, calls.into_iter().map(|c| (c, Answer::Valid(true))).collect());
        assert!(replay.ecdsa_p256_verify(&key, &[b"1", &body], &[1u8; 64]));
        assert!(!replay.ecdsa_p256_verify(&key, &[b"2", &body], &[1u8; 64]));
        // An answer of the wrong kind is never used.
        let rec = Recorder::new(&body, Defer::Everything);
        rec.ecdsa_p256_verify(&key, &[&body], &[2u8; 64]);
        let mixed = Replayer::new(&body, rec.into_calls().into_iter().map(|c| (c, Answer::Mac(vec![1]))).collect());
        assert!(!mixed.ecdsa_p256_verify(&key, &[&body], &[2u8; 64]));
    }

    #[test]
    fn rejects_an_ed25519_signature_of_the_wrong_length() {
        assert!(!CoreCrypto.ed25519_verify(&[0u8; 32], &[b"x"], &[0u8; 63]));
    }
}
