// Amazon SNS through real workerd, as far as it can go without reaching AWS: every refusal
// the core makes before any fetch (a SigningCertURL outside the SSRF rule is never fetched),
// and the fetch path itself failing (the e2e sandbox cannot reach sns.<region>.amazonaws.com,
// or AWS answers 404 for our made-up certificate name): 503 certificate_unavailable with
// Retry-After, nothing forwarded. A genuine signature is verified natively and as wasm in
// cargo test (tests/vectors/amazon_sns.json), not here: the Worker only ever takes the
// certificate from AWS's host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

let origin;
let gate;
before(async () => {
  origin = await startOrigin();
  gate = await startHookgate({
    config: {
      sources: {
        sns: { scheme: { type: 'amazon_sns' }, destination: { origin: origin.url('/sns') } },
        // Confirming at the edge changes nothing before the signature is verified.
        sns_edge: { scheme: { type: 'amazon_sns', subscription_confirmation: 'at_edge' }, destination: { origin: origin.url('/sns_edge') } },
      },
    },
  });
});
after(async () => {
  await gate?.stop();
  await origin?.close();
});

const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookgate-e2e-does-not-exist.pem';
const message = (over = {}) => ({
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
  Message: 'hello',
  Timestamp: new Date().toISOString(),
  SignatureVersion: '2',
  Signature: Buffer.alloc(256, 7).toString('base64'),
  SigningCertURL: CERT_URL,
  ...over,
});
const post = async (body, path = '/hooks/sns') => {
  const raw = await fetch(gate.url(path), { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { retryAfter: raw.headers.get('retry-after'), ...(await answer(raw)) };
};

test('refusals before any fetch: each with its reason, none forwarded', async () => {
  const cases = [
    [message({ SigningCertURL: CERT_URL.replace('https:', 'http:') }), 400, 'certificate_url_refused'],
    [message({ SigningCertURL: `http://127.0.0.1:${origin.port}/cert.pem` }), 400, 'certificate_url_refused'],
    [message({ SigningCertURL: `https://127.0.0.1:${origin.port}/cert.pem` }), 400, 'certificate_url_refused'],
    [message({ SigningCertURL: 'https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem' }), 400, 'certificate_url_refused'],
    [message({ SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem?redirect=http://169.254.169.254/' }), 400, 'certificate_url_refused'],
    [message({ SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.txt' }), 400, 'certificate_url_refused'],
    [message({ Type: 'Broadcast' }), 400, 'message_malformed'],
    [message({ TopicArn: undefined }), 400, 'message_malformed'],
    [message({ SignatureVersion: '3' }), 401, 'signature_malformed'],
    [message({ Signature: '%%%' }), 401, 'signature_malformed'],
    [message({ Signature: undefined }), 401, 'signature_missing'],
    [message({ Timestamp: 'yesterday' }), 401, 'timestamp_malformed'],
    ['Type=Notification', 400, 'body_not_json'],
  ];
  for (const [body, status, error] of cases) {
    const res = await post(body);
    assert.deepEqual({ status: res.status, json: res.json }, { status, json: { error } }, JSON.stringify(body).slice(0, 200));
  }
  assert.equal(origin.received.length, 0, 'nothing forwarded, and the origin was never asked for a certificate');
});

test('a certificate that cannot be fetched: 503 certificate_unavailable with Retry-After, nothing forwarded', async () => {
  const res = await post(message());
  assert.deepEqual({ status: res.status, json: res.json, retryAfter: res.retryAfter }, { status: 503, json: { error: 'certificate_unavailable' }, retryAfter: '10' });
  assert.equal(origin.received.length, 0);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'certificate_unavailable')), gate.logs());
  const line = gate.lines().find((l) => l.reason === 'certificate_unavailable');
  assert.equal(line.source, 'sns');
  assert.match(line.detail, /^sources\.sns: the SNS signing certificate could not be fetched or read/);
});

test('with subscription_confirmation = "at_edge", an unverified SubscriptionConfirmation is never confirmed or forwarded', async () => {
  const confirmation = message({
    Type: 'SubscriptionConfirmation',
    Token: 'tok',
    SubscribeURL: `http://127.0.0.1:${origin.port}/?Action=ConfirmSubscription&Token=tok`,
  });
  // Its certificate cannot be had: 503 before anything is confirmed; a refused URL: 400.
  const res = await post(confirmation, '/hooks/sns_edge');
  assert.equal(res.status, 503);
  assert.deepEqual(res.json, { error: 'certificate_unavailable' });
  const refused = await post({ ...confirmation, SigningCertURL: `https://127.0.0.1:${origin.port}/c.pem` }, '/hooks/sns_edge');
  assert.deepEqual({ status: refused.status, json: refused.json }, { status: 400, json: { error: 'certificate_url_refused' } });
  assert.equal(origin.received.length, 0, 'the SubscribeURL (our origin here) was never fetched');
});
