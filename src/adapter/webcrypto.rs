//! MACs of large bodies with WebCrypto (`crypto.subtle`), computed from the JS buffer the
//! body already lives in, so the body is not copied again across the boundary. The core
//! records which MACs a verification needs (`verify::verify_deferred`); this computes them.

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::crypto::{Algorithm, MacCall, Piece};

fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    Reflect::get(target, &name.into())?.dyn_into()
}

async fn call(target: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
    let promise: Promise = method(target, name)?.apply(target, args)?.dyn_into()?;
    JsFuture::from(promise).await
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

/// Each call's MAC, in order.
///
/// # Errors
/// Whatever WebCrypto throws; the caller then computes the MACs in Rust.
pub async fn macs(calls: Vec<MacCall>, body: &ArrayBuffer) -> Result<Vec<(MacCall, Vec<u8>)>, JsValue> {
    let subtle = Reflect::get(&Reflect::get(&js_sys::global(), &"crypto".into())?, &"subtle".into())?;
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let hash = match c.alg {
            Algorithm::HmacSha256 => "SHA-256",
            Algorithm::HmacSha1 => "SHA-1",
            Algorithm::HmacSha512 => "SHA-512",
            Algorithm::Ed25519 => return Err("not a MAC".into()),
        };
        let alg = Object::new();
        Reflect::set(&alg, &"name".into(), &"HMAC".into())?;
        Reflect::set(&alg, &"hash".into(), &hash.into())?;
        let raw = Uint8Array::from(c.key.as_slice());
        let import = Array::of5(&"raw".into(), &raw, &alg, &JsValue::FALSE, &Array::of1(&"sign".into()));
        let key = call(&subtle, "importKey", &import).await?;
        let sign = Array::of3(&"HMAC".into(), &key, &message(&c.pieces, body));
        let mac: ArrayBuffer = call(&subtle, "sign", &sign).await?.dyn_into()?;
        out.push((c, Uint8Array::new(&mac).to_vec()));
    }
    Ok(out)
}
