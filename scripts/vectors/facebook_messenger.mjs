// Messenger Platform: Meta's Graph API webhooks (see facebook.mjs), with a Messenger body
// (entry[].messaging[], times in milliseconds) (https://developers.facebook.com/docs/messenger-platform/webhooks).
import { metaPreset } from "./facebook.mjs";

export { generator } from "./facebook.mjs";
const body = JSON.stringify({ object: "page", entry: [{ id: "104000000000001", time: 1767225599000, messaging: [{ sender: { id: "6400000000000001" }, recipient: { id: "104000000000001" }, timestamp: 1767225599000, message: { mid: "m_HOOKGATE1", text: "hi ✓" } }] }] });
export const { source, cases, signer } = metaPreset("facebook_messenger", body);
