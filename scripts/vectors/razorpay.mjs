// Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256(webhook secret, body)>`, as its SDK's
// validateWebhookSignature checks it (razorpay-node lib/utils/razorpay-utils.js); its
// x-razorpay-event-id is not signed, so dedupe keys on the signed body. Signed with node:crypto and
// cross-checked with the SDK (https://razorpay.com/docs/webhooks/validate-test/).
import Razorpay from "razorpay";
import { bodyPreset, bodyText, pkgVersion } from "./lib.mjs";

const body = JSON.stringify({ entity: "event", event: "payment.captured", contains: ["payment"], payload: { payment: { entity: { id: "pay_hookgate", amount: 199900 } } }, created_at: 1767225600 });
export const generator = `node:crypto HMAC-SHA256, hex, as razorpay-node's validateWebhookSignature checks it; cross-checked with razorpay@${pkgVersion("razorpay")}`;
export const { source, cases, signer } = bodyPreset({ type: "razorpay", label: "razorpay", header: "x-razorpay-signature", prefix: "", alg: "sha256", encoding: "hex", body });

/** Razorpay's SDK takes the body as text; it throws when the header is missing. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  try {
    return Razorpay.validateWebhookSignature(text, c.headers["x-razorpay-signature"], secretValue);
  } catch {
    return false;
  }
}
