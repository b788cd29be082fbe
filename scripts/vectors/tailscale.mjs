// Tailscale: `Tailscale-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
// 5 minutes as Tailscale's example verifier allows (tailscale/tailscale docs/webhooks/example.go).
// The body is a batch of events with no delivery id: dedupe keys on the signed body. Signed with
// node:crypto as that example computes it (https://tailscale.com/kb/1213/webhooks).
import { listPreset } from "./lib.mjs";

const body = JSON.stringify([{ timestamp: "2026-01-01T00:00:00Z", version: 1, type: "nodeCreated", tailnet: "example.com", message: "Node zoë-laptop created", data: { nodeID: "n123", deviceName: "zoë-laptop" } }]);
export const generator = "node:crypto HMAC-SHA256, hex, as Tailscale's example verifier computes it";
export const { source, cases, signer } = listPreset({ type: "tailscale", label: "tailscale", tolerance: 300, header: "tailscale-webhook-signature", tsKey: "t", sigKey: "v1", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body });
