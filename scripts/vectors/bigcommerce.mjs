// BigCommerce signs nothing: a webhook carries the custom `headers` given when it was created
// through the API; the preset reads `Authorization` (create the hook with
// `"headers": {"Authorization": "Bearer <secret>"}`, or move it with `token_header`). No
// delivery id: `hash` is the same for two events on the same resource, so a body digest
// (created_at differs) (https://developer.bigcommerce.com/docs/integrations/webhooks).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ created_at: 1767225599, store_id: "1025646", producer: "stores/abcde", scope: "store/order/statusUpdated", hash: "3f9ea420af83450d7ef9f78b08c8af25b2213637", data: { type: "order", id: 173331, status: { previous_status_id: 0, new_status_id: 11 } } });
export const generator = "plain requests (BigCommerce signs nothing; a custom header set when the webhook is created)";
export const { source, cases, signer } = credentialPreset({ type: "bigcommerce", label: "bigcommerce", header: "authorization", body });
