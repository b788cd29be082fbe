// Zoom: `x-zm-signature: v0=<hex HMAC-SHA256(secret token, "v0:<x-zm-request-timestamp>:<body>")>`.
// URL validation: a signed POST `{"event":"endpoint.url_validation","payload":{"plainToken":P}}`
// answered `{"plainToken":P,"encryptedToken":<hex HMAC-SHA256(secret token, P)>}`
// (https://developers.zoom.us/docs/api/webhooks/). 5 min tolerance. No delivery id: dedupe
// keys on the signed body. Signed with node:crypto as Zoom's docs compute it.
import { headerTsPreset, hmacHex, keySet, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ event: "meeting.started", event_ts: 1767225599000, payload: { account_id: "AAAAAABBBB", object: { id: "1234567890", uuid: "czLF6FFFoQOKgAB99DlDb9g==", topic: "hookgate ✓" } } });
export const generator = "node:crypto HMAC-SHA256, hex, per Zoom's docs";
const preset = headerTsPreset({ type: "zoom", label: "zoom", tolerance: 300, header: "x-zm-signature", tsHeader: "x-zm-request-timestamp", prefix: "v0=", before: "v0:", between: ":", unit: "s", body });
export const { source } = preset;
/** For `npm run send`: `--handshake` is the signed endpoint.url_validation POST. */
export const signer = {
  ...preset.signer,
  handshake: ({ key, url, nowSecs }) => {
    const b = JSON.stringify({ payload: { plainToken: "hookgateSendPlainToken1" }, event_ts: nowSecs * 1000, event: "endpoint.url_validation" });
    return { method: "POST", url, body: b, headers: preset.signer.sign({ key, body: b, nowSecs, url }).headers };
  },
};

export function cases({ nowSecs: now, url }) {
  const S = keySet("zoom", 40);
  const validation = (plainToken) => JSON.stringify({ payload: { plainToken }, event_ts: now * 1000, event: "endpoint.url_validation" });
  const h = (key, b) => ({ "x-zm-signature": `v0=${hmacHex("sha256", key, `v0:${now}:${b}`)}`, "x-zm-request-timestamp": now, "content-type": "application/json" });
  const base = { secrets: [secret("current", S.current)], nowSecs: now, url };
  const plain = "qgg8vlvZRS6UYooatFL8Aw";
  const ok = validation(plain);
  return [
    ...preset.cases({ nowSecs: now, url }),
    makeCase({ ...base, name: "URL validation: plainToken and encryptedToken", body: ok, headers: h(S.current, ok), expect: "accept", keyLabel: "current", handshake: { content_type: "application/json", body: JSON.stringify({ plainToken: plain, encryptedToken: hmacHex("sha256", S.current, plain) }) } }),
    makeCase({ ...base, name: "URL validation with a wrong signature: not answered", body: ok, headers: h(S.wrong, ok), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "URL validation whose plainToken could be signed content: not answered", body: validation(`v0:${now}:{}`), headers: h(S.current, validation(`v0:${now}:{}`)), expect: "challenge_malformed" }),
    makeCase({ ...base, name: "URL validation without a plainToken", body: validation(undefined), headers: h(S.current, validation(undefined)), expect: "challenge_missing" }),
  ];
}
