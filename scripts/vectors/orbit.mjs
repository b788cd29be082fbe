// Orbit (orbit.love; an assumption: Orbit shut down in 2024 and its docs are gone; this is the
// scheme as ngrok's integration describes it): `X-Orbit-Signature: <hex HMAC-SHA256(secret,
// body)>`, no timestamp; the body's `/data/id` when present, else a digest. Signed with node:crypto.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ data: { id: "act_HOOKGATE1", type: "activity", attributes: { action: "spec:created", created_at: "2026-01-01T00:00:00.000Z" }, relationships: { member: { data: { id: "mem_zoë", type: "member" } } } } });
export const generator = "node:crypto HMAC-SHA256, hex, as ngrok's Orbit integration describes it (an assumption)";
export const { source, cases, signer } = bodyPreset({ type: "orbit", label: "orbit", header: "x-orbit-signature", prefix: "", alg: "sha256", encoding: "hex", body, idPointer: "/data/id", idRequired: false });
