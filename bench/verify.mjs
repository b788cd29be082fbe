// The baselines' signature check, written by hand: `X-Signature: sha256=<hex>` of the body,
// verified with WebCrypto (constant time). The key is imported once per isolate.
const enc = new TextEncoder();
let key;

function hexToBytes(hex) {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Whether `body` (an ArrayBuffer) carries a valid signature under `secret`. */
export async function signatureValid(request, body, secret) {
  key ??= await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const sig = hexToBytes((request.headers.get('x-signature') ?? '').replace(/^sha256=/, ''));
  return sig !== null && crypto.subtle.verify('HMAC', key, sig, body);
}
