//! MACs of large bodies and every ECDSA and Ed25519 check, with WebCrypto (`crypto.subtle`), computed
//! from the JS buffer the body already lives in, so the body is not copied again across the
//! boundary. The core records which calls a verification needs (`verify::verify_deferred`);
//! this answers them. Signatures are only ever checked here in the Worker: the wasm carries
//! no curve code (see `crypto::CoreCrypto`).

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;

use crate::crypto::{Algorithm, Answer, Call, EcdsaCall, Ed25519Call, MacCall, Piece, RsaCall, RsaHash};

fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    Reflect::get(target, &name.into())?.dyn_into()
}

async fn call(target: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
    let promise: Promise = method(target, name)?.apply(target, args)?.dyn_into()?;
    Settled::from(promise).await
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
    let subtle = Reflect::get(&Reflect::get(&js_sys::global(), &"crypto".into())?, &"subtle".into())?;
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let answer = match &c {
            Call::Mac(m) => Answer::Mac(mac(&subtle, m, body).await?),
            Call::EcdsaP256(e) => Answer::Valid(ecdsa_p256(&subtle, e, body).await?),
            Call::Ed25519(e) => Answer::Valid(ed25519(&subtle, e, body).await?),
            Call::Rsa(r) => Answer::Valid(rsa(&subtle, r, body).await?),
        };
        out.push((c, answer));
    }
    Ok(out)
}

async fn mac(subtle: &JsValue, c: &MacCall, body: &ArrayBuffer) -> Result<Vec<u8>, JsValue> {
    let hash = match c.alg {
        Algorithm::HmacSha256 => "SHA-256",
        Algorithm::HmacSha1 => "SHA-1",
        Algorithm::HmacSha512 => "SHA-512",
        Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 => return Err("not a MAC".into()),
    };
    let alg = Object::new();
    Reflect::set(&alg, &"name".into(), &"HMAC".into())?;
    Reflect::set(&alg, &"hash".into(), &hash.into())?;
    let raw = Uint8Array::from(c.key.as_slice());
    let import = Array::of5(&"raw".into(), &raw, &alg, &JsValue::FALSE, &Array::of1(&"sign".into()));
    let key = call(subtle, "importKey", &import).await?;
    let sign = Array::of3(&"HMAC".into(), &key, &message(&c.pieces, body));
    let mac: ArrayBuffer = call(subtle, "sign", &sign).await?.dyn_into()?;
    Ok(Uint8Array::new(&mac).to_vec())
}

/// `importKey("spki", …, {name: "ECDSA", namedCurve: "P-256"})`, then
/// `verify({name: "ECDSA", hash: "SHA-256"}, key, r || s, message)`. The core has already
/// turned the header's DER signature into the 64-byte IEEE P1363 form WebCrypto takes.
async fn ecdsa_p256(subtle: &JsValue, c: &EcdsaCall, body: &ArrayBuffer) -> Result<bool, JsValue> {
    let import_alg = Object::new();
    Reflect::set(&import_alg, &"name".into(), &"ECDSA".into())?;
    Reflect::set(&import_alg, &"namedCurve".into(), &"P-256".into())?;
    let spki = Uint8Array::from(c.key.spki());
    let import = Array::of5(&"spki".into(), &spki, &import_alg, &JsValue::FALSE, &Array::of1(&"verify".into()));
    let key = call(subtle, "importKey", &import).await?;
    let verify_alg = Object::new();
    Reflect::set(&verify_alg, &"name".into(), &"ECDSA".into())?;
    Reflect::set(&verify_alg, &"hash".into(), &"SHA-256".into())?;
    let signature = Uint8Array::from(c.signature.as_slice());
    let args = Array::of4(&verify_alg, &key, &signature, &message(&c.pieces, body));
    Ok(call(subtle, "verify", &args).await?.as_bool().unwrap_or(false))
}

/// `importKey("raw", key, "Ed25519")`, then `verify("Ed25519", key, signature, message)`.
async fn ed25519(subtle: &JsValue, c: &Ed25519Call, body: &ArrayBuffer) -> Result<bool, JsValue> {
    let alg: JsValue = "Ed25519".into();
    let raw = Uint8Array::from(c.key.as_slice());
    let import = Array::of5(&"raw".into(), &raw, &alg, &JsValue::FALSE, &Array::of1(&"verify".into()));
    let key = call(subtle, "importKey", &import).await?;
    let signature = Uint8Array::from(c.signature.as_slice());
    let args = Array::of4(&alg, &key, &signature, &message(&c.pieces, body));
    Ok(call(subtle, "verify", &args).await?.as_bool().unwrap_or(false))
}

/// RSASSA-PKCS1-v1_5 with `c.key`: a key at hand (configured or pinned), or the key of a
/// certificate fetched once per isolate (see [`super::certs`]).
async fn rsa(subtle: &JsValue, c: &RsaCall, body: &ArrayBuffer) -> Result<bool, JsValue> {
    let spki = match &c.key {
        crate::cert::RsaKey::Spki(spki) => spki.clone(),
        crate::cert::RsaKey::Fetch(url) => super::certs::spki(url).await?,
    };
    let alg = Object::new();
    Reflect::set(&alg, &"name".into(), &"RSASSA-PKCS1-v1_5".into())?;
    let hash = match c.hash {
        RsaHash::Sha1 => "SHA-1",
        RsaHash::Sha256 => "SHA-256",
    };
    Reflect::set(&alg, &"hash".into(), &hash.into())?;
    let import = Array::of5(&"spki".into(), &Uint8Array::from(spki.as_slice()), &alg, &JsValue::FALSE, &Array::of1(&"verify".into()));
    let key = call(subtle, "importKey", &import).await?;
    let signature = Uint8Array::from(c.signature.as_slice());
    let args = Array::of4(&"RSASSA-PKCS1-v1_5".into(), &key, &signature, &message(&c.pieces, body));
    Ok(call(subtle, "verify", &args).await?.as_bool().unwrap_or(false))
}
