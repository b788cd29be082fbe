// GitHub: `x-hub-signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, id x-github-delivery.
// Signed by @octokit/webhooks-methods `sign` and re-checked with its `verify`. Its sign is
// async and takes strings only, and GitHub signs neither the clock nor the URL, so the
// signatures are made once at load (top-level await); the non-UTF-8 body is signed with
// node:crypto over the raw bytes.
import { sign, verify as octoVerify } from "@octokit/webhooks-methods";
import { alter, bodyText, hmacHex, makeCase, pkgVersion, secret, truncate, keySet, makeSigner, withId } from "./lib.mjs";

export const source = { scheme: { type: "github" } };
export const generator =
  `@octokit/webhooks-methods@${pkgVersion("@octokit/webhooks-methods")} (sign; accepts cross-checked with verify); ` +
  "non-UTF-8 body and the legacy sha1 header signed with node:crypto";

export const S = keySet("github", 40);
export const DELIVERY = "8f5c2a60-e6f1-11f0-8a1e-3d4b5c6d7e8f";
export const BODY = JSON.stringify({
  ref: "refs/heads/main",
  before: "0000000000000000000000000000000000000000",
  after: "5f3c1b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a",
  repository: { id: 1296269, full_name: "octocat/Hello-World" },
  pusher: { name: "octocat", email: "octocat@github.com" },
  head_commit: { message: "Fix café ☕ typo" },
});
export const ALTERED = alter(BODY, "typo", "typos");
export const NON_UTF8 = Buffer.concat([Buffer.from('{"note":"'), Buffer.from([0xc0, 0xaf, 0xff]), Buffer.from('"}')]);

// Precomputed with the library (the async part).
const SIG = {};
for (const [label, key] of Object.entries(S)) SIG[label] = await sign(key, BODY);
export const sha1 = (key, body) => `sha1=${hmacHex("sha1", key, body)}`;

export function cases({ nowSecs: now, url }) {
  const cur = [secret("current", S.current)];
  const base = { secrets: cur, url, body: BODY, nowSecs: now };
  const h = (over = {}) => ({ "x-hub-signature-256": SIG.current, "x-github-delivery": DELIVERY, "x-github-event": "push", "content-type": "application/json", ...over });
  const ok = { expect: "accept", eventId: DELIVERY, keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const hex = SIG.current.slice(7);
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h({ "x-hub-signature-256": SIG.wrong }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: ALTERED, headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: h({ "x-hub-signature-256": truncate(SIG.current, 7 + 40) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-hub-signature-256", headers: h({ "x-hub-signature-256": undefined }), expect: "signature_missing" }),
    makeCase({ ...base, name: "only the legacy sha1 header, sha1 not allowed", headers: h({ "x-hub-signature-256": undefined, "x-hub-signature": sha1(S.current, BODY) }), expect: "signature_missing" }),
    makeCase({ ...base, name: "both headers, sha1 not allowed: sha256 is used", headers: h({ "x-hub-signature": sha1(S.current, BODY) }), ...ok }),
    makeCase({ ...base, name: "signature without the sha256= prefix", headers: h({ "x-hub-signature-256": hex }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "sha1= prefix in the sha256 header", headers: h({ "x-hub-signature-256": `sha1=${hex}` }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not hex", headers: h({ "x-hub-signature-256": `sha256=${"g".repeat(64)}` }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-github-delivery", headers: h({ "x-github-delivery": undefined }), expect: "event_id_missing" }),
    makeCase({ ...base, name: "wrong secret and missing x-github-delivery: signature first", headers: h({ "x-hub-signature-256": SIG.wrong, "x-github-delivery": undefined }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h({ "x-hub-signature-256": SIG.old }), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h({ "x-hub-signature-256": SIG.new }), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h({ "x-hub-signature-256": SIG.old }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "non-UTF-8 body signed over its raw bytes", body: NON_UTF8, headers: h({ "x-hub-signature-256": `sha256=${hmacHex("sha256", S.current, NON_UTF8)}` }), ...ok }),
  ];
}

export async function verify(c, secretValue) {
  const text = bodyText(c);
  const sig = c.headers["x-hub-signature-256"];
  if (text === null || text === "") return null;
  if (!sig) return false;
  return octoVerify(secretValue, text, sig);
}

/** For `npm run send`: a `push` event, its id in X-GitHub-Delivery and (so each send is new:
 * GitHub's dedupe keys on the signed body) in head_commit.id. Signed with node:crypto as the
 * library signs (its sign is async). */
export const signer = makeSigner({
  sample: ({ id }) => withId(BODY, "/head_commit/id", id),
  sign: ({ key, body, id }) => ({ headers: { "x-hub-signature-256": `sha256=${hmacHex("sha256", key, body)}`, "x-github-delivery": id, "x-github-event": "push", "content-type": "application/json" } }),
});
