// Vapi server messages: no signature by default; the server URL's secret credential arrives as
// is in `X-Vapi-Secret` (compared in constant time). A Bearer or HMAC credential can be chosen
// instead in Vapi's dashboard: move the token with `token_header`, or use `type = "hmac"`.
// No delivery id: a body digest (https://docs.vapi.ai/server-url/server-authentication).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ message: { type: "end-of-call-report", timestamp: 1767225599000, call: { id: "call_HOOKGATE1" }, endedReason: "customer-ended-call", summary: "Zoë booked a table" } });
export const generator = "plain requests (Vapi sends the server URL secret in X-Vapi-Secret)";
export const { source, cases, signer } = credentialPreset({ type: "vapi", label: "vapi", header: "x-vapi-secret", body });
