// The signer for a source's scheme, for `npm run send`: a preset's comes from its vector
// generator (scripts/vectors/<preset>.mjs exports the `signer` its cases are signed with, so
// send and the vectors cannot sign differently); the configurable `hmac` scheme is signed
// here from its own settings.
import { createHmac } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { makeSigner, withId } from "./vectors/lib.mjs";

const VECTORS = new URL("./vectors/", import.meta.url);
/** Presets whose generator file has another name (`box` is a Rust keyword). */
const FILE = { box: "box_v2" };

/** Presets a sample cannot be signed for, and why. */
export const UNSIGNABLE = {
  discord: "hookgate holds only the application's Ed25519 public key; a signature needs the private key, which only Discord has (let Discord send its PING from the developer portal instead)",
  sendgrid: "hookgate holds only SendGrid's ECDSA public key; a signature needs the private key, which only SendGrid has (use \"Test Your Integration\" in SendGrid's Event Webhook settings instead)",
  telnyx: "hookgate holds only the account's Ed25519 public key; a signature needs the private key, which only Telnyx has (trigger a test event from Telnyx instead)",
  amazon_sns: "SNS messages are signed with AWS's private key and checked against AWS's certificate; only SNS can sign one (publish a test message to the topic instead)",
  orum: "hookgate holds only Orum's RSA public key; a signature needs the private key, which only Orum has (send a test event from Orum's Monitor instead)",
  paypal: "PayPal webhooks are signed with PayPal's private key and checked against PayPal's certificate; only PayPal can sign one (send a mock event from the Webhooks simulator or a sandbox app instead)",
};

/** Every preset that has a signer: `type` -> generator file name. */
export async function signerFiles() {
  const out = {};
  for (const f of readdirSync(VECTORS).filter((n) => n.endsWith(".mjs") && !["lib.mjs", "generate.mjs"].includes(n))) {
    const mod = await import(new URL(f, VECTORS));
    const type = mod.source?.scheme?.type;
    // The file named after the preset wins over variants (cowbell_header, github_sha1).
    if (type && mod.signer && (!out[type] || f === `${FILE[type] ?? type}.mjs`)) out[type] = f.replace(/\.mjs$/, "");
  }
  return out;
}

/**
 * The signer for `scheme` (a source's `scheme` table), or null when there is none yet.
 * Overrides on a preset are not applied, except cowbell's token placement.
 */
export async function signerFor(scheme) {
  if (scheme.type === "hmac") return hmacSigner(scheme);
  const file = FILE[scheme.type] ?? scheme.type;
  const url = new URL(`${file}.mjs`, VECTORS);
  if (!existsSync(url)) return null;
  const mod = await import(url);
  return mod.signer ?? null;
}

const ALG = { "hmac-sha256": "sha256", "hmac-sha1": "sha1", "hmac-sha512": "sha512" };

/** The configurable scheme (`type = "hmac"`): header, prefix, algorithm, encoding, secret
 * encoding, the signature in a header or `signature_query`, a `signed_content` template over
 * `{body}`, `{timestamp}`, `{id}`, `{url}` and `{header:NAME}`, a timestamp and an id from a
 * header or the body. */
export function hmacSigner(scheme) {
  const alg = ALG[scheme.algorithm ?? "hmac-sha256"];
  if (!alg) return null;
  const ts = scheme.timestamp ?? {};
  const id = scheme.event_id ?? {};
  const keyBytes = (key) => {
    if (scheme.secret_encoding === "whsec") return Buffer.from(key.replace(/^whsec_/, ""), "base64");
    if (scheme.secret_encoding === "base64") return Buffer.from(key, "base64");
    if (scheme.secret_encoding === "hex") return Buffer.from(key, "hex");
    return Buffer.from(key);
  };
  const stamp = (secs) => (ts.format === "unix_ms" ? secs * 1000 : ts.format === "rfc3339" ? new Date(secs * 1000).toISOString().replace(".000Z", "Z") : secs);
  return makeSigner({
    timestamped: Boolean(ts.header || ts.pointer),
    bodyTimestamp: Boolean(ts.pointer),
    sample: ({ id: eventId, nowSecs }) => {
      let body = JSON.stringify({ id: eventId, type: "demo.ping", created: nowSecs, data: { hello: "world" } });
      if (id.pointer) body = withId(body, id.pointer, eventId);
      if (ts.pointer) body = withId(body, ts.pointer, stamp(nowSecs));
      return body;
    },
    sign: ({ key, body, nowSecs, url, id: eventId }) => {
      const headers = { "content-type": "application/json" };
      if (ts.header) headers[ts.header.toLowerCase()] = String(stamp(nowSecs));
      if (id.header) headers[id.header.toLowerCase()] = eventId;
      const template = scheme.signed_content ?? "{body}";
      const parts = template.split(/(\{[^}]+\})/).filter((p) => p !== "");
      const mac = createHmac(alg, keyBytes(key));
      for (const p of parts) {
        if (p === "{body}") mac.update(body);
        else if (p === "{timestamp}") mac.update(String(stamp(nowSecs)));
        else if (p === "{id}") mac.update(eventId);
        else if (p === "{url}") mac.update(url);
        else if (p.startsWith("{header:")) mac.update(headers[p.slice(8, -1).toLowerCase()] ?? "");
        else mac.update(p);
      }
      const digest = mac.digest();
      const enc = scheme.encoding === "base64" ? digest.toString("base64") : scheme.encoding === "base64url" ? digest.toString("base64url") : digest.toString("hex");
      const value = `${scheme.prefix ?? ""}${enc}`;
      if (scheme.signature_query) return { headers, url: `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams({ [scheme.signature_query]: value })}` };
      headers[(scheme.signature_header ?? "x-signature").toLowerCase()] = value;
      return { headers };
    },
  });
}
