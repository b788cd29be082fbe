// Instagram: Meta's Graph API webhooks (see facebook.mjs).
import { metaPreset } from "./facebook.mjs";

export { generator } from "./facebook.mjs";
const body = JSON.stringify({ object: "instagram", entry: [{ id: "17841400000000001", time: 1767225599, changes: [{ field: "comments", value: { id: "17865799348089039", text: "nice ✓" } }] }] });
export const { source, cases, signer } = metaPreset("instagram", body);
