// Coverkit: `coverkit-signature: <hex HMAC-SHA256(secret, raw body)>` (an assumption: Coverkit's
// docs name the header only), id at /id, no timestamp check by default. node:crypto.
import { alter, hmac, makeCase, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "coverkit" } };
export const generator = "node:crypto HMAC-SHA256, hex (assumed: Coverkit's docs name only the header; no SDK published)";

export const S = keySet("coverkit", 40, "ck_");
export const ID = "evt_ck_3b9f2a71";
export const event = (createdAt = "2025-12-31T23:59:30Z", id = ID) =>
  JSON.stringify({ id, type: "policy.created", createdAt, data: { policyId: "ck_pol_1182", product: "renters", premium: { amount: "12.50", currency: "USD" } } });

/**
 * The Coverkit case set for a signature encoding: `fmt(mac bytes)` gives the header value.
 * Shared with coverkit_override.mjs.
 */
export function coverkitCases({ nowSecs: now, url, fmt, header = "coverkit-signature", extra = [] }) {
  const body = event();
  const sig = (key, b = body) => fmt(hmac("sha256", key, b));
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const h = (v) => ({ [header]: v, "content-type": "application/json" });
  const ok = { expect: "accept", eventId: ID, keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const signed = (name, b, rest) => makeCase({ ...base, name, body: b, headers: h(sig(S.current, b)), ...rest });
  const old = event("2024-01-01T00:00:00Z");
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(sig(S.current)), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h(sig(S.wrong)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(body, "12.50", "1.25"), headers: h(sig(S.current)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: h(truncate(sig(S.current))), expect: "signature_malformed" }),
    makeCase({ ...base, name: `missing ${header}`, headers: { "content-type": "application/json" }, expect: "signature_missing" }),
    signed("createdAt two years old: no timestamp check by default", old, ok),
    signed("authentic event without an id", JSON.stringify({ type: "policy.created", data: {} }), { expect: "event_id_missing", status: 503 }),
    signed("authentic body that is not JSON", "policy.created ck_pol_1182", { expect: "body_not_json", status: 503 }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(sig(S.old)), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(sig(S.new)), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(sig(S.old)), expect: "signature_mismatch" }),
    ...extra.map((e) => makeCase({ ...base, name: e.name, headers: h(e.value(sig(S.current), hmac("sha256", S.current, body))), expect: e.expect, ...(e.expect === "accept" ? { eventId: ID, keyLabel: "current" } : {}) })),
  ];
}

export function cases({ nowSecs, url }) {
  return coverkitCases({
    nowSecs, url,
    fmt: (mac) => mac.toString("hex"),
    extra: [
      { name: "signature is not hex", value: () => "z".repeat(64), expect: "signature_malformed" },
      { name: "sha256= prefix, not configured", value: (s) => `sha256=${s}`, expect: "signature_malformed" },
      { name: "base64 instead of hex", value: (_s, mac) => mac.toString("base64"), expect: "signature_malformed" },
    ],
  });
}

/** For `npm run send`: a `policy.created` event (hex MAC in coverkit-signature). */
export const signer = makeSigner({
  sample: ({ id, nowSecs }) => event(new Date(nowSecs * 1000).toISOString().replace(".000Z", "Z"), id),
  sign: ({ key, body }) => ({ headers: { "coverkit-signature": hmac("sha256", key, body).toString("hex"), "content-type": "application/json" } }),
});
