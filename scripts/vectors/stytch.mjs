// Stytch's webhooks are powered through Svix (https://stytch.com/docs/b2b/guides/webhooks):
// svix-id, svix-timestamp and svix-signature, a whsec_ secret. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "stytch", prefix: "svix", pkg: "svix", WebhookClass: Webhook, note: "Stytch delivers through Svix" });
