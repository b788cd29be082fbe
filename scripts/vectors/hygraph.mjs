// Hygraph: `gcms-signature: sign=<base64>, env=<environment>, t=<unix ms>`, base64
// HMAC-SHA256(secret, JSON.stringify({ Body: <raw body>, EnvironmentName, TimeStamp })).
// Signed with @hygraph/utils' generateWebhookSignature (its clock pinned) and cross-checked
// with its verifyWebhookSignature({ rawPayload }); evidence level sdk. No event id: dedupe
// keys on a digest of the body and environment.
import hygraph from "@hygraph/utils";
import { alter, bodyText, makeCase, pkgVersion, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "hygraph" }, tolerance_secs: 300 };
export const generator = `@hygraph/utils@${pkgVersion("@hygraph/utils")} (generateWebhookSignature at a pinned clock; cross-checked with verifyWebhookSignature)`;

const TOL = source.tolerance_secs;
const S = keySet("hygraph", 32);
// Characters JSON.stringify escapes (quotes, a newline, a tab, a control character) and
// ones it leaves alone (&, <, >, non-ASCII, U+2028): the signed string must match it.
const BODY = JSON.stringify({ operation: "publish", data: { __typename: "Post", id: "ckw0hookgate000001", stage: "PUBLISHED", title: "Café & <friends> \u2028 \"quoted\"", body: "line 1\nline 2\ttabbed \u0001" } }, null, 2);
const CT = { "content-type": "application/json" };

/** The header Hygraph sends for `body` at `secs` (whole seconds; `ms` adds milliseconds). */
const sign = (key, body, secs, env = "master", ms = 0) => {
  const real = Date.now;
  Date.now = () => secs * 1000 + ms;
  try {
    return hygraph.generateWebhookSignature({ rawPayload: body, secret: key, environmentName: env });
  } finally {
    Date.now = real;
  }
};

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const h = (value) => ({ ...CT, "gcms-signature": value });
  const good = sign(S.current, BODY, now);
  const ok = { expect: "accept", keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const signValue = good.split(", ")[0].slice("sign=".length);
  const at = (name, secs, expect) => makeCase({ ...base, name, headers: h(sign(S.current, BODY, secs)), ...(expect === "accept" ? ok : { expect }) });
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(good), ...ok }),
    makeCase({ ...base, name: "accepts milliseconds past the second", headers: h(sign(S.current, BODY, now, "master", 999)), ...ok }),
    makeCase({ ...base, name: "another environment name", headers: h(sign(S.current, BODY, now, "staging-2")), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h(sign(S.wrong, BODY, now)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(BODY, "PUBLISHED", "DRAFT"), headers: h(good), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "the same JSON re-serialised (whitespace differs)", body: JSON.stringify(JSON.parse(BODY)), headers: h(good), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered environment", headers: h(good.replace("env=master", "env=prod")), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "no environment item", headers: h(good.replace(", env=master", "")), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, header says 1 ms later)", headers: h(good.replace(/t=(\d+)/, (_, t) => `t=${Number(t) + 1}`)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: h(good.replace(signValue, truncate(signValue, 20))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not base64", headers: h(good.replace(signValue, "*".repeat(44))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing gcms-signature", headers: CT, expect: "signature_missing" }),
    makeCase({ ...base, name: "no t= item", headers: h(good.replace(/, t=\d+/, "")), expect: "timestamp_missing" }),
    makeCase({ ...base, name: "t= is not a number", headers: h(good.replace(/t=\d+/, "t=yesterday")), expect: "timestamp_malformed" }),
    at(`timestamp exactly ${TOL}s old (edge)`, now - TOL, "accept"),
    at(`timestamp ${TOL + 1}s old`, now - TOL - 1, "timestamp_too_old"),
    at(`timestamp exactly ${TOL}s in the future (edge)`, now + TOL, "accept"),
    at(`timestamp ${TOL + 1}s in the future`, now + TOL + 1, "timestamp_in_future"),
    makeCase({ ...base, name: "old timestamp with a wrong signature: signature first", headers: h(sign(S.wrong, BODY, now - 10 * TOL)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "body that is not UTF-8", body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: h(good), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(sign(S.old, BODY, now)), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(sign(S.new, BODY, now)), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(sign(S.old, BODY, now)), expect: "signature_mismatch" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  const signature = c.headers["gcms-signature"];
  // The library splits the header by position and throws on fewer than three items.
  if (text === null || !signature || signature.split(", ").length < 3) return null;
  return hygraph.verifyWebhookSignature({ rawPayload: text, signature, secret: secretValue });
}

/** For `npm run send`: a `publish` event, its id at /data/id (dedupe keys on a digest). */
export const signer = makeSigner({
  timestamped: true,
  sample: ({ id }) => JSON.stringify({ operation: "publish", data: { __typename: "Post", id, stage: "PUBLISHED", title: "Hello from hookgate" } }),
  sign: ({ key, body, nowSecs }) => ({ headers: { ...CT, "gcms-signature": sign(key, body, nowSecs) } }),
});
