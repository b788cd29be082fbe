// EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256(webhook secret, body)>`, as its
// SDK's validateWebhook computes it (easypost-node src/utils/util.js; the SDK first NFKD-normalises
// the secret, which leaves an ASCII secret unchanged). Id at /id when present. Signed with
// node:crypto (https://docs.easypost.com/guides/webhooks-guide).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "evt_hookgate_easypost_1", object: "Event", mode: "test", description: "tracker.updated", created_at: "2026-01-01T00:00:00Z", result: { id: "trk_1", status: "in_transit", carrier: "USPS" } });
export const generator = "node:crypto HMAC-SHA256, hex, as easypost-node's validateWebhook computes it";
export const { source, cases } = bodyPreset({ type: "easypost", label: "easypost", header: "x-hmac-signature", prefix: "hmac-sha256-hex=", alg: "sha256", encoding: "hex", body, idPointer: "/id", idRequired: false });
