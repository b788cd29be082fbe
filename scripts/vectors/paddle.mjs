// Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex HMAC-SHA256(secret, "<ts>:<body>")>`
// (several h1 during a secret rotation), id at /event_id, tolerance 5 s as Paddle's SDK
// defaults to. Signed with node:crypto as Paddle's docs describe
// (https://developer.paddle.com/webhooks/signature-verification).
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ event_id: "evt_01hookgatepaddle000000001", event_type: "transaction.completed", occurred_at: "2026-01-01T00:00:00.000Z", data: { id: "txn_01", currency_code: "EUR", details: { totals: { total: "1999" } } } });
export const generator = "node:crypto HMAC-SHA256, hex, per Paddle's docs";
export const { source, cases } = listPreset({ type: "paddle", label: "paddle", tolerance: 5, header: "paddle-signature", tsKey: "ts", sigKey: "h1", itemSep: ";", pairSep: "=", contentSep: ":", unit: "s", body, idPointer: "/event_id", eventId: () => "evt_01hookgatepaddle000000001" });
