// Okta event hooks: no signature; every request carries the value configured for the hook's
// authentication header (`Authorization` here), compared in constant time. The one-time
// verification is a GET with `X-Okta-Verification-Challenge: C` (and the same Authorization),
// answered `{"verification":"C"}` (https://developer.okta.com/docs/concepts/event-hooks/).
// Plain requests, as Okta sends them.
import { fixedToken, makeCase, secret, makeSigner } from "./lib.mjs";

export const source = { scheme: { type: "okta" } };
export const generator = "plain requests (Okta signs nothing; shared Authorization value)";

const T = { current: fixedToken("okta-current", 40), old: fixedToken("okta-old", 40), wrong: fixedToken("okta-wrong", 40) };
const EVENT = JSON.stringify({ eventType: "com.okta.event_hook", eventTypeVersion: "1.0", cloudEventsVersion: "0.1", source: "https://example.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3", eventId: "b5a188b9-5ece-4636-b041-482ffda96311", data: { events: [{ uuid: "7b3e4e8b-1b5c-11ef-9a5f-5b0c5b0c5b0c", eventType: "user.session.start" }] }, eventTime: "2026-01-01T00:00:00.000Z", contentType: "application/json" });
const CHALLENGE = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg";

export function cases({ nowSecs, url }) {
  const cur = [secret("current", T.current)];
  const post = { secrets: cur, url, nowSecs, body: EVENT };
  const get = { secrets: cur, url, nowSecs, body: "", method: "GET" };
  const ct = { "content-type": "application/json" };
  return [
    makeCase({ ...post, name: "accepts a genuine event", headers: { ...ct, authorization: T.current }, expect: "accept", eventId: "b5a188b9-5ece-4636-b041-482ffda96311", keyLabel: "current" }),
    makeCase({ ...post, name: "wrong Authorization value", headers: { ...ct, authorization: T.wrong }, expect: "credentials_mismatch" }),
    makeCase({ ...post, name: "no Authorization header", headers: ct, expect: "credentials_missing" }),
    makeCase({ ...post, name: "rotation: old and current values, sent with old", secrets: [secret("old", T.old), secret("current", T.current)], headers: { ...ct, authorization: T.old }, expect: "accept", eventId: "b5a188b9-5ece-4636-b041-482ffda96311", keyLabel: "old" }),
    makeCase({ ...get, name: "one-time verification answered", headers: { accept: "application/json", "x-okta-verification-challenge": CHALLENGE, authorization: T.current }, expect: "accept", keyLabel: "current", handshake: { content_type: "application/json", body: JSON.stringify({ verification: CHALLENGE }) } }),
    makeCase({ ...get, name: "verification without the Authorization value: not answered", headers: { "x-okta-verification-challenge": CHALLENGE }, expect: "credentials_missing" }),
    makeCase({ ...get, name: "verification with a wrong Authorization value: not answered", headers: { "x-okta-verification-challenge": CHALLENGE, authorization: T.wrong }, expect: "credentials_mismatch" }),
    makeCase({ ...get, name: "GET without the challenge header", headers: { authorization: T.current }, expect: "challenge_missing" }),
    makeCase({ ...get, name: "challenge that is not of Okta's shape: not echoed", headers: { "x-okta-verification-challenge": "a\"b", authorization: T.current }, expect: "challenge_malformed" }),
  ];
}

/** For `npm run send`: a user.session.start event hook with the Authorization value;
 * `--handshake`: the one-time verification GET. */
export const signer = {
  ...makeSigner({ sample: EVENT, idPointer: "/eventId", sign: ({ key }) => ({ headers: { "content-type": "application/json", authorization: key } }) }),
  handshake: ({ key, url }) => ({ method: "GET", url, headers: { accept: "application/json", "x-okta-verification-challenge": CHALLENGE, authorization: key } }),
};
