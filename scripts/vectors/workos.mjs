// WorkOS: `WorkOS-Signature: t=<unix ms>, v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, id at
// /id, tolerance 180 s (read in workos-node's signature provider). Signed with node:crypto as
// that code computes it.
import { WorkOS } from "@workos-inc/node";
import { atClockAsync, bodyText, listPreset, pkgVersion } from "./lib.mjs";

const body = JSON.stringify({ id: "event_01HOOKGATEWORKOS000000001", event: "dsync.user.created", data: { id: "directory_user_01", emails: [{ primary: true, value: "zoë@example.com" }] }, created_at: "2026-01-01T00:00:00.000Z" });
export const generator = `node:crypto HMAC-SHA256, hex, as workos-node's SignatureProvider computes it; cross-checked with @workos-inc/node@${pkgVersion("@workos-inc/node")} (webhooks.verifyHeader)`;
export const { source, cases, signer } = listPreset({ type: "workos", label: "workos", tolerance: 180, header: "workos-signature", tsKey: "t", sigKey: "v1", itemSep: ", ", pairSep: "=", contentSep: ".", unit: "ms", body, idPointer: "/id", eventId: () => "event_01HOOKGATEWORKOS000000001" });

const workos = new WorkOS("sk_test_hookgate_vectors");
/** WorkOS's SDK at the case's clock. It reads the first two items only (t and one v1), so
 * headers with several signatures are not for it. */
export async function verify(c, secretValue) {
  const header = c.headers["workos-signature"];
  const text = bodyText(c);
  if (!header || text === null || header.split(",").filter((i) => i.trim().startsWith("v1=")).length !== 1) return null;
  let payload;
  try {
    payload = JSON.parse(text);
  } catch {
    return null;
  }
  return atClockAsync(c.now_secs, () => workos.webhooks.verifyHeader({ payload, sigHeader: header, secret: secretValue, tolerance: 180000 }).catch(() => false));
}
