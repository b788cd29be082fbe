// Stripe: `stripe-signature: t=<ts>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, id at /id.
// Signed by the stripe package itself; every accept is re-checked with constructEvent.
import Stripe from "stripe";
import { bodyText, makeCase, pkgVersion, secret, timestampedCases, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "stripe" }, tolerance_secs: 300 };
export const generator = `stripe@${pkgVersion("stripe")} (stripe.webhooks.generateTestHeaderString; accepts cross-checked with stripe.webhooks.constructEvent)`;

const S = keySet("stripe", 32, "whsec_");

const event = (id, extra = {}) =>
  JSON.stringify(
    {
      id,
      object: "event",
      api_version: "2025-12-15.clover",
      created: 1767225000,
      data: { object: { id: "pi_3QhookgateTest01", object: "payment_intent", amount: 2000, currency: "usd", status: "succeeded" } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "payment_intent.succeeded",
      ...extra,
    },
    null,
    2,
  );

/** The v1 signature the library puts in its header. */
function sign(secretValue, ts, body) {
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: secretValue, timestamp: ts });
  return header.split(",").find((p) => p.startsWith("v1=")).slice(3);
}
const header = (ts, sigs) => [`t=${ts}`, ...sigs.map((s) => `v1=${s}`)].join(",");
const request = ({ ts, sigs }) => ({ "stripe-signature": header(ts, sigs), "content-type": "application/json; charset=utf-8" });

export function cases({ nowSecs, url }) {
  const body = event("evt_1QhookgateStripe01");
  const now = nowSecs;
  const cur = [secret("current", S.current)];
  const sig = sign(S.current, now, body);
  const base = { secrets: cur, url, body, nowSecs: now };
  const ct = { "content-type": "application/json; charset=utf-8" };
  const signed = (b) => ({ "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: b, secret: S.current, timestamp: now }), ...ct });
  return [
    ...timestampedCases({
      nowSecs, url, tolerance: 300, secrets: S, body,
      sign: (k, ts, b) => sign(k, ts, b),
      request,
      truncated: (s) => truncate(s, 32),
      eventId: (b) => JSON.parse(b).id,
    }),
    // The exact header string the library produces, untouched.
    makeCase({ ...base, name: "library header as generated", headers: signed(body), expect: "accept", eventId: "evt_1QhookgateStripe01", keyLabel: "current" }),
    makeCase({ ...base, name: "missing stripe-signature header", headers: ct, expect: "signature_missing" }),
    makeCase({ ...base, name: "header with only a v0 signature", headers: { "stripe-signature": `t=${now},v0=${sig}`, ...ct }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "v0 signature alongside the right v1", headers: { "stripe-signature": `t=${now},v0=${sign(S.wrong, now, body)},v1=${sig}`, ...ct }, expect: "accept", eventId: "evt_1QhookgateStripe01", keyLabel: "current" }),
    makeCase({ ...base, name: "empty v1 value", headers: { "stripe-signature": `t=${now},v1=`, ...ct }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "v1 is not hex", headers: { "stripe-signature": `t=${now},v1=${"zz".repeat(32)}`, ...ct }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "v1 one byte too long", headers: { "stripe-signature": `t=${now},v1=${sig}00`, ...ct }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "no t= in the header", headers: { "stripe-signature": `v1=${sig}`, ...ct }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "t= is not a number", headers: { "stripe-signature": `t=yesterday,v1=${sig}`, ...ct }, expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "authentic event without an id", body: event(undefined), headers: signed(event(undefined)), expect: "event_id_missing", status: 503 }),
    makeCase({ ...base, name: "authentic body that is not JSON", body: "not json at all", headers: signed("not json at all"), expect: "body_not_json", status: 503 }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  try {
    Stripe.webhooks.constructEvent(text, c.headers["stripe-signature"], secretValue, source.tolerance_secs, undefined, c.now_secs * 1000);
    return true;
  } catch {
    return false;
  }
}

/** For `npm run send`: an `invoice.paid` event, signed as the cases are. */
export const signer = makeSigner({
  timestamped: true,
  sample: ({ id, nowSecs }) =>
    JSON.stringify({
      id, object: "event", api_version: "2025-12-15.clover", created: nowSecs, type: "invoice.paid", livemode: false, pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: { id: `in_${id.slice(-12)}`, object: "invoice", amount_paid: 2000, currency: "usd", customer: "cus_hookgateDemo", status: "paid" } },
    }, null, 2),
  sign: ({ key, body, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body)] }) }),
});
