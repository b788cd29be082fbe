// Port (getport.io) action webhooks: `X-Port-Signature: v1,<base64 HMAC-SHA256(client secret,
// "<X-Port-Timestamp>.<body>")>` with the timestamp in unix seconds, as the examples of Port's
// docs compute it; 5 min tolerance (Port documents none). Id at /context/runId when present.
// Signed with node:crypto (https://docs.getport.io/actions-and-automations/setup-backend/webhook/signature-verification/).
import { hmacB64, keySet, makeCase, secret, timestampedCases, truncate, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "port" }, tolerance_secs: 300 };
export const generator = "node:crypto HMAC-SHA256, base64, per the examples of Port's docs";
const body = JSON.stringify({ action: { identifier: "deploy_service" }, context: { runId: "r_hookgate_port_1", by: { email: "zoë@example.com" } }, payload: { properties: { version: "1.2.3" } } });
const ID = "r_hookgate_port_1";

const mac = (key, ts, b) => hmacB64("sha256", key, `${ts}.${b}`);
const sign = (key, ts, b) => `v1,${mac(key, ts, b)}`;
const request = ({ ts, sigs }) => ({ "x-port-signature": sigs.join(" "), "x-port-timestamp": ts, "content-type": "application/json" });

export function cases({ nowSecs: now, url }) {
  const S = keySet("port", 40);
  const base = { secrets: [secret("current", S.current)], url, body, nowSecs: now };
  const good = request({ ts: now, sigs: [sign(S.current, now, body)] });
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body, sign, request, truncated: (s) => truncate(s, s.length - 10), eventId: () => ID }),
    makeCase({ ...base, name: "missing x-port-signature", headers: { ...good, "x-port-signature": undefined }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-port-timestamp", headers: { ...good, "x-port-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "signature without its v1, key", headers: { ...good, "x-port-signature": mac(S.current, now, body) }, expect: "signature_malformed" }),
  ];
}

/** For `npm run send`: an action run, its id at /context/runId. */
export const signer = makeSigner({ timestamped: true, sample: body, idPointer: "/context/runId", sign: ({ key, body: b, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, b)] }) }) });
