// OpenAI signs webhooks with Standard Webhooks (https://platform.openai.com/docs/guides/webhooks):
// webhook-id, webhook-timestamp, webhook-signature, a whsec_ secret. Signed by the
// standardwebhooks package.
import { Webhook } from "standardwebhooks";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "openai", prefix: "webhook", pkg: "standardwebhooks", WebhookClass: Webhook, note: "OpenAI uses Standard Webhooks" });
