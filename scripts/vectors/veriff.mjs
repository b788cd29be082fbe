// Veriff: `X-HMAC-SIGNATURE: <hex HMAC-SHA256(shared secret key, body)>`
// (https://devdocs.veriff.com/docs/hmac-authentication-and-endpoint-security names the header and
// the shared secret; the algorithm and encoding are an assumption). No delivery id: dedupe keys
// on the signed body. Signed with node:crypto.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "f04bdb47-d3be-4b28-b028-a652feb060b5", attemptId: "e30122d1-740b-4764-853f-470374a7abf4", feature: "selfid", code: 7002, action: "submitted", vendorData: "Zoë-1" });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: Veriff's docs name the header, not the algorithm)";
export const { source, cases, signer } = bodyPreset({ type: "veriff", label: "veriff", header: "x-hmac-signature", prefix: "", alg: "sha256", encoding: "hex", body });
