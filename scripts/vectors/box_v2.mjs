// Box V2 webhooks (the `box` preset; this file is box_v2 since `box` is a Rust keyword): `BOX-SIGNATURE-PRIMARY: <base64 HMAC-SHA256(primary key, body + BOX-DELIVERY-TIMESTAMP)>`
// with the body first and the RFC 3339 delivery timestamp after it, 10 minutes as Box's docs allow.
// Only the primary signature is read (BOX-SIGNATURE-SECONDARY, made with the secondary key, is not):
// configure the primary key, and its successor as soon as it is rotated. Id at /id (kept across
// retries, unlike BOX-DELIVERY-ID) when present. Signed with node:crypto as Box's docs describe
// (https://developer.box.com/guides/webhooks/v2/signatures-v2/).
import { hmacB64, keySet, makeCase, rfc3339, secret, timestampedCases, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "box" }, tolerance_secs: 600 };
export const generator = "node:crypto HMAC-SHA256, base64, per Box's docs";
const body = JSON.stringify({ type: "webhook_event", id: "0f46a6ca-86bf-44ab-8cf5-f08e1e02876b", created_at: "2026-01-01T00:00:00-08:00", trigger: "FILE.UPLOADED", webhook: { id: "53", type: "webhook" }, source: { id: "73835521473", type: "file", name: "Zoë.pdf" } });
const ID = "0f46a6ca-86bf-44ab-8cf5-f08e1e02876b";

const sign = (key, ts, b) => hmacB64("sha256", key, `${b}${rfc3339(ts)}`);
const request = ({ ts, sigs }) => ({ "box-signature-primary": sigs[0], "box-delivery-timestamp": rfc3339(ts), "box-signature-version": "1", "box-signature-algorithm": "HmacSHA256", "box-delivery-id": "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f", "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const S = keySet("box", 40);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const good = request({ ts: now, sigs: [sign(S.current, now, body)] });
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 600, secrets: S, body, sign, request, multi: false, truncated: (s) => truncate(s, s.length - 10), eventId: () => ID }),
    makeCase({ ...base, name: "missing box-signature-primary (the secondary alone is not read)", headers: { ...good, "box-signature-primary": undefined, "box-signature-secondary": sign(S.current, now, body) }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing box-delivery-timestamp", headers: { ...good, "box-delivery-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp before the body instead of after it", headers: { ...good, "box-signature-primary": hmacB64("sha256", S.current, `${rfc3339(now)}${body}`) }, expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: a FILE.UPLOADED event, its id at /id. */
export const signer = makeSigner({ timestamped: true, sample: body, sign: ({ key, body: b, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, b)] }) }) });
