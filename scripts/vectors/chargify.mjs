// Chargify (Maxio Advanced Billing): `X-Chargify-Webhook-Signature-Hmac-Sha-256: <hex HMAC-SHA256(site
// shared key, body)>` over the form-encoded body; the form field `id` names the webhook and, as
// Maxio's SDK documents, does not change on a retry.
// Marked an assumption: the signature is not confirmed from Maxio's documentation here, only from
// consistent third-party verifiers. Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = "id=88531&event=payment_success&payload%5Bsubscription%5D%5Bid%5D=7713&payload%5Bsubscription%5D%5Bcustomer%5D%5Bfirst_name%5D=Zo%C3%AB";
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "chargify", label: "chargify", header: "x-chargify-webhook-signature-hmac-sha-256", prefix: "", alg: "sha256", encoding: "hex", body, sampleIdPointer: "form:id" });
