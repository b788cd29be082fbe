// Postmark signs nothing: it sends the HTTP Basic credentials written into the webhook URL
// (https://<user>:<password>@host/path). The preset's user is `postmark` (`basic_user`
// changes it); the password is the secret. No delivery id: a body digest is the event id.
// Plain requests (https://postmarkapp.com/developer/webhooks/webhooks-overview).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ RecordType: "Delivery", ServerID: 23, MessageStream: "outbound", MessageID: "00000000-0000-0000-0000-000000000000", Recipient: "zoë@example.com", DeliveredAt: "2026-01-01T00:00:00Z" });
export const generator = "plain requests (Postmark signs nothing; HTTP Basic from the webhook URL)";
export const { source, cases, signer } = credentialPreset({ type: "postmark", label: "postmark", user: "postmark", body });
