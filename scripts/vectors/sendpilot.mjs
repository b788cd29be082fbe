// Sendpilot: `webhook-signature: t=<unix>,s=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
// 300 s tolerance, id at /eventId (type at /eventType). No SDK published: node:crypto.
import { hmacHex, makeCase, secret, timestampedCases, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "sendpilot" }, tolerance_secs: 300 };
export const generator = "node:crypto HMAC-SHA256, hex, per Sendpilot's docs (no SDK published)";

const S = keySet("sendpilot", 40, "sp_");
const ID = "sp_evt_7d1c0f3e9a";
const BODY = JSON.stringify({ eventId: ID, eventType: "email.delivered", createdAt: "2026-01-01T00:00:00Z", data: { messageId: "msg_55", to: "ana@example.com", subject: "Your policy — renewed" } });
const sign = (key, ts, body) => hmacHex("sha256", key, `${ts}.${body}`);
const CT = { "content-type": "application/json" };
const request = ({ ts, sigs }) => ({ "webhook-signature": [`t=${ts}`, ...sigs.map((s) => `s=${s}`)].join(","), ...CT });

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: BODY, nowSecs: now };
  const sig = sign(S.current, now, BODY);
  const hdr = (v) => ({ "webhook-signature": v, ...CT });
  const signed = (name, b, rest) => makeCase({ ...base, name, body: b, headers: request({ ts: now, sigs: [sign(S.current, now, b)] }), ...rest });
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body: BODY, sign, request, truncated: (s) => truncate(s, 32), eventId: (b) => JSON.parse(b).eventId }),
    makeCase({ ...base, name: "missing webhook-signature", headers: CT, expect: "signature_missing" }),
    makeCase({ ...base, name: "header with only t=", headers: hdr(`t=${now}`), expect: "signature_malformed" }),
    makeCase({ ...base, name: "empty s= value", headers: hdr(`t=${now},s=`), expect: "signature_malformed" }),
    makeCase({ ...base, name: "s= is not hex", headers: hdr(`t=${now},s=${"q".repeat(64)}`), expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature under another key (v1=)", headers: hdr(`t=${now},v1=${sig}`), expect: "signature_malformed" }),
    makeCase({ ...base, name: "no t= in the header", headers: hdr(`s=${sig}`), expect: "timestamp_missing" }),
    makeCase({ ...base, name: "t= is not a number", headers: hdr(`t=soon,s=${sig}`), expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "t= in milliseconds", headers: hdr(`t=${now * 1000},s=${sign(S.current, now * 1000, BODY)}`), expect: "timestamp_in_future" }),
    signed("authentic event without eventId", JSON.stringify({ eventType: "email.delivered", data: {} }), { expect: "event_id_missing", status: 503 }),
    signed("authentic body that is not JSON", "email.delivered msg_55", { expect: "body_not_json", status: 503 }),
  ];
}

/** For `npm run send`: an email.delivered event with its `eventId`. */
export const signer = makeSigner({ timestamped: true, sample: BODY, idPointer: "/eventId", sign: ({ key, body, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body)] }) }) });
