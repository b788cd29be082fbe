// Nango: `X-Nango-Hmac-Sha256: <HMAC-SHA256(environment secret key, body)>`, hex, as Nango's docs
// describe it (its legacy X-Nango-Signature, a plain SHA-256 of secret + body, is not read). No
// timestamp and no id: dedupe keys on the signed body. Signed with node:crypto
// (https://nango.dev/docs/guides/platform/webhooks-from-nango).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "sync", connectionId: "conn-zoë", providerConfigKey: "github", syncName: "issues", model: "GithubIssue", responseResults: { added: 2, updated: 0, deleted: 0 }, syncType: "INCREMENTAL", modifiedAfter: "2026-01-01T00:00:00.000Z" });
export const generator = "node:crypto HMAC-SHA256, hex, per Nango's docs";
export const { source, cases, signer } = bodyPreset({ type: "nango", label: "nango", header: "x-nango-hmac-sha256", prefix: "", alg: "sha256", encoding: "hex", body });
