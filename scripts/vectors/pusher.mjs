// Pusher Channels: `X-Pusher-Signature: <hex HMAC-SHA256(app secret, body)>`, as pusher-http-node
// checks it (lib/webhook.js, lib/token.js); `X-Pusher-Key` names the app (one source per app).
// The body's time_ms is signed but Pusher documents no window; no id: dedupe keys on the body.
// Signed with node:crypto (https://pusher.com/docs/channels/server_api/webhooks/).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ time_ms: 1767225600000, events: [{ name: "channel_occupied", channel: "private-zoë" }] });
export const generator = "node:crypto HMAC-SHA256, hex, as pusher-http-node's Token.verify computes it";
export const { source, cases } = bodyPreset({ type: "pusher", label: "pusher", header: "x-pusher-signature", prefix: "", alg: "sha256", encoding: "hex", body });
