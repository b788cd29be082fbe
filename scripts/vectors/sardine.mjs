// Sardine payments webhooks (an assumption: Sardine's page was not read here; it is described
// as Standard Webhooks, id.timestamp.body with a whsec_ secret): webhook-id, webhook-timestamp,
// webhook-signature. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "sardine", prefix: "webhook", pkg: "svix", WebhookClass: Webhook, note: "an assumption: Sardine's payment webhooks are Standard Webhooks" });
