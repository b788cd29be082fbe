// Bindpilot (insurance): `x-bindpilot-signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
// No signed timestamp header: replay protection reads the body's RFC 3339 `timestamp`,
// checked after the signature; id at /id. Bindpilot ships no SDK: signed with node:crypto as
// its docs describe.
import { alter, hmacHex, makeCase, rfc3339, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "bindpilot" }, tolerance_secs: 90000 };
export const generator = "node:crypto HMAC-SHA256, hex, per Bindpilot's docs (no SDK published)";

const TOL = source.tolerance_secs;
const S = keySet("bindpilot", 48, "bp_whsec_");
const ID = "bp_evt_01JGHOOKGATE0000000000001";
const event = (timestamp, id = ID) =>
  JSON.stringify({ id, timestamp, event: "policy.bound", data: { policy_id: "pol_8841", carrier: "Acme Mutual", premium_cents: 129900, insured: { name: "Zoë Ørsted" } } });
const sig = (key, body) => `sha256=${hmacHex("sha256", key, body)}`;

export function cases({ nowSecs: now, url }) {
  const body = event(rfc3339(now));
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const h = (b = body, key = S.current) => ({ "x-bindpilot-signature": sig(key, b), "content-type": "application/json" });
  const ok = { expect: "accept", eventId: ID, keyLabel: "current" };
  const at = (ts) => event(typeof ts === "number" ? rfc3339(ts) : ts);
  const signed = (name, b, rest) => makeCase({ ...base, name, body: b, headers: h(b), ...rest });
  const rot = [secret("old", S.old), secret("new", S.new)];
  const noTs = JSON.stringify({ id: ID, event: "policy.bound", data: { policy_id: "pol_8841" } });
  const noId = JSON.stringify({ timestamp: rfc3339(now), event: "policy.bound", data: { policy_id: "pol_8841" } });
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h(body, S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(body, "129900", "1"), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp in the body", body: at(now - 60), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...h(), "x-bindpilot-signature": truncate(sig(S.current, body), 7 + 32) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature without the sha256= prefix", headers: { ...h(), "x-bindpilot-signature": hmacHex("sha256", S.current, body) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-bindpilot-signature", headers: { "content-type": "application/json" }, expect: "signature_missing" }),
    signed(`body timestamp exactly ${TOL}s old (edge)`, at(now - TOL), ok),
    signed(`body timestamp ${TOL + 1}s old (re-signed: authentic but old)`, at(now - TOL - 1), { expect: "timestamp_too_old" }),
    signed(`body timestamp exactly ${TOL}s in the future (edge)`, at(now + TOL), ok),
    signed(`body timestamp ${TOL + 1}s in the future`, at(now + TOL + 1), { expect: "timestamp_in_future" }),
    signed("body timestamp with a +02:00 offset", at(rfc3339(now + 7200).replace("Z", "+02:00")), ok),
    signed("body timestamp with fractional seconds", at(new Date(now * 1000).toISOString()), ok),
    signed("body without a timestamp field (authentic)", noTs, { expect: "timestamp_missing" }),
    signed("body timestamp is not RFC 3339", at("yesterday"), { expect: "timestamp_malformed" }),
    signed("body timestamp is a number, not RFC 3339", JSON.stringify({ id: ID, timestamp: now, event: "policy.bound", data: {} }), { expect: "timestamp_malformed" }),
    signed("body without an id (authentic)", noId, { expect: "event_id_missing", status: 503 }),
    signed("authentic body that is not JSON", "policy.bound pol_8841", { expect: "body_not_json" }),
    makeCase({ ...base, name: "old body timestamp and a wrong signature: signature first", body: at(now - 10 * TOL), headers: h(at(now - 10 * TOL), S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(body, S.old), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(body, S.new), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(body, S.old), expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: a `quote.created` event; its signed timestamp is in the body. */
export const signer = makeSigner({
  timestamped: true,
  bodyTimestamp: true,
  sample: ({ id, nowSecs }) => JSON.stringify({ id, timestamp: rfc3339(nowSecs), event: "quote.created", data: { quote_id: `qt_${id.slice(-8)}`, carrier: "Acme Mutual", premium_cents: 129900, insured: { name: "Zoë Ørsted" } } }),
  sign: ({ key, body }) => ({ headers: { "x-bindpilot-signature": sig(key, body), "content-type": "application/json" } }),
});
