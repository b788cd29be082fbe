// Slack: `x-slack-signature: v0=<hex HMAC-SHA256(secret, "v0:<ts>:<body>")>`,
// `x-slack-request-timestamp: <unix>`, event id at /event_id (event callbacks only).
// Slack's SDKs publish no signer: signed with node:crypto, and every vector is re-checked with
// @slack/bolt's verifySlackRequest at the case's clock.
import { verifySlackRequest } from "@slack/bolt";
import { alter, bodyText, hmacHex, makeCase, pkgVersion, secret, timestampedCases, truncate, keySet, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "slack" }, tolerance_secs: 300 };
export const generator = `node:crypto HMAC-SHA256 (Slack publishes no signer); cross-checked with @slack/bolt@${pkgVersion("@slack/bolt")} verifySlackRequest`;

const S = keySet("slack", 32);
const sign = (key, ts, body) => `v0=${hmacHex("sha256", key, `v0:${ts}:${body}`)}`;
const JSON_CT = { "content-type": "application/json" };
const FORM_CT = { "content-type": "application/x-www-form-urlencoded" };
const request = ({ ts, sigs }) => ({ "x-slack-signature": sigs[0], "x-slack-request-timestamp": ts, ...JSON_CT });
const eventId = (b) => {
  try {
    return JSON.parse(b).event_id;
  } catch {
    return undefined;
  }
};

const EVENT = JSON.stringify({
  token: "XXYYZZ",
  team_id: "T0HOOKGATE",
  api_app_id: "A0HOOKGATE",
  event: { type: "message", channel: "C0HOOKGATE", user: "U0HOOKGATE", text: "hello <@U0BOT> ✓", ts: "1767225599.000100" },
  type: "event_callback",
  event_id: "Ev0HOOKGATE01",
  event_time: 1767225599,
});
const CHALLENGE = JSON.stringify({ type: "url_verification", challenge: "abc", token: "x" });
const SLASH = new URLSearchParams({
  token: "gIkuvaNzQIHg97ATvDxqgjtO", team_id: "T0HOOKGATE", team_domain: "example", channel_id: "C0HOOKGATE", channel_name: "general",
  user_id: "U0HOOKGATE", user_name: "alice", command: "/quote", text: "policy 42 & more = yes", response_url: "https://hooks.slack.com/commands/1234/5678",
  trigger_id: "13345224609.738474920.8088930838d88f008e0",
}).toString();

export function cases({ nowSecs: now, url }) {
  const base = { secrets: [secret("current", S.current)], url, body: EVENT, nowSecs: now };
  const h = (over = {}) => ({ "x-slack-signature": sign(S.current, now, EVENT), "x-slack-request-timestamp": now, ...JSON_CT, ...over });
  const hex = sign(S.current, now, EVENT).slice(3);
  return [
    ...timestampedCases({ nowSecs: now, url, tolerance: 300, secrets: S, body: EVENT, sign, request, multi: false, truncated: (s) => truncate(s, 3 + 32), eventId }),
    makeCase({ ...base, name: "url_verification challenge", body: CHALLENGE, headers: h({ "x-slack-signature": sign(S.current, now, CHALLENGE) }), expect: "accept", keyLabel: "current", handshake: { content_type: "application/json", body: JSON.stringify({ challenge: "abc" }) } }),
    makeCase({ ...base, name: "url_verification challenge, wrong secret", body: CHALLENGE, headers: h({ "x-slack-signature": sign(S.wrong, now, CHALLENGE) }), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "slash command (form body), no event id", body: SLASH, headers: { ...h({ "x-slack-signature": sign(S.current, now, SLASH) }), ...FORM_CT }, expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "slash command with an altered parameter", body: alter(SLASH, "policy+42", "policy+43"), headers: { ...h({ "x-slack-signature": sign(S.current, now, SLASH) }), ...FORM_CT }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "missing x-slack-signature", headers: h({ "x-slack-signature": undefined }), expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-slack-request-timestamp", headers: h({ "x-slack-request-timestamp": undefined }), expect: "timestamp_missing" }),
    makeCase({ ...base, name: "x-slack-request-timestamp is not a number", headers: h({ "x-slack-request-timestamp": "now" }), expect: "timestamp_malformed" }),
    makeCase({ ...base, name: "unknown version v1=", headers: h({ "x-slack-signature": `v1=${hex}` }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "no version prefix", headers: h({ "x-slack-signature": hex }), expect: "signature_malformed" }),
    makeCase({ ...base, name: "v0= is not hex", headers: h({ "x-slack-signature": `v0=${"x".repeat(64)}` }), expect: "signature_malformed" }),
  ];
}

export function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  const ts = c.headers["x-slack-request-timestamp"];
  try {
    verifySlackRequest({
      signingSecret: secretValue,
      body: text,
      headers: { "x-slack-signature": c.headers["x-slack-signature"], "x-slack-request-timestamp": ts === undefined ? undefined : Number(ts) },
      nowMilliseconds: c.now_secs * 1000,
    });
    return true;
  } catch {
    return false;
  }
}

/** For `npm run send`: an event_callback (`--handshake`: the url_verification challenge). */
export const signer = {
  ...makeSigner({ timestamped: true, sample: EVENT, idPointer: "/event_id", sign: ({ key, body, nowSecs }) => ({ headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, body)] }) }) }),
  handshake: ({ key, nowSecs, url }) => ({ method: "POST", url, body: CHALLENGE, headers: request({ ts: nowSecs, sigs: [sign(key, nowSecs, CHALLENGE)] }) }),
};
