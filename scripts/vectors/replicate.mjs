// Replicate signs webhooks with Standard Webhooks headers
// (https://replicate.com/docs/topics/webhooks/verify-webhook). Signed by the standardwebhooks package.
import { Webhook } from "standardwebhooks";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "replicate", prefix: "webhook", pkg: "standardwebhooks", WebhookClass: Webhook, note: "Replicate uses Standard Webhooks" });
