// Xero: `x-xero-signature: <base64 HMAC-SHA256(webhook key, body)>`. Intent to receive: a
// series of signed POSTs with `"events": []`, some with a wrong signature; a correctly signed
// one is answered 200 with an empty body (and never forwarded), a wrong one 401
// (https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/).
// Signed with node:crypto as the docs compute it (the key is used as text).
import { bodyPreset, hmacB64, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ events: [{ resourceUrl: "https://api.xero.com/api.xro/2.0/Contacts/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777", resourceId: "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777", eventDateUtc: "2026-01-01T00:00:00.000", eventType: "CREATE", eventCategory: "CONTACT", tenantId: "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f", tenantType: "ORGANISATION" }], firstEventSequence: 1, lastEventSequence: 1, entropy: "HOOKGATEENTROPY1" });
const ITR = JSON.stringify({ events: [], lastEventSequence: 0, firstEventSequence: 0, entropy: "S0m3r4Nd0mt3xt" });
export const generator = "node:crypto HMAC-SHA256, base64, per Xero's docs";
const preset = bodyPreset({ type: "xero", label: "xero", header: "x-xero-signature", prefix: "", alg: "sha256", encoding: "base64", body });
export const { source } = preset;

export function cases({ nowSecs, url }) {
  const S = keySet("xero", 40);
  const base = { secrets: [secret("current", S.current)], nowSecs, url, body: ITR };
  const h = (key) => ({ "x-xero-signature": hmacB64("sha256", key, ITR), "content-type": "application/json" });
  return [
    ...preset.cases({ nowSecs, url }),
    makeCase({ ...base, name: "intent to receive, correctly signed: 200, empty body", headers: h(S.current), expect: "accept", keyLabel: "current", handshake: { content_type: null, body: "" } }),
    makeCase({ ...base, name: "intent to receive, incorrectly signed: 401", headers: h(S.wrong), expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: `--handshake` is the signed intent-to-receive POST. */
export const signer = { ...preset.signer, handshake: ({ key, url, nowSecs }) => ({ method: "POST", url, body: ITR, headers: preset.signer.sign({ key, body: ITR, nowSecs, url }).headers }) };
