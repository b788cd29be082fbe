// DocuSign Connect: `X-DocuSign-Signature-1: <base64 HMAC-SHA256(Connect HMAC key, body)>`, as the
// C# sample of DocuSign's docs computes it; with several active keys DocuSign adds
// X-DocuSign-Signature-2 and so on, one per key, and only -1 is read (configure every active key).
// No delivery id: dedupe keys on the signed body. Signed with node:crypto
// (https://developers.docusign.com/platform/webhooks/connect/validate/).
import { bodyPreset, hmacB64, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ event: "envelope-completed", apiVersion: "v2.1", uri: "/restapi/v2.1/accounts/1/envelopes/93be49ab", retryCount: 0, configurationId: 10418, generatedDateTime: "2026-01-01T00:00:00.0000000Z", data: { accountId: "1", envelopeId: "93be49ab-afa0-4adf-933c-f752070d71ec", envelopeSummary: { status: "completed", emailSubject: "Zoë, please sign" } } });
export const generator = "node:crypto HMAC-SHA256, base64, as the C# sample of DocuSign's docs computes it";
const preset = bodyPreset({ type: "docusign", label: "docusign", header: "x-docusign-signature-1", prefix: "", alg: "sha256", encoding: "base64", body });
export const { source, signer } = preset;

export function cases(at) {
  const S = keySet("docusign", 40);
  const sig = (key) => hmacB64("sha256", key, body);
  const base = { url: at.url, body, nowSecs: at.nowSecs };
  const CT = { "content-type": "application/json" };
  return [
    ...preset.cases(at),
    makeCase({ ...base, name: "two keys: -1 with the old key, -2 with the new, both configured", secrets: [secret("old", S.old), secret("new", S.new)], headers: { ...CT, "x-docusign-signature-1": sig(S.old), "x-docusign-signature-2": sig(S.new) }, expect: "accept", keyLabel: "old" }),
    makeCase({ ...base, name: "two keys: only the key of -2 configured (so configure every active key)", secrets: [secret("new", S.new)], headers: { ...CT, "x-docusign-signature-1": sig(S.old), "x-docusign-signature-2": sig(S.new) }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "only x-docusign-signature-2", secrets: [secret("current", S.current)], headers: { ...CT, "x-docusign-signature-2": sig(S.current) }, expect: "signature_missing" }),
  ];
}
