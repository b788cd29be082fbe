// Alchemy Notify: `X-Alchemy-Signature: <hex HMAC-SHA256(signing key, body)>`, id at /id when
// present (https://www.alchemy.com/docs/reference/notify-api-quickstart). The key is used as
// text, even when it starts with whsec_. Signed with node:crypto as the quickstart computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ webhookId: "wh_octjglnywaupz6th", id: "whevt_hookgate_alchemy_1", createdAt: "2026-01-01T00:00:00.000Z", type: "ADDRESS_ACTIVITY", event: { network: "ETH_MAINNET", activity: [{ value: 0.05 }] } });
export const generator = "node:crypto HMAC-SHA256, hex, per Alchemy's docs";
export const { source, cases, signer } = bodyPreset({ type: "alchemy", label: "alchemy", header: "x-alchemy-signature", prefix: "", alg: "sha256", encoding: "hex", body, idPointer: "/id", idRequired: false });
