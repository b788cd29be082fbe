// Modern Treasury: `X-Signature: <hex HMAC-SHA256(webhook key, body)>`, as its SDK's
// webhooks.getSignature computes it (modern-treasury-node src/resources/webhooks.ts). No
// timestamp; no id is read, so dedupe keys on the signed body.
// Signed with node:crypto (https://docs.moderntreasury.com/platform/reference/webhooks).
import ModernTreasury from "modern-treasury";
import { bodyPreset, bodyText, pkgVersion } from "./lib.mjs";

const body = JSON.stringify({ event: "completed", data: { id: "po_hookgate_1", object: "payment_order", amount: 19999, currency: "USD", status: "completed", description: "Zoë's invoice" } });
export const generator = `node:crypto HMAC-SHA256, hex, as modern-treasury-node's webhooks.getSignature computes it; cross-checked with modern-treasury@${pkgVersion("modern-treasury")} (webhooks.validateSignature)`;
export const { source, cases, signer } = bodyPreset({ type: "modern_treasury", label: "modern_treasury", header: "x-signature", prefix: "", alg: "sha256", encoding: "hex", body });

const client = new ModernTreasury({ apiKey: "hookgate-vectors", organizationID: "hookgate-vectors" });

/** Modern Treasury's SDK takes the body as text; it throws when X-Signature is missing. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  try {
    return client.webhooks.validateSignature(text, c.headers, { key: secretValue });
  } catch {
    return false;
  }
}
