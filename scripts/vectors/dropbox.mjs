// Dropbox: `X-Dropbox-Signature: <hex HMAC-SHA256(app secret, body)>`, and the verification
// request `GET ?challenge=C` answered with C as text/plain with X-Content-Type-Options:
// nosniff (https://www.dropbox.com/developers/reference/webhooks). No delivery id: dedupe keys
// on the signed body. Signed with node:crypto as the docs compute it.
import { bodyPreset, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ list_folder: { accounts: ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"] }, delta: { users: [12345678] } });
export const generator = "node:crypto HMAC-SHA256, hex, per Dropbox's docs";
const preset = bodyPreset({ type: "dropbox", label: "dropbox", header: "x-dropbox-signature", prefix: "", alg: "sha256", encoding: "hex", body });
export const { source } = preset;
/** For `npm run send`: `--handshake` is the verification GET with its challenge. */
export const signer = { ...preset.signer, handshake: ({ url }) => ({ method: "GET", url: `${url}?challenge=hookgate-send-challenge-1` }) };

export function cases({ nowSecs, url }) {
  const S = keySet("dropbox", 40);
  const base = { secrets: [secret("current", S.current)], nowSecs, body: "", method: "GET" };
  const q = (challenge) => `${url}?challenge=${encodeURIComponent(challenge)}`;
  return [
    ...preset.cases({ nowSecs, url }),
    makeCase({ ...base, name: "verification request: the challenge echoed", url: q("abc123XYZ-_.~"), expect: "accept", handshake: { content_type: "text/plain", body: "abc123XYZ-_.~" } }),
    makeCase({ ...base, name: "verification request without a challenge", url, expect: "challenge_missing" }),
    makeCase({ ...base, name: "verification request whose challenge is markup: not echoed", url: q("<img src=x onerror=alert(1)>"), expect: "challenge_malformed" }),
  ];
}
