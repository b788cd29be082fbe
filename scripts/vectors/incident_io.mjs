// incident.io's webhooks are powered by Svix (https://docs.incident.io/api-reference/webhooks):
// webhook-id, webhook-timestamp, webhook-signature, a whsec_ signing secret, verified with the
// Svix libraries. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "incident_io", prefix: "webhook", pkg: "svix", WebhookClass: Webhook, note: "incident.io delivers through Svix under webhook-* headers" });
