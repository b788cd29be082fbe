// Amazon SNS through real workerd, as far as it can go without reaching AWS: every refusal
// the core makes before any fetch (a SigningCertURL outside the SSRF rule is never fetched),
// the fetch path itself failing (the e2e sandbox cannot reach sns.<region>.amazonaws.com,
// or AWS answers 404 for our made-up certificate name): 503 certificate_unavailable with
// Retry-After, nothing forwarded; and genuine signatures (the vectors, made for the real
// clock) verified by workerd's WebCrypto with the test certificate pinned in the source's
// configuration (`scheme.certificates`, a user setting: the pinned key is parsed by the same
// code as a fetched one, and nothing is fetched). The fetch of a real AWS certificate and the
// GET of a real SubscribeURL are not tested end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';
import * as vectors from '../../scripts/vectors/amazon_sns.mjs';

let origin;
let gate;
let pinned;
before(async () => {
  origin = await startOrigin();
  pinned = vectors.cases({ nowSecs: Math.floor(Date.now() / 1000), url: 'http://x/' })[0].certificates;
  gate = await startHookgate({
    config: {
      sources: {
        sns: { scheme: { type: 'amazon_sns' }, destination: { origin: origin.url('/sns') } },
        // Confirming at the edge changes nothing before the signature is verified.
        sns_edge: { scheme: { type: 'amazon_sns', subscription_confirmation: 'at_edge' }, destination: { origin: origin.url('/sns_edge') } },
        sns_pinned: { scheme: { type: 'amazon_sns', certificates: pinned }, dedupe: { mode: 'off' }, destination: { origin: origin.url('/sns_pinned') } },
        sns_pinned_edge: { scheme: { type: 'amazon_sns', certificates: pinned, subscription_confirmation: 'at_edge' }, destination: { origin: origin.url('/sns_pinned_edge') } },
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
  assert.match(line.detail, /^sources\.sns: the signing certificate could not be fetched or read/);
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

const STATUS = { signature_missing: 401, signature_malformed: 401, signature_mismatch: 401, timestamp_malformed: 401, timestamp_too_old: 401, timestamp_in_future: 401, certificate_url_refused: 400, message_malformed: 400, body_not_json: 400 };

test('genuine messages verify with WebCrypto against the pinned certificate; forged ones are refused with their reason', async () => {
  const now = Math.floor(Date.now() / 1000);
  const url = gate.url('/hooks/sns_pinned');
  const ahead = vectors.cases({ nowSecs: now + 60, url });
  const cases = vectors.cases({ nowSecs: now, url }).map((c, i) => (c.expect === 'timestamp_in_future' ? ahead[i] : c)).filter((c) => !/edge/.test(c.name));
  let accepted = 0;
  for (const c of cases) {
    const before = origin.received.length;
    const body = Buffer.from(c.body_utf8, 'utf8');
    const res = await answer(await fetch(url, { method: 'POST', headers: c.headers, body }));
    if (c.expect === 'accept') {
      assert.deepEqual(res, { status: 200, json: { status: 'accepted' } }, c.name);
      assert.equal(origin.received.length, before + 1, c.name);
      assert.deepEqual(origin.received.at(-1).body, body, `${c.name}: byte for byte`);
      assert.equal(origin.received.at(-1).headers['x-hookgate-event-id'], c.event_id, c.name);
      accepted += 1;
    } else {
      assert.deepEqual(res, { status: STATUS[c.expect], json: { error: c.expect } }, c.name);
      assert.equal(origin.received.length, before, `${c.name}: never forwarded`);
    }
  }
  assert.ok(accepted >= 4, `${accepted} genuine messages`);
});

test('at_edge: a verified SubscriptionConfirmation is confirmed by a GET of its SubscribeURL (unreachable here: 503, never forwarded)', async () => {
  const now = Math.floor(Date.now() / 1000);
  const c = vectors.cases({ nowSecs: now, url: gate.url('/hooks/sns_pinned_edge') }).find((v) => v.name.startsWith('accepts a SubscriptionConfirmation'));
  const before = origin.received.length;
  const raw = await fetch(c.url, { method: 'POST', headers: c.headers, body: c.body_utf8 });
  assert.equal(raw.headers.get('retry-after'), '10');
  assert.deepEqual(await answer(raw), { status: 503, json: { error: 'subscription_unconfirmed' } });
  assert.equal(origin.received.length, before, 'not handed on');
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'subscription_unconfirmed')), gate.logs());
  // A Notification on the same source is handed on as usual.
  const n = vectors.cases({ nowSecs: now, url: gate.url('/hooks/sns_pinned_edge') })[0];
  assert.deepEqual(await answer(await fetch(n.url, { method: 'POST', headers: n.headers, body: n.body_utf8 })), { status: 200, json: { status: 'accepted' } });
});
