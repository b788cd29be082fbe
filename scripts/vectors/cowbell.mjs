// Cowbell (insurance) signs nothing: a shared token proves the sender, by default in the query
// parameter `token` (compared in constant time). Event id: /meta/event, /data/quoteId,
// /data/policyId and /data/modified joined with ":"; when a field is absent (or a field but the
// last holds a ":"), "|body:" and the first 16 hex digits of the body's SHA-256 follow, so two
// events missing the same field never share an id.
// No library involved: the vectors are plain requests.
import { createHash } from "node:crypto";
import { makeCase, secret, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "cowbell" } };
export const generator = "plain requests (Cowbell signs nothing; shared token in the query)";

export const T = keySet("cowbell", 40, "cbt_");
export const MODIFIED = "2026-01-01T00:00:00Z";
export const POLICY = JSON.stringify({ meta: { event: "policy.issued", version: 2 }, data: { policyId: "pol_1", modified: MODIFIED, insured: "Ünal Bakery LLC", premium: 2450 } });
const bodyTag = (body) => `|body:${createHash("sha256").update(body).digest("hex").slice(0, 16)}`;
export const POLICY_ID = `policy.issued::pol_1:${MODIFIED}${bodyTag(POLICY)}`;
const QUOTE = JSON.stringify({ meta: { event: "quote.created" }, data: { quoteId: "q_77", modified: MODIFIED } });
const QUOTE_ID = `quote.created:q_77::${MODIFIED}${bodyTag(QUOTE)}`;
const CT = { "content-type": "application/json" };

export const withQuery = (url, q) => `${url}${url.includes("?") ? "&" : "?"}${q}`;

/**
 * Cases common to every Cowbell credential style. `present(token)` gives `{ url, headers }`
 * carrying the token; `absent` gives them with no credential at all.
 */
export function credentialCases({ nowSecs: now, url, present, absent, style }) {
  const cur = [secret("current", T.current)];
  const rot = [secret("old", T.old), secret("new", T.new)];
  const one = (name, { token = T.current, secrets = cur, body = POLICY, expect, eventId = POLICY_ID, keyLabel = "current", req }) => {
    const r = req ?? present(token);
    return makeCase({ name, secrets, url: r.url ?? url, headers: { ...CT, ...r.headers }, body, nowSecs: now, expect, eventId, keyLabel });
  };
  return [
    one(`accepts the right ${style}`, { expect: "accept" }),
    one(`wrong ${style}`, { token: T.wrong, expect: "credentials_mismatch" }),
    one(`no ${style}`, { req: absent, expect: "credentials_missing" }),
    one("quote event: id with an empty policyId", { body: QUOTE, expect: "accept", eventId: QUOTE_ID }),
    one("authentic body that is not JSON", { body: "policy.issued pol_1", expect: "body_not_json" }),
    one("wrong credential and a non-JSON body: credentials first", { token: T.wrong, body: "policy.issued pol_1", expect: "credentials_mismatch" }),
    one("rotation: old and new tokens, old sent", { secrets: rot, token: T.old, expect: "accept", keyLabel: "old" }),
    one("rotation: old and new tokens, new sent", { secrets: rot, token: T.new, expect: "accept", keyLabel: "new" }),
    one("rotation: old token expired (not_after = now-1), old sent", { secrets: [secret("old", T.old, now - 1), secret("new", T.new)], token: T.old, expect: "credentials_mismatch" }),
  ];
}

export function cases({ nowSecs, url }) {
  const present = (token) => ({ url: withQuery(url, `token=${token}`) });
  const absent = { url };
  return [
    ...credentialCases({ nowSecs, url, present, absent, style: "token" }),
    makeCase({ name: "token among other query parameters", secrets: [secret("current", T.current)], url: withQuery(url, `tenant=acme&token=${T.current}&v=2`), headers: CT, body: POLICY, nowSecs, expect: "accept", eventId: POLICY_ID, keyLabel: "current" }),
    makeCase({ name: "none of the id fields in the body", secrets: [secret("current", T.current)], url: withQuery(url, `token=${T.current}`), headers: CT, body: JSON.stringify({ meta: {}, data: { note: "x" } }), nowSecs, expect: "event_id_missing" }),
    makeCase({ name: "token sent as a header, not configured", secrets: [secret("current", T.current)], url, headers: { ...CT, "x-cowbell-token": T.current }, body: POLICY, nowSecs, expect: "credentials_missing" }),
  ];
}

/** For `npm run send`: a `quote.status` event with the token where the source's scheme wants
 * it (`token_header`, `basic_user`, or the `token` query parameter). The id is in
 * /data/quoteId, one of the fields Cowbell's dedupe id joins. */
export const signer = makeSigner({
  sample: ({ id, nowSecs }) => JSON.stringify({ meta: { event: "quote.status", version: 2 }, data: { quoteId: id, status: "BOUND", modified: new Date(nowSecs * 1000).toISOString() } }),
  sign: ({ key, url, scheme = {} }) => {
    if (scheme.basic_user !== undefined) return { headers: { ...CT, authorization: `Basic ${Buffer.from(`${scheme.basic_user}:${key}`).toString("base64")}` } };
    if (scheme.token_header) return { headers: { ...CT, [scheme.token_header]: key } };
    return { url: withQuery(url, `${scheme.token_query ?? "token"}=${encodeURIComponent(key)}`), headers: CT };
  },
});
