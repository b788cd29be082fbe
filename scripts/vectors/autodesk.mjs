// Autodesk Platform Services: `x-adsk-signature: sha1hash=<hex HMAC-SHA1(secret token, body)>`
// (https://aps.autodesk.com/en/docs/webhooks/v1/tutorials/how-to-verify-payload-signature/).
// No delivery id: dedupe keys on the signed body. Signed with node:crypto as the docs describe.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ version: "1.0", resourceUrn: "urn:adsk.wipprod:dm.lineage:hookgate", hook: { hookId: "00000000-0000-0000-0000-000000000001", event: "dm.version.added" }, payload: { name: "model.rvt" } });
export const generator = "node:crypto HMAC-SHA1, hex, per Autodesk's docs";
export const { source, cases, signer } = bodyPreset({ type: "autodesk", label: "autodesk", header: "x-adsk-signature", prefix: "sha1hash=", alg: "sha1", encoding: "hex", body });
