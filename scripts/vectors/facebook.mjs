// Meta's Graph API webhooks (Facebook, Instagram, WhatsApp share one scheme): POSTs signed
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`; the verification request
// `GET ?hub.mode=subscribe&hub.verify_token=V&hub.challenge=C` answered with C as text/plain
// when V is the source's verify token
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint).
// Signed with node:crypto as Meta's docs compute it. instagram.mjs and whatsapp.mjs use the
// same cases with their own bodies. This file: Facebook (Pages, Messenger).
import { bodyPreset, fixedToken, makeCase, secret } from "./lib.mjs";

export const VERIFY_TOKEN = fixedToken("meta-verify-token", 32);
export const generator = "node:crypto HMAC-SHA256, hex, per Meta's docs; verification requests as Meta sends them";

/** The cases of a Meta source named `type`, with a `body` from that product. */
export function metaPreset(type, body) {
  const preset = bodyPreset({ type, label: "meta", header: "x-hub-signature-256", prefix: "sha256=", alg: "sha256", encoding: "hex", body });
  const source = { ...preset.source, verify_token: "VECTOR_VERIFY_TOKEN" };
  function cases({ nowSecs, url }) {
    const signed = preset.cases({ nowSecs, url });
    const base = { secrets: signed[0].secrets, nowSecs, body: "", method: "GET" };
    const q = (params) => `${url}?${new URLSearchParams(params).toString()}`;
    const challenge = "1158201444";
    return [
      ...signed,
      makeCase({ ...base, name: "verification request: the challenge echoed", url: q({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": challenge }), expect: "accept", handshake: { content_type: "text/plain", body: challenge } }),
      makeCase({ ...base, name: "verification request with a wrong verify token", url: q({ "hub.mode": "subscribe", "hub.verify_token": `${VERIFY_TOKEN}x`, "hub.challenge": challenge }), expect: "credentials_mismatch" }),
      makeCase({ ...base, name: "verification request without a verify token", url: q({ "hub.mode": "subscribe", "hub.challenge": challenge }), expect: "credentials_missing" }),
      makeCase({ ...base, name: "verification request without hub.mode", url: q({ "hub.verify_token": VERIFY_TOKEN, "hub.challenge": challenge }), expect: "challenge_missing" }),
      makeCase({ ...base, name: "verification request without a challenge", url: q({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN }), expect: "challenge_missing" }),
      makeCase({ ...base, name: "verification request whose challenge is markup: not echoed", url: q({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "<script>alert(1)</script>" }), expect: "challenge_malformed" }),
    ].map((c) => ({ ...c, verify_token: VERIFY_TOKEN }));
  }
  // The subscription check Meta makes: a GET with the verify token (`--handshake`).
  const handshake = ({ url, verifyToken }) => ({ method: "GET", url: `${url}?${new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": verifyToken, "hub.challenge": "1158201444" })}` });
  return { source, cases, signer: { ...preset.signer, handshake } };
}

const body = JSON.stringify({ object: "page", entry: [{ id: "104000000000001", time: 1767225599, changes: [{ field: "feed", value: { item: "post", verb: "add", post_id: "104000000000001_1" } }] }] });
export const { source, cases, signer } = metaPreset("facebook", body);
