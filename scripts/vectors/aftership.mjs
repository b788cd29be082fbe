// AfterShip Tracking: `aftership-hmac-sha256: <base64 HMAC-SHA256(webhook secret, body)>`, id at
// /event_id when present (https://www.aftership.com/docs/tracking/webhook/webhook-signature).
// Signed with node:crypto as the docs' example computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ event_id: "evt_hookgate_aftership_1", event: "tracking_update", msg: { tracking_number: "1Z999AA10123456784", tag: "InTransit" }, ts: 1767225600 });
export const generator = "node:crypto HMAC-SHA256, base64, per AfterShip's docs";
export const { source, cases, signer } = bodyPreset({ type: "aftership", label: "aftership", header: "aftership-hmac-sha256", prefix: "", alg: "sha256", encoding: "base64", body, idPointer: "/event_id", idRequired: false });
