// Mailgun: the signature is in the JSON body, `signature: { timestamp, token, signature }`,
// with `signature` = hex HMAC-SHA256(HTTP webhook signing key, timestamp + token); a
// subaccount's events add `parent-signature` (the primary account's key). Legacy webhooks
// post the same three as form fields. The body itself is not signed: the event id is the
// token. Mailgun publishes no verifier and no signed example: signed with node:crypto as its
// documentation (Securing Webhooks) describes; evidence level doc-algorithm.
import { createHash } from "node:crypto";
import { alter, hmacHex, makeCase, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "mailgun" }, tolerance_secs: 300 };
export const generator = "node:crypto HMAC-SHA256 over timestamp + token, hex, per Mailgun's Securing Webhooks page (no SDK verifier published)";

const TOL = source.tolerance_secs;
const S = keySet("mailgun", 32);
const TOKEN = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
const mac = (key, ts, token) => hmacHex("sha256", key, `${ts}${token}`);
const EVENT = { id: "CPgfbmQMTCKtHW6uIWtuVe", timestamp: 1767225600.123, event: "delivered", recipient: "zoë@example.com", message: { headers: { "message-id": "20260101000000.1.ABC@mg.example.com", subject: "Café & <friends>" } } };

/** A delivery: the signature block first, as Mailgun sends it. */
const delivery = (block, event = EVENT) => JSON.stringify({ signature: block, "event-data": event });
const block = (key, ts, token = TOKEN, extra = {}) => ({ token, timestamp: String(ts), signature: mac(key, ts, token), ...extra });
const JSON_CT = { "content-type": "application/json" };
const FORM_CT = { "content-type": "application/x-www-form-urlencoded" };

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, headers: JSON_CT, nowSecs: now };
  const ok = { expect: "accept", eventId: TOKEN, keyLabel: "current" };
  const good = block(S.current, now);
  const rot = [secret("old", S.old), secret("new", S.new)];
  const at = (name, ts, expect) => makeCase({ ...base, name, body: delivery(block(S.current, ts)), ...(expect === "accept" ? ok : { expect }) });
  const form = (b) => new URLSearchParams({ ...b, event: "delivered", recipient: "zoe@example.com" }).toString();
  return [
    makeCase({ ...base, name: "accepts a genuine event (the id is the signed token)", body: delivery(good), ...ok }),
    makeCase({ ...base, name: "wrong signing key", body: delivery(block(S.wrong, now)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered token", body: delivery({ ...good, token: `${TOKEN.slice(0, -1)}4` }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, block says now-1)", body: delivery({ ...good, timestamp: String(now - 1) }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "replayed block with another event-data: the same event id (its token), so a duplicate", body: alter(delivery(good), '"delivered"', '"failed"'), ...ok }),
    makeCase({ ...base, name: "truncated signature", body: delivery({ ...good, signature: truncate(good.signature, 40) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not hex", body: delivery({ ...good, signature: "z".repeat(64) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "no signature block", body: JSON.stringify({ "event-data": EVENT }), expect: "signature_missing" }),
    makeCase({ ...base, name: "signature block without a token", body: delivery({ timestamp: good.timestamp, signature: good.signature }), expect: "event_id_missing" }),
    makeCase({ ...base, name: "signature block without a timestamp", body: delivery({ token: TOKEN, signature: good.signature }), expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp is not a number", body: delivery({ ...good, timestamp: "yesterday" }), expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "timestamp as a JSON number", body: delivery({ ...good, timestamp: now }), ...ok }),
    makeCase({ ...base, name: "body is not JSON", body: "signature=nope", expect: "body_not_json" }),
    at(`timestamp exactly ${TOL}s old (edge)`, now - TOL, "accept"),
    at(`timestamp ${TOL + 1}s old`, now - TOL - 1, "timestamp_too_old"),
    at(`timestamp exactly ${TOL}s in the future (edge)`, now + TOL, "accept"),
    at(`timestamp ${TOL + 1}s in the future`, now + TOL + 1, "timestamp_in_future"),
    makeCase({ ...base, name: "old timestamp with a wrong signature: signature first", body: delivery(block(S.wrong, now - 10 * TOL)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "subaccount: signature under another key, parent-signature under ours", body: delivery(block(S.bogus(0), now, TOKEN, { "parent-signature": mac(S.current, now, TOKEN) })), ...ok }),
    makeCase({ ...base, name: "subaccount: neither signature under our key", body: delivery(block(S.bogus(0), now, TOKEN, { "parent-signature": mac(S.bogus(1), now, TOKEN) })), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "legacy form webhook", headers: FORM_CT, body: form(good), ...ok }),
    makeCase({ ...base, name: "legacy form webhook, wrong key", headers: FORM_CT, body: form(block(S.wrong, now)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, body: delivery(block(S.old, now)), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, body: delivery(block(S.new, now)), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], body: delivery(block(S.old, now)), expect: "signature_mismatch" }),
  ];
}

/** A Mailgun-shaped token (at least 50 characters) carrying the event id: the same id, the
 * same token, so a resend with `--id` is a duplicate. */
const tokenFor = (id) => (id.length >= 50 ? id : `${id}${createHash("sha256").update(`mailgun-token:${id}`).digest("hex")}`.slice(0, 50));

/** For `npm run send`: a `delivered` event. The signature block is part of the body, so
 * `sign` returns the body with its block signed at `nowSecs` for the id's token. */
export const signer = makeSigner({
  timestamped: true,
  bodyTimestamp: true,
  sample: ({ id, nowSecs }) => delivery({ token: tokenFor(id), timestamp: String(nowSecs), signature: "" }, { ...EVENT, id, timestamp: nowSecs }),
  sign: ({ key, body, nowSecs, id }) => {
    let doc;
    try {
      doc = JSON.parse(body);
    } catch {
      doc = { "event-data": { body } };
    }
    const token = tokenFor(id);
    return { headers: JSON_CT, body: JSON.stringify({ ...doc, signature: block(key, nowSecs, token) }) };
  },
});
