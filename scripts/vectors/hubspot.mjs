// HubSpot v3: `X-HubSpot-Signature-v3: <base64 HMAC-SHA256(client secret, "POST" + URL + body +
// X-HubSpot-Request-Timestamp)>` with the timestamp in milliseconds, 5 minutes, as its SDK's
// Signature.getSignature computes it (hubspot-api-nodejs src/utils/signature.ts). The body is a
// batch of events: the first one's eventId names it when present. Signed with node:crypto
// (https://developers.hubspot.com/docs/api/webhooks/validating-requests).
import { Signature } from "@hubspot/api-client";
import { atClockAsync, bodyText, hmacB64, keySet, makeCase, pkgVersion, secret, timestampedCases, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "hubspot" }, tolerance_secs: 300 };
export const generator = `node:crypto HMAC-SHA256, base64, as hubspot-api-nodejs's Signature.getSignature computes v3; cross-checked with @hubspot/api-client@${pkgVersion("@hubspot/api-client")} (Signature.isValid) at the case's clock`;
const body = JSON.stringify([{ eventId: 100, subscriptionId: 12345, portalId: 62515, occurredAt: 1767225600000, subscriptionType: "contact.creation", attemptNumber: 0, objectId: 123, changeSource: "CRM", propertyValue: "Zoë" }]);

/** v3: `POST` + the URL + body + the timestamp in milliseconds. */
const signAt = (url) => (key, ts, b) => hmacB64("sha256", key, `POST${url}${b}${ts * 1000}`);
const request = ({ ts, sigs }) => ({ "x-hubspot-signature-v3": sigs[0], "x-hubspot-request-timestamp": ts * 1000, "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const S = keySet("hubspot", 40);
  const sign = signAt(url);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const good = request({ ts: now, sigs: [sign(S.current, now, body)] });
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body, sign, request, multi: false, truncated: (s) => truncate(s, s.length - 10), eventId: () => "100" }),
    makeCase({ ...base, name: "missing x-hubspot-signature-v3", headers: { ...good, "x-hubspot-signature-v3": undefined }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-hubspot-request-timestamp", headers: { ...good, "x-hubspot-request-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp in seconds where milliseconds are meant", headers: { ...request({ ts: now, sigs: [hmacB64("sha256", S.current, `POST${url}${body}${now}`)] }), "x-hubspot-request-timestamp": now }, expect: "timestamp_too_old" }),
    makeCase({ ...base, name: "signed for another URL", headers: request({ ts: now, sigs: [hmacB64("sha256", S.current, `POSThttps://other.example.com/hooks/hubspot${body}${now * 1000}`)] }), expect: "signature_mismatch" }),
  ];
}

/** HubSpot's SDK at the case's clock; it throws on a stale timestamp and checks only past skew. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  const signature = c.headers["x-hubspot-signature-v3"];
  if (text === null) return null;
  if (signature === undefined) return false;
  return atClockAsync(c.now_secs, async () => {
    try {
      return Signature.isValid({ signatureVersion: "v3", method: "POST", signature, clientSecret: secretValue, requestBody: text, url: c.url, timestamp: Number(c.headers["x-hubspot-request-timestamp"]) });
    } catch {
      return false;
    }
  });
}

/** For `npm run send`: a contact.creation batch, its id at /0/eventId; signed over the URL sent to. */
export const signer = makeSigner({ timestamped: true, sample: body, idPointer: "/0/eventId", sign: ({ key, body: b, nowSecs, url }) => ({ headers: request({ ts: nowSecs, sigs: [signAt(url)(key, nowSecs, b)] }) }) });
