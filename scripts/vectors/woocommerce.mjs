// WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256(webhook secret, body)>`. Its
// X-WC-Webhook-Delivery-ID is not signed, so dedupe keys on the signed body. Signed with
// node:crypto as the REST API docs describe (https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: 727, status: "processing", currency: "EUR", total: "29.35", billing: { first_name: "Zoë", last_name: "Ünal" }, date_created_gmt: "2026-01-01T00:00:00" });
export const generator = "node:crypto HMAC-SHA256, base64, per the WooCommerce REST API docs";
export const { source, cases, signer } = bodyPreset({ type: "woocommerce", label: "woocommerce", header: "x-wc-webhook-signature", prefix: "", alg: "sha256", encoding: "base64", body });
