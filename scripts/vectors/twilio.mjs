// Twilio: `x-twilio-signature: <base64 HMAC-SHA1(auth token, url + sorted key+value params)>`.
// Form posts sign the URL plus the form parameters; JSON posts carry ?bodySHA256=<hex sha256
// of the body> in the URL and sign the URL alone. Signed with the twilio package's
// getExpectedTwilioSignature / getExpectedBodyHash and re-checked with validateRequest /
// validateRequestWithBody. The URL is the one the request is sent to (cases({ url })).
// Event id: i-twilio-idempotency-token, else the form's MessageSid / CallSid, else none
// (the pipeline then uses a body digest): accepted cases without event_id expect none.
import twilio from "twilio";
import { alter, bodyText, makeCase, pkgVersion, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "twilio" } };
export const generator =
  `twilio@${pkgVersion("twilio")} (getExpectedTwilioSignature, getExpectedBodyHash; cross-checked with validateRequest / validateRequestWithBody)`;

const S = keySet("twilio", 32);
const ACCOUNT = "AC00000000000000000000000000h00k";
const MESSAGE_SID = "SM1f0e2d3c4b5a69788796a5b4c3d2e1f0";
const CALL_SID = "CA0a1b2c3d4e5f60718293a4b5c6d7e8f9";
// Twilio's own parameter order (not sorted): the signature sorts them.
const SMS = { ToCountry: "US", SmsMessageSid: MESSAGE_SID, NumMedia: "0", SmsSid: MESSAGE_SID, SmsStatus: "received", Body: "Quote please: café & <friends> + 100% ✓", To: "+14155550199", MessageSid: MESSAGE_SID, AccountSid: ACCOUNT, From: "+14155550100", ApiVersion: "2010-04-01" };
const CALL = { Called: "+14155550199", CallStatus: "ringing", From: "+14155550100", Direction: "inbound", CallSid: CALL_SID, To: "+14155550199", AccountSid: ACCOUNT, ApiVersion: "2010-04-01" };
const NO_SID = { AccountSid: ACCOUNT, From: "+14155550100", To: "+14155550199", Body: "no sid" };
const JSON_BODY = JSON.stringify({ account_sid: ACCOUNT, sid: "HX2a3b4c5d6e7f8091a2b3c4d5e6f70819", status: "delivered", note: "naïve ✓" });
const IDEMPOTENCY = `${ACCOUNT}-${MESSAGE_SID}-1767225600`;

const FORM_CT = { "content-type": "application/x-www-form-urlencoded" };
const form = (params) => new URLSearchParams(params).toString();
const sigForm = (key, url, params) => twilio.getExpectedTwilioSignature(key, url, params);
const withQuery = (url, q) => `${url}${url.includes("?") ? "&" : "?"}${q}`;
const jsonUrl = (url, body) => withQuery(url, `bodySHA256=${twilio.getExpectedBodyHash(body)}`);
const sigJson = (key, signedUrl) => twilio.getExpectedTwilioSignature(key, signedUrl, {});

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: form(SMS), nowSecs: now };
  const f = (key = S.current, params = SMS, signedUrl = url) => ({ "x-twilio-signature": sigForm(key, signedUrl, params), ...FORM_CT });
  const ok = { expect: "accept", eventId: MESSAGE_SID, keyLabel: "current" };
  const sig = sigForm(S.current, url, SMS);
  const rot = [secret("old", S.old), secret("new", S.new)];

  const jUrl = jsonUrl(url, JSON_BODY);
  const jBase = { ...base, url: jUrl, body: JSON_BODY };
  const j = (over = {}, key = S.current, signedUrl = jUrl) => ({ "x-twilio-signature": sigJson(key, signedUrl), "i-twilio-idempotency-token": IDEMPOTENCY, "content-type": "application/json", ...over });
  const altered = alter(JSON_BODY, "delivered", "failed");

  return [
    makeCase({ ...base, name: "form: accepts a genuine SMS", headers: f(), ...ok }),
    makeCase({ ...base, name: "form: wrong auth token", headers: f(S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "form: altered parameter", body: form({ ...SMS, Body: "Quote please: free" }), headers: f(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "form: an added parameter", body: form({ ...SMS, Extra: "1" }), headers: f(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "form: signed for a different URL", headers: f(S.current, SMS, `${url}/other`), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "form: truncated signature", headers: { ...f(), "x-twilio-signature": truncate(sig, 20) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "form: signature is not base64", headers: { ...f(), "x-twilio-signature": "*".repeat(28) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "form: missing x-twilio-signature", headers: FORM_CT, expect: "signature_missing" }),
    makeCase({ ...base, name: "form: voice call, id from CallSid", body: form(CALL), headers: f(S.current, CALL), ...ok, eventId: CALL_SID }),
    makeCase({ ...base, name: "form: idempotency header present, it is the id", headers: { ...f(), "i-twilio-idempotency-token": IDEMPOTENCY }, ...ok, eventId: IDEMPOTENCY }),
    makeCase({ ...base, name: "form: no id at all (falls back to a body digest)", body: form(NO_SID), headers: f(S.current, NO_SID), expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "form: rotation, signed with old", secrets: rot, headers: f(S.old), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "form: rotation, signed with new", secrets: rot, headers: f(S.new), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "form: rotation, old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: f(S.old), expect: "signature_mismatch" }),
    makeCase({ ...jBase, name: "json: accepts a genuine bodySHA256 request", headers: j(), ...ok, eventId: IDEMPOTENCY }),
    makeCase({ ...jBase, name: "json: wrong auth token", headers: j({}, S.wrong), expect: "signature_mismatch" }),
    makeCase({ ...jBase, name: "json: altered body (bodySHA256 no longer matches)", body: altered, headers: j(), expect: "signature_mismatch" }),
    makeCase({ ...jBase, name: "json: body and bodySHA256 both altered, signature not", url: jsonUrl(url, altered), body: altered, headers: j(), expect: "signature_mismatch" }),
    makeCase({ ...jBase, name: "json: missing x-twilio-signature", headers: j({ "x-twilio-signature": undefined }), expect: "signature_missing" }),
    makeCase({ ...jBase, name: "json: truncated signature", headers: j({ "x-twilio-signature": truncate(sigJson(S.current, jUrl), 20) }), expect: "signature_malformed" }),
    makeCase({ ...jBase, name: "json: no i-twilio-idempotency-token (falls back to a body digest)", headers: j({ "i-twilio-idempotency-token": undefined }), expect: "accept", keyLabel: "current" }),
    makeCase({ ...jBase, name: "json: rotation, signed with old", secrets: rot, headers: j({}, S.old), ...ok, eventId: IDEMPOTENCY, keyLabel: "old" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  const sig = c.headers["x-twilio-signature"];
  if (new URL(c.url).searchParams.has("bodySHA256")) return twilio.validateRequestWithBody(secretValue, sig, c.url, text);
  return twilio.validateRequest(secretValue, sig, c.url, Object.fromEntries(new URLSearchParams(text)));
}

/** For `npm run send`: an inbound SMS (form post), its id in MessageSid, signed over the URL
 * it is sent to (set `public_url` when hookgate sits behind another host name). */
export const signer = makeSigner({
  sample: ({ id }) => form({ ...SMS, SmsMessageSid: id, SmsSid: id, MessageSid: id }),
  sign: ({ key, body, url }) => ({ headers: { "x-twilio-signature": sigForm(key, url, Object.fromEntries(new URLSearchParams(body))), ...FORM_CT } }),
});
