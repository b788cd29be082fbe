// Shared helpers for the vector generators: deterministic secrets, body encoding, the case
// builder and the library cross-check. No randomness anywhere: the same inputs give the same
// vectors byte for byte.
import { createHash, createHmac, createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Version of an installed npm package, read from its package.json (for `generator`). */
export function pkgVersion(name) {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).version;
}

/** `n` deterministic bytes named by `label` (SHA-256 chained). */
export function fixedBytes(label, n = 32) {
  const out = [];
  for (let i = 0; out.length < n; i++) out.push(...createHash("sha256").update(`hookgate-vectors:${label}:${i}`).digest());
  return Buffer.from(out.slice(0, n));
}

/** A deterministic printable secret: `prefix` + `n` hex characters. */
export function fixedToken(label, n = 32, prefix = "") {
  return prefix + fixedBytes(label, Math.ceil(n / 2)).toString("hex").slice(0, n);
}

/** The keys every generator rotates through (current, old, new, and a wrong one), fixed
 * by `label`; `keySet(...).bogus(i)` are further unrelated keys of the same shape. */
export function keySet(label, n = 32, prefix = "") {
  const key = (name) => fixedToken(`${label}-${name}`, n, prefix);
  const set = { current: key("current"), old: key("old"), new: key("new"), wrong: key("wrong") };
  // Not enumerable: generators sign with every entry of the set.
  return Object.defineProperty(set, "bogus", { value: (i) => key(`bogus-${i}`) });
}

export const hmac = (alg, key, data) => createHmac(alg, key).update(data).digest();
export const hmacHex = (alg, key, data) => hmac(alg, key, data).toString("hex");
export const hmacB64 = (alg, key, data) => hmac(alg, key, data).toString("base64");

/** Ed25519 key pair from a fixed 32-byte seed (PKCS#8 DER prefix + seed). */
export function ed25519FromSeed(seed) {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  const rawPublic = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { privateKey, publicKey, rawPublic };
}

/** RFC 3339 UTC without fractional seconds: 2026-01-01T00:00:00Z. */
export const rfc3339 = (secs) => new Date(secs * 1000).toISOString().replace(".000Z", "Z");

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
/** `{ body_utf8 }` for text, `{ body_base64 }` for bytes that are not valid UTF-8. */
export function encodeBody(body) {
  if (typeof body === "string") return { body_utf8: body };
  try {
    return { body_utf8: strictUtf8.decode(body) };
  } catch {
    return { body_base64: Buffer.from(body).toString("base64") };
  }
}

/** The raw body bytes of a case. */
export const rawBody = (c) => (c.body_base64 !== undefined ? Buffer.from(c.body_base64, "base64") : Buffer.from(c.body_utf8, "utf8"));
/** The body of a case as text, or null when it is not valid UTF-8. */
export const bodyText = (c) => (c.body_base64 !== undefined ? null : c.body_utf8);

/** A secret entry; `notAfter` (unix secs) marks a key that stops being used after it. */
export const secret = (label, value, notAfter) => (notAfter === undefined ? { label, value } : { label, value, not_after: notAfter });

/**
 * Builds one case in the file format. Header names are lower-cased, headers whose value is
 * `undefined` are dropped (so `{ ...h, "x-sig": undefined }` removes one), fields in a fixed order.
 */
export function makeCase({ name, secrets, method = "POST", url, headers = {}, body, nowSecs, expect, status, eventId, keyLabel, handshake, echoHeader, verifyToken }) {
  if (!name || !secrets || !url || body === undefined || nowSecs === undefined || !expect) throw new Error(`incomplete case ${name}`);
  const h = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k.toLowerCase()] = String(v);
  const c = { name, secrets, method, url, headers: h, ...encodeBody(body), now_secs: nowSecs, expect };
  // `status` 503: authentic, but the configured id is not in what the provider signed (our setting).
  if (status !== undefined) c.status = status;
  if (expect === "accept") {
    if (eventId !== undefined) c.event_id = eventId;
    if (keyLabel !== undefined) c.key_label = keyLabel;
    // A handshake answered at the edge: `{ content_type, body }` exactly (JSON compared as values).
    if (handshake !== undefined) c.handshake = handshake;
    // A header hookgate's answer must carry (Adobe Sign's client id): `[name, value]`.
    if (echoHeader !== undefined) c.echo_header = echoHeader;
  }
  // The source's `verify_token` value (Meta), bound as VECTOR_VERIFY_TOKEN.
  if (verifyToken !== undefined) c.verify_token = verifyToken;
  return c;
}

/**
 * A JSON sample `text` with `id` written at the JSON pointer `pointer` (intermediate objects
 * created), for `npm run send`: each send is a new event unless it reuses an id. Text that
 * is not a JSON object is returned as it is.
 */
export function withId(text, pointer, id) {
  // `form:<name>`: a form-encoded body's field.
  if (pointer.startsWith("form:")) {
    const form = new URLSearchParams(text);
    form.set(pointer.slice(5), id);
    return form.toString();
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  if (doc === null || typeof doc !== "object") return text;
  // A batch (a JSON array): the first event's field, unless the pointer names an index.
  const named = pointer.split("/").slice(1);
  const keys = Array.isArray(doc) && !/^\d+$/.test(named[0] ?? "") ? ["0", ...named] : named;
  let at = doc;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== "object") at[k] = {};
    at = at[k];
  }
  at[keys[keys.length - 1]] = id;
  return JSON.stringify(doc);
}

/**
 * The signing contract `npm run send` shares with the generators (each generator module
 * exports one as `signer`, made from the very functions its cases are signed with):
 *   sample({ id, nowSecs }) -> a body shaped like the provider's, carrying `id` where the
 *                              preset reads (or, for digest-keyed presets, at /id)
 *   sign({ key, body, nowSecs, url, id }) -> { headers, url?, body? } for a delivery at `nowSecs`
 *                              (`body` when the signature lives inside it: Mailgun)
 *   timestamped: whether the preset signs a timestamp (else --skew cannot be refused)
 *   bodyTimestamp: the timestamp is inside the body (sample() writes it; --body keeps its own)
 */
export function makeSigner({ sample, sign, timestamped = false, bodyTimestamp = false, idPointer = "/id" }) {
  const sampleFn = typeof sample === "function" ? sample : ({ id }) => withId(sample, idPointer, id);
  return { sample: sampleFn, sign, timestamped, bodyTimestamp };
}

/** `text` with `from` replaced by `to`; throws when `from` is not there (so an "altered" case really is). */
export function alter(text, from, to) {
  if (!text.includes(from)) throw new Error(`alter: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

/** Keeps the first `chars` characters of a signature: still valid hex/base64, wrong length. */
export const truncate = (sig, chars) => sig.slice(0, chars ?? Math.floor(sig.length / 2));

/** Secrets usable at the case's clock (not_after absent or >= now). */
export const usableSecrets = (c) => c.secrets.filter((s) => s.not_after === undefined || c.now_secs <= s.not_after);

/**
 * Runs a provider library's verifier over the cases. `verify(case, secretValue)` returns true
 * (library accepts), false (library rejects) or null (not applicable to this case).
 * Hard failures: an `accept` case the library rejects with the expected key, or a
 * `signature_*` case the library accepts with any usable key. Every other disagreement is
 * returned as a note (e.g. the library does not check future timestamps).
 */
export async function crossCheck(file, cases, verify) {
  const failures = [];
  const notes = [];
  for (const c of cases) {
    // A scheme without configured keys (Amazon SNS: the key is in the provider's
    // certificate) is checked once, with no secret.
    if (c.expect === "accept") {
      const s = c.secrets.find((k) => k.label === c.key_label) ?? c.secrets[0];
      const ok = await verify(c, s?.value ?? null);
      if (ok === false) failures.push(`${file}: "${c.name}" expects accept, library rejects`);
      continue;
    }
    const verdicts = [];
    for (const s of c.secrets.length ? usableSecrets(c) : [{ value: null }]) verdicts.push(await verify(c, s.value));
    if (verdicts.every((v) => v === null)) continue;
    const libAccepts = verdicts.includes(true);
    if (c.expect.startsWith("signature_") || c.expect.startsWith("credentials_")) {
      if (libAccepts) failures.push(`${file}: "${c.name}" expects ${c.expect}, library accepts`);
    } else if (libAccepts) {
      notes.push(`${file}: "${c.name}" expects ${c.expect}; the library accepts it`);
    }
  }
  return { failures, notes };
}

/** Runs the synchronous `fn` with Date.now() pinned to `nowSecs` (for libraries that read the clock). */
export function atClock(nowSecs, fn) {
  const real = Date.now;
  Date.now = () => nowSecs * 1000;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
}

/**
 * The usual timestamped-HMAC cases, shared by Stripe, Standard Webhooks, Svix, Slack and
 * Sendpilot. `p` describes the scheme:
 *   sign(secretValue, ts, body, id) -> signature string as carried in the header (one candidate)
 *   request({ ts, sigs, body, id }) -> headers (sigs: array of candidate strings)
 *   secrets: { current, old, new, wrong } values and bogus(i) -> a secret that signs a bogus candidate; body: the genuine body; eventId(body, id)
 *   tolerance, nowSecs, url, id (message id when the scheme has one)
 *   multi: false when the header carries exactly one signature (drops the several-candidate cases)
 *   truncated(sig) -> the candidate cut short
 * Returns an array of cases; scheme-specific cases are added by the caller.
 */
export function timestampedCases(p) {
  const { nowSecs: now, url, tolerance: tol, secrets: S, body, id } = p;
  const cur = [secret("current", S.current)];
  const one = (name, { ts = now, signTs = ts, secrets = cur, key = S.current, b = body, signBody = b, sigs, expect, keyLabel = "current", msgId = id, signId = msgId }) => {
    const sig = p.sign(key, signTs, signBody, signId);
    const h = p.request({ ts, sigs: sigs ? sigs(sig) : [sig], body: b, id: msgId });
    return makeCase({ name, secrets, url, headers: h, body: b, nowSecs: now, expect, eventId: p.eventId(b, msgId), keyLabel });
  };
  const bogus = (i) => p.sign(S.bogus(i), now, body, id);
  return [
    one("accepts a genuine event", { expect: "accept" }),
    one("wrong secret", { key: S.wrong, expect: "signature_mismatch" }),
    one("altered body", { signBody: body, b: `${body.slice(0, -1)},"altered":true}`, expect: "signature_mismatch" }),
    one("altered timestamp (signed at now, header says now-1)", { signTs: now, ts: now - 1, expect: "signature_mismatch" }),
    one("truncated signature", { sigs: (s) => [p.truncated(s)], expect: "signature_malformed" }),
    one(`timestamp exactly ${tol}s old (edge)`, { ts: now - tol, expect: "accept" }),
    one(`timestamp ${tol + 1}s old`, { ts: now - tol - 1, expect: "timestamp_too_old" }),
    one(`timestamp exactly ${tol}s in the future (edge)`, { ts: now + tol, expect: "accept" }),
    one(`timestamp ${tol + 1}s in the future`, { ts: now + tol + 1, expect: "timestamp_in_future" }),
    one("old timestamp with a wrong signature: signature first", { ts: now - 10 * tol, key: S.wrong, expect: "signature_mismatch" }),
    ...(p.multi === false ? [] : [
      one("bogus signature before the right one", { sigs: (s) => [bogus(0), s], expect: "accept" }),
      one("right signature before a bogus one", { sigs: (s) => [s, bogus(0)], expect: "accept" }),
      one("20 bogus signatures, none right", { sigs: () => Array.from({ length: 20 }, (_, i) => bogus(i)), expect: "signature_mismatch" }),
      one("20 bogus signatures then the right one", { sigs: (s) => [...Array.from({ length: 20 }, (_, i) => bogus(i)), s], expect: "accept" }),
    ]),
    one("rotation: old and new keys, signed with old", { secrets: [secret("old", S.old), secret("new", S.new)], key: S.old, keyLabel: "old", expect: "accept" }),
    one("rotation: old and new keys, signed with new", { secrets: [secret("old", S.old), secret("new", S.new)], key: S.new, keyLabel: "new", expect: "accept" }),
    one("rotation: old key's not_after equals now, signed with old", { secrets: [secret("old", S.old, now), secret("new", S.new)], key: S.old, keyLabel: "old", expect: "accept" }),
    one("rotation: old key expired (not_after = now-1), signed with old", { secrets: [secret("old", S.old, now - 1), secret("new", S.new)], key: S.old, expect: "signature_mismatch" }),
    one("rotation: old key expired, signed with new", { secrets: [secret("old", S.old, now - 1), secret("new", S.new)], key: S.new, keyLabel: "new", expect: "accept" }),
  ];
}

/**
 * Cases for a catalogue preset whose header is a timestamped `k=v` list over
 * `<ts><sep><body>` (Calendly, Go1, Paddle, WorkOS), signed with node:crypto as the
 * provider's docs or SDK describe. `p`: type, label, tolerance, header, tsKey, sigKey,
 * itemSep, pairSep, contentSep, unit ("s" or "ms"), body, idPointer (required id), eventId.
 */
export function listPreset(p) {
  const S = keySet(p.label, 40);
  const stamp = (ts) => (p.unit === "ms" ? ts * 1000 : ts);
  // `stamped`: the timestamp as written in the header (seconds or milliseconds).
  const macAt = (key, stamped, body) => hmacHex("sha256", key, Buffer.concat([Buffer.from(`${stamped}${p.contentSep}`), Buffer.from(body)]));
  const mac = (key, ts, body) => macAt(key, stamp(ts), body);
  const sign = (key, ts, body) => `${p.sigKey}${p.pairSep}${mac(key, ts, body)}`;
  const header = (stamped, sigs) => [`${p.tsKey}${p.pairSep}${stamped}`, ...sigs].join(p.itemSep);
  const request = ({ ts, sigs }) => ({ [p.header]: header(stamp(ts), sigs), "content-type": "application/json" });
  const source = { scheme: { type: p.type }, tolerance_secs: p.tolerance };
  function cases({ nowSecs: now, url }) {
    const body = p.body;
    const base = { secrets: [secret("current", S.current)], url, nowSecs: now };
    const ok = (b) => ({ expect: "accept", eventId: p.eventId?.(b), keyLabel: "current" });
    const wrongUnit = p.unit === "ms" ? now : now * 1000;
    const out = [
      ...timestampedCases({ nowSecs: now, url, tolerance: p.tolerance, secrets: S, body, sign, request, truncated: (s) => truncate(s, s.length - 10), eventId: p.eventId ?? (() => undefined) }),
      makeCase({ ...base, name: `missing ${p.header}`, body, headers: { "content-type": "application/json" }, expect: "signature_missing" }),
      makeCase({ ...base, name: "signature in another key", body, headers: request({ ts: now, sigs: [`v0${p.pairSep}${mac(S.current, now, body)}`] }), expect: "signature_malformed" }),
      makeCase({ ...base, name: "timestamp in seconds where milliseconds are meant, or the reverse", body, headers: { [p.header]: header(wrongUnit, [`${p.sigKey}${p.pairSep}${macAt(S.current, wrongUnit, body)}`]) }, expect: p.unit === "ms" ? "timestamp_too_old" : "timestamp_in_future" }),
    ];
    if (p.idPointer) {
      const noId = JSON.stringify({ note: "no id here" });
      out.push(makeCase({ ...base, name: `authentic body without ${p.idPointer}`, body: noId, headers: request({ ts: now, sigs: [sign(S.current, now, noId)] }), expect: "event_id_missing", status: 503 }));
    }
    out.push(makeCase({ ...base, name: "accepts a genuine event, sent again", body, headers: request({ ts: now, sigs: [sign(S.current, now, body)] }), ...ok(body) }));
    return out;
  }
  // `p.sampleIdPointer`: where the preset reads its id, when it is not a required `idPointer`.
  const signer = makeSigner({ sample: p.body, idPointer: p.sampleIdPointer ?? p.idPointer, timestamped: true, sign: ({ key, body, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body)] }) }) });
  return { source, cases, signer };
}

/**
 * Cases for a catalogue preset that signs the raw body alone (Castle, Clearbit, Vercel):
 * `p`: type, label, header, prefix, alg ("sha256" or "sha1"), encoding ("hex" or "base64"),
 * body, idPointer and idRequired.
 */
export function bodyPreset(p) {
  const S = keySet(p.label, 40);
  const digest = (key, body) => hmac(p.alg, key, body).toString(p.encoding);
  const h = (key, body) => ({ [p.header]: `${p.prefix}${digest(key, body)}`, "content-type": "application/json" });
  const source = p.tolerance ? { scheme: { type: p.type }, tolerance_secs: p.tolerance } : { scheme: { type: p.type } };
  function cases({ nowSecs: now, url }) {
    // `p.body` may depend on the clock (a signed timestamp inside it: `p.tolerance`).
    const bodyAt = (secs) => (typeof p.body === "function" ? p.body(secs) : p.body);
    const body = bodyAt(now);
    const id = p.idPointer ? p.idPointer.split("/").slice(1).reduce((o, k) => o?.[k], JSON.parse(body)) : undefined;
    const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
    const ok = { expect: "accept", eventId: id, keyLabel: "current" };
    const rot = [secret("old", S.old), secret("new", S.new)];
    const noId = JSON.stringify({ note: "no id here" });
    const out = [
      makeCase({ ...base, name: "accepts a genuine event", headers: h(S.current, body), ...ok }),
      makeCase({ ...base, name: "wrong secret", headers: h(S.wrong, body), expect: "signature_mismatch" }),
      makeCase({ ...base, name: "altered body", body: `${body.slice(0, -1)},"altered":true}`, headers: h(S.current, body), expect: "signature_mismatch" }),
      makeCase({ ...base, name: "truncated signature", headers: { [p.header]: truncate(h(S.current, body)[p.header], p.prefix.length + 12) }, expect: "signature_malformed" }),
      makeCase({ ...base, name: `missing ${p.header}`, headers: { "content-type": "application/json" }, expect: "signature_missing" }),
      makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(S.old, body), ...ok, keyLabel: "old" }),
      makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(S.new, body), ...ok, keyLabel: "new" }),
      makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h(S.old, body), expect: "signature_mismatch" }),
    ];
    // `p.jsonOnly`: a source whose handshake answers with a MAC takes JSON-object bodies only.
    if (!(p.idPointer && p.idRequired) && !p.tolerance) out.push(makeCase({ ...base, name: "empty body", body: "", headers: h(S.current, ""), expect: p.jsonOnly ? "body_not_json" : "accept", keyLabel: "current" }));
    if (p.tolerance) {
      for (const [name, secs, expect] of [[`body timestamp ${p.tolerance + 1}s old`, now - p.tolerance - 1, "timestamp_too_old"], [`body timestamp ${p.tolerance + 1}s in the future`, now + p.tolerance + 1, "timestamp_in_future"]]) {
        const b = bodyAt(secs);
        out.push(makeCase({ ...base, name, body: b, headers: h(S.current, b), expect }));
      }
    }
    if (p.prefix) out.push(makeCase({ ...base, name: `signature without the ${p.prefix} prefix`, headers: { [p.header]: digest(S.current, body) }, expect: "signature_malformed" }));
    if (p.idPointer && p.idRequired) out.push(makeCase({ ...base, name: `authentic body without ${p.idPointer}`, body: noId, headers: h(S.current, noId), expect: "event_id_missing", status: 503 }));
    if (p.idPointer && !p.idRequired) out.push(makeCase({ ...base, name: `authentic body without ${p.idPointer}: a body digest instead`, body: noId, headers: h(S.current, noId), expect: "accept", keyLabel: "current" }));
    return out;
  }
  const sample = ({ id, nowSecs }) => withId(typeof p.body === "function" ? p.body(nowSecs) : p.body, p.sampleIdPointer ?? p.idPointer ?? "/id", id);
  const signer = makeSigner({ sample, timestamped: Boolean(p.tolerance), bodyTimestamp: Boolean(p.tolerance), sign: ({ key, body }) => ({ headers: h(key, body) }) });
  return { source, cases, signer };
}

/**
 * Cases for a catalogue preset with the timestamp in its own header and one plain signature
 * over `<before><ts><between><body>` (Airwallex, Pinwheel, Zendesk), signed with node:crypto as
 * the docs describe. `p`: type, label, tolerance, header, tsHeader, prefix, before, between,
 * unit ("s", "ms" or "rfc3339"), encoding ("hex" by default, or "base64"), body, eventId.
 */
export function headerTsPreset(p) {
  const S = keySet(p.label, 40);
  const stamp = (ts) => (p.unit === "ms" ? ts * 1000 : p.unit === "rfc3339" ? rfc3339(ts) : ts);
  const sign = (key, ts, body) => `${p.prefix}${hmac("sha256", key, `${p.before}${stamp(ts)}${p.between}${body}`).toString(p.encoding ?? "hex")}`;
  const request = ({ ts, sigs }) => ({ [p.header]: sigs[0], [p.tsHeader]: stamp(ts), "content-type": "application/json" });
  const source = { scheme: { type: p.type }, tolerance_secs: p.tolerance };
  function cases({ nowSecs: now, url }) {
    const body = p.body;
    const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
    const good = request({ ts: now, sigs: [sign(S.current, now, body)] });
    return [
      ...timestampedCases({ nowSecs: now, url, tolerance: p.tolerance, secrets: S, body, sign, request, multi: false, truncated: (s) => truncate(s, s.length - 10), eventId: p.eventId ?? (() => undefined) }),
      makeCase({ ...base, name: `missing ${p.header}`, headers: { ...good, [p.header]: undefined }, expect: "signature_missing" }),
      makeCase({ ...base, name: `missing ${p.tsHeader}`, headers: { ...good, [p.tsHeader]: undefined }, expect: "timestamp_missing" }),
      makeCase({ ...base, name: `${p.tsHeader} is not a ${p.unit === "rfc3339" ? "date" : "number"}`, headers: { ...good, [p.tsHeader]: "yesterday" }, expect: "timestamp_malformed" }),
    ];
  }
  const signer = makeSigner({ sample: p.body, idPointer: p.sampleIdPointer, timestamped: true, sign: ({ key, body, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body)] }) }) });
  return { source, cases, signer };
}

/** Runs the async `fn` with the clock (`Date.now()` and `new Date()`) pinned to `nowSecs`. */
export async function atClockAsync(nowSecs, fn) {
  const RealDate = globalThis.Date;
  const ms = nowSecs * 1000;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  };
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

/**
 * Cases for a catalogue preset that signs nothing and sends a shared credential (GitLab,
 * Postmark, Chargebee): plain requests. `p`: type, label, body, and either `header` (the
 * token's header) or `user` (HTTP Basic user; the password is the secret); `idHeader` and
 * `id` when the preset reads an event id from a header, `eventId` when it reads one from
 * the body.
 */
export function credentialPreset(p) {
  const T = keySet(p.label, 40);
  const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const present = (token) => (p.user !== undefined ? { authorization: basic(p.user, token) } : { [p.header]: token });
  const source = { scheme: { type: p.type } };
  function cases({ nowSecs: now, url }) {
    const CT = { "content-type": "application/json" };
    const ids = p.idHeader ? { [p.idHeader]: p.id } : {};
    const id = p.idHeader ? p.id : p.eventId;
    const base = { secrets: [secret("current", T.current)], url, body: p.body, nowSecs: now };
    const ok = (keyLabel, eventId = id) => ({ expect: "accept", eventId, keyLabel });
    const rot = [secret("old", T.old), secret("new", T.new)];
    const style = p.user !== undefined ? "Basic password" : "token";
    const out = [
      makeCase({ ...base, name: `accepts the right ${style}`, headers: { ...CT, ...ids, ...present(T.current) }, ...ok("current") }),
      makeCase({ ...base, name: `wrong ${style}`, headers: { ...CT, ...ids, ...present(T.wrong) }, expect: "credentials_mismatch" }),
      makeCase({ ...base, name: `no ${style}`, headers: { ...CT, ...ids }, expect: "credentials_missing" }),
      makeCase({ ...base, name: `the ${style} in the query instead`, url: `${url}?token=${T.current}`, headers: { ...CT, ...ids }, expect: "credentials_missing" }),
      makeCase({ ...base, name: "a body that is not JSON is passed on", body: "not json", headers: { ...CT, ...ids, ...present(T.current) }, expect: "accept", eventId: p.idHeader ? p.id : undefined, keyLabel: "current" }),
      makeCase({ ...base, name: "rotation: old and new secrets, old sent", secrets: rot, headers: { ...CT, ...ids, ...present(T.old) }, ...ok("old") }),
      makeCase({ ...base, name: "rotation: old and new secrets, new sent", secrets: rot, headers: { ...CT, ...ids, ...present(T.new) }, ...ok("new") }),
      makeCase({ ...base, name: "rotation: old secret expired (not_after = now-1), old sent", secrets: [secret("old", T.old, now - 1), secret("new", T.new)], headers: { ...CT, ...ids, ...present(T.old) }, expect: "credentials_mismatch" }),
    ];
    if (p.idHeader) out.push(makeCase({ ...base, name: `no ${p.idHeader}: a body digest instead`, headers: { ...CT, ...present(T.current) }, expect: "accept", keyLabel: "current" }));
    if (p.user !== undefined) {
      out.push(
        makeCase({ ...base, name: "wrong user, right password", headers: { ...CT, ...ids, authorization: basic(`${p.user}x`, T.current) }, expect: "credentials_mismatch" }),
        makeCase({ ...base, name: "scheme name in lower case (basic)", headers: { ...CT, ...ids, authorization: basic(p.user, T.current).replace("Basic", "basic") }, ...ok("current") }),
        makeCase({ ...base, name: "a Bearer token where Basic is configured", headers: { ...CT, ...ids, authorization: `Bearer ${T.current}` }, expect: "credentials_missing" }),
      );
    } else {
      out.push(makeCase({ ...base, name: "token with a Bearer prefix", headers: { ...CT, ...ids, [p.header]: `Bearer ${T.current}` }, ...ok("current") }));
    }
    return out;
  }
  const signer = makeSigner({
    sample: p.body,
    sign: ({ key, id }) => ({ headers: { "content-type": "application/json", ...(p.idHeader ? { [p.idHeader]: id } : {}), ...present(key) } }),
  });
  return { source, cases, signer };
}

/**
 * An RSA-2048 key and a self-signed certificate for it (node-forge, its PRNG seeded from
 * `seed`: the same bytes on every run), for providers that sign with a certificate's key
 * (Amazon SNS, PayPal). Returns `{ privatePem, certPem }`.
 */
export function seededRsaCertificate(seed, commonName) {
  const forge = createRequire(import.meta.url)("node-forge");
  const prng = forge.random.createInstance();
  let ctr = 0;
  prng.seedFileSync = (n) => {
    let out = "";
    while (out.length < n) out += createHash("sha256").update(`hookgate-vectors:${seed}:${ctr++}`).digest("binary");
    return out.slice(0, n);
  };
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001, prng, workers: -1 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date("2025-01-01T00:00:00Z");
  cert.validity.notAfter = new Date("2030-01-01T00:00:00Z");
  const name = [{ name: "commonName", value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { privatePem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert) };
}
