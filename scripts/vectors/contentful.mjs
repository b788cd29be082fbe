// Contentful: `x-contentful-signature: <hex HMAC-SHA256(signing secret, canonical request)>`,
// with x-contentful-timestamp (ms) and x-contentful-signed-headers. The canonical request is
// METHOD\npath\nname:value;…\nbody. Signed with @contentful/node-apps-toolkit's signRequest
// and cross-checked with its verifyRequest (clock pinned; its default time to live, 30 s);
// evidence level sdk. No delivery id: dedupe keys on a digest of the canonical request.
import { signRequest, verifyRequest } from "@contentful/node-apps-toolkit";
import { alter, atClock, bodyText, makeCase, pkgVersion, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "contentful" }, tolerance_secs: 30 };
export const generator = `@contentful/node-apps-toolkit@${pkgVersion("@contentful/node-apps-toolkit")} (signRequest; cross-checked with verifyRequest)`;

const TOL = source.tolerance_secs;
// Contentful's secrets are exactly 64 characters.
const S = keySet("contentful", 64);
const TOPIC = "ContentManagement.Entry.publish";
const BODY = JSON.stringify({ sys: { type: "Entry", id: "5KsDBWseXY6QegucYAoacS", version: 7, space: { sys: { id: "hookgatespace" } } }, fields: { title: { "en-US": "Café & <friends>" } } });
const BASE_HEADERS = { "content-type": "application/vnd.contentful.management.v1+json", "x-contentful-topic": TOPIC, "x-contentful-webhook-name": "hookgate" };
const SIGNED = ["content-type", "x-contentful-topic"];

/** The path and query the toolkit signs: what the receiver sees of `url`. */
const pathOf = (url) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Headers of a request to `url` signed at `secs` (the signed ones named in `signed`). */
function signed(key, url, body, secs, { method = "POST", signed: names = SIGNED, headers = BASE_HEADERS, ms = 0 } = {}) {
  const picked = Object.fromEntries(Object.entries(headers).filter(([k]) => names.includes(k)));
  const meta = signRequest(key, { method, path: pathOf(url), headers: picked, body }, secs * 1000 + ms);
  return { ...headers, ...meta };
}

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const good = signed(S.current, url, BODY, now);
  const ok = { expect: "accept", keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const query = `${url}?space=hookgate space&ref=a/b`;
  const at = (name, secs, expect) => makeCase({ ...base, name, headers: signed(S.current, url, BODY, secs), ...(expect === "accept" ? ok : { expect }) });
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: good, ...ok }),
    makeCase({ ...base, name: "accepts milliseconds past the second", headers: signed(S.current, url, BODY, now, { ms: 999 }), ...ok }),
    makeCase({ ...base, name: "accepts a URL with a query (escaped twice, as the toolkit does)", url: new URL(query).href, headers: signed(S.current, new URL(query).href, BODY, now), ...ok }),
    makeCase({ ...base, name: "accepts only the metadata headers signed", headers: signed(S.current, url, BODY, now, { signed: [] }), ...ok }),
    makeCase({ ...base, name: "accepts an empty body", body: "", headers: signed(S.current, url, "", now), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: signed(S.wrong, url, BODY, now), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(BODY, '"version":7', '"version":8'), headers: good, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered signed header (topic)", headers: { ...good, "x-contentful-topic": "ContentManagement.Entry.delete" }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered unsigned header: still authentic", headers: { ...good, "x-contentful-webhook-name": "other" }, ...ok }),
    makeCase({ ...base, name: "a signed header dropped from the list", headers: { ...good, "x-contentful-signed-headers": "content-type,x-contentful-signed-headers,x-contentful-timestamp" }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed for another method (PUT)", headers: signed(S.current, url, BODY, now, { method: "PUT" }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed for another path", headers: signed(S.current, `${url}/other`, BODY, now), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "a query added to the signed URL", url: `${url}?x=1`, headers: good, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, header says 1 ms later)", headers: { ...good, "x-contentful-timestamp": String(now * 1000 + 1) }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...good, "x-contentful-signature": truncate(good["x-contentful-signature"], 40) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not hex", headers: { ...good, "x-contentful-signature": "z".repeat(64) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-contentful-signature", headers: BASE_HEADERS, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-contentful-timestamp", headers: { ...good, "x-contentful-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "x-contentful-timestamp is not a number", headers: { ...good, "x-contentful-timestamp": "yesterday" }, expect: "timestamp_malformed" }),
    at(`timestamp exactly ${TOL}s old (edge)`, now - TOL, "accept"),
    at(`timestamp ${TOL + 1}s old`, now - TOL - 1, "timestamp_too_old"),
    at(`timestamp exactly ${TOL}s in the future (edge)`, now + TOL, "accept"),
    at(`timestamp ${TOL + 1}s in the future`, now + TOL + 1, "timestamp_in_future"),
    makeCase({ ...base, name: "old timestamp with a wrong signature: signature first", headers: signed(S.wrong, url, BODY, now - 10 * TOL), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: signed(S.old, url, BODY, now), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: signed(S.new, url, BODY, now), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: signed(S.old, url, BODY, now), expect: "signature_mismatch" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null || !c.headers["x-contentful-signature"] || !/^\d+$/.test(c.headers["x-contentful-timestamp"] ?? "")) return null;
  try {
    // Time to live 0: the toolkit checks only age, and only the signature is compared here.
    return atClock(c.now_secs, () => verifyRequest(secretValue, { method: c.method, path: pathOf(c.url), headers: c.headers, body: text }, 0));
  } catch {
    return false;
  }
}

/** For `npm run send`: an Entry publish (dedupe keys on a digest: the sample's id is at /sys/id). */
export const signer = makeSigner({
  timestamped: true,
  sample: ({ id }) => JSON.stringify({ sys: { type: "Entry", id, version: 1, space: { sys: { id: "hookgatespace" } } }, fields: { title: { "en-US": "Hello from hookgate" } } }),
  sign: ({ key, body, nowSecs, url }) => ({ headers: signed(key, url, body, nowSecs) }),
});
