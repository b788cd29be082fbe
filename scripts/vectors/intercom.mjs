// Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, body)>`, id at /id when present.
// Marked an assumption: not confirmed from intercom's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "notification_event", id: "notif_hookgate_1", topic: "conversation.user.created", data: { item: { id: "123" } } });
export const generator = "node:crypto HMAC-SHA1, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "intercom", label: "intercom", header: "x-hub-signature", prefix: "sha1=", alg: "sha1", encoding: "hex", body, idPointer: "/id", idRequired: false });
