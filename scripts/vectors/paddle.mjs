// Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex HMAC-SHA256(secret, "<ts>:<body>")>`
// (several h1 during a secret rotation), id at /event_id, tolerance 5 s as Paddle's SDK
// defaults to. Signed with node:crypto as Paddle's docs describe
// (https://developer.paddle.com/webhooks/signature-verification).
import { NodeRuntime, Webhooks } from "@paddle/paddle-node-sdk";
import { atClockAsync, bodyText, listPreset, pkgVersion } from "./lib.mjs";

const body = JSON.stringify({ event_id: "evt_01hookgatepaddle000000001", event_type: "transaction.completed", occurred_at: "2026-01-01T00:00:00.000Z", data: { id: "txn_01", currency_code: "EUR", details: { totals: { total: "1999" } } } });
export const generator = `node:crypto HMAC-SHA256, hex, per Paddle's docs; cross-checked with @paddle/paddle-node-sdk@${pkgVersion("@paddle/paddle-node-sdk")} (Webhooks.isSignatureValid)`;
export const { source, cases, signer } = listPreset({ type: "paddle", label: "paddle", tolerance: 5, header: "paddle-signature", tsKey: "ts", sigKey: "h1", itemSep: ";", pairSep: "=", contentSep: ":", unit: "s", body, idPointer: "/event_id", eventId: () => "evt_01hookgatepaddle000000001" });

// The SDK computes its HMAC through the runtime `new Paddle(...)` would set up.
NodeRuntime.initialize();

/** Paddle's SDK at the case's clock. It reads only the last `h1` and checks only past skew, so
 * headers with several signatures are not for it. */
export async function verify(c, secretValue) {
  const header = c.headers["paddle-signature"];
  const text = bodyText(c);
  if (!header || text === null || header.split(";").filter((i) => i.startsWith("h1=")).length !== 1) return null;
  return atClockAsync(c.now_secs, () => new Webhooks().isSignatureValid(text, secretValue, header));
}
