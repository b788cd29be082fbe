// Svix: the Standard Webhooks scheme under svix-id, svix-timestamp and svix-signature headers.
// HMAC signed by the svix package's Webhook.sign, accepts cross-checked with Webhook.verify.
// The non-UTF-8 body is signed with node:crypto over the raw bytes (the package decodes
// bodies as UTF-8). Svix has no Ed25519 here.
import { Webhook } from "svix";
import { pkgVersion } from "./lib.mjs";
import { family } from "./standard_webhooks.mjs";

export const source = { scheme: { type: "svix" }, tolerance_secs: 300 };
export const generator =
  `svix@${pkgVersion("svix")} (new Webhook(secret).sign; accepts cross-checked with Webhook.verify); ` +
  "non-UTF-8 body signed with node:crypto (the package decodes bodies as UTF-8)";

const fam = family({ prefix: "svix", label: "svix", WebhookClass: Webhook });
export const cases = fam.cases;
export const signer = fam.signer;
export const verify = fam.verify;
