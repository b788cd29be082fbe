// Telnyx (API v2 webhooks): `telnyx-signature-ed25519: <base64 Ed25519 signature of
// "<telnyx-timestamp>|<body>">`, verified with the account's public key, shown as base64 in the
// Mission Control Portal (https://developers.telnyx.com/docs/development/api-fundamentals/webhooks;
// the API reference's callbacks say "Ed25519 signature of timestamp|payload"). Id: the event's
// `/data/id`; type: `/data/event_type`. 5 min tolerance, as Telnyx's SDKs check. Signed with
// node:crypto Ed25519 (no Telnyx library here to cross-check with).
import { sign as edSign } from "node:crypto";
import { ed25519FromSeed, fixedBytes, makeCase, secret, truncate } from "./lib.mjs";

export const generator = "node:crypto Ed25519 over <telnyx-timestamp>|<body>, per Telnyx's docs";
export const source = { scheme: { type: "telnyx" }, tolerance_secs: 300 };

const key = (name) => ed25519FromSeed(fixedBytes(`telnyx-${name}`));
const K = { current: key("current"), old: key("old"), new: key("new"), wrong: key("wrong") };
const pub = (k) => k.rawPublic.toString("base64");
const EVENT = JSON.stringify({ data: { event_type: "message.received", id: "bf6307bd-884d-4c1f-b6ea-c62b8c495d3c", occurred_at: "2026-01-01T00:00:00.000+00:00", payload: { direction: "inbound", from: { phone_number: "+18665550001" }, text: "Zoë says hello", type: "SMS" }, record_type: "event" }, meta: { attempt: 1, delivered_to: "https://hooks.example.com/hooks/telnyx" } });
const NO_ID = JSON.stringify({ data: { event_type: "message.sent", record_type: "event" } });

export function cases({ nowSecs: now, url }) {
  const sig = (k, ts, body) => edSign(null, Buffer.concat([Buffer.from(`${ts}|`), Buffer.from(body)]), k.privateKey).toString("base64");
  const h = (k, ts, body, signTs = ts, signBody = body) => ({ "telnyx-signature-ed25519": sig(k, signTs, signBody), "telnyx-timestamp": String(ts), "content-type": "application/json" });
  const cur = [secret("current", pub(K.current))];
  const base = { secrets: cur, url, nowSecs: now, body: EVENT };
  const ok = { expect: "accept", keyLabel: "current", eventId: "bf6307bd-884d-4c1f-b6ea-c62b8c495d3c" };
  const rot = [secret("old", pub(K.old)), secret("new", pub(K.new))];
  return [
    makeCase({ ...base, name: "accepts a genuine message.received event", headers: h(K.current, now, EVENT), ...ok }),
    makeCase({ ...base, name: "wrong key", headers: h(K.wrong, now, EVENT), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: EVENT.replace("hello", "hellO"), headers: h(K.current, now, EVENT), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, header says now-1)", headers: h(K.current, now - 1, EVENT, now), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "signed without the | separator", headers: { ...h(K.current, now, EVENT), "telnyx-signature-ed25519": edSign(null, Buffer.from(`${now}${EVENT}`), K.current.privateKey).toString("base64") }, expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...h(K.current, now, EVENT), "telnyx-signature-ed25519": truncate(sig(K.current, now, EVENT), 60) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not base64", headers: { ...h(K.current, now, EVENT), "telnyx-signature-ed25519": "!".repeat(88) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing telnyx-signature-ed25519", headers: { ...h(K.current, now, EVENT), "telnyx-signature-ed25519": undefined }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing telnyx-timestamp", headers: { ...h(K.current, now, EVENT), "telnyx-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp exactly 300s old (edge)", headers: h(K.current, now - 300, EVENT), ...ok }),
    makeCase({ ...base, name: "timestamp 301s old", headers: h(K.current, now - 301, EVENT), expect: "timestamp_too_old" }),
    makeCase({ ...base, name: "timestamp 301s in the future", headers: h(K.current, now + 301, EVENT), expect: "timestamp_in_future" }),
    makeCase({ ...base, name: "authentic body without /data/id: a body digest instead", body: NO_ID, headers: h(K.current, now, NO_ID), expect: "accept", keyLabel: "current" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(K.old, now, EVENT), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(K.new, now, EVENT), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", pub(K.old), now - 1), secret("new", pub(K.new))], headers: h(K.old, now, EVENT), expect: "signature_mismatch" }),
  ];
}
