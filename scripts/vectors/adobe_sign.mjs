// Acrobat Sign (Adobe Sign) signs nothing: every request (the verification-of-intent GET and
// each notification POST) carries `X-AdobeSign-ClientId`, the OAuth application's client id,
// here compared in constant time as a shared token. The endpoint must echo it: the GET is
// answered `{"xAdobeSignClientId": C}` with the header `X-AdobeSign-ClientId: C`, and
// hookgate's answer to each notification carries the header; only when C is a configured key
// (https://helpx.adobe.com/sign/developer/webhook/overview.html). Event id: the body's
// `/webhookNotificationId` when present, else a digest.
import { fixedToken, makeCase, makeSigner, secret } from "./lib.mjs";

export const source = { scheme: { type: "adobe_sign" } };
export const generator = "plain requests (Acrobat Sign signs nothing; the client id in X-AdobeSign-ClientId), its verification of intent as documented";

const C = { current: `CBJCHBCAABAA${fixedToken("adobe-current", 20).toUpperCase()}`, old: `CBJCHBCAABAA${fixedToken("adobe-old", 20).toUpperCase()}`, wrong: `CBJCHBCAABAA${fixedToken("adobe-wrong", 20).toUpperCase()}` };
const BODY = JSON.stringify({ webhookId: "CBJCHBCAABAAwebhook1", webhookName: "hookgate", webhookNotificationId: "7f3e9a10-1c2b-4d5e-8f90-a1b2c3d4e5f6", webhookUrlInfo: { url: "https://hooks.example.com/hooks/adobe_sign" }, webhookScope: "ACCOUNT", event: "AGREEMENT_ACTION_COMPLETED", eventDate: "2026-01-01T00:00:00Z", agreement: { id: "CBJCHBCAABAAagreement1", name: "Zoë's lease", status: "SIGNED" } });
const ID = "7f3e9a10-1c2b-4d5e-8f90-a1b2c3d4e5f6";
const CT = { "content-type": "application/json" };
const H = "x-adobesign-clientid";

export function cases({ nowSecs, url }) {
  const cur = [secret("current", C.current)];
  const post = { secrets: cur, url, nowSecs, body: BODY };
  const get = { secrets: cur, url, nowSecs, body: "", method: "GET" };
  const answer = (c) => ({ content_type: "application/json", body: JSON.stringify({ xAdobeSignClientId: c }) });
  return [
    makeCase({ ...post, name: "accepts a notification with the client id", headers: { ...CT, [H]: C.current }, expect: "accept", eventId: ID, keyLabel: "current", echoHeader: [H, C.current] }),
    makeCase({ ...post, name: "another application's client id", headers: { ...CT, [H]: C.wrong }, expect: "credentials_mismatch" }),
    makeCase({ ...post, name: "no client id", headers: CT, expect: "credentials_missing" }),
    makeCase({ ...post, name: "rotation: old and current client ids, old sent", secrets: [secret("old", C.old), secret("current", C.current)], headers: { ...CT, [H]: C.old }, expect: "accept", eventId: ID, keyLabel: "old", echoHeader: [H, C.old] }),
    makeCase({ ...post, name: "no webhookNotificationId: a body digest instead", body: JSON.stringify({ event: "AGREEMENT_CREATED" }), headers: { ...CT, [H]: C.current }, expect: "accept", keyLabel: "current", echoHeader: [H, C.current] }),
    makeCase({ ...get, name: "verification of intent: the client id echoed", headers: { [H]: C.current }, expect: "accept", keyLabel: "current", handshake: answer(C.current), echoHeader: [H, C.current] }),
    makeCase({ ...get, name: "verification of intent with another client id: not echoed", headers: { [H]: C.wrong }, expect: "credentials_mismatch" }),
    makeCase({ ...get, name: "verification of intent without a client id", headers: {}, expect: "credentials_missing" }),
  ];
}

/** For `npm run send`: an agreement notification; `--handshake`: the verification of intent. */
export const signer = {
  ...makeSigner({ sample: BODY, idPointer: "/webhookNotificationId", sign: ({ key }) => ({ headers: { ...CT, [H]: key } }) }),
  handshake: ({ key, url }) => ({ method: "GET", url, headers: { [H]: key } }),
};
