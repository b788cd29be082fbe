// Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256(webhook secret, body)>`; its x-razorpay-event-id is not signed, so dedupe keys on the signed body.
// Marked an assumption: not confirmed from razorpay's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ entity: "event", event: "payment.captured", contains: ["payment"], payload: { payment: { entity: { id: "pay_hookgate", amount: 199900 } } }, created_at: 1767225600 });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases } = bodyPreset({ type: "razorpay", label: "razorpay", header: "x-razorpay-signature", prefix: "", alg: "sha256", encoding: "hex", body });
