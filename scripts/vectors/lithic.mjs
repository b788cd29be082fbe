// Lithic signs webhooks with Standard Webhooks: its SDK's webhooks.verifySignature hands
// webhook-id, webhook-timestamp and webhook-signature to the standardwebhooks package
// (lithic-node src/resources/webhooks.ts), with the whsec_ subscription secret. Signed by the
// standardwebhooks package (https://docs.lithic.com/docs/events-api).
import { Webhook } from "standardwebhooks";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "lithic", prefix: "webhook", pkg: "standardwebhooks", WebhookClass: Webhook, note: "Lithic's SDK verifies with Standard Webhooks" });
