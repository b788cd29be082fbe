// Vercel: `x-vercel-signature: <hex HMAC-SHA1(secret, body)>`, id at /id; the signed body's
// createdAt is not checked (Vercel documents no tolerance). Signed with node:crypto as its
// docs describe (https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "uNcXNoKVBcmjpKI5Zq4kxgH0", type: "deployment.succeeded", createdAt: 1767225600000, payload: { deployment: { id: "dpl_1", url: "hookgate.vercel.app" } } });
export const generator = "node:crypto HMAC-SHA1, hex, per Vercel's docs";
export const { source, cases, signer } = bodyPreset({ type: "vercel", label: "vercel", header: "x-vercel-signature", prefix: "", alg: "sha1", encoding: "hex", body, idPointer: "/id", idRequired: true });
