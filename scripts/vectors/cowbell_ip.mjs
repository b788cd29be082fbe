// Cowbell with a header token and a client-IP allow-list; the client IP is the
// cf-connecting-ip header Cloudflare sets. Plain requests.
import { POLICY, POLICY_ID, T } from "./cowbell.mjs";
import { makeCase, secret } from "./lib.mjs";

// allow_ips is a source-level setting (beside scheme), checked before the credentials.
export const source = { scheme: { type: "cowbell", token_header: "x-cowbell-token" }, allow_ips: ["203.0.113.0/24", "2001:db8::1"] };
export const generator = "plain requests (Cowbell signs nothing; token in x-cowbell-token, client IP from cf-connecting-ip)";

export function cases({ nowSecs, url }) {
  const base = { secrets: [secret("current", T.current)], url, body: POLICY, nowSecs };
  const one = (name, ip, expect, token = T.current) =>
    makeCase({ ...base, name, headers: { "content-type": "application/json", "x-cowbell-token": token, "cf-connecting-ip": ip }, expect, eventId: POLICY_ID, keyLabel: "current" });
  return [
    one("IPv4 inside 203.0.113.0/24", "203.0.113.7", "accept"),
    one("IPv4 at the top of the range", "203.0.113.255", "accept"),
    one("IPv4 at the bottom of the range", "203.0.113.0", "accept"),
    one("IPv4 just outside the range", "203.0.114.1", "ip_not_allowed"),
    one("IPv4 just below the range", "203.0.112.255", "ip_not_allowed"),
    one("IPv6 listed address", "2001:db8::1", "accept"),
    one("IPv6 listed address, uncompressed", "2001:0db8:0000:0000:0000:0000:0000:0001", "accept"),
    one("IPv6 neighbour of the listed address", "2001:db8::2", "ip_not_allowed"),
    one("client IP header missing", undefined, "ip_not_allowed"),
    one("client IP header is not an address", "not-an-ip", "ip_not_allowed"),
    one("allowed IP, wrong token", "203.0.113.7", "credentials_mismatch", T.wrong),
  ];
}
