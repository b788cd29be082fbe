// Chargebee signs nothing: it sends the HTTP Basic user name and password configured on the
// webhook. The preset's user is `chargebee` (`basic_user` changes it); the password is the
// secret. The event id is the body's /id (ev_…), kept across Chargebee's retries, when present.
// Plain requests (https://www.chargebee.com/docs/2.0/webhook_settings.html).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ id: "ev_hookgate_chargebee_1", occurred_at: 1767225600, source: "admin_console", object: "event", api_version: "v2", event_type: "subscription_created", content: { subscription: { id: "sub_1", status: "active" } } });
export const generator = "plain requests (Chargebee signs nothing; HTTP Basic configured on the webhook)";
export const { source, cases, signer } = credentialPreset({ type: "chargebee", label: "chargebee", user: "chargebee", body, eventId: "ev_hookgate_chargebee_1" });
