// SendGrid Event Webhook (signed): `X-Twilio-Email-Event-Webhook-Signature: <base64 DER
// ECDSA P-256/SHA-256 signature of "<X-Twilio-Email-Event-Webhook-Timestamp><body>">`,
// verified with the dashboard's verification key (base64 DER SubjectPublicKeyInfo)
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features).
// The body is a JSON array of events; no event id (dedupe keys on a digest of the signed
// body). 5 min tolerance (SendGrid documents none).
//
// Signed here with a deterministic ECDSA (k derived from the key and the message by HMAC, so
// the file is the same byte for byte on every run; node:crypto checks each signature), plus
// the two signed deliveries @sendgrid/eventwebhook's own tests carry. Every case is
// cross-checked with @sendgrid/eventwebhook's verifySignature (which checks no clock: the
// timestamp-window cases are notes). Its DER parser (starkbank-ecdsa) also takes BER forms
// of a signature (a long-form length, a non-minimal integer) that hookgate refuses as
// malformed on purpose: SendGrid's signer emits strict DER, and one encoding per signature
// leaves no parser differential to exploit. Those "strict DER" cases are not cross-checked.
import { createHmac, createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import { createRequire } from "node:module";
import { alter, fixedBytes, makeCase, pkgVersion, rawBody, secret, truncate } from "./lib.mjs";

const require = createRequire(import.meta.url);
const { EventWebhook } = require("@sendgrid/eventwebhook");

export const generator = `deterministic ECDSA P-256 (checked with node:crypto); cross-checked with @sendgrid/eventwebhook ${pkgVersion("@sendgrid/eventwebhook")} verifySignature`;
export const source = { scheme: { type: "sendgrid" }, tolerance_secs: 300 };

// P-256 (FIPS 186-4 D.1.2.3), affine arithmetic with BigInt: enough to sign test vectors.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G = [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n];
const mod = (a, m) => ((a % m) + m) % m;
function inv(a, m) {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
function add(p, q) {
  if (p === null) return q;
  if (q === null) return p;
  if (p[0] === q[0] && mod(p[1] + q[1], P) === 0n) return null;
  const l = p[0] === q[0] ? mod((3n * p[0] * p[0] + A) * inv(2n * p[1], P), P) : mod((q[1] - p[1]) * inv(q[0] - p[0], P), P);
  const x = mod(l * l - p[0] - q[0], P);
  return [x, mod(l * (p[0] - x) - p[1], P)];
}
function mul(k, p) {
  let r = null;
  for (let a = p; k > 0n; k >>= 1n, a = add(a, a)) if (k & 1n) r = add(r, a);
  return r;
}
const big = (buf) => BigInt(`0x${Buffer.from(buf).toString("hex") || "0"}`);
const be32 = (n) => Buffer.from(n.toString(16).padStart(64, "0"), "hex");

/** A key pair from a label: `d` in [1, n-1], the SPKI DER, its base64 (the dashboard's form). */
function keyPair(label) {
  const d = mod(big(fixedBytes(`sendgrid-${label}`)), N - 1n) + 1n;
  const [x, y] = mul(d, G);
  const spki = Buffer.concat([Buffer.from("3059301306072a8648ce3d020106082a8648ce3d03010703420004", "hex"), be32(x), be32(y)]);
  return { d, spki, b64: spki.toString("base64") };
}

/** DER INTEGER of a non-negative BigInt (minimal, with a 00 byte when the top bit is set). */
function derInt(n) {
  let b = Buffer.from(n.toString(16).padStart(2, "0").replace(/^(.(..)*)$/, "0$1"), "hex");
  while (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}
const derSig = (r, s) => {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
};

/** (r, s) over `message`, with k = HMAC(d, hash) reduced into [1, n-1]: deterministic. */
function signRS(key, message) {
  const e = big(createHash("sha256").update(message).digest());
  for (let i = 0; ; i++) {
    const k = mod(big(createHmac("sha256", be32(key.d)).update(message).update(String(i)).digest()), N - 1n) + 1n;
    const r = mod(mul(k, G)[0], N);
    const s = mod(inv(k, N) * (e + r * key.d), N);
    if (r !== 0n && s !== 0n) return { r, s };
  }
}

/** For tests/e2e: a fixed key pair by label, and the header value SendGrid would send. */
export const sendgridKey = keyPair;
export const sendgridSignature = (key, ts, body) => {
  const m = Buffer.concat([Buffer.from(String(ts)), Buffer.from(body)]);
  const { r, s } = signRS(key, m);
  return { der: derSig(r, s), r, s, n: N, base64: derSig(r, s).toString("base64"), highS: derSig(r, N - s).toString("base64") };
};

function check(key, message, der) {
  const pub = createPublicKey({ key: key.spki, format: "der", type: "spki" });
  if (!nodeVerify("sha256", message, { key: pub, dsaEncoding: "der" }, der)) throw new Error("sendgrid.mjs: node:crypto rejects our signature");
}

const K = { current: keyPair("current"), old: keyPair("old"), new: keyPair("new"), wrong: keyPair("wrong") };
const EVENTS = JSON.stringify([
  { email: "alice@example.com", timestamp: 1767225590, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>", event: "processed", category: ["cat facts"], sg_event_id: "cHJvY2Vzc2VkLTE3NjcyMjU1OTAtMQ", sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0" },
  { email: "alice@example.com", timestamp: 1767225595, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>", event: "delivered", response: "250 OK", sg_event_id: "ZGVsaXZlcmVkLTE3NjcyMjU1OTUtMg", sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0" },
]).split("},{").join("},\r\n{") + "\r\n";

// The signed deliveries in @sendgrid/eventwebhook 8.0.0's src/eventwebhook.spec.js (real
// SendGrid keys and signatures), byte for byte: the trailing "\r\n" is part of what was signed.
const SPEC = {
  key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==",
  signature: "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
  timestamp: 1600112502,
  body: JSON.stringify([{ email: "hello@world.com", event: "dropped", reason: "Bounced Address", sg_event_id: "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA", sg_message_id: "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0", "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>", timestamp: 1600112492 }]) + "\r\n",
};
const SPEC_MULTIPLE = {
  key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==",
  signature: "MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5",
  timestamp: 1619651159,
  body: JSON.stringify([
    { email: "invalid@gmail.com", event: "processed", send_at: 0, sg_event_id: "cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA", sg_message_id: "qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0", "smtp-id": "<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>", timestamp: 1619651146 },
    { email: "invalid@gmail.com", event: "bounce", ip: "167.89.101.76", reason: "552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp", sg_event_id: "Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w", sg_message_id: "qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0", "smtp-id": "<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>", status: "5.2.2", timestamp: 1619651147, tls: 1, type: "blocked" },
  ]).split("},{").join("},\r\n{") + "\r\n",
};

const SIG = "x-twilio-email-event-webhook-signature";
const TS = "x-twilio-email-event-webhook-timestamp";

export function cases({ nowSecs: now, url }) {
  const message = (ts, body) => Buffer.concat([Buffer.from(String(ts)), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
  const der = (k, ts, body) => {
    const { r, s } = signRS(k, message(ts, body));
    const d = derSig(r, s);
    check(k, message(ts, body), d);
    return d;
  };
  const sig = (k, ts, body) => der(k, ts, body).toString("base64");
  const h = (k, ts, body, signTs = ts, signBody = body) => ({ [SIG]: sig(k, signTs, signBody), [TS]: String(ts), "content-type": "application/json" });
  const withSig = (value) => ({ ...h(K.current, now, EVENTS), [SIG]: value });
  const cur = [secret("current", K.current.b64)];
  const base = { secrets: cur, url, nowSecs: now, body: EVENTS };
  const ok = { expect: "accept", keyLabel: "current" };
  const rot = [secret("old", K.old.b64), secret("new", K.new.b64)];
  const { r, s } = signRS(K.current, message(now, EVENTS));
  const b64 = (b) => b.toString("base64");
  const intBytes = (n) => derInt(n).subarray(2);
  const seq = (...parts) => { const body = Buffer.concat(parts); return Buffer.concat([Buffer.from([0x30, body.length]), body]); };
  const int = (bytes) => Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  const binary = Buffer.concat([Buffer.from("[{\"event\":\"processed\",\"note\":\""), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from("\"}]\r\n")]);
  const pem = `-----BEGIN PUBLIC KEY-----\n${K.current.b64.slice(0, 64)}\n${K.current.b64.slice(64)}\n-----END PUBLIC KEY-----\n`;
  return [
    makeCase({ ...base, name: "accepts a genuine batch", headers: h(K.current, now, EVENTS), ...ok }),
    makeCase({ name: "@sendgrid/eventwebhook's signed delivery (one event)", secrets: [secret("dashboard", SPEC.key)], url, nowSecs: SPEC.timestamp, body: SPEC.body, headers: { [SIG]: SPEC.signature, [TS]: String(SPEC.timestamp), "content-type": "application/json" }, expect: "accept", keyLabel: "dashboard" }),
    makeCase({ name: "@sendgrid/eventwebhook's signed delivery (two events, CRLF between)", secrets: [secret("dashboard", SPEC_MULTIPLE.key)], url, nowSecs: SPEC_MULTIPLE.timestamp + 60, body: SPEC_MULTIPLE.body, headers: { [SIG]: SPEC_MULTIPLE.signature, [TS]: String(SPEC_MULTIPLE.timestamp), "content-type": "application/json" }, expect: "accept", keyLabel: "dashboard" }),
    makeCase({ name: "the SDK's delivery without its trailing CRLF", secrets: [secret("dashboard", SPEC.key)], url, nowSecs: SPEC.timestamp, body: SPEC.body.trimEnd(), headers: { [SIG]: SPEC.signature, [TS]: String(SPEC.timestamp) }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "accepts the key in PEM armour", secrets: [secret("current", pem)], headers: h(K.current, now, EVENTS), ...ok }),
    makeCase({ ...base, name: "accepts a non-UTF-8 body signed as raw bytes", body: binary, headers: h(K.current, now, binary), ...ok }),
    makeCase({ ...base, name: "wrong key", headers: h(K.wrong, now, EVENTS), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(EVENTS, "delivered", "bounce"), headers: h(K.current, now, EVENTS), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, header says now-1)", headers: h(K.current, now - 1, EVENTS, now), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "high-S twin of a valid signature (ECDSA malleability: still valid)", headers: withSig(b64(derSig(r, N - s))), ...ok }),
    makeCase({ ...base, name: "r equal to the group order (DER-valid, out of range)", headers: withSig(b64(derSig(N, s))), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "r = 0", headers: withSig(b64(seq(int(Buffer.from([0])), int(intBytes(s))))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "truncated DER signature", headers: withSig(b64(der(K.current, now, EVENTS).subarray(0, 40))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "truncated base64 text", headers: withSig(truncate(sig(K.current, now, EVENTS), 20)), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not base64", headers: withSig("not base64 at all!"), expect: "signature_malformed" }),
    makeCase({ ...base, name: "raw r||s (P1363) instead of DER", headers: withSig(b64(Buffer.concat([be32(r), be32(s)]))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "DER with a trailing byte", headers: withSig(b64(Buffer.concat([der(K.current, now, EVENTS), Buffer.from([0])]))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "DER sequence length one too long", headers: withSig(b64((() => { const d = Buffer.from(der(K.current, now, EVENTS)); d[1] += 1; return Buffer.concat([d, Buffer.from([0])]); })())), expect: "signature_malformed" }),
    makeCase({ ...base, name: "strict DER: an integer with a needless leading zero", headers: withSig(b64(seq(int(Buffer.concat([Buffer.from([0]), intBytes(r)])), int(intBytes(s))))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "strict DER: a long-form length", headers: withSig(b64((() => { const body = Buffer.concat([int(intBytes(r)), int(intBytes(s))]); return Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]); })())), expect: "signature_malformed" }),
    makeCase({ ...base, name: "DER negative r", headers: withSig(b64(seq(int(Buffer.concat([Buffer.from([0x80]), be32(r).subarray(1)])), int(intBytes(s))))), expect: "signature_malformed" }),
    makeCase({ ...base, name: "empty signature header", headers: withSig(""), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing signature header", headers: withSig(undefined), expect: "signature_missing" }),
    makeCase({ ...base, name: "missing timestamp header", headers: { ...h(K.current, now, EVENTS), [TS]: undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp is not a number", headers: h(K.current, "soon", EVENTS), expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "timestamp exactly 300s old (edge)", headers: h(K.current, now - 300, EVENTS), ...ok }),
    makeCase({ ...base, name: "timestamp 301s old", headers: h(K.current, now - 301, EVENTS), expect: "timestamp_too_old" }),
    makeCase({ ...base, name: "timestamp 301s in the future", headers: h(K.current, now + 301, EVENTS), expect: "timestamp_in_future" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(K.old, now, EVENTS), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(K.new, now, EVENTS), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", K.old.b64, now - 1), secret("new", K.new.b64)], headers: h(K.old, now, EVENTS), expect: "signature_mismatch" }),
  ];
}

/** @sendgrid/eventwebhook's own check, on the bytes and headers of a case. */
export async function verify(c, publicKey) {
  const signature = c.headers[SIG];
  const timestamp = c.headers[TS];
  if (signature === undefined || timestamp === undefined) return null;
  // The SDK decodes a Buffer body as UTF-8 before verifying: it cannot check a non-UTF-8 body.
  const body = rawBody(c);
  if (!Buffer.from(body.toString("utf8")).equals(body)) return null;
  if (c.name.startsWith("strict DER")) return null;
  const ew = new EventWebhook();
  try {
    return ew.verifySignature(ew.convertPublicKeyToECDSA(publicKey), body.toString("utf8"), signature, timestamp);
  } catch {
    return false;
  }
}
