// Discord interactions: `X-Signature-Ed25519: <hex Ed25519 signature of
// "<X-Signature-Timestamp><body>">`, verified with the application's public key (hex)
// (https://discord.com/developers/docs/interactions/overview). A verified PING (`{"type":1}`)
// is answered `{"type":1}` at the edge. Id: the interaction's `/id`. 5 min tolerance (Discord
// documents none). Signed with node:crypto Ed25519; every case is cross-checked with
// discord-interactions' verifyKey (which checks no clock: the timestamp-window cases are notes).
import { sign as edSign } from "node:crypto";
import { verifyKey } from "discord-interactions";
import { ed25519FromSeed, fixedBytes, makeCase, pkgVersion, rawBody, secret, truncate } from "./lib.mjs";

export const generator = `node:crypto Ed25519; cross-checked with discord-interactions ${pkgVersion("discord-interactions")} verifyKey`;
export const source = { scheme: { type: "discord" }, tolerance_secs: 300 };

const key = (name) => ed25519FromSeed(fixedBytes(`discord-${name}`));
const K = { current: key("current"), old: key("old"), new: key("new"), wrong: key("wrong") };
const pub = (k) => k.rawPublic.toString("hex");
const PING = JSON.stringify({ id: "1300000000000000001", application_id: "1200000000000000001", type: 1, token: "aW50ZXJhY3Rpb246MTMwMA", version: 1 });
const COMMAND = JSON.stringify({ id: "1300000000000000002", application_id: "1200000000000000001", type: 2, data: { id: "1100000000000000001", name: "quote", type: 1 }, guild_id: "1000000000000000001", channel_id: "1000000000000000002", member: { user: { id: "900000000000000001", username: "alice" } }, token: "aW50ZXJhY3Rpb246MTMwMQ", version: 1 });

export function cases({ nowSecs: now, url }) {
  const sig = (k, ts, body) => edSign(null, Buffer.concat([Buffer.from(String(ts)), Buffer.from(body)]), k.privateKey).toString("hex");
  const h = (k, ts, body, signTs = ts, signBody = body) => ({ "x-signature-ed25519": sig(k, signTs, signBody), "x-signature-timestamp": String(ts), "content-type": "application/json" });
  const cur = [secret("current", pub(K.current))];
  const base = { secrets: cur, url, nowSecs: now, body: COMMAND };
  const ok = { expect: "accept", keyLabel: "current", eventId: "1300000000000000002" };
  const rot = [secret("old", pub(K.old)), secret("new", pub(K.new))];
  return [
    makeCase({ ...base, name: "PING answered with a PONG at the edge", body: PING, headers: h(K.current, now, PING), expect: "accept", keyLabel: "current", handshake: { content_type: "application/json", body: JSON.stringify({ type: 1 }) } }),
    makeCase({ ...base, name: "PING signed with another application's key: 401", body: PING, headers: h(K.wrong, now, PING), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "accepts a genuine application command", headers: h(K.current, now, COMMAND), ...ok }),
    makeCase({ ...base, name: "wrong key", headers: h(K.wrong, now, COMMAND), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", body: COMMAND.replace("quote", "quota"), headers: h(K.current, now, COMMAND), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered timestamp (signed at now, header says now-1)", headers: h(K.current, now - 1, COMMAND, now), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", headers: { ...h(K.current, now, COMMAND), "x-signature-ed25519": truncate(sig(K.current, now, COMMAND), 100) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "signature is not hex", headers: { ...h(K.current, now, COMMAND), "x-signature-ed25519": "z".repeat(128) }, expect: "signature_malformed" }),
    makeCase({ ...base, name: "missing x-signature-ed25519", headers: { ...h(K.current, now, COMMAND), "x-signature-ed25519": undefined }, expect: "signature_missing" }),
    makeCase({ ...base, name: "missing x-signature-timestamp", headers: { ...h(K.current, now, COMMAND), "x-signature-timestamp": undefined }, expect: "timestamp_missing" }),
    makeCase({ ...base, name: "timestamp exactly 300s old (edge)", headers: h(K.current, now - 300, COMMAND), ...ok }),
    makeCase({ ...base, name: "timestamp 301s old", headers: h(K.current, now - 301, COMMAND), expect: "timestamp_too_old" }),
    makeCase({ ...base, name: "timestamp 301s in the future", headers: h(K.current, now + 301, COMMAND), expect: "timestamp_in_future" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, headers: h(K.old, now, COMMAND), ...ok, keyLabel: "old" }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, headers: h(K.new, now, COMMAND), ...ok, keyLabel: "new" }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", pub(K.old), now - 1), secret("new", pub(K.new))], headers: h(K.old, now, COMMAND), expect: "signature_mismatch" }),
  ];
}

/** discord-interactions' own check, on the bytes and headers of a case. */
export async function verify(c, publicKeyHex) {
  const signature = c.headers["x-signature-ed25519"];
  const timestamp = c.headers["x-signature-timestamp"];
  if (signature === undefined || timestamp === undefined) return null;
  try {
    return await verifyKey(rawBody(c), signature, timestamp, publicKeyHex);
  } catch {
    return false;
  }
}
