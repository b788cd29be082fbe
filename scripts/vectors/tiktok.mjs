// TikTok for Developers: `TikTok-Signature: t=<unix>,s=<hex HMAC-SHA256(client secret, "<t>.<body>")>`
// (https://developers.tiktok.com/doc/webhooks-verification, with an example header). 5 min
// tolerance (TikTok leaves it to the receiver). No event id in the docs: dedupe keys on the
// signed body. Signed with node:crypto as the docs describe.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ client_key: "aw_hookgate", event: "authorization.removed", create_time: 1767225600, user_openid: "act.hookgate", content: "{\"reason\":1}" });
export const generator = "node:crypto HMAC-SHA256, hex, per TikTok's docs";
export const { source, cases, signer } = listPreset({ type: "tiktok", label: "tiktok", tolerance: 300, header: "tiktok-signature", tsKey: "t", sigKey: "s", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body });
