//! MACs of large bodies and every ECDSA and Ed25519 check, with WebCrypto (`crypto.subtle`), computed
//! from the JS buffer the body already lives in, so the body is not copied again across the
//! boundary. The core records which calls a verification needs (`verify::verify_deferred`);
//! this answers them. Signatures are only ever checked here in the Worker: the wasm carries
//! no curve code (see `crypto::CoreCrypto`).

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use super::task::Settled;

use crate::crypto::{Algorithm, Answer, Call, EcdsaCall, Ed25519Call, MacCall, Piece, RsaCall, RsaHash};

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

async fn check(kind: &str, hash: &str, key: &[u8], signature: &[u8], message: &JsValue) -> Result<JsValue, JsValue> {
    Settled::from(subtle(kind, hash, key, signature, message)).await
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

/// Each call's answer, in order.
///
/// # Errors
/// Whatever WebCrypto throws (it answers `false`, not an error, for a signature that does
/// not verify; it throws for a key it cannot import, such as a point off the curve).
pub async fn answers(calls: Vec<Call>, body: &ArrayBuffer) -> Result<Vec<(Call, Answer)>, JsValue> {
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let answer = match &c {
            Call::Mac(m) => Answer::Mac(mac(m, body).await?),
            Call::EcdsaP256(e) => Answer::Valid(ecdsa_p256(e, body).await?),
            Call::Ed25519(e) => Answer::Valid(ed25519(e, body).await?),
            Call::Rsa(r) => Answer::Valid(rsa(r, body).await?),
        };
        out.push((c, answer));
    }
    Ok(out)
}

async fn mac(c: &MacCall, body: &ArrayBuffer) -> Result<Vec<u8>, JsValue> {
    let hash = match c.alg {
        Algorithm::HmacSha256 => "SHA-256",
        Algorithm::HmacSha1 => "SHA-1",
        Algorithm::HmacSha512 => "SHA-512",
        Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 => return Err("not a MAC".into()),
    };
    let mac = check("HMAC", hash, &c.key, &[], &message(&c.pieces, body)).await?;
    Ok(Uint8Array::new(&mac).to_vec())
}

/// `importKey("spki", …, {name: "ECDSA", namedCurve: "P-256"})`, then
/// `verify({name: "ECDSA", hash: "SHA-256"}, key, r || s, message)`. The core has already
/// turned the header's DER signature into the 64-byte IEEE P1363 form WebCrypto takes.
async fn ecdsa_p256(c: &EcdsaCall, body: &ArrayBuffer) -> Result<bool, JsValue> {
    Ok(check("ECDSA", "SHA-256", c.key.spki(), &c.signature, &message(&c.pieces, body)).await?.as_bool().unwrap_or(false))
}

/// `importKey("raw", key, "Ed25519")`, then `verify("Ed25519", key, signature, message)`.
async fn ed25519(c: &Ed25519Call, body: &ArrayBuffer) -> Result<bool, JsValue> {
    Ok(check("Ed25519", "", &c.key, &c.signature, &message(&c.pieces, body)).await?.as_bool().unwrap_or(false))
}

/// RSASSA-PKCS1-v1_5 with `c.key`: a key at hand (configured or pinned), or the key of a
/// certificate fetched once per isolate (see [`super::certs`]).
async fn rsa(c: &RsaCall, body: &ArrayBuffer) -> Result<bool, JsValue> {
    let fetched;
    let spki: &[u8] = match &c.key {
        crate::cert::RsaKey::Spki(spki) => spki,
        crate::cert::RsaKey::Fetch(url) => {
            fetched = super::certs::spki(url).await?;
            &fetched
        }
    };
    let hash = match c.hash {
        RsaHash::Sha1 => "SHA-1",
        RsaHash::Sha256 => "SHA-256",
    };
    Ok(check("RSASSA-PKCS1-v1_5", hash, spki, &c.signature, &message(&c.pieces, body)).await?.as_bool().unwrap_or(false))
}
