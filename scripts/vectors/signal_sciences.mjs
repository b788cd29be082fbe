// Fastly Next-Gen WAF (Signal Sciences) generic webhooks: `X-SigSci-Signature: <hex
// HMAC-SHA256(signing key, body)>` (https://docs.fastly.com/signalsciences/integrations/generic-webhooks/,
// with example code). Type: `/type`. No event id: dedupe keys on the signed body. Signed with
// node:crypto as the docs' example computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ created: "2026-01-01T00:00:00Z", type: "flag", payload: { ip: "198.51.100.7", signal: "SQLI", note: "Zoë" }, link: "https://dashboard.signalsciences.net/corps/hookgate/sites/www/events/1" });
export const generator = "node:crypto HMAC-SHA256, hex, as the example code of Fastly's docs computes it";
export const { source, cases, signer } = bodyPreset({ type: "signal_sciences", label: "signal_sciences", header: "x-sigsci-signature", prefix: "", alg: "sha256", encoding: "hex", body });
