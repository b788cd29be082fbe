// PayPal REST webhooks: `paypal-transmission-sig` is base64 RSASSA-PKCS1-v1_5 / SHA-256
// (`paypal-auth-algo: SHA256withRSA`) over `<transmission id>|<transmission time>|<webhook
// id>|<CRC-32 of the raw body, unsigned decimal>`, by the key of the certificate at
// `paypal-cert-url` (https://developer.paypal.com/api/rest/webhooks/rest/). PayPal publishes no
// signed delivery with its raw body, and only PayPal holds the key: the vectors are signed with
// our own seeded key and self-signed certificate (node-forge), node:crypto RSA-SHA256 and
// zlib.crc32; each case carries `certificates` (URL -> PEM), what the Worker would fetch.
// Evidence level doc-algorithm. No `signer`: like SNS, only PayPal can sign (UNSIGNABLE).
import { createSign } from "node:crypto";
import { crc32 } from "node:zlib";
import { alter, makeCase, pkgVersion, rfc3339, seededRsaCertificate } from "./lib.mjs";

const WEBHOOK_ID = "9XL90610J3647323C";
export const source = { scheme: { type: "paypal", webhook_id: WEBHOOK_ID }, tolerance_secs: 3600 };
export const generator = `node-forge ${pkgVersion("node-forge")} RSA-2048 key and self-signed certificate (seeded), node:crypto RSA-SHA256, node:zlib crc32, per PayPal's webhooks guide`;

let K;
const keys = () => (K ??= { paypal: seededRsaCertificate("paypal-live", "messageverificationcerts.paypal.com (hookgate test)"), wrong: seededRsaCertificate("paypal-wrong", "attacker (hookgate test)") });
const CERT_URL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-hookgate0";
const SANDBOX_CERT_URL = CERT_URL.replace("api.paypal.com", "api-m.sandbox.paypal.com");
const EVENT_ID = "WH-9UG43882HX7271132-6E0871324L7949614";
const BODY = JSON.stringify({ id: EVENT_ID, event_version: "1.0", create_time: "2026-01-01T00:00:00Z", resource_type: "capture", event_type: "PAYMENT.CAPTURE.COMPLETED", summary: "Payment completed for € 21.00 EUR", resource: { id: "80F85758S3080410K", status: "COMPLETED", amount: { value: "21.00", currency_code: "EUR" }, custom_id: "zoë & <friends>" } });
const TRANSMISSION = "d938e770-8046-11e6-8103-6b62a8a99ac4";

/** The string PayPal signs. */
export const signedString = (id, time, webhookId, body) => `${id}|${time}|${webhookId}|${crc32(Buffer.from(body)) >>> 0}`;
const sign = (key, text) => createSign("RSA-SHA256").update(text).sign(key.privatePem, "base64");

export function cases({ nowSecs: now, url }) {
  const k = keys();
  const certificates = { [CERT_URL]: k.paypal.certPem, [SANDBOX_CERT_URL]: k.paypal.certPem };
  const headers = ({ key = k.paypal, body = BODY, secs = now, time = rfc3339(secs), id = TRANSMISSION, webhookId = WEBHOOK_ID, cert = CERT_URL, algo = "SHA256withRSA" } = {}) => ({
    "content-type": "application/json",
    "paypal-auth-algo": algo,
    "paypal-cert-url": cert,
    "paypal-transmission-id": id,
    "paypal-transmission-sig": sign(key, signedString(id, time, webhookId, body)),
    "paypal-transmission-time": time,
  });
  const base = { secrets: [], url, body: BODY, nowSecs: now };
  const mk = (c) => ({ ...makeCase(c), certificates });
  const ok = { expect: "accept", eventId: EVENT_ID };
  const good = headers();
  const bytes = Buffer.concat([Buffer.from('{"id":"WH-1","note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  return [
    mk({ ...base, name: "accepts a genuine PAYMENT.CAPTURE.COMPLETED", headers: good, ...ok }),
    mk({ ...base, name: "accepts a sandbox certificate URL", headers: headers({ cert: SANDBOX_CERT_URL }), ...ok }),
    mk({ ...base, name: "accepts a body that is not UTF-8 (the CRC covers bytes)", body: bytes, headers: headers({ body: bytes }), expect: "accept", eventId: undefined }),
    mk({ ...base, name: "signed by another key than the certificate's", headers: headers({ key: k.wrong }), expect: "signature_mismatch" }),
    mk({ ...base, name: "altered body", body: alter(BODY, "21.00", "2100.00"), headers: good, expect: "signature_mismatch" }),
    mk({ ...base, name: "signed for another webhook id", headers: headers({ webhookId: "1AB23456CD789012E" }), expect: "signature_mismatch" }),
    mk({ ...base, name: "altered transmission id (a replay under a fresh id)", headers: { ...good, "paypal-transmission-id": "00000000-0000-0000-0000-000000000000" }, expect: "signature_mismatch" }),
    mk({ ...base, name: "altered transmission time", headers: { ...good, "paypal-transmission-time": rfc3339(now - 1) }, expect: "signature_mismatch" }),
    mk({ ...base, name: "another algorithm named", headers: { ...good, "paypal-auth-algo": "SHA1withRSA" }, expect: "signature_malformed" }),
    mk({ ...base, name: "no paypal-auth-algo", headers: { ...good, "paypal-auth-algo": undefined }, expect: "signature_malformed" }),
    mk({ ...base, name: "signature is not base64", headers: { ...good, "paypal-transmission-sig": "%%%" }, expect: "signature_malformed" }),
    mk({ ...base, name: "no signature", headers: { ...good, "paypal-transmission-sig": undefined }, expect: "signature_missing" }),
    mk({ ...base, name: "certificate URL over http", headers: { ...good, "paypal-cert-url": CERT_URL.replace("https:", "http:") }, expect: "certificate_url_refused" }),
    mk({ ...base, name: "certificate URL on another host", headers: { ...good, "paypal-cert-url": "https://api.paypal.com.attacker.example/v1/notifications/certs/CERT-1" }, expect: "certificate_url_refused" }),
    mk({ ...base, name: "certificate URL to an internal address", headers: { ...good, "paypal-cert-url": "https://169.254.169.254/v1/notifications/certs/CERT-1" }, expect: "certificate_url_refused" }),
    mk({ ...base, name: "certificate URL outside /v1/notifications/certs/", headers: { ...good, "paypal-cert-url": "https://api.paypal.com/v1/oauth2/token" }, expect: "certificate_url_refused" }),
    mk({ ...base, name: "no certificate URL", headers: { ...good, "paypal-cert-url": undefined }, expect: "certificate_url_refused" }),
    mk({ ...base, name: "no transmission id", headers: { ...good, "paypal-transmission-id": undefined }, expect: "message_malformed" }),
    mk({ ...base, name: "no transmission time", headers: { ...good, "paypal-transmission-time": undefined }, expect: "timestamp_missing" }),
    mk({ ...base, name: "transmission time unreadable (signed as is)", headers: headers({ time: "yesterday" }), expect: "timestamp_malformed" }),
    mk({ ...base, name: "transmission time exactly 3600s old (edge)", headers: headers({ secs: now - 3600 }), ...ok }),
    mk({ ...base, name: "transmission time 3601s old", headers: headers({ secs: now - 3601 }), expect: "timestamp_too_old" }),
    mk({ ...base, name: "transmission time 3601s in the future", headers: headers({ secs: now + 3601 }), expect: "timestamp_in_future" }),
    mk({ ...base, name: "old transmission with a wrong signature: signature first", headers: headers({ key: k.wrong, secs: now - 36000 }), expect: "signature_mismatch" }),
  ];
}
