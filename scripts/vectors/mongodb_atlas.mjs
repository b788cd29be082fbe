// MongoDB Atlas alert webhooks: `X-MMS-Signature: <base64 HMAC-SHA1(webhook secret, body)>`
// (https://www.mongodb.com/docs/atlas/tutorial/webhook-integration/); the alert state is in
// X-MMS-Event. No delivery id (an alert's /id is the same when it opens, updates and closes):
// dedupe keys on the signed body. Signed with node:crypto as the docs describe.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "65a1b2c3d4e5f60718293a4b", groupId: "5f1e2d3c4b5a697887766554", eventTypeName: "OUTSIDE_METRIC_THRESHOLD", created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", status: "OPEN", humanReadable: "Project: hookgate Organization: Zoë Ørsted" });
export const generator = "node:crypto HMAC-SHA1, base64, per MongoDB Atlas's docs";
export const { source, cases, signer } = bodyPreset({ type: "mongodb_atlas", label: "mongodb_atlas", header: "x-mms-signature", prefix: "", alg: "sha1", encoding: "base64", body });
