// X (Twitter) Account Activity webhooks: `x-twitter-webhooks-signature: sha256=<base64
// HMAC-SHA256(consumer secret, body)>`, and the challenge-response check `GET ?crc_token=T`
// answered `{"response_token":"sha256=<base64 HMAC-SHA256(consumer secret, T)>"}`
// (https://docs.x.com/x-api/webhooks/quickstart). No delivery id: dedupe keys on the signed body.
// Signed with node:crypto as X's docs compute it (X ships no verifier library).
//
// The CRC answer is a MAC under the key that signs event bodies, so it must never sign a body
// hookgate would forward: tokens are answered only in their documented shape, and the source
// takes JSON-object bodies only ("a body signed through a CRC answer" below).
import { bodyPreset, hmacB64, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ for_user_id: "2244994945", tweet_create_events: [{ id_str: "1865000000000000001", text: "hello from hookgate ✓", user: { id_str: "2244994945" } }] });
export const generator = "node:crypto HMAC-SHA256, base64, per X's docs (CRC answers computed the same way)";

/** The cases of an X source named `type` (`twitter` or its alias `x`). */
export function xPreset(type) {
  const S = keySet("twitter", 40);
  const preset = bodyPreset({ type, label: "twitter", header: "x-twitter-webhooks-signature", prefix: "sha256=", alg: "sha256", encoding: "base64", body, jsonOnly: true });
  function cases({ nowSecs, url }) {
    const base = { secrets: [secret("current", S.current)], nowSecs, body: "", method: "GET" };
    const crc = (token) => `${url}?crc_token=${encodeURIComponent(token)}`;
    const answer = (token) => `sha256=${hmacB64("sha256", S.current, token)}`;
    const token = "9b4507b3-9040-4669-9ca3-6b94edb50553";
    // What an attacker would try: have the CRC sign a body, then post that body with it.
    const forged = "eyJmb3JfdXNlcl9pZCI6IjEifQ";
    return [
      ...preset.cases({ nowSecs, url }),
      makeCase({ ...base, name: "CRC: answered with the documented response_token", url: crc(token), expect: "accept", handshake: { content_type: "application/json", body: JSON.stringify({ response_token: answer(token) }) } }),
      makeCase({ ...base, name: "CRC: a base64 token", url: crc("NjQ2NTc4YmYtYjQwNC00ZGUxLWE2MTQtNzM0YmIwMGQ0NzRm+/=="), expect: "accept", handshake: { content_type: "application/json", body: JSON.stringify({ response_token: answer("NjQ2NTc4YmYtYjQwNC00ZGUxLWE2MTQtNzM0YmIwMGQ0NzRm+/==") }) } }),
      makeCase({ ...base, name: "CRC without crc_token", url, expect: "challenge_missing" }),
      makeCase({ ...base, name: "CRC token that is a JSON body: not signed", url: crc(body), expect: "challenge_malformed" }),
      makeCase({ ...base, name: "CRC token of 257 characters: not signed", url: crc("a".repeat(257)), expect: "challenge_malformed" }),
      makeCase({ ...base, name: "a body signed through a CRC answer is refused", method: "POST", url, body: forged, headers: { "x-twitter-webhooks-signature": answer(forged), "content-type": "application/json" }, expect: "body_not_json" }),
    ];
  }
  // X's CRC check: a GET with crc_token, answered with an HMAC of it (`--handshake`).
  const handshake = ({ url }) => ({ method: "GET", url: `${url}?crc_token=hookgate-send-crc-1` });
  return { source: preset.source, cases, signer: { ...preset.signer, handshake } };
}

export const { source, cases, signer } = xPreset("twitter");
