// Guesty Open API webhooks v2 (an assumption: not confirmed from Guesty's pages here; its
// webhooks are delivered through Svix): svix-id, svix-timestamp, svix-signature, a whsec_ secret
// (from Guesty's webhook secret endpoint). Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "guesty", prefix: "svix", pkg: "svix", WebhookClass: Webhook, note: "an assumption: Guesty's webhooks v2 deliver through Svix" });
