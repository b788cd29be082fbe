// Nash (an assumption: no Nash webhook-security page was found here; Svix Ingest lists it):
// svix-id, svix-timestamp, svix-signature, a whsec_ secret. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "nash", prefix: "svix", pkg: "svix", WebhookClass: Webhook, note: "an assumption: Nash delivers through Svix" });
