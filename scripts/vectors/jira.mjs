// Jira Cloud admin webhooks with a secret: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>`;
// X-Atlassian-Webhook-Identifier (kept across retries) is not signed, so dedupe keys on the body.
// Marked an assumption: not confirmed from Atlassian's documentation here. Signed with node:crypto.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ timestamp: 1767225600000, webhookEvent: "jira:issue_created", issue: { id: "10002", key: "HG-42", fields: { summary: "Zoë's bug" } } });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "jira", label: "jira", header: "x-hub-signature", prefix: "sha256=", alg: "sha256", encoding: "hex", body });
