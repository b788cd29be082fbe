// Adyen standard webhooks: each NotificationRequestItem carries additionalData.hmacSignature,
// base64 HMAC-SHA256(hex-decoded HMAC key, pspReference:originalReference:merchantAccountCode:
// merchantReference:amount.value:amount.currency:eventCode:success). Signed with
// @adyen/api-library's HmacValidator.calculateHmac and cross-checked with validateHMAC on
// every item; evidence level sdk. Only those fields are signed: dedupe keys on a digest of the
// items' signed strings.
import * as adyen from "@adyen/api-library";
import { bodyText, fixedBytes, makeCase, pkgVersion, secret, truncate, makeSigner, usableSecrets } from "./lib.mjs";

export const source = { scheme: { type: "adyen" } };
export const generator = `@adyen/api-library@${pkgVersion("@adyen/api-library")} (HmacValidator.calculateHmac; cross-checked with validateHMAC)`;

const validator = new adyen.hmacValidator();
// Adyen's HMAC keys are 32 bytes shown as 64 upper-case hex digits.
const key = (label) => fixedBytes(`adyen-${label}`, 32).toString("hex").toUpperCase();
const S = { current: key("current"), old: key("old"), new: key("new"), wrong: key("wrong"), bogus: (i) => key(`bogus-${i}`) };
const ITEM = {
  additionalData: { authCode: "058578", cardSummary: "1111", expiryDate: "03/2030", shopperReference: "zoë & <friends>" },
  amount: { currency: "EUR", value: 1130 },
  eventCode: "AUTHORISATION",
  eventDate: "2026-01-01T00:00:00+01:00",
  merchantAccountCode: "HookgateECOM",
  merchantReference: "order-1767225600",
  operations: ["CANCEL", "CAPTURE", "REFUND"],
  paymentMethod: "visa",
  pspReference: "QFQTPCQ8HXSKGK82",
  reason: "058578:1111:03/2030",
  success: "true",
};
const signItem = (k, item) => {
  const { hmacSignature: _drop, ...rest } = item.additionalData ?? {};
  const unsigned = { ...item, additionalData: rest };
  return { ...item, additionalData: { ...rest, hmacSignature: validator.calculateHmac(unsigned, k) } };
};
const delivery = (...items) => JSON.stringify({ live: "false", notificationItems: items.map((i) => ({ NotificationRequestItem: i })) });
const CT = { "content-type": "application/json" };
const idOf = (i) => `${i.pspReference}:${i.eventCode}:${i.success}`;

export function cases({ nowSecs: now, url }) {
  const good = signItem(S.current, ITEM);
  const base = { secrets: [secret("current", S.current)], url, headers: CT, body: delivery(good), nowSecs: now };
  const ok = { expect: "accept", eventId: idOf(ITEM), keyLabel: "current" };
  const rot = [secret("old", S.old), secret("new", S.new)];
  const capture = signItem(S.current, { ...ITEM, eventCode: "CAPTURE", originalReference: ITEM.pspReference, pspReference: "LXTMQ6QJ2F6VXK82" });
  const noOriginal = { ...ITEM };
  const refund = signItem(S.current, { ...ITEM, eventCode: "REFUND", success: "false", amount: { currency: "EUR", value: 0 } });
  const sig = good.additionalData.hmacSignature;
  const withSig = (item, s) => ({ ...item, additionalData: { ...item.additionalData, hmacSignature: s } });
  return [
    makeCase({ ...base, name: "accepts a genuine AUTHORISATION", ...ok }),
    makeCase({ ...base, name: "accepts a CAPTURE with an originalReference", body: delivery(capture), ...ok, eventId: idOf(capture) }),
    makeCase({ ...base, name: "accepts a failed REFUND of amount 0", body: delivery(refund), ...ok, eventId: idOf(refund) }),
    makeCase({ ...base, name: "accepts a batch of two items (no single event id)", body: delivery(good, capture), expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "an unsigned field changed (reason, eventDate): still authentic, the same signed digest", body: delivery({ ...good, reason: "altered", eventDate: "2020-01-01T00:00:00+01:00" }), ...ok }),
    makeCase({ ...base, name: "wrong key", body: delivery(signItem(S.wrong, ITEM)), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered amount", body: delivery({ ...good, amount: { currency: "EUR", value: 1 } }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered success", body: delivery({ ...good, success: "false" }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered eventCode", body: delivery({ ...good, eventCode: "CANCELLATION" }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "a batch with one forged item", body: delivery(good, { ...capture, merchantReference: "forged" }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", body: delivery(withSig(good, truncate(sig, 20))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not base64", body: delivery(withSig(good, "*".repeat(44))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "no hmacSignature", body: delivery({ ...noOriginal, additionalData: { authCode: "058578" } }), expect: "signature_missing" }),
    makeCase({ ...base, name: "no notificationItems", body: JSON.stringify({ live: "false" }), expect: "message_malformed" }),
    makeCase({ ...base, name: "empty notificationItems", body: delivery(), expect: "message_malformed" }),
    makeCase({ ...base, name: "body is not JSON", body: "[accepted]", expect: "body_not_json" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, body: delivery(signItem(S.old, ITEM)), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, body: delivery(signItem(S.new, ITEM)), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: a batch signed under both keys", secrets: rot, body: delivery(signItem(S.old, ITEM), signItem(S.new, { ...ITEM, pspReference: "N2" })), expect: "accept", keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], body: delivery(signItem(S.old, ITEM)), expect: "signature_mismatch" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const items = doc?.notificationItems?.map((w) => w.NotificationRequestItem);
  if (!items?.length || items.some((i) => !i?.additionalData?.hmacSignature)) return null;
  // Each item under any usable key (a batch may straddle a rotation).
  const keys = [secretValue, ...usableSecrets(c).map((s) => s.value)];
  return items.every((i) => keys.some((k) => validator.validateHMAC(i, k)));
}

/** For `npm run send`: an AUTHORISATION whose pspReference is the id (the signature is
 * inside the body, so `sign` returns the body it signed). */
export const signer = makeSigner({
  sample: ({ id }) => delivery({ ...ITEM, pspReference: id }),
  sign: ({ key: k, body }) => {
    const doc = JSON.parse(body);
    const items = (doc.notificationItems ?? []).map((w) => ({ NotificationRequestItem: signItem(k, w.NotificationRequestItem ?? {}) }));
    return { headers: CT, body: JSON.stringify({ ...doc, notificationItems: items }) };
  },
});
