// CircleCI outbound webhooks: `circleci-signature: v1=<hex HMAC-SHA256(signing secret, body)>`, a
// comma-separated list to which later versions may be added (only v1 is read). Every payload
// has an /id, which CircleCI's docs say to dedupe on. Signed with node:crypto as CircleCI's docs
// describe (https://circleci.com/docs/outbound-webhooks).
import { bodyPreset, hmacHex, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ id: "3888f21b-eaa7-38e3-8f3d-75a63bba8895", type: "workflow-completed", happened_at: "2026-01-01T00:00:00.000Z", workflow: { id: "fda08377-fe7e-46b1-8992-3a7aaecac9c3", name: "build-and-test", status: "success" }, project: { slug: "gh/hookgate/hookgate", name: "hookgate" } });
const ID = "3888f21b-eaa7-38e3-8f3d-75a63bba8895";
export const generator = "node:crypto HMAC-SHA256, hex, per CircleCI's docs";
const preset = bodyPreset({ type: "circleci", label: "circleci", header: "circleci-signature", prefix: "v1=", alg: "sha256", encoding: "hex", body, idPointer: "/id", idRequired: true });
export const { source, signer } = preset;

export function cases(at) {
  const S = keySet("circleci", 40);
  const v1 = (key) => `v1=${hmacHex("sha256", key, body)}`;
  const base = { secrets: [secret("current", S.current)], url: at.url, body, nowSecs: at.nowSecs };
  const h = (value) => ({ "circleci-signature": value, "content-type": "application/json" });
  return [
    ...preset.cases(at),
    makeCase({ ...base, name: "a later version beside v1", headers: h(`v1=${hmacHex("sha256", S.current, body)},v2=${hmacHex("sha256", S.bogus(0), body)}`), expect: "accept", eventId: ID, keyLabel: "current" }),
    makeCase({ ...base, name: "a bogus v1, then the right one", headers: h(`${v1(S.bogus(0))},${v1(S.current)}`), expect: "accept", eventId: ID, keyLabel: "current" }),
    makeCase({ ...base, name: "only another version", headers: h(`v2=${hmacHex("sha256", S.current, body)}`), expect: "signature_malformed" }),
  ];
}
