// Amazon SNS (HTTP/S): the body is the JSON message; `Signature` is base64 RSASSA-PKCS1-v1_5
// (SignatureVersion 1: SHA-1, 2: SHA-256) over "Name\nValue\n" of the signed fields in the
// documented order, with the key of the certificate at `SigningCertURL`
// (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). Id:
// `MessageId`; `Timestamp` signed, tolerance 1 h.
//
// AWS publishes no signed example, so the vectors are signed with our own RSA key and
// self-signed certificate (node-forge, seeded: the same bytes on every run; node:crypto
// signs the messages). Each case carries `certificates` (URL -> PEM): what the Worker would
// fetch from that URL. Cross-checked with `sns-validator` (AWS's validator), whose https.get
// is pointed at those certificates; it signs an UnsubscribeConfirmation with another field
// list than AWS documents (without Token), so that case is not cross-checked.
import { createSign } from "node:crypto";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { EventEmitter } from "node:events";
import { makeCase, pkgVersion, rawBody, seededRsaCertificate } from "./lib.mjs";

const require = createRequire(import.meta.url);

export const generator = `node-forge ${pkgVersion("node-forge")} RSA-2048 key and self-signed certificate (seeded), node:crypto RSA-SHA1/RSA-SHA256; cross-checked with sns-validator ${pkgVersion("sns-validator")}`;
export const source = { scheme: { type: "amazon_sns" }, tolerance_secs: 3600 };

const keyPair = (label) => seededRsaCertificate(`sns-${label}`, `sns.amazonaws.com (hookgate test ${label})`);

let K;
const keysOnce = () => (K ??= { aws: keyPair("aws"), wrong: keyPair("wrong") });

const CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookgate0000000000000000000.pem";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";
const FIELDS = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};
const stringToSign = (m) => FIELDS[m.Type].filter((f) => f in m).map((f) => `${f}\n${m[f]}\n`).join("");
const iso = (secs) => new Date(secs * 1000).toISOString();

/** The message as SNS sends it, signed with `key` (v "1" or "2"); `tamper` edits it after signing. */
function message(key, fields, version = "2", tamper = (m) => m) {
  const m = { ...fields };
  const signer = createSign(version === "1" ? "RSA-SHA1" : "RSA-SHA256");
  signer.update(stringToSign(m));
  const signed = { ...m, SignatureVersion: version, Signature: signer.sign(key.privatePem, "base64"), SigningCertURL: CERT_URL, UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:0` };
  return JSON.stringify(tamper(signed));
}

export function cases({ nowSecs: now, url }) {
  const k = keysOnce();
  const notification = (over = {}) => ({ Type: "Notification", MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", TopicArn: TOPIC, Subject: "Order shipped", Message: JSON.stringify({ order: 1042, status: "shipped" }), Timestamp: iso(now), ...over });
  const confirmation = (type) => ({ Type: type, MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b", Token: "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736", TopicArn: TOPIC, Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`, SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb687f`, Timestamp: iso(now) });
  const certificates = { [CERT_URL]: k.aws.certPem };
  const h = (type) => ({ "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": type, "x-amz-sns-topic-arn": TOPIC });
  const base = { secrets: [], url, nowSecs: now, headers: h("Notification") };
  const mk = (c) => ({ ...makeCase(c), certificates });
  const n = notification();
  const ok = { expect: "accept", eventId: n.MessageId };
  return [
    mk({ ...base, name: "accepts a Notification signed with SHA256withRSA (SignatureVersion 2)", body: message(k.aws, n, "2"), ...ok }),
    mk({ ...base, name: "accepts a Notification signed with SHA1withRSA (SignatureVersion 1)", body: message(k.aws, n, "1"), ...ok }),
    mk({ ...base, name: "accepts a Notification without a Subject", body: message(k.aws, (({ Subject, ...rest }) => rest)(n)), ...ok }),
    mk({ ...base, name: "accepts a SubscriptionConfirmation (forwarded to the origin)", headers: h("SubscriptionConfirmation"), body: message(k.aws, confirmation("SubscriptionConfirmation")), expect: "accept", eventId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b" }),
    mk({ ...base, name: "accepts an UnsubscribeConfirmation (fields as AWS documents them)", headers: h("UnsubscribeConfirmation"), body: message(k.aws, confirmation("UnsubscribeConfirmation")), expect: "accept", eventId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b" }),
    mk({ ...base, name: "signed by another key than the certificate's", body: message(k.wrong, n), expect: "signature_mismatch" }),
    mk({ ...base, name: "altered Message", body: message(k.aws, n, "2", (m) => ({ ...m, Message: m.Message.replace("shipped", "refunded") })), expect: "signature_mismatch" }),
    mk({ ...base, name: "altered MessageId (a replay under a fresh id)", body: message(k.aws, n, "2", (m) => ({ ...m, MessageId: "00000000-0000-0000-0000-000000000000" })), expect: "signature_mismatch" }),
    mk({ ...base, name: "Subject removed after signing", body: message(k.aws, n, "2", ({ Subject, ...m }) => m), expect: "signature_mismatch" }),
    mk({ ...base, name: "a SHA-1 signature labelled SignatureVersion 2", body: message(k.aws, n, "1", (m) => ({ ...m, SignatureVersion: "2" })), expect: "signature_mismatch" }),
    mk({ ...base, name: "SignatureVersion 3", body: message(k.aws, n, "2", (m) => ({ ...m, SignatureVersion: "3" })), expect: "signature_malformed" }),
    mk({ ...base, name: "Signature is not base64", body: message(k.aws, n, "2", (m) => ({ ...m, Signature: "%%%" })), expect: "signature_malformed" }),
    mk({ ...base, name: "no Signature", body: message(k.aws, n, "2", ({ Signature, ...m }) => m), expect: "signature_missing" }),
    mk({ ...base, name: "SigningCertURL over http", body: message(k.aws, n, "2", (m) => ({ ...m, SigningCertURL: CERT_URL.replace("https:", "http:") })), expect: "certificate_url_refused" }),
    mk({ ...base, name: "SigningCertURL on another host", body: message(k.aws, n, "2", (m) => ({ ...m, SigningCertURL: "https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem" })), expect: "certificate_url_refused" }),
    mk({ ...base, name: "SigningCertURL not a .pem", body: message(k.aws, n, "2", (m) => ({ ...m, SigningCertURL: "https://sns.us-east-1.amazonaws.com/?Action=Publish" })), expect: "certificate_url_refused" }),
    mk({ ...base, name: "SigningCertURL to an internal address", body: message(k.aws, n, "2", (m) => ({ ...m, SigningCertURL: "https://169.254.169.254/latest/meta-data/x.pem" })), expect: "certificate_url_refused" }),
    mk({ ...base, name: "unknown Type", body: message(k.aws, n, "2", (m) => ({ ...m, Type: "Broadcast" })), expect: "message_malformed" }),
    mk({ ...base, name: "no TopicArn", body: message(k.aws, n, "2", ({ TopicArn, ...m }) => m), expect: "message_malformed" }),
    mk({ ...base, name: "a SubscriptionConfirmation without its Token", headers: h("SubscriptionConfirmation"), body: message(k.aws, confirmation("SubscriptionConfirmation"), "2", ({ Token, ...m }) => m), expect: "message_malformed" }),
    mk({ ...base, name: "body is not JSON", body: "Type=Notification", expect: "body_not_json" }),
    mk({ ...base, name: "Timestamp unreadable (signed as is)", body: message(k.aws, notification({ Timestamp: "yesterday" })), expect: "timestamp_malformed" }),
    mk({ ...base, name: "Timestamp exactly 3600s old (edge)", body: message(k.aws, notification({ Timestamp: iso(now - 3600) })), ...ok }),
    mk({ ...base, name: "Timestamp 3601s old", body: message(k.aws, notification({ Timestamp: iso(now - 3601) })), expect: "timestamp_too_old" }),
    mk({ ...base, name: "Timestamp 3601s in the future", body: message(k.aws, notification({ Timestamp: iso(now + 3601) })), expect: "timestamp_in_future" }),
  ];
}

/** sns-validator's verdict, its certificate fetch answered from the case's `certificates`. */
export async function verify(c) {
  if (c.name.includes("UnsubscribeConfirmation")) return null;
  let parsed;
  try {
    parsed = JSON.parse(rawBody(c).toString("utf8"));
  } catch {
    return null;
  }
  const https = require("https");
  const real = https.get;
  https.get = (u, cb) => {
    const pem = c.certificates[String(u)];
    const res = new EventEmitter();
    res.statusCode = pem ? 200 : 404;
    const req = new EventEmitter();
    setImmediate(() => { cb(res); if (pem) res.emit("data", Buffer.from(pem)); res.emit("end"); });
    return req;
  };
  try {
    // A fresh module each time: sns-validator caches certificates by URL.
    delete require.cache[require.resolve("sns-validator")];
    const MessageValidator = require("sns-validator");
    return await new Promise((resolve) => new MessageValidator().validate(parsed, (err) => resolve(!err)));
  } finally {
    https.get = real;
  }
}
