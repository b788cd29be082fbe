// Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, body)>`, id at /event_id when present.
// Marked an assumption: not confirmed from typeform's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ event_id: "01HOOKGATETYPEFORM0000001", event_type: "form_response", form_response: { form_id: "lT4Z3j", submitted_at: "2026-01-01T00:00:00Z", answers: [{ type: "text", text: "Zoë" }] } });
export const generator = "node:crypto HMAC-SHA256, base64 (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "typeform", label: "typeform", header: "typeform-signature", prefix: "sha256=", alg: "sha256", encoding: "base64", body, idPointer: "/event_id", idRequired: false });
