// Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>`; its delivery id
// (X-Request-UUID) is not signed, so dedupe keys on the signed body. Signed with node:crypto as
// Atlassian's docs describe.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ push: { changes: [{ new: { name: "main", target: { hash: "4f2c0d" } } }] }, repository: { full_name: "acme/hookgate" }, actor: { display_name: "Zoë" } });
export const generator = "node:crypto HMAC-SHA256, hex, per Atlassian's docs";
export const { source, cases, signer } = bodyPreset({ type: "bitbucket", label: "bitbucket", header: "x-hub-signature", prefix: "sha256=", alg: "sha256", encoding: "hex", body });
