// Brex: Standard Webhooks headers (Webhook-Id, Webhook-Timestamp, `Webhook-Signature: v1,<base64>`,
// several during a rotation) over "<id>.<timestamp>.<body>", keyed with the base64-decoded secret from
// GET /v1/webhooks/secrets (no whsec_ prefix). Marked an assumption: Brex's page on it was not read
// here. Signed with node:crypto as that scheme computes it (https://developer.brex.com/docs/webhooks).
import { hmacB64, keySet, makeCase, secret, timestampedCases, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "brex" }, tolerance_secs: 300 };
export const generator = "node:crypto HMAC-SHA256, base64 (an assumption: the scheme as commonly documented)";
const body = JSON.stringify({ event_type: "TRANSFER_PROCESSED", transfer_id: "dptx_hookgate_1", company_id: "cuacc_1", description: "Zoë's refund" });
const ID = "msg_hookgate_brex_1";

const sign = (key, ts, b, id) => `v1,${hmacB64("sha256", Buffer.from(key, "base64"), `${id}.${ts}.${b}`)}`;
const request = ({ ts, sigs, id }) => ({ "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": sigs.join(" "), "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const raw = keySet("brex", 40);
  // Brex hands out base64 text: the key is what it decodes to.
  const b64 = (k) => Buffer.from(k).toString("base64");
  const S = { current: b64(raw.current), old: b64(raw.old), new: b64(raw.new), wrong: b64(raw.wrong), bogus: (i) => b64(raw.bogus(i)) };
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const good = request({ ts: now, sigs: [sign(S.current, now, body, ID)], id: ID });
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body, id: ID, sign, request, truncated: (s) => truncate(s, s.length - 10), eventId: (_b, id) => id }),
    makeCase({ ...base, name: "missing webhook-id", headers: { ...good, "webhook-id": undefined }, expect: "event_id_missing" }),
    makeCase({ ...base, name: "missing webhook-timestamp", headers: { ...good, "webhook-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "another webhook-id than was signed", headers: { ...good, "webhook-id": "msg_other" }, expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: a TRANSFER_PROCESSED event, its id in Webhook-Id (the secret is Brex's base64 text). */
export const signer = makeSigner({ timestamped: true, sample: body, sign: ({ key, body: b, nowSecs, id }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, b, id)], id }) }) });
