// Render workspace webhooks (an assumption: Render's page was not read here; they follow the
// Standard Webhooks spec): webhook-id, webhook-timestamp, webhook-signature, a whsec_ secret.
// Signed by the standardwebhooks package.
import { Webhook } from "standardwebhooks";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "render", prefix: "webhook", pkg: "standardwebhooks", WebhookClass: Webhook, note: "an assumption: Render's webhooks follow Standard Webhooks" });
