// Zendesk: `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256(signing secret, timestamp + body)>`
// with the RFC 3339 timestamp of `X-Zendesk-Webhook-Signature-Timestamp` directly before the body,
// as the NodeJS example of Zendesk's docs computes it; 5 min tolerance (Zendesk documents none).
// No id is read: dedupe keys on the signed body. Signed with node:crypto
// (https://developer.zendesk.com/documentation/webhooks/verifying/).
import { headerTsPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "zen:event-type:ticket.created", id: "01HOOKGATEZENDESK0001", time: "2026-01-01T00:00:00Z", detail: { id: "35436", subject: "Zoë can't log in" } });
export const generator = "node:crypto HMAC-SHA256, base64, per the NodeJS example of Zendesk's docs";
export const { source, cases, signer } = headerTsPreset({ type: "zendesk", label: "zendesk", tolerance: 300, header: "x-zendesk-webhook-signature", tsHeader: "x-zendesk-webhook-signature-timestamp", prefix: "", before: "", between: "", unit: "rfc3339", encoding: "base64", body });
