// HCP Terraform generic notifications: `X-TFE-Notification-Signature: <hex HMAC-SHA512(token, body)>`,
// as the Ruby sample in its notification-configurations API docs computes it (only when the
// configuration has a token). No delivery id: dedupe keys on the signed body. Signed with
// node:crypto (https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity).
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ payload_version: 1, notification_configuration_id: "nc-AeUQ2zfKZzW9TiGZ", run_url: "https://app.terraform.io/app/acme-org/my-workspace/runs/run-FwnENkvDnrpyFC7M", run_id: "run-FwnENkvDnrpyFC7M", run_message: "Zoë adds five queue workers", workspace_name: "my-workspace", organization_name: "acme-org", notifications: [{ message: "Run Canceled", trigger: "run:errored", run_status: "canceled", run_updated_at: "2026-01-01T00:00:00.000Z" }] });
export const generator = "node:crypto HMAC-SHA512, hex, as the Ruby sample of HCP Terraform's API docs computes it";
export const { source, cases, signer } = bodyPreset({ type: "terraform", label: "terraform", header: "x-tfe-notification-signature", prefix: "", alg: "sha512", encoding: "hex", body });
