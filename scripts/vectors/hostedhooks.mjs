// HostedHooks: `HostedHooks-Signature: t=<unix>,s=<hex HMAC-SHA256(signing secret, "<t>.<body>")>`
// (https://docs.hostedhooks.com/security/security-features/webhook-signatures, which names the
// header as Rack sees it, HTTP_HOSTEDHOOKS_SIGNATURE). 5 min tolerance (the docs leave it to the
// receiver; a retry is signed afresh). No event id: dedupe keys on the signed body. Signed with
// node:crypto as the docs describe.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ event_type: "user.created", data: { id: 42, name: "Zoë Ørsted" } });
export const generator = "node:crypto HMAC-SHA256, hex, per HostedHooks' docs";
export const { source, cases, signer } = listPreset({ type: "hostedhooks", label: "hostedhooks", tolerance: 300, header: "hostedhooks-signature", tsKey: "t", sigKey: "s", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body });
