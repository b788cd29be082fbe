// Pinwheel: `x-pinwheel-signature: v2=<hex HMAC-SHA256(API secret, "v2:<x-timestamp>:<body>")>`,
// x-timestamp in unix seconds, id at /event_id when present; 5 min tolerance (Pinwheel
// documents none) (https://docs.pinwheelapi.com/docs/webhook-signature-verification).
import { headerTsPreset } from "./lib.mjs";

const body = JSON.stringify({ event_id: "evt_hookgate_pinwheel_1", event: "direct_deposit_switch.added", payload: { account_id: "acc_1", amount: 50000 } });
export const generator = "node:crypto HMAC-SHA256, hex, per Pinwheel's docs";
export const { source, cases, signer } = headerTsPreset({ type: "pinwheel", label: "pinwheel", tolerance: 300, header: "x-pinwheel-signature", tsHeader: "x-timestamp", prefix: "v2=", before: "v2:", between: ":", unit: "s", body, eventId: () => "evt_hookgate_pinwheel_1", sampleIdPointer: "/event_id" });
