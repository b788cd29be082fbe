// Resend delivers its webhooks through Svix
// (https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests). Signed by the svix package.
import { Webhook } from "svix";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "resend", prefix: "svix", pkg: "svix", WebhookClass: Webhook, note: "Resend delivers through Svix" });
