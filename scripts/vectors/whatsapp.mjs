// WhatsApp Business: Meta's Graph API webhooks (see facebook.mjs).
import { metaPreset } from "./facebook.mjs";

export { generator } from "./facebook.mjs";
const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "106540352242922" }, messages: [{ from: "16315551181", id: "wamid.HOOKGATE1", timestamp: "1767225599", type: "text", text: { body: "hi ✓" } }] } }] }] });
export const { source, cases, signer } = metaPreset("whatsapp", body);
