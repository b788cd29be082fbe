// Mailchimp Marketing webhooks sign nothing: the usual protection is a secret in the webhook
// URL's query (the preset reads `?secret=`; `token_query` moves it), compared in constant
// time. When the webhook is saved (and on later checks) Mailchimp sends a GET to the same URL,
// which must answer 200: answered at the edge, once the secret matched
// (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/). Bodies are
// form-encoded (`type`, `fired_at`, `data[...]`) with no delivery id: a body digest.
import { keySet, makeCase, makeSigner, secret, withId } from "./lib.mjs";

export const source = { scheme: { type: "mailchimp" } };
export const generator = "plain requests (Mailchimp signs nothing; a secret in the URL's query), its validation GET as documented";

const T = keySet("mailchimp", 40);
const BODY = new URLSearchParams({ type: "subscribe", fired_at: "2026-01-01 00:00:00", "data[id]": "8a25ff1d98", "data[list_id]": "a6b5da1054", "data[email]": "zoë@example.com", "data[merges][FNAME]": "Zoë" }).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const withSecret = (url, token) => `${url}${url.includes("?") ? "&" : "?"}secret=${token}`;

export function cases({ nowSecs, url }) {
  const cur = [secret("current", T.current)];
  const post = { secrets: cur, nowSecs, body: BODY, headers: FORM };
  const get = { secrets: cur, nowSecs, body: "", method: "GET", headers: { "user-agent": "MailChimp" } };
  const ok = (keyLabel = "current") => ({ expect: "accept", keyLabel });
  return [
    makeCase({ ...post, name: "accepts the right secret", url: withSecret(url, T.current), ...ok() }),
    makeCase({ ...post, name: "wrong secret", url: withSecret(url, T.wrong), expect: "credentials_mismatch" }),
    makeCase({ ...post, name: "no secret", url, expect: "credentials_missing" }),
    makeCase({ ...post, name: "the secret in a header instead: not read", url, headers: { ...FORM, secret: T.current }, expect: "credentials_missing" }),
    makeCase({ ...post, name: "rotation: old and new secrets, old sent", secrets: [secret("old", T.old), secret("new", T.new)], url: withSecret(url, T.old), ...ok("old") }),
    makeCase({ ...post, name: "rotation: old secret expired (not_after = now-1), old sent", secrets: [secret("old", T.old, nowSecs - 1), secret("new", T.new)], url: withSecret(url, T.old), expect: "credentials_mismatch" }),
    makeCase({ ...get, name: "URL validation answered with an empty 200", url: withSecret(url, T.current), ...ok(), handshake: { content_type: null, body: "" } }),
    makeCase({ ...get, name: "URL validation with a wrong secret: not answered", url: withSecret(url, T.wrong), expect: "credentials_mismatch" }),
    makeCase({ ...get, name: "URL validation without the secret: not answered", url, expect: "credentials_missing" }),
  ];
}

/** For `npm run send`: a subscribe event with the secret in the URL; `--handshake`: the validation GET. */
export const signer = {
  ...makeSigner({ sample: ({ id }) => withId(BODY, "form:data[id]", id), sign: ({ key, url }) => ({ headers: FORM, url: withSecret(url, key) }) }),
  handshake: ({ key, url }) => ({ method: "GET", url: withSecret(url, key) }),
};
