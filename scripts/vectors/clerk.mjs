// Clerk delivers its webhooks through Svix (https://clerk.com/docs/webhooks/sync-data):
// svix-id, svix-timestamp and svix-signature, a whsec_ secret. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "clerk", prefix: "svix", pkg: "svix", WebhookClass: Webhook, note: "Clerk delivers through Svix" });
