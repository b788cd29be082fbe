// GoCardless: `Webhook-Signature: <hex HMAC-SHA256(endpoint secret, body)>`; a body can hold several events, so dedupe keys on the signed body.
// Marked an assumption: not confirmed from gocardless's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ events: [{ id: "EV0123HOOKGATE", resource_type: "payments", action: "confirmed", links: { payment: "PM0042" } }] });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases } = bodyPreset({ type: "gocardless", label: "gocardless", header: "webhook-signature", prefix: "", alg: "sha256", encoding: "hex", body });
