// Clearbit: `X-Request-Signature: sha1=<hex HMAC-SHA1(API key, body)>`; id at /id when the
// body has one (else a digest of the body). Read in clearbit-ruby's webhook verifier; signed
// with node:crypto as it computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "custom_id_hookgate_1", type: "person", status: 200, body: { name: { fullName: "Zoë Ørsted" } } });
export const generator = "node:crypto HMAC-SHA1, hex, as clearbit-ruby's Webhook computes it";
export const { source, cases, signer } = bodyPreset({ type: "clearbit", label: "clearbit", header: "x-request-signature", prefix: "sha1=", alg: "sha1", encoding: "hex", body, idPointer: "/id", idRequired: false });
