// Cowbell with the shared token in a header (`token_header`). Plain requests.
import { POLICY, POLICY_ID, T, credentialCases, withQuery } from "./cowbell.mjs";
import { makeCase, secret } from "./lib.mjs";

export const source = { scheme: { type: "cowbell", token_header: "x-cowbell-token" } };
export const generator = "plain requests (Cowbell signs nothing; shared token in x-cowbell-token)";

export function cases({ nowSecs, url }) {
  return [
    ...credentialCases({ nowSecs, url, present: (token) => ({ headers: { "x-cowbell-token": token } }), absent: {}, style: "token" }),
    makeCase({ name: "token with a Bearer prefix", secrets: [secret("current", T.current)], url, headers: { "content-type": "application/json", "x-cowbell-token": `Bearer ${T.current}` }, body: POLICY, nowSecs, expect: "accept", eventId: POLICY_ID, keyLabel: "current" }),
    makeCase({ name: "token sent in the query, header configured", secrets: [secret("current", T.current)], url: withQuery(url, `token=${T.current}`), headers: { "content-type": "application/json" }, body: POLICY, nowSecs, expect: "credentials_missing" }),
  ];
}
