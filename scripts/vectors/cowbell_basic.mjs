// Cowbell with HTTP Basic credentials (`basic_user`; the password is the secret). Plain requests.
import { POLICY, POLICY_ID, T, credentialCases } from "./cowbell.mjs";
import { makeCase, secret } from "./lib.mjs";

export const source = { scheme: { type: "cowbell", basic_user: "cowbell" } };
export const generator = "plain requests (Cowbell signs nothing; Authorization: Basic base64(user:secret))";

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export function cases({ nowSecs, url }) {
  const base = { secrets: [secret("current", T.current)], url, body: POLICY, nowSecs };
  const h = (auth) => ({ "content-type": "application/json", authorization: auth });
  return [
    ...credentialCases({ nowSecs, url, present: (token) => ({ headers: { authorization: basic("cowbell", token) } }), absent: {}, style: "Basic password" }),
    makeCase({ ...base, name: "wrong user, right password", headers: h(basic("admin", T.current)), expect: "credentials_mismatch" }),
    makeCase({ ...base, name: "user only, no password", headers: h(basic("cowbell", "")), expect: "credentials_mismatch" }),
    makeCase({ ...base, name: "scheme name in lower case (basic)", headers: h(basic("cowbell", T.current).replace("Basic", "basic")), expect: "accept", eventId: POLICY_ID, keyLabel: "current" }),
  ];
}
