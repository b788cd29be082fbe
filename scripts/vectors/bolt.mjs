// Bolt: `X-Bolt-Hmac-Sha256: <base64 HMAC-SHA256(signing secret, body)>`
// (https://help.bolt.com/developers/webhooks/hook-verification/). No delivery id: dedupe keys on
// the signed body. Signed with node:crypto as the docs' examples compute it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "payment", object: "transaction", data: { id: "TAb1Hookgate", amount: { amount: 1999, currency: "USD" }, status: "completed" } });
export const generator = "node:crypto HMAC-SHA256, base64, per Bolt's docs";
export const { source, cases, signer } = bodyPreset({ type: "bolt", label: "bolt", header: "x-bolt-hmac-sha256", prefix: "", alg: "sha256", encoding: "base64", body });
