// Segment, Webhooks (Actions) destination with a shared secret: `X-Signature: <hex
// HMAC-SHA1(shared secret, body)>` (https://segment.com/docs/connections/destinations/catalog/actions-webhook/).
// Id: the message's `/messageId` when present (else a digest); type: `/type`. Signed with
// node:crypto as the docs describe. Batching must stay off: Segment signs only a batch's first event.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ messageId: "ajs-next-1767225600000-hookgate", type: "track", event: "Order Completed", userId: "019mr8mf4r", properties: { total: 19.99, name: "Zoë" }, timestamp: "2026-01-01T00:00:00.000Z" });
export const generator = "node:crypto HMAC-SHA1, hex, per Segment's docs";
export const { source, cases, signer } = bodyPreset({ type: "segment", label: "segment", header: "x-signature", prefix: "", alg: "sha1", encoding: "hex", body, idPointer: "/messageId", idRequired: false });
