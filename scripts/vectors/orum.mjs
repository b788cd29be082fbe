// Orum: `signature: <base64 RSASSA-PKCS1-v1_5 / SHA-256 over the raw body followed by the
// body's created_at value>`, checked with the RSA-2048 public key Orum returns from
// GET /v1/webhooks/secret (https://docs.orum.io/api-reference/webhooks/secure-webhooks).
// Orum holds the private key and publishes no signed example: the vectors are signed with
// our own seeded keys (node-forge) and node:crypto RSA-SHA256; the secrets are the public keys
// (base64 of the DER, and PEM). Where created_at and id sit (top level) is assumed; evidence level assumption.
// No `signer`: only Orum can sign (UNSIGNABLE).
import { createPublicKey, createSign } from "node:crypto";
import { alter, makeCase, pkgVersion, secret, seededRsaCertificate } from "./lib.mjs";

export const source = { scheme: { type: "orum" }, tolerance_secs: 86400 };
export const generator = `node-forge ${pkgVersion("node-forge")} RSA-2048 keys (seeded), node:crypto RSA-SHA256, per Orum's Secure webhooks page`;

const TOL = source.tolerance_secs;
let K;
const pair = (label) => {
  const { privatePem } = seededRsaCertificate(`orum-${label}`, `orum ${label} (hookgate test)`);
  const pub = createPublicKey(privatePem);
  // The secret as one line (base64 of the DER), as `.dev.vars` holds it; PEM is accepted too.
  return { privatePem, publicPem: pub.export({ type: "spki", format: "der" }).toString("base64"), pem: pub.export({ type: "spki", format: "pem" }) };
};
const keys = () => (K ??= { current: pair("current"), old: pair("old"), wrong: pair("wrong") });
const iso = (secs) => new Date(secs * 1000).toISOString();
const event = (secs, over = {}) => JSON.stringify({ id: "5b7e1f4c-8f0e-4a47-9d0c-2a0d1f3e4b5c", event: "transfer_updated", created_at: iso(secs), data: { transfer: { id: "tr_01HOOKGATE", status: "completed", amount: 12500, memo: "Café & <friends>" } }, ...over });
const sign = (key, body, createdAt) => createSign("RSA-SHA256").update(Buffer.concat([Buffer.from(body), Buffer.from(createdAt)])).sign(key.privatePem, "base64");

export function cases({ nowSecs: now, url }) {
  const k = keys();
  const body = event(now);
  const base = { secrets: [secret("current", k.current.publicPem)], url, body, nowSecs: now };
  const h = (key = k.current, b = body, createdAt = JSON.parse(b).created_at) => ({ "content-type": "application/json", signature: sign(key, b, createdAt) });
  const ok = { expect: "accept", eventId: JSON.parse(body).id, keyLabel: "current" };
  const rot = [secret("old", k.old.publicPem), secret("new", k.current.publicPem)];
  const at = (name, secs, expect) => {
    const b = event(secs);
    return makeCase({ ...base, name, body: b, headers: h(k.current, b), ...(expect === "accept" ? ok : { expect }) });
  };
  return [
    makeCase({ ...base, name: "accepts a genuine transfer_updated", headers: h(), ...ok }),
    makeCase({ ...base, name: "accepts the public key configured as PEM", secrets: [secret("current", k.current.pem)], headers: h(), ...ok }),
    makeCase({ ...base, name: "signed by another key", headers: h(k.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(body, "completed", "failed"), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed over the body alone (created_at not appended)", headers: { "content-type": "application/json", signature: createSign("RSA-SHA256").update(body).sign(k.current.privatePem, "base64") }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signature is not base64", headers: { signature: "%%%" }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "no signature", headers: { "content-type": "application/json" }, expect: "signature_missing" }),
    makeCase({ ...base, name: "body without created_at", body: JSON.stringify({ id: "x", event: "transfer_updated" }), headers: h(k.current, JSON.stringify({ id: "x", event: "transfer_updated" }), ""), expect: "timestamp_missing" }),
    makeCase({ ...base, name: "created_at unreadable (signed as is)", body: event(now, { created_at: "yesterday" }), headers: h(k.current, event(now, { created_at: "yesterday" })), expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "body is not JSON", body: "created_at=now", headers: h(k.current, "created_at=now", "now"), expect: "body_not_json" }),
    at(`created_at exactly ${TOL}s old (edge)`, now - TOL, "accept"),
    at(`created_at ${TOL + 1}s old`, now - TOL - 1, "timestamp_too_old"),
    at(`created_at ${TOL + 1}s in the future`, now + TOL + 1, "timestamp_in_future"),
    makeCase({ ...base, name: "old created_at with a wrong signature: signature first", body: event(now - 10 * TOL), headers: h(k.wrong, event(now - 10 * TOL)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(k.old), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(k.current), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", k.old.publicPem, now - 1), secret("new", k.current.publicPem)], headers: h(k.old), expect: "signature_mismatch" }),
  ];
}
