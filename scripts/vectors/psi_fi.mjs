// Psi-Fi (an assumption: no Psi-Fi webhook docs were found here; Svix Ingest lists it):
// Standard Webhooks under webhook-* headers, a whsec_ secret. Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "psi_fi", prefix: "webhook", pkg: "svix", WebhookClass: Webhook, note: "an assumption: Psi-Fi delivers through Svix under webhook-* headers" });
