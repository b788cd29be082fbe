// Linear: `Linear-Signature: <hex HMAC-SHA256(signing secret, body)>`; the signed body's
// webhookTimestamp (unix ms) must be within a minute, as Linear's docs and SDK check. Its
// delivery id (Linear-Delivery) is not signed, so dedupe keys on the signed body. Signed with
// node:crypto as the docs describe (https://linear.app/developers/webhooks).
import { bodyPreset } from "./lib.mjs";

const body = (secs) => JSON.stringify({ action: "create", type: "Issue", data: { id: "2174add1-hookgate", title: "Zoë's bug" }, webhookTimestamp: secs * 1000, webhookId: "000042" });
export const generator = "node:crypto HMAC-SHA256, hex, per Linear's docs";
export const { source, cases, signer } = bodyPreset({ type: "linear", label: "linear", header: "linear-signature", prefix: "", alg: "sha256", encoding: "hex", body, tolerance: 60 });
