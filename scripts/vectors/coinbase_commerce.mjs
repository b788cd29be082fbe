// Coinbase Commerce: `X-CC-Webhook-Signature: <hex HMAC-SHA256(shared secret, body)>`, id at
// /event/id when present. Signed with node:crypto as Coinbase's docs describe.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: 1, scheduled_for: "2026-01-01T00:00:00Z", event: { id: "24934862-5f2f-4d2b-hookgate-1", type: "charge:confirmed", data: { code: "66BEOV2A", pricing: { local: { amount: "19.99", currency: "EUR" } } } } });
export const generator = "node:crypto HMAC-SHA256, hex, per Coinbase Commerce's docs";
export const { source, cases, signer } = bodyPreset({ type: "coinbase_commerce", label: "coinbase-commerce", header: "x-cc-webhook-signature", prefix: "", alg: "sha256", encoding: "hex", body, idPointer: "/event/id", idRequired: false });
