// GoCardless: `Webhook-Signature: <hex HMAC-SHA256(endpoint secret, body)>`, as its SDK's
// webhooks.verifySignature checks it (gocardless-nodejs src/webhooks.ts); a body can hold several
// events, so dedupe keys on the signed body. Signed with node:crypto and cross-checked with the SDK
// (https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks).
import { verifySignature } from "gocardless-nodejs/webhooks";
import { bodyPreset, pkgVersion, rawBody } from "./lib.mjs";

const body = JSON.stringify({ events: [{ id: "EV0123HOOKGATE", resource_type: "payments", action: "confirmed", links: { payment: "PM0042" } }] });
export const generator = `node:crypto HMAC-SHA256, hex, as gocardless-nodejs's webhooks.verifySignature checks it; cross-checked with gocardless-nodejs@${pkgVersion("gocardless-nodejs")}`;
export const { source, cases, signer } = bodyPreset({ type: "gocardless", label: "gocardless", header: "webhook-signature", prefix: "", alg: "sha256", encoding: "hex", body });

/** GoCardless's SDK: it throws on a missing or wrong signature. */
export async function verify(c, secretValue) {
  try {
    verifySignature(rawBody(c), secretValue, c.headers["webhook-signature"]);
    return true;
  } catch {
    return false;
  }
}
