// Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256(signing key, "<t>.<body>")>`,
// a 3-minute tolerance as its docs suggest. No delivery id: the event and the resource URI
// (both signed) name it. Calendly ships no signing library: node:crypto as
// its docs describe (https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures).
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ created_at: "2026-01-01T00:00:00.000000Z", created_by: "https://api.calendly.com/users/AAAA", event: "invitee.created", payload: { uri: "https://api.calendly.com/scheduled_events/GBGB/invitees/HOOKGATE1", email: "zoë@example.com" } });
export const generator = "node:crypto HMAC-SHA256, hex, per Calendly's docs (no signing library published)";
export const { source, cases, signer } = listPreset({ type: "calendly", label: "calendly", tolerance: 180, header: "calendly-webhook-signature", tsKey: "t", sigKey: "v1", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body, eventId: () => "invitee.created:https://api.calendly.com/scheduled_events/GBGB/invitees/HOOKGATE1", sampleIdPointer: "/payload/uri" });
