// Shopify: `x-shopify-hmac-sha256: <base64 HMAC-SHA256(secret, raw body)>`, id x-shopify-webhook-id.
// Shopify's npm packages publish no webhook signer; the signature comes from the getHmac test
// helper shipped in @shopify/shopify-api (crypto HMAC-SHA256, base64; it takes raw Buffers
// too, so it also signs the non-UTF-8 body), and accepts are cross-checked with the
// package's own shopify.webhooks.validate (web-api adapter).
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { alter, bodyText, makeCase, pkgVersion, secret, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "shopify" } };
export const generator =
  `@shopify/shopify-api@${pkgVersion("@shopify/shopify-api")} (test-helpers getHmac; accepts cross-checked with shopify.webhooks.validate)`;

const S = keySet("shopify", 64, "shpss_");
const WEBHOOK_ID = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
const BODY = JSON.stringify({ id: 820982911946154500, email: "jon@example.com", total_price: "199.65", currency: "EUR", note: "Grüße 🎁", line_items: [{ id: 866550311766439000, quantity: 1 }] });
const NON_UTF8 = Buffer.from([0x7b, 0x7d, 0x0a, 0xff, 0x00, 0x80, 0xfe]);

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const h = (over = {}) => ({
    "x-shopify-hmac-sha256": getHmac(BODY, S.current),
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": "hookgate-test.myshopify.com",
    "x-shopify-api-version": "2026-01",
    "x-shopify-webhook-id": WEBHOOK_ID,
    "x-shopify-triggered-at": "2025-12-31T23:59:58.000000000Z",
    "content-type": "application/json",
    ...over,
  });
  const ok = { expect: "accept", eventId: WEBHOOK_ID, keyLabel: "current" };
  const sig = getHmac(BODY, S.current);
  const rot = [secret("old", S.old), secret("new", S.new)];
  return [
    makeCase({ ...base, name: "accepts a genuine event", headers: h(), ...ok }),
    makeCase({ ...base, name: "wrong secret", headers: h({ "x-shopify-hmac-sha256": getHmac(BODY, S.wrong) }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: alter(BODY, "199.65", "1.65"), headers: h(), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: h({ "x-shopify-hmac-sha256": truncate(sig, 40) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-shopify-hmac-sha256", headers: h({ "x-shopify-hmac-sha256": undefined }), expect: "signature_missing" }),
    makeCase({ ...base, name: "signature is not base64", headers: h({ "x-shopify-hmac-sha256": "%".repeat(44) }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature hex-encoded instead of base64", headers: h({ "x-shopify-hmac-sha256": Buffer.from(sig, "base64").toString("hex") }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-shopify-webhook-id", headers: h({ "x-shopify-webhook-id": undefined }), expect: "event_id_missing" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h({ "x-shopify-hmac-sha256": getHmac(BODY, S.old) }), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h({ "x-shopify-hmac-sha256": getHmac(BODY, S.new) }), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, now - 1), secret("new", S.new)], headers: h({ "x-shopify-hmac-sha256": getHmac(BODY, S.old) }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "non-UTF-8 body signed over its raw bytes", body: NON_UTF8, headers: h({ "x-shopify-hmac-sha256": getHmac(NON_UTF8, S.current), "content-type": "application/octet-stream" }), ...ok }),
  ];
}

const apis = new Map();
const api = (key) => {
  if (!apis.has(key)) {
    apis.set(key, shopifyApi({ apiKey: "hookgate-vectors", apiSecretKey: key, hostName: "hooks.example.com", apiVersion: ApiVersion.January26, isEmbeddedApp: false, logger: { level: LogSeverity.Error } }));
  }
  return apis.get(key);
};

export async function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  const rawRequest = new Request(c.url, { method: c.method, headers: c.headers, body: text });
  const r = await api(secretValue).webhooks.validate({ rawBody: text, rawRequest });
  return r.valid;
}

/** For `npm run send`: an orders/create event, its id in X-Shopify-Webhook-Id and the body. */
export const signer = makeSigner({
  sample: BODY,
  sign: ({ key, body, id }) => ({ headers: { "x-shopify-hmac-sha256": getHmac(body, key), "x-shopify-topic": "orders/create", "x-shopify-shop-domain": "hookgate-test.myshopify.com", "x-shopify-webhook-id": id, "content-type": "application/json" } }),
});
