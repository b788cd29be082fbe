// Castle: `X-Castle-Signature: <base64 HMAC-SHA256(API secret, body)>`; no timestamp and no id
// (dedupe keys on the signed body). Read in castle-ruby and castle-python's webhook verifiers;
// signed with node:crypto as they compute it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "$incident.confirmed", created_at: "2026-01-01T00:00:00.000Z", data: { user_id: "u_42", device_token: "dt_1" } });
export const generator = "node:crypto HMAC-SHA256, base64, as Castle's SDK verifiers compute it";
export const { source, cases, signer } = bodyPreset({ type: "castle", label: "castle", header: "x-castle-signature", prefix: "", alg: "sha256", encoding: "base64", body });
