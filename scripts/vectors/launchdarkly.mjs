// LaunchDarkly: `X-LD-Signature: <hex HMAC-SHA256(webhook secret, body)>` for signed webhooks; id at
// /_id (the audit-log entry) when present.
// Marked an assumption: not confirmed from LaunchDarkly's documentation here. Signed with node:crypto.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ _id: "5defhookgate0001", date: 1767225600000, kind: "flag", name: "new-checkout", description: "Zoë turned on the flag", member: { email: "zoë@example.com" } });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "launchdarkly", label: "launchdarkly", header: "x-ld-signature", prefix: "", alg: "sha256", encoding: "hex", body, idPointer: "/_id", idRequired: false });
