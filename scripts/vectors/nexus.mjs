// Sonatype Nexus Repository webhooks with a secret key: `X-Nexus-Webhook-Signature: <hex
// HMAC-SHA1(secret key, body)>`; X-Nexus-Webhook-Delivery is not signed, so dedupe keys on the body.
// Marked an assumption: not confirmed from Sonatype's documentation here, only from consistent
// third-party verifiers. Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ timestamp: "2026-01-01T00:00:00.000+0000", nodeId: "52905B51-085CCABB", initiator: "zoë/127.0.0.1", repositoryName: "maven-releases", action: "CREATED", component: { id: "08909bf0c86cf6c9", format: "maven2", name: "hookgate", version: "1.0.0" } });
export const generator = "node:crypto HMAC-SHA1, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "nexus", label: "nexus", header: "x-nexus-webhook-signature", prefix: "", alg: "sha1", encoding: "hex", body });
