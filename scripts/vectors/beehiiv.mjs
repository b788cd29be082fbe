// beehiiv (an assumption: its verification page was not found here; Svix Ingest lists it as a
// source): Standard Webhooks under webhook-* headers, a whsec_ secret. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "beehiiv", prefix: "webhook", pkg: "svix", WebhookClass: Webhook, note: "an assumption: beehiiv delivers through Svix under webhook-* headers" });
