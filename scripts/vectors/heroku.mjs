// Heroku app webhooks: `Heroku-Webhook-Hmac-SHA256: <base64 HMAC-SHA256(webhook secret, body)>`; the
// header is named in Heroku's Platform API schema. Heroku-Webhook-Id is not signed: dedupe keys on the
// signed body. Marked an assumption: the algorithm is not confirmed from Heroku's documentation here.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "43fd2c2d-1b4b-4e55-9c3e-b4d2f0a1b2c3", action: "update", resource: "release", version: "application/vnd.heroku+json; version=3", data: { app: { name: "hookgate" }, status: "succeeded", description: "Deploy by Zoë" }, created_at: "2026-01-01T00:00:00Z" });
export const generator = "node:crypto HMAC-SHA256, base64 (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "heroku", label: "heroku", header: "heroku-webhook-hmac-sha256", prefix: "", alg: "sha256", encoding: "base64", body });
