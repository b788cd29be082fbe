// PagerDuty v3: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, body)>`, several
// comma-separated during a secret rotation (any may match), as go-pagerduty's webhookv3
// checks it. Id at /event/id when present. Signed with node:crypto
// (https://developer.pagerduty.com/docs/webhooks/webhook-signatures).
import { bodyPreset, hmacHex, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ event: { id: "01DEN0HQXTPM0ZQ6C4Y4VRSNZ5", event_type: "incident.triggered", resource_type: "incident", occurred_at: "2026-01-01T00:00:00.000Z", data: { id: "PGR0VU2", title: "Zoë's disk is full" } } });
export const generator = "node:crypto HMAC-SHA256, hex, as go-pagerduty's webhookv3.VerifySignature checks it";
const preset = bodyPreset({ type: "pagerduty", label: "pagerduty", header: "x-pagerduty-signature", prefix: "v1=", alg: "sha256", encoding: "hex", body, idPointer: "/event/id", idRequired: false });
export const { source, signer } = preset;

export function cases(at) {
  const S = keySet("pagerduty", 40);
  const v1 = (key) => `v1=${hmacHex("sha256", key, body)}`;
  const base = { secrets: [secret("current", S.current)], url: at.url, body, nowSecs: at.nowSecs };
  const h = (value) => ({ "x-pagerduty-signature": value, "content-type": "application/json" });
  return [
    ...preset.cases(at),
    makeCase({ ...base, name: "rotation: a bogus signature, then the right one", headers: h(`${v1(S.bogus(0))},${v1(S.current)}`), expect: "accept", eventId: "01DEN0HQXTPM0ZQ6C4Y4VRSNZ5", keyLabel: "current" }),
    makeCase({ ...base, name: "an unknown version before the right one", headers: h(`v2=${hmacHex("sha256", S.current, body)},${v1(S.current)}`), expect: "accept", eventId: "01DEN0HQXTPM0ZQ6C4Y4VRSNZ5", keyLabel: "current" }),
    makeCase({ ...base, name: "two bogus signatures, none right", headers: h(`${v1(S.bogus(0))},${v1(S.bogus(1))}`), expect: "signature_mismatch" }),
  ];
}
