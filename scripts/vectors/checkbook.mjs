// Checkbook.io: `signature: nonce=<n>,signature=<hex HMAC-SHA256(webhooks key, body + nonce)>`.
// The second case is the worked example of Checkbook's documentation (its body, nonce, key and
// signature, verbatim); the others are signed with node:crypto as that page describes
// (Checkbook publishes no SDK verifier); evidence level doc-example. No timestamp; dedupe keys
// on a digest of the body (the nonce left out).
import { createHash } from "node:crypto";
import { alter, hmacHex, makeCase, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "checkbook" } };
export const generator = "Checkbook's documented example, and node:crypto HMAC-SHA256 over body + nonce, hex, per its webhooks page (no SDK verifier published)";

const S = keySet("checkbook", 32);
const DOC = {
  key: "335b5728e25b47e88995fce207bff380",
  body: '{"status": "PAID", "id": "ed0af5fb335c47dd8eb53199ba50f5c4", "type": "CHECK"}',
  header: "nonce=1243549809,signature=4ee9758fc0bceb3ca1a2fe397fbd125364cfffdb04296fa118dab9778a4b3ce3",
};
const BODY = JSON.stringify({ status: "IN_PROCESS", id: "9f1c2b3a4d5e6f708192a3b4c5d6e7f8", type: "CHECK", description: "Café & <friends>" });
const NONCE = "2718281828";
const sig = (key, body, nonce) => hmacHex("sha256", key, Buffer.concat([Buffer.from(body), Buffer.from(nonce)]));
const CT = { "content-type": "application/json" };

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const h = (key = S.current, body = BODY, nonce = NONCE) => ({ ...CT, signature: `nonce=${nonce},signature=${sig(key, body, nonce)}` });
  const ok = { expect: "accept", keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const good = sig(S.current, BODY, NONCE);
  const bytes = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(), ...ok }),
    makeCase({ ...base, name: "the documented example", secrets: [secret("current", DOC.key)], body: DOC.body, headers: { ...CT, signature: DOC.header }, ...ok }),
    makeCase({ ...base, name: "signature before nonce", headers: { ...CT, signature: `signature=${good},nonce=${NONCE}` }, ...ok }),
    makeCase({ ...base, name: "the same event with a fresh nonce (a retry): authentic, the same body digest", headers: h(S.current, BODY, "3141592653"), ...ok }),
    makeCase({ ...base, name: "wrong key", headers: h(S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(BODY, "IN_PROCESS", "PAID"), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered nonce", headers: { ...CT, signature: `nonce=${NONCE}1,signature=${good}` }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "nonce signed before the body instead of after", headers: { ...CT, signature: `nonce=${NONCE},signature=${hmacHex("sha256", S.current, `${NONCE}${BODY}`)}` }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...CT, signature: `nonce=${NONCE},signature=${truncate(good, 40)}` }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not hex", headers: { ...CT, signature: `nonce=${NONCE},signature=${"z".repeat(64)}` }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "no nonce", headers: { ...CT, signature: `signature=${good}` }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing signature header", headers: CT, expect: "signature_missing" }),
    makeCase({ ...base, name: "body that is not UTF-8", body: bytes, headers: h(S.current, bytes), ...ok }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(S.old), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(S.new), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(S.old), expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: a check's status update, its id at /id (dedupe keys on a digest of the body). */
export const signer = makeSigner({
  sample: ({ id }) => JSON.stringify({ status: "PAID", id, type: "CHECK" }),
  sign: ({ key, body, nowSecs, id }) => {
    const nonce = String(parseInt(createHash("sha256").update(`${id}:${nowSecs}`).digest("hex").slice(0, 8), 16));
    return { headers: { ...CT, signature: `nonce=${nonce},signature=${sig(key, body, nonce)}` } };
  },
});
