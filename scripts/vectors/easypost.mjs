// EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256(webhook secret, body)>`, as its
// SDK's validateWebhook computes it (easypost-node src/utils/util.js; the SDK first NFKD-normalises
// the secret, which leaves an ASCII secret unchanged). Id at /id when present. Signed with
// node:crypto (https://docs.easypost.com/guides/webhooks-guide).
import EasyPost from "@easypost/api";
import { bodyPreset, pkgVersion, rawBody } from "./lib.mjs";

const body = JSON.stringify({ id: "evt_hookgate_easypost_1", object: "Event", mode: "test", description: "tracker.updated", created_at: "2026-01-01T00:00:00Z", result: { id: "trk_1", status: "in_transit", carrier: "USPS" } });
export const generator = `node:crypto HMAC-SHA256, hex, as easypost-node's validateWebhook computes it; cross-checked with @easypost/api@${pkgVersion("@easypost/api")} (Utils.validateWebhook)`;
export const { source, cases, signer } = bodyPreset({ type: "easypost", label: "easypost", header: "x-hmac-signature", prefix: "hmac-sha256-hex=", alg: "sha256", encoding: "hex", body, idPointer: "/id", idRequired: false });

const client = new EasyPost("hookgate-vectors");

/** EasyPost's SDK reads the header by its exact name and parses the body as JSON after a match,
 * so an empty body is not for it. */
export async function verify(c, secretValue) {
  const raw = rawBody(c);
  if (raw.length === 0) return null;
  const headers = c.headers["x-hmac-signature"] === undefined ? {} : { "X-Hmac-Signature": c.headers["x-hmac-signature"] };
  try {
    client.Utils.validateWebhook(raw, headers, secretValue);
    return true;
  } catch {
    return false;
  }
}
