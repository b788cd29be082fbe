// Webex (the Webhooks API): `X-Spark-Signature: <hex HMAC-SHA1(webhook secret, body)>` when the
// webhook has a secret; id at /id (the webhook's own id, not the event's) is not used, so dedupe keys
// on the body. Marked an assumption: not confirmed from Webex's documentation here. Signed with node:crypto.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZjRl", name: "New message", resource: "messages", event: "created", orgId: "OTZhYmMy", created: "2026-01-01T00:00:00.000Z", data: { id: "Y2lzY29zcGFyazovL3VzL01FU1NBR0Uv", personEmail: "zoë@example.com" } });
export const generator = "node:crypto HMAC-SHA1, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "webex", label: "webex", header: "x-spark-signature", prefix: "", alg: "sha1", encoding: "hex", body });
