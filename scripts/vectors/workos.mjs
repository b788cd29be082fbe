// WorkOS: `WorkOS-Signature: t=<unix ms>, v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, id at
// /id, tolerance 180 s (read in workos-node's signature provider). Signed with node:crypto as
// that code computes it.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "event_01HOOKGATEWORKOS000000001", event: "dsync.user.created", data: { id: "directory_user_01", emails: [{ primary: true, value: "zoë@example.com" }] }, created_at: "2026-01-01T00:00:00.000Z" });
export const generator = "node:crypto HMAC-SHA256, hex, as workos-node's SignatureProvider computes it";
export const { source, cases } = listPreset({ type: "workos", label: "workos", tolerance: 180, header: "workos-signature", tsKey: "t", sigKey: "v1", itemSep: ", ", pairSep: "=", contentSep: ".", unit: "ms", body, idPointer: "/id", eventId: () => "event_01HOOKGATEWORKOS000000001" });
