// Pleo signs webhooks with Standard Webhooks headers
// (https://developers.pleo.io/reference/webhooks-authentication-authorisation). Signed by the
// standardwebhooks package.
import { Webhook } from "standardwebhooks";
import { alias } from "./standard_webhooks.mjs";

export const { source, generator, cases, verify, signer } = alias({ type: "pleo", prefix: "webhook", pkg: "standardwebhooks", WebhookClass: Webhook, note: "Pleo uses Standard Webhooks" });
