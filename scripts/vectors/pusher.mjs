// Pusher Channels: `X-Pusher-Signature: <hex HMAC-SHA256(app secret, body)>`, as pusher-http-node
// checks it (lib/webhook.js, lib/token.js); `X-Pusher-Key` names the app (one source per app).
// The body's time_ms is signed but Pusher documents no window; no id: dedupe keys on the body.
// Signed with node:crypto (https://pusher.com/docs/channels/server_api/webhooks/).
import Pusher from "pusher";
import { bodyPreset, bodyText, pkgVersion } from "./lib.mjs";

const body = JSON.stringify({ time_ms: 1767225600000, events: [{ name: "channel_occupied", channel: "private-zoë" }] });
export const generator = `node:crypto HMAC-SHA256, hex, as pusher-http-node's Token.verify computes it; cross-checked with pusher@${pkgVersion("pusher")} (webhook(...).isValid)`;
export const { source, cases, signer } = bodyPreset({ type: "pusher", label: "pusher", header: "x-pusher-signature", prefix: "", alg: "sha256", encoding: "hex", body });

/** Pusher's SDK: it picks the app by X-Pusher-Key (added here; hookgate has one source per app)
 * and needs a JSON body, so empty and non-JSON bodies are not for it. */
export async function verify(c, secretValue) {
  const text = bodyText(c);
  if (text === null) return null;
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const pusher = new Pusher({ appId: "1", key: "hookgate-vectors", secret: secretValue, cluster: "eu" });
  try {
    return pusher.webhook({ headers: { ...c.headers, "x-pusher-key": "hookgate-vectors" }, rawBody: text }).isValid();
  } catch {
    return false; // a missing signature header
  }
}
