// Airwallex: `x-signature: <hex HMAC-SHA256(secret, x-timestamp + body)>` with no separator and
// x-timestamp in milliseconds; id at /id when present; 5 min tolerance (Airwallex documents none)
// (https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events).
import { headerTsPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "evt_hookgate_airwallex_1", name: "payment_intent.succeeded", account_id: "acct_1", data: { object: { amount: 19.99, currency: "EUR" } } });
export const generator = "node:crypto HMAC-SHA256, hex, per Airwallex's docs";
export const { source, cases, signer } = headerTsPreset({ type: "airwallex", label: "airwallex", tolerance: 300, header: "x-signature", tsHeader: "x-timestamp", prefix: "", before: "", between: "", unit: "ms", body, eventId: () => "evt_hookgate_airwallex_1" });
