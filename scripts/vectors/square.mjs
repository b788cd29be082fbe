// Square: `x-square-hmacsha256-signature: <base64 HMAC-SHA256(signature key, notification URL + body)>`,
// as its SDK's WebhooksHelper computes it (square-nodejs-sdk src/utilities/webhooksHelper.ts). The
// URL is the one registered with Square: set `public_url` when the Worker sits behind another host
// name. Id at /event_id when present. Signed with node:crypto
// (https://developer.squareup.com/docs/webhooks/step3validate).
import { WebhooksHelper } from "square";
import { bodyText, hmacB64, keySet, makeCase, pkgVersion, secret, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "square" } };
export const generator = `node:crypto HMAC-SHA256, base64, as square-nodejs-sdk's WebhooksHelper computes it; cross-checked with square@${pkgVersion("square")} (WebhooksHelper.verifySignature, with the case's URL)`;
const body = JSON.stringify({ merchant_id: "6SSW7HV8K2ST5", type: "payment.updated", event_id: "hookgate-square-evt-1", created_at: "2026-01-01T00:00:00Z", data: { type: "payment", id: "KkAkhdMs", object: { payment: { amount_money: { amount: 1999, currency: "EUR" }, note: "Zoë" } } } });
const ID = "hookgate-square-evt-1";

const sig = (key, signedUrl, b) => hmacB64("sha256", key, `${signedUrl}${b}`);
const h = (value) => ({ "x-square-hmacsha256-signature": value, "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const S = keySet("square", 40);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const ok = { expect: "accept", eventId: ID, keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const noId = JSON.stringify({ note: "no id here" });
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(sig(S.current, url, body)), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h(sig(S.wrong, url, body)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: `${body.slice(0, -1)},"altered":true}`, headers: h(sig(S.current, url, body)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed for another URL", headers: h(sig(S.current, "https://other.example.com/hooks/square", body)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "sent to this URL with a query the signature does not cover", url: `${url}?x=1`, headers: h(sig(S.current, url, body)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "a URL with a query, signed with it", url: `${url}?tenant=acme`, headers: h(sig(S.current, `${url}?tenant=acme`, body)), ...ok }),
    makeCase({ ...base, name: "truncated signature", headers: h(truncate(sig(S.current, url, body), 12)), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-square-hmacsha256-signature", headers: { "content-type": "application/json" }, expect: "signature_missing" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(sig(S.old, url, body)), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(sig(S.new, url, body)), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(sig(S.old, url, body)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "authentic body without /event_id: a body digest instead", body: noId, headers: h(sig(S.current, url, noId)), expect: "accept", keyLabel: "current" }),
  ];
}

/** Square's SDK, given the URL the case is sent to as the notification URL. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  const header = c.headers["x-square-hmacsha256-signature"];
  if (text === null) return null;
  if (header === undefined) return false;
  return WebhooksHelper.verifySignature({ requestBody: text, signatureHeader: header, signatureKey: secretValue, notificationUrl: c.url });
}

/** For `npm run send`: a payment.updated event, its id at /event_id, signed over the URL sent to. */
export const signer = makeSigner({ sample: body, idPointer: "/event_id", sign: ({ key, body: b, url }) => ({ headers: h(sig(key, url, b)) }) });
