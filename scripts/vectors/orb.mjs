// Orb: `X-Orb-Signature: v1=<hex HMAC-SHA256(webhook secret, "v1:" + X-Orb-Timestamp + ":" + body)>`
// (several, space-separated, may be sent), with X-Orb-Timestamp an ISO 8601 time without an offset
// (UTC) and 5 minutes both ways, as its SDK's webhooks.verifySignature checks it (orb-node
// src/resources/webhooks.ts). Id at /id when present. Signed with node:crypto
// (https://docs.withorb.com/guides/integrations-and-exports/webhooks).
import Orb from "orb-billing";
import { atClockAsync, bodyText, hmacHex, keySet, makeCase, pkgVersion, secret, timestampedCases, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "orb" }, tolerance_secs: 300 };
export const generator = `node:crypto HMAC-SHA256, hex, as orb-node's webhooks.verifySignature computes it; cross-checked with orb-billing@${pkgVersion("orb-billing")} at the case's clock`;
const body = JSON.stringify({ id: "evt_hookgate_orb_1", created_at: "2026-01-01T00:00:00+00:00", type: "invoice.issued", properties: { automatically_marked_as_paid: false }, invoice: { id: "inv_1", amount_due: "19.99", customer: { name: "Zoë" } } });
const ID = "evt_hookgate_orb_1";
/** Orb's form: microseconds and no offset. */
const iso = (secs) => new Date(secs * 1000).toISOString().replace("Z", "000");

const sign = (key, ts, b) => `v1=${hmacHex("sha256", key, `v1:${iso(ts)}:${b}`)}`;
const request = ({ ts, sigs }) => ({ "x-orb-signature": sigs.join(" "), "x-orb-timestamp": iso(ts), "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const S = keySet("orb", 40);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const good = request({ ts: now, sigs: [sign(S.current, now, body)] });
  const zoned = `${iso(now).slice(0, -7)}Z`;
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body, sign, request, truncated: (s) => truncate(s, s.length - 10), eventId: () => ID }),
    makeCase({ ...base, name: "missing x-orb-signature", headers: { ...good, "x-orb-signature": undefined }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-orb-timestamp", headers: { ...good, "x-orb-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "x-orb-timestamp is not a date", headers: { ...good, "x-orb-timestamp": "yesterday" }, expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "a timestamp with an offset, signed as sent", headers: { ...good, "x-orb-timestamp": zoned, "x-orb-signature": `v1=${hmacHex("sha256", S.current, `v1:${zoned}:${body}`)}` }, expect: "accept", eventId: ID, keyLabel: "current" }),
    makeCase({ ...base, name: "signature without its v1= prefix", headers: { ...good, "x-orb-signature": hmacHex("sha256", S.current, `v1:${iso(now)}:${body}`) }, expect: "signature_malformed" }),
  ];
}

const client = new Orb({ apiKey: "hookgate-vectors" });

/** Orb's SDK at the case's clock; it throws on any fault, including a stale timestamp. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  return atClockAsync(c.now_secs, async () => {
    try {
      client.webhooks.verifySignature(text, c.headers, secretValue);
      return true;
    } catch {
      return false;
    }
  });
}

/** For `npm run send`: an invoice.issued event, its id at /id. */
export const signer = makeSigner({ timestamped: true, sample: body, sign: ({ key, body: b, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, b)] }) }) });
