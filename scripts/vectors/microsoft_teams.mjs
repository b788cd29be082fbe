// Microsoft Teams outgoing webhooks: `Authorization: HMAC <base64 HMAC-SHA256(key, body)>`, the key
// being the base64-decoded security token Teams shows when the webhook is created (Microsoft's
// sample, https://github.com/OfficeDev/msteams-samples-outgoing-webhook-nodejs/blob/master/app.js).
// Id: the activity's `/id` when present (else a digest). Signed with node:crypto as the sample
// computes it.
import { fixedBytes, hmacB64, makeCase, makeSigner, secret, truncate } from "./lib.mjs";

export const source = { scheme: { type: "microsoft_teams" } };
export const generator = "node:crypto HMAC-SHA256, base64, keyed with the base64-decoded token, as Microsoft's outgoing-webhook sample computes it";
const body = JSON.stringify({ type: "message", id: "1767225600000", timestamp: "2026-01-01T00:00:00.000Z", text: "<at>hookgate</at> hello from Zoë", from: { id: "29:1hookgate", name: "Zoë" }, channelData: { teamsTeamId: "19:team@thread.skype" } });
const ID = "1767225600000";
const token = (name) => fixedBytes(`microsoft_teams-${name}`).toString("base64");
const S = { current: token("current"), old: token("old"), new: token("new"), wrong: token("wrong") };
const mac = (key, b) => hmacB64("sha256", Buffer.from(key, "base64"), b);
const h = (key, b) => ({ authorization: `HMAC ${mac(key, b)}`, "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const ok = { expect: "accept", eventId: ID, keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const noId = JSON.stringify({ type: "message", text: "no id here" });
  return [
    makeCase({ ...base, name: "accepts a genuine message", headers: h(S.current, body), ...ok }),
    makeCase({ ...base, name: "wrong token", headers: h(S.wrong, body), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "keyed with the token's text instead of its decoded bytes", headers: { ...h(S.current, body), authorization: `HMAC ${hmacB64("sha256", S.current, body)}` }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: body.replace("hello", "hellO"), headers: h(S.current, body), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { authorization: truncate(h(S.current, body).authorization, 17) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature without the HMAC prefix", headers: { authorization: mac(S.current, body) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "a Bearer token instead of an HMAC", headers: { authorization: `Bearer ${S.current}` }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing authorization", headers: { "content-type": "application/json" }, expect: "signature_missing" }),
    makeCase({ ...base, name: "authentic body without /id: a body digest instead", body: noId, headers: h(S.current, noId), expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "rotation: old and new tokens, signed with old", secrets: rot, headers: h(S.old, body), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new tokens, signed with new", secrets: rot, headers: h(S.new, body), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old token expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(S.old, body), expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: a channel message mentioning the webhook (the secret is Teams' base64 token). */
export const signer = makeSigner({ sample: body, sign: ({ key, body: b }) => ({ headers: h(key, b) }) });
