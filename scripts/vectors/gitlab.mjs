// GitLab signs nothing: the webhook's secret token arrives as is in `X-Gitlab-Token`
// (compared in constant time). Idempotency-Key stays the same across GitLab's retries of one
// event; it is not signed (nothing is), so whoever holds the token can choose it.
// Plain requests (https://docs.gitlab.com/user/project/integrations/webhooks/).
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ object_kind: "push", event_name: "push", ref: "refs/heads/main", checkout_sha: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", user_name: "Zoë", project: { id: 15, path_with_namespace: "hookgate/hookgate" } });
export const generator = "plain requests (GitLab signs nothing; the secret token in X-Gitlab-Token)";
export const { source, cases, signer } = credentialPreset({ type: "gitlab", label: "gitlab", header: "x-gitlab-token", body, idHeader: "idempotency-key", id: "f6a3b8c2-1d4e-4f5a-9b6c-7d8e9f0a1b2c" });
