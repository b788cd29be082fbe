// PandaDoc: `?signature=<hex HMAC-SHA256(shared key, body)>` appended to the webhook URL, no
// header, no timestamp (https://developers.pandadoc.com/docs/webhook-verification). A delivery
// is a JSON array of events with no delivery id: dedupe keys on the signed body. Signed with
// node:crypto as PandaDoc's Python sample computes it.
import { hmacHex, keySet, makeCase, makeSigner, secret, truncate, withId } from "./lib.mjs";

export const source = { scheme: { type: "pandadoc" } };
export const generator = "node:crypto HMAC-SHA256, hex, in the `signature` query parameter, per PandaDoc's sample";

const S = keySet("pandadoc", 40);
const BODY = JSON.stringify([{ event: "document_state_changed", data: { id: "msFYActMfJHqNTKH8YSvF1", name: "Zoë's quote", status: "document.completed", date_modified: "2026-01-01T00:00:00.000Z" } }]);
const withQuery = (url, q) => `${url}${url.includes("?") ? "&" : "?"}${q}`;
const signed = (url, key, body) => withQuery(url, `signature=${hmacHex("sha256", key, body)}`);

export function cases({ nowSecs, url }) {
  const CT = { "content-type": "application/json" };
  const cur = [secret("current", S.current)];
  const rot = [secret("old", S.old), secret("new", S.new)];
  const base = { secrets: cur, nowSecs, body: BODY, headers: CT };
  const ok = (keyLabel = "current") => ({ expect: "accept", keyLabel });
  const sig = hmacHex("sha256", S.current, BODY);
  return [
    makeCase({ ...base, name: "accepts a genuine event", url: signed(url, S.current, BODY), ...ok() }),
    makeCase({ ...base, name: "wrong shared key", url: signed(url, S.wrong, BODY), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "altered body", url: signed(url, S.current, BODY), body: BODY.replace("completed", "declined"), expect: "signature_mismatch" }),
    makeCase({ ...base, name: "truncated signature", url: withQuery(url, `signature=${truncate(sig, 20)}`), expect: "signature_malformed" }),
    makeCase({ ...base, name: "no signature parameter", url, expect: "signature_missing" }),
    makeCase({ ...base, name: "empty signature parameter", url: withQuery(url, "signature="), expect: "signature_malformed" }),
    makeCase({ ...base, name: "the signature in a header instead: not read", url, headers: { ...CT, signature: sig }, expect: "signature_missing" }),
    makeCase({ ...base, name: "other query parameters around it", url: withQuery(url, `a=1&signature=${sig}&b=2`), ...ok() }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with old", secrets: rot, url: signed(url, S.old, BODY), ...ok("old") }),
    makeCase({ ...base, name: "rotation: old and new keys, signed with new", secrets: rot, url: signed(url, S.new, BODY), ...ok("new") }),
    makeCase({ ...base, name: "rotation: old key expired (not_after = now-1), signed with old", secrets: [secret("old", S.old, nowSecs - 1), secret("new", S.new)], url: signed(url, S.old, BODY), expect: "signature_mismatch" }),
  ];
}

/** For `npm run send`: the event in a batch, its signature in the URL. */
export const signer = makeSigner({
  sample: ({ id }) => withId(BODY, "/0/data/id", id),
  sign: ({ key, body, url }) => ({ headers: { "content-type": "application/json" }, url: signed(url, key, body) }),
});
