// Rutter: `X-Rutter-Signature: sha256=<base64 HMAC-SHA256(client secret, body)>`
// (https://docs.rutterapi.com/docs/webhook-security). No timestamp and no documented event id:
// dedupe keys on the signed body. Signed with node:crypto as the docs describe.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "CONNECTION", code: "INITIAL_UPDATE", connection_id: "00000000-0000-4000-8000-000000000001", access_token: "access_hookgate", platform: "SHOPIFY" });
export const generator = "node:crypto HMAC-SHA256, base64, per Rutter's docs";
export const { source, cases, signer } = bodyPreset({ type: "rutter", label: "rutter", header: "x-rutter-signature", prefix: "sha256=", alg: "sha256", encoding: "base64", body });
