// OpenClaw (an assumption: its docs describe the gateway's own hook ingress, `Authorization:
// Bearer <hooks token>` or `x-openclaw-token`, and the same token on what it sends is assumed):
// no signature, the shared token in `Authorization` (a `Bearer ` prefix allowed), compared in
// constant time. No delivery id: a body digest (https://docs.openclaw.ai/automation/webhook).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ event: "agent.message", agentId: "main", sessionKey: "hook:email:msg-123", text: "Zoë's inbox summarised" });
export const generator = "plain requests (an assumption: OpenClaw sends its hooks token as a Bearer token)";
export const { source, cases, signer } = credentialPreset({ type: "openclaw", label: "openclaw", header: "authorization", body });
