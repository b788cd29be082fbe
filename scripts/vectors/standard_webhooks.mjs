// Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature "v1,<b64> v1,<b64> ...",
// signed "<id>.<ts>.<body>"; secret whsec_<base64 key>. HMAC signed by the standardwebhooks
// package. Ed25519 (v1a, secret whpk_<base64 public key>) is not in that package: signed with
// node:crypto. The package also decodes Buffer bodies as UTF-8, so the non-UTF-8 body is
// signed with node:crypto over the raw bytes.
import { sign as edSign, verify as edVerify, createPublicKey } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { atClock, bodyText, makeSigner, rfc3339, ed25519FromSeed, fixedBytes, hmacB64, makeCase, pkgVersion, rawBody, secret, timestampedCases, truncate } from "./lib.mjs";

export const source = { scheme: { type: "standard_webhooks" }, tolerance_secs: 300 };
export const generator =
  `standardwebhooks@${pkgVersion("standardwebhooks")} (new Webhook(secret).sign; accepts cross-checked with Webhook.verify); ` +
  "v1a Ed25519 and the non-UTF-8 body signed with node:crypto (the package has no Ed25519 and decodes bodies as UTF-8)";

/** Builds the whole case set for a Standard-Webhooks-shaped scheme (shared with svix.mjs). */
export function family({ prefix, label, WebhookClass }) {
  const whsec = (name) => `whsec_${fixedBytes(`${label}-${name}`, 24).toString("base64")}`;
  const S = { current: whsec("current"), old: whsec("old"), new: whsec("new"), wrong: whsec("wrong"), bogus: (i) => whsec(`bogus-${i}`) };
  const H = { id: `${prefix}-id`, ts: `${prefix}-timestamp`, sig: `${prefix}-signature` };
  const sign = (key, ts, body, id) => new WebhookClass(key).sign(id, new Date(ts * 1000), body);
  const request = ({ ts, sigs, id }) => ({ [H.id]: id, [H.ts]: ts, [H.sig]: sigs.join(" "), "content-type": "application/json" });

  function cases({ nowSecs: now, url }) {
    const id = "msg_2hookgateStdWebhooks01";
    const body = JSON.stringify({ type: "invoice.paid", timestamp: "2026-01-01T00:00:00Z", data: { invoice_id: "inv_42", amount: 1999 } });
    const cur = [secret("current", S.current)];
    const sig = sign(S.current, now, body, id);
    const b64 = sig.slice(3);
    const base = { secrets: cur, url, body, nowSecs: now };
    const hdr = (over) => ({ ...request({ ts: now, sigs: [sig], id }), ...over });
    const raw = (key, ts, bytes, msgId) => `v1,${hmacB64("sha256", Buffer.from(key.slice(6), "base64"), Buffer.concat([Buffer.from(`${msgId}.${ts}.`), bytes]))}`;
    const nonUtf8 = Buffer.from([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]); // {"b":"\xff\xfe\xc3("}
    const out = [
      ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body, id, sign, request, truncated: (s) => truncate(s, 43), eventId: (_b, msgId) => msgId }),
      makeCase({ ...base, name: `missing ${H.sig}`, headers: hdr({ [H.sig]: undefined }), expect: "signature_missing" }),
      makeCase({ ...base, name: `missing ${H.id}`, headers: hdr({ [H.id]: undefined }), expect: "event_id_missing" }),
      makeCase({ ...base, name: `missing ${H.ts}`, headers: hdr({ [H.ts]: undefined }), expect: "timestamp_missing" }),
      makeCase({ ...base, name: `${H.ts} is not a number`, headers: hdr({ [H.ts]: "2026-01-01T00:00:00Z" }), expect: "timestamp_malformed" }),
      makeCase({ ...base, name: `altered ${H.id}`, headers: hdr({ [H.id]: "msg_2hookgateStdWebhooks02" }), expect: "signature_mismatch" }),
      makeCase({ ...base, name: "only an unknown version (v2)", headers: hdr({ [H.sig]: `v2,${b64}` }), expect: "signature_malformed" }),
      makeCase({ ...base, name: "unknown version alongside the right v1", headers: hdr({ [H.sig]: `v2,${b64} ${sig}` }), expect: "accept", eventId: id, keyLabel: "current" }),
      makeCase({ ...base, name: "v1 with an empty value", headers: hdr({ [H.sig]: "v1," }), expect: "signature_malformed" }),
      makeCase({ ...base, name: "v1 value is not base64", headers: hdr({ [H.sig]: `v1,${"!".repeat(44)}` }), expect: "signature_malformed" }),
      makeCase({ ...base, name: "v1 value is hex, not base64", headers: hdr({ [H.sig]: `v1,${Buffer.from(b64, "base64").toString("hex")}` }), expect: "signature_malformed" }),
      makeCase({ ...base, name: "empty body", body: "", headers: hdr({ [H.sig]: sign(S.current, now, "", id) }), expect: "accept", eventId: id, keyLabel: "current" }),
      makeCase({ ...base, name: "non-UTF-8 body signed over its raw bytes", body: nonUtf8, headers: hdr({ [H.sig]: raw(S.current, now, nonUtf8, id), "content-type": "application/octet-stream" }), expect: "accept", eventId: id, keyLabel: "current" }),
    ];
    if (prefix === "webhook") out.push(...ed25519Cases({ now, url, id, body, S, sign, request }));
    return out;
  }

  /** The package's verifier at the case's clock: secrets that are not whsec_ are not for it. */
  function verify(c, secretValue) {
    const text = bodyText(c);
    if (text === null || !secretValue.startsWith("whsec_")) return null;
    try {
      atClock(c.now_secs, () => new WebhookClass(secretValue).verify(text, c.headers));
      return true;
    } catch {
      return false;
    }
  }
  const signer = makeSigner({
    timestamped: true,
    sample: ({ id, nowSecs }) => JSON.stringify({ type: "invoice.paid", timestamp: rfc3339(nowSecs), data: { invoice_id: `inv_${id.slice(-8)}`, amount: 1999 } }),
    sign: ({ key, body, nowSecs, id }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body, id)], id }) }),
  });
  return { cases, verify, signer };
}

// --- Ed25519 (v1a) ---------------------------------------------------------------------------
const edKeys = (name) => {
  const k = ed25519FromSeed(fixedBytes(`standard-webhooks-ed25519-${name}`, 32));
  return { ...k, whpk: `whpk_${k.rawPublic.toString("base64")}` };
};
const ED = { current: edKeys("current"), old: edKeys("old"), wrong: edKeys("wrong") };
const v1a = (k, id, ts, body) => `v1a,${edSign(null, Buffer.from(`${id}.${ts}.${body}`), k.privateKey).toString("base64")}`;

function ed25519Cases({ now, url, id, body, S, sign, request }) {
  const pk = (label, k, notAfter) => secret(label, k.whpk, notAfter);
  const one = (name, { secrets = [pk("current", ED.current)], sigs, b = body, ts = now, expect, keyLabel = "current" }) =>
    makeCase({ name: `ed25519: ${name}`, secrets, url, headers: request({ ts, sigs, id }), body: b, nowSecs: now, expect, eventId: id, keyLabel });
  const good = v1a(ED.current, id, now, body);
  const hmacSig = sign(S.current, now, body, id);
  return [
    one("accepts a genuine v1a signature", { sigs: [good], expect: "accept" }),
    one("signed by another key", { sigs: [v1a(ED.wrong, id, now, body)], expect: "signature_mismatch" }),
    one("altered body", { sigs: [good], b: `${body.slice(0, -1)},"altered":true}`, expect: "signature_mismatch" }),
    one("altered timestamp", { sigs: [good], ts: now - 1, expect: "signature_mismatch" }),
    one("truncated signature", { sigs: [truncate(good, 4 + 80)], expect: "signature_malformed" }),
    one(`timestamp 301s old`, { sigs: [v1a(ED.current, id, now - 301, body)], ts: now - 301, expect: "timestamp_too_old" }),
    one("v1 (HMAC) and v1a in one header, public key configured", { sigs: [hmacSig, good], expect: "accept" }),
    one("v1a and v1 in one header, HMAC secret configured", { secrets: [secret("current", S.current)], sigs: [good, hmacSig], expect: "accept" }),
    one("only v1a, only an HMAC secret configured", { secrets: [secret("current", S.current)], sigs: [good], expect: "signature_mismatch" }),
    one("only v1 (HMAC), only a public key configured", { sigs: [hmacSig], expect: "signature_mismatch" }),
    one("rotation: HMAC secret (old) and public key (new), signed v1a", { secrets: [secret("old", S.old), pk("new", ED.current)], sigs: [good], expect: "accept", keyLabel: "new" }),
    one("rotation: two public keys, signed with old", { secrets: [pk("old", ED.old), pk("new", ED.current)], sigs: [v1a(ED.old, id, now, body)], expect: "accept", keyLabel: "old" }),
    one("rotation: old public key expired, signed with old", { secrets: [pk("old", ED.old, now - 1), pk("new", ED.current)], sigs: [v1a(ED.old, id, now, body)], expect: "signature_mismatch" }),
    one("20 bogus v1a signatures then the right one", { sigs: [...Array.from({ length: 20 }, (_, i) => v1a(edKeys(`bogus-${i}`), id, now, body)), good], expect: "accept" }),
  ];
}

/** Ed25519 check with node:crypto (the package has no asymmetric support). */
function verifyEd25519(c, secretValue) {
  if (!secretValue.startsWith("whpk_")) return null;
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(secretValue.slice(5), "base64")]);
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  const data = Buffer.concat([Buffer.from(`${c.headers["webhook-id"]}.${c.headers["webhook-timestamp"]}.`), rawBody(c)]);
  const age = c.now_secs - Number(c.headers["webhook-timestamp"]);
  if (Math.abs(age) > source.tolerance_secs) return false;
  return (c.headers["webhook-signature"] ?? "").split(" ").some((s) => s.startsWith("v1a,") && edVerify(null, data, key, Buffer.from(s.slice(4), "base64")));
}

const fam = family({ prefix: "webhook", label: "standard-webhooks", WebhookClass: Webhook });
export const cases = fam.cases;
export const signer = fam.signer;
export function verify(c, secretValue) {
  return secretValue.startsWith("whpk_") ? verifyEd25519(c, secretValue) : fam.verify(c, secretValue);
}

/**
 * A catalogue preset that is this scheme under another name: `type` signed by `Webhook`
 * (the standardwebhooks or svix package) with `prefix-*` headers.
 */
export function alias({ type, prefix, pkg, WebhookClass, note }) {
  const fam = family({ prefix, label: type, WebhookClass });
  return {
    source: { scheme: { type }, tolerance_secs: 300 },
    generator: `${pkg}@${pkgVersion(pkg)} (new Webhook(secret).sign; accepts cross-checked with Webhook.verify); ${note}`,
    cases: fam.cases,
    verify: fam.verify,
    signer: fam.signer,
  };
}
