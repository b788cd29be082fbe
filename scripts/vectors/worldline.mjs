// Worldline (Connect / Direct, ex Ingenico GlobalCollect): `X-GCS-Signature: <base64
// HMAC-SHA256(secret key, body)>`, the key's id in `X-GCS-KeyId` (not read: every configured
// key is tried), the event id in the body's `/id`
// (https://docs.connect.worldline-solutions.com/documentation/webhooks/event-structure/).
// Endpoint verification: a GET with `X-GCS-Webhooks-Endpoint-Verification: V`, answered with V
// as text/plain. Signed with node:crypto; one case is the Connect PHP SDK's own test delivery
// (WebhooksHelperTest: secret `hello+world`, its body and signature), which node:crypto
// reproduces byte for byte.
import { bodyPreset, makeCase, secret } from "./lib.mjs";

const body = JSON.stringify({ apiVersion: "v1", id: "97a4fcdf-9a08-4a59-a0c0-69bfd7e1d59d", created: "2026-01-01T00:00:00.000+0100", merchantId: "20000", type: "payment.created", payment: { id: "000000850010000188180000200001", status: "PENDING_APPROVAL", paymentOutput: { amountOfMoney: { amount: 2980, currencyCode: "EUR" } } } });
export const generator = "node:crypto HMAC-SHA256, base64, per Worldline's docs; the Connect PHP SDK's test delivery; endpoint verification GETs as documented";
const preset = bodyPreset({ type: "worldline", label: "worldline", header: "x-gcs-signature", prefix: "", alg: "sha256", encoding: "base64", body, idPointer: "/id", idRequired: false });
export const source = preset.source;

const SDK_BODY = `{
  "apiVersion": "v1",
  "id": "8ee793f6-4553-4749-85dc-f2ef095c5ab0",
  "created": "2017-02-02T11:24:14.040+0100",
  "merchantId": "20000",
  "type": "payment.paid",
  "payment": {
    "id": "00000200000143570012",
    "paymentOutput": {
      "amountOfMoney": {
        "amount": 1000,
        "currencyCode": "EUR"
      },
      "references": {
        "paymentReference": "200001681810"
      },
      "paymentMethod": "bankTransfer",
      "bankTransferPaymentMethodSpecificOutput": {
        "paymentProductId": 11
      }
    },
    "status": "PAID",
    "statusOutput": {
      "isCancellable": false,
      "statusCategory": "COMPLETED",
      "statusCode": 1000,
      "statusCodeChangeDateTime": "20170202112414",
      "isAuthorized": true
    }
  }
}`;
const SDK_SIGNATURE = "2S7doBj/GnJnacIjSJzr5fxGM5xmfQyFAwxv1I53ZEk=";
const VERIFICATION = "de0c73a2-43a5-4c17-9f4d-5b1c2b0a8e11";

export function cases({ nowSecs, url }) {
  const signed = preset.cases({ nowSecs, url });
  const sdk = { secrets: [secret("sdk", "hello+world")], url, nowSecs, body: SDK_BODY };
  const sdkHeaders = (sig) => ({ "content-type": "application/json", "x-gcs-signature": sig, "x-gcs-keyid": "dummy-key-id" });
  const get = { secrets: signed[0].secrets, url, nowSecs, body: "", method: "GET" };
  return [
    ...signed,
    makeCase({ ...sdk, name: "the SDK's test delivery", headers: sdkHeaders(SDK_SIGNATURE), expect: "accept", eventId: "8ee793f6-4553-4749-85dc-f2ef095c5ab0", keyLabel: "sdk" }),
    makeCase({ ...sdk, name: "the SDK's test delivery, its signature with a digit in front", headers: sdkHeaders(`1${SDK_SIGNATURE}`), expect: "signature_malformed" }),
    makeCase({ ...sdk, name: "the SDK's test delivery, one minute later in the body", body: SDK_BODY.replace("11:24:14", "11:25:14"), headers: sdkHeaders(SDK_SIGNATURE), expect: "signature_mismatch" }),
    makeCase({ ...get, name: "endpoint verification: the value echoed", headers: { "x-gcs-webhooks-endpoint-verification": VERIFICATION }, expect: "accept", handshake: { content_type: "text/plain", body: VERIFICATION } }),
    makeCase({ ...get, name: "endpoint verification without the header", headers: {}, expect: "challenge_missing" }),
    makeCase({ ...get, name: "endpoint verification whose value is markup: not echoed", headers: { "x-gcs-webhooks-endpoint-verification": "<script>alert(1)</script>" }, expect: "challenge_malformed" }),
    makeCase({ ...get, name: "endpoint verification whose value is a JSON event: not echoed", headers: { "x-gcs-webhooks-endpoint-verification": '{"id":"1","type":"payment.paid"}' }, expect: "challenge_malformed" }),
  ];
}

/** `--handshake`: the endpoint verification GET. */
export const signer = { ...preset.signer, handshake: ({ url }) => ({ method: "GET", url, headers: { "x-gcs-webhooks-endpoint-verification": VERIFICATION } }) };
