// GitHub with the legacy `x-hub-signature: sha1=<hex HMAC-SHA1(secret, raw body)>` allowed.
// @octokit/webhooks-methods signs sha256 only, so the sha1 values come from node:crypto;
// sha256 values and their cross-check come from the library as in github.mjs.
import { sign, verify as octoVerify } from "@octokit/webhooks-methods";
import { bodyText, makeCase, pkgVersion, secret, truncate } from "./lib.mjs";
import { ALTERED, BODY, DELIVERY, S, sha1 } from "./github.mjs";

export const source = { scheme: { type: "github", allow_sha1: true } };
export const generator =
  `@octokit/webhooks-methods@${pkgVersion("@octokit/webhooks-methods")} (sign, for x-hub-signature-256); ` +
  "x-hub-signature sha1 with node:crypto (the library has no sha1)";

const SHA256 = await sign(S.current, BODY);
const SHA256_WRONG = await sign(S.wrong, BODY);

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const h = (over = {}) => ({ "x-hub-signature": sha1(S.current, BODY), "x-github-delivery": DELIVERY, "x-github-event": "push", "content-type": "application/json", ...over });
  const ok = { expect: "accept", eventId: DELIVERY, keyLabel: "current" };
  return [
    makeCase({ ...base, name: "sha1 only: accepted", headers: h(), ...ok }),
    makeCase({ ...base, name: "sha256 only: accepted", headers: h({ "x-hub-signature": undefined, "x-hub-signature-256": SHA256 }), ...ok }),
    makeCase({ ...base, name: "both headers, both right", headers: h({ "x-hub-signature-256": SHA256 }), ...ok }),
    makeCase({ ...base, name: "both headers, sha256 wrong and sha1 right: sha256 decides", headers: h({ "x-hub-signature-256": SHA256_WRONG }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "sha1 only, wrong secret", headers: h({ "x-hub-signature": sha1(S.wrong, BODY) }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "sha1 only, altered body", body: ALTERED, headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "sha1 only, truncated signature", headers: h({ "x-hub-signature": truncate(sha1(S.current, BODY), 5 + 20) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "sha1 only, without the sha1= prefix", headers: h({ "x-hub-signature": sha1(S.current, BODY).slice(5) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "neither signature header", headers: h({ "x-hub-signature": undefined }), expect: "signature_missing" }),
    makeCase({ ...base, name: "sha1 only, missing x-github-delivery", headers: h({ "x-github-delivery": undefined }), expect: "event_id_missing" }),
    makeCase({ ...base, name: "sha1 only, rotation: signed with old", secrets: [secret("old", S.old), secret("new", S.new)], headers: h({ "x-hub-signature": sha1(S.old, BODY) }), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "sha1 only, rotation: old key expired, signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h({ "x-hub-signature": sha1(S.old, BODY) }), expect: "signature_mismatch" }),
  ];
}

/** The library checks the sha256 header; sha1-only cases are not for it. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  const sig = c.headers["x-hub-signature-256"];
  if (text === null || !sig) return null;
  return octoVerify(secretValue, text, sig);
}
