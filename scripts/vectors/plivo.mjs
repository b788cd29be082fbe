// Plivo signature V3: `x-plivo-signature-v3: <base64 HMAC-SHA256(auth token, base URL +
// sorted form params + "." + nonce)>` with `x-plivo-signature-v3-nonce`. The plivo SDK exports
// no signer, only validateV3Signature: the cases are signed with node:crypto as its
// construct_post_url / get_signature_v3 build the string, and every case is cross-checked
// with validateV3Signature; evidence level sdk. No timestamp; dedupe keys on a digest of the
// signed string less the nonce.
import plivo from "plivo";
import { createHash } from "node:crypto";
import { bodyText, hmacB64, makeCase, pkgVersion, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "plivo" } };
export const generator = `node:crypto as plivo@${pkgVersion("plivo")}'s v3Security builds the string; cross-checked with its validateV3Signature`;

const S = keySet("plivo", 40);
const MESSAGE_UUID = "a9f6b0e2-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
const CALL_UUID = "e1d2c3b4-a5f6-4789-9abc-def012345678";
// Plivo's own parameter order (the signature sorts them); repeated names are allowed.
const SMS = [["From", "14155550100"], ["To", "14155550199"], ["Type", "sms"], ["Text", "Quote please: café & <friends> + 100% ✓"], ["MessageUUID", MESSAGE_UUID], ["Status", "delivered"], ["Units", "1"], ["TotalRate", "0.0050"], ["Tag", "b"], ["Tag", "a"]];
const CALL = [["CallUUID", CALL_UUID], ["CallStatus", "ringing"], ["Direction", "inbound"], ["From", "14155550100"], ["To", "14155550199"]];
const FORM_CT = { "content-type": "application/x-www-form-urlencoded" };
const form = (pairs) => new URLSearchParams(pairs).toString();

/** Sorted `k=v&…` / `kv…` of decoded pairs, names then values sorted (the SDK's order). */
const grouped = (pairs) => {
  const map = new Map();
  for (const [k, v] of pairs) map.set(k, [...(map.get(k) ?? []), v]);
  return [...map.keys()].sort().map((k) => [k, map.get(k).sort()]);
};
export function signedString(url, body) {
  const u = new URL(url);
  const query = grouped([...u.searchParams]).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)).join("&");
  const params = body ? grouped([...new URLSearchParams(body)]) : [];
  let out = `${u.protocol}//${u.host}${u.pathname}`;
  if (query || params.length) out += `?${query}`;
  if (query && params.length) out += ".";
  return out + params.flatMap(([k, vs]) => vs.map((v) => `${k}${v}`)).join("");
}
const sign = (key, url, body, nonce) => hmacB64("sha256", key, `${signedString(url, body)}.${nonce}`);
const NONCE = "05429567804466091622";

export function cases({ nowSecs: now, url }) {
  const body = form(SMS);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const h = (key = S.current, b = body, signedUrl = url, nonce = NONCE) => ({ ...FORM_CT, "x-plivo-signature-v3": sign(key, signedUrl, b, nonce), "x-plivo-signature-v3-nonce": nonce });
  const ok = { expect: "accept", eventId: MESSAGE_UUID, keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const good = sign(S.current, url, body, NONCE);
  const withQuery = `${url}?source=plivo&b=2&a=x%2Fy`;
  return [
    makeCase({ ...base, name: "accepts a genuine SMS status callback", headers: h(), ...ok }),
    makeCase({ ...base, name: "accepts a voice call, id from CallUUID", body: form(CALL), headers: h(S.current, form(CALL)), ...ok, eventId: CALL_UUID }),
    makeCase({ ...base, name: "accepts a URL with a query", url: withQuery, headers: h(S.current, body, withQuery), ...ok }),
    makeCase({ ...base, name: "accepts a URL with a query and no form parameters", url: withQuery, body: "", headers: { ...h(S.current, "", withQuery), "content-type": undefined }, expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "several signatures, the right one second", headers: { ...h(), "x-plivo-signature-v3": `${sign(S.bogus(0), url, body, NONCE)},${good}` }, ...ok }),
    makeCase({ ...base, name: "the same callback with a fresh nonce (a retry): authentic, the same digest", headers: h(S.current, body, url, "77777777777777777777"), ...ok }),
    makeCase({ ...base, name: "wrong auth token", headers: h(S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered parameter", body: form(SMS.map(([k, v]) => [k, k === "Status" ? "failed" : v])), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "an added parameter", body: `${body}&Extra=1`, headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered nonce", headers: { ...h(), "x-plivo-signature-v3-nonce": `${NONCE}1` }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed for a different URL", headers: h(S.current, body, `${url}/other`), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "a query added to the signed URL", url: withQuery, headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "V2 signature only (the URL and nonce, not the body): refused", headers: { ...FORM_CT, "x-plivo-signature-v2": hmacB64("sha256", S.current, `${url}${NONCE}`), "x-plivo-signature-v2-nonce": NONCE }, expect: "signature_missing" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...h(), "x-plivo-signature-v3": truncate(good, 20) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing nonce", headers: { ...h(), "x-plivo-signature-v3-nonce": undefined }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-plivo-signature-v3", headers: FORM_CT, expect: "signature_missing" }),
    makeCase({ ...base, name: "a JSON body (not covered by the signature)", body: JSON.stringify({ MessageUUID: MESSAGE_UUID }), headers: { ...h(S.current, ""), "content-type": "application/json" }, expect: "content_type_unsupported" }),
    makeCase({ ...base, name: "rotation: old and new tokens, signed with old", secrets: rot, headers: h(S.old), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new tokens, signed with new", secrets: rot, headers: h(S.new), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old token expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(S.old), expect: "signature_mismatch" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  const sig = c.headers["x-plivo-signature-v3"];
  const nonce = c.headers["x-plivo-signature-v3-nonce"];
  if (text === null || !sig || !nonce || (text && c.headers["content-type"] !== FORM_CT["content-type"])) return null;
  const params = {};
  for (const [k, v] of new URLSearchParams(text)) params[k] = k in params ? [].concat(params[k], v) : v;
  return plivo.validateV3Signature("POST", c.url, nonce, secretValue, sig, params);
}

/** For `npm run send`: an SMS status callback (form post), its id in MessageUUID, signed over
 * the URL it is sent to (set `public_url` when hookgate sits behind another host name). */
export const signer = makeSigner({
  sample: ({ id }) => form(SMS.map(([k, v]) => [k, k === "MessageUUID" ? id : v])),
  sign: ({ key, body, url, nowSecs, id }) => {
    const nonce = BigInt(`0x${createHash("sha256").update(`${id}:${nowSecs}`).digest("hex").slice(0, 15)}`).toString();
    return { headers: { ...FORM_CT, "x-plivo-signature-v3": sign(key, url, body, nonce), "x-plivo-signature-v3-nonce": nonce } };
  },
});
