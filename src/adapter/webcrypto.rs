//! MACs of large bodies and every ECDSA and Ed25519 check, with WebCrypto (`crypto.subtle`), computed
//! from the JS buffer the body already lives in, so the body is not copied again across the
//! boundary. The core records which calls a verification needs (`verify::verify_deferred`);
//! this answers them. Signatures are only ever checked here in the Worker: the wasm carries
//! no curve code (see `crypto::CoreCrypto`).

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use super::task::Settled;

use crate::cert::RsaKey;
use crate::crypto::{Algorithm, Answer, Call, Piece, RsaCall, RsaHash};

// One call into `crypto.subtle`: the key imported, then the MAC computed (its bytes) or the
// signature checked (a boolean). In JS, so that each check is one crossing and one await.
// `key` and `signature` are views of wasm memory: copied before the first await.
#[wasm_bindgen(inline_js = r#"export async function subtle(kind, hash, key, signature, message) {
  const s = crypto.subtle;
  key = key.slice();
  signature = signature.slice();
  if (kind === 'HMAC') return new Uint8Array(await s.sign('HMAC', await s.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']), message));
  if (kind === 'ECDSA') return s.verify({ name: 'ECDSA', hash: 'SHA-256' }, await s.importKey('spki', key, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']), signature, message);
  if (kind === 'Ed25519') return s.verify('Ed25519', await s.importKey('raw', key, 'Ed25519', false, ['verify']), signature, message);
  return s.verify('RSASSA-PKCS1-v1_5', await s.importKey('spki', key, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']), signature, message);
}"#)]
extern "C" {
    fn subtle(kind: &str, hash: &str, key: &[u8], signature: &[u8], message: &JsValue) -> Promise;
}

/// The message as one buffer: the body's own buffer when it is the whole message, else a
/// new one holding the pieces in order (WebCrypto takes a single buffer).
fn message(pieces: &[Piece], body: &ArrayBuffer) -> JsValue {
    if let [Piece::Body] = pieces {
        return body.into();
    }
    let len: u32 = pieces.iter().map(|p| match p {
        Piece::Body => body.byte_length(),
        Piece::Bytes(b) => u32::try_from(b.len()).unwrap_or(u32::MAX),
    }).sum();
    let joined = Uint8Array::new_with_length(len);
    let mut at = 0;
    for piece in pieces {
        match piece {
            Piece::Body => {
                joined.set(&Uint8Array::new(body), at);
                at += body.byte_length();
            }
            Piece::Bytes(b) => {
                joined.set(&Uint8Array::from(b.as_slice()), at);
                at += u32::try_from(b.len()).unwrap_or(u32::MAX);
            }
        }
    }
    joined.into()
}

/// Each call's answer, in order: one `subtle` call (and one await) each, whatever its kind.
///
/// # Errors
/// Whatever WebCrypto throws (it answers `false`, not an error, for a signature that does
/// not verify; it throws for a key it cannot import, such as a point off the curve), or
/// why a certificate could not be had.
pub async fn answers(calls: Vec<Call>, body: &ArrayBuffer) -> Result<Vec<(Call, Answer)>, JsValue> {
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        // RSA with a key of a certificate fetched once per isolate (see [`super::certs`]).
        let fetched = match &c {
            Call::Rsa(RsaCall { key: RsaKey::Fetch(url), .. }) => super::certs::spki(url).await?,
            _ => Vec::new(),
        };
        // `importKey` then `sign` (a MAC's bytes) or `verify` (a boolean). ECDSA's signature
        // is already the 64-byte IEEE P1363 `r || s` WebCrypto takes (the core converted it).
        let (kind, hash, key, signature, pieces): (&str, &str, &[u8], &[u8], &[Piece]) = match &c {
            Call::Mac(m) => ("HMAC", mac_hash(m.alg)?, &m.key, &[], &m.pieces),
            Call::EcdsaP256(e) => ("ECDSA", "SHA-256", e.key.spki(), &e.signature, &e.pieces),
            Call::Ed25519(e) => ("Ed25519", "", &e.key, &e.signature, &e.pieces),
            Call::Rsa(r) => {
                let spki = match &r.key {
                    RsaKey::Spki(spki) => spki,
                    RsaKey::Fetch(_) => &fetched,
                };
                let hash = match r.hash {
                    RsaHash::Sha1 => "SHA-1",
                    RsaHash::Sha256 => "SHA-256",
                };
                ("RSASSA-PKCS1-v1_5", hash, spki, &r.signature, &r.pieces)
            }
        };
        let got = Settled::from(subtle(kind, hash, key, signature, &message(pieces, body))).await?;
        let answer = match c {
            Call::Mac(_) => Answer::Mac(Uint8Array::new(&got).to_vec()),
            _ => Answer::Valid(got.as_bool().unwrap_or(false)),
        };
        out.push((c, answer));
    }
    Ok(out)
}

fn mac_hash(alg: Algorithm) -> Result<&'static str, JsValue> {
    match alg {
        Algorithm::HmacSha256 => Ok("SHA-256"),
        Algorithm::HmacSha1 => Ok("SHA-1"),
        Algorithm::HmacSha512 => Ok("SHA-512"),
        Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 => Err("not a MAC".into()),
    }
}
