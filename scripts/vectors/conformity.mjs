// Trend Micro Cloud One Conformity webhooks with a security token: `X-TrendMicro-Signature: <hex
// HMAC-SHA256(token, body)>`, as Trend Micro's docs describe ("HMAC hexdigest (sha-256)"). No id
// and no timestamp: dedupe keys on the signed body. Signed with node:crypto
// (https://docs.trendmicro.com/en-us/documentation/article/trend-micro-cloud-one-conformity-webhook-communication).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "ccc:H19NxM15-:CT-002:CloudTrail:global:cloudtrail-logs", message: "Zoë's trail is not multi-region", risk: "MEDIUM", status: "FAILURE", rule: { id: "CT-002" } });
export const generator = "node:crypto HMAC-SHA256, hex, per Trend Micro's Conformity docs";
export const { source, cases, signer } = bodyPreset({ type: "conformity", label: "conformity", header: "x-trendmicro-signature", prefix: "", alg: "sha256", encoding: "hex", body });
