// Persona: `Persona-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as the sample
// code of Persona's docs computes it; during a secret rotation the header holds two such groups,
// separated by a space: only the last group's v1 is read, so configure both secrets then.
// Id at /data/id when present; 5 min tolerance (Persona documents none). Signed with node:crypto
// (https://docs.withpersona.com/docs/webhooks-best-practices).
import { hmacHex, keySet, listPreset, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ data: { type: "event", id: "evt_hookgate_persona_1", attributes: { name: "inquiry.completed", payload: { data: { type: "inquiry", id: "inq_1", attributes: { "name-first": "Zoë" } } } } } });
export const generator = "node:crypto HMAC-SHA256, hex, per the sample code of Persona's docs";
const preset = listPreset({ type: "persona", label: "persona", tolerance: 300, header: "persona-signature", tsKey: "t", sigKey: "v1", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body, eventId: () => "evt_hookgate_persona_1", sampleIdPointer: "/data/id" });
export const { source, signer } = preset;

export function cases(at) {
  const S = keySet("persona", 40);
  const now = at.nowSecs;
  const group = (key) => `t=${now},v1=${hmacHex("sha256", key, `${now}.${body}`)}`;
  const both = [secret("old", S.old), secret("new", S.new)];
  const h = (value) => ({ "persona-signature": value, "content-type": "application/json" });
  const base = { url: at.url, body, nowSecs: now };
  return [
    ...preset.cases(at),
    makeCase({ ...base, name: "rotation: two groups, both secrets configured", secrets: both, headers: h(`${group(S.old)} ${group(S.new)}`), expect: "accept", eventId: "evt_hookgate_persona_1", keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: two groups, only the last group's secret configured", secrets: [secret("new", S.new)], headers: h(`${group(S.old)} ${group(S.new)}`), expect: "accept", eventId: "evt_hookgate_persona_1", keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: two groups, only the first group's secret configured (so configure both)", secrets: [secret("old", S.old)], headers: h(`${group(S.old)} ${group(S.new)}`), expect: "signature_mismatch" }),
  ];
}
