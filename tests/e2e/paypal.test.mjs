// PayPal through real workerd without reaching PayPal: a PAYPAL-CERT-URL outside the SSRF
// rule is refused and never fetched; a certificate that cannot be had (the e2e sandbox
// reaches no PayPal host) is 503 certificate_unavailable with Retry-After, nothing forwarded.
// Genuine signatures are verified with the certificate pinned in tests/e2e/vectors.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

let origin;
let gate;
before(async () => {
  origin = await startOrigin();
  gate = await startHookgate({ config: { sources: { paypal: { scheme: { type: 'paypal', webhook_id: '9XL90610J3647323C' }, destination: { origin: origin.url('/paypal') } } } } });
});
after(async () => {
  await gate?.stop();
  await origin?.close();
});

const headers = (over = {}) => ({
  'content-type': 'application/json',
  'paypal-auth-algo': 'SHA256withRSA',
  'paypal-cert-url': 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hookgate-e2e-does-not-exist',
  'paypal-transmission-id': 'd938e770-8046-11e6-8103-6b62a8a99ac4',
  'paypal-transmission-sig': Buffer.alloc(256, 7).toString('base64'),
  'paypal-transmission-time': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ...over,
});
const post = async (h) => {
  const raw = await fetch(gate.url('/hooks/paypal'), { method: 'POST', headers: Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)), body: '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}' });
  return { retryAfter: raw.headers.get('retry-after'), ...(await answer(raw)) };
};

test('a certificate URL outside the rule is refused and never fetched', async () => {
  for (const url of [`http://127.0.0.1:${origin.port}/v1/notifications/certs/CERT-1`, `https://127.0.0.1:${origin.port}/v1/notifications/certs/CERT-1`, 'https://api.paypal.com.attacker.example/v1/notifications/certs/CERT-1', 'https://api.paypal.com/v1/oauth2/token']) {
    const res = await post(headers({ 'paypal-cert-url': url }));
    assert.deepEqual({ status: res.status, json: res.json }, { status: 400, json: { error: 'certificate_url_refused' } }, url);
  }
  assert.equal(origin.received.length, 0, 'nothing forwarded, and the origin was never asked for a certificate');
});

test('a certificate that cannot be fetched: 503 certificate_unavailable with Retry-After, nothing forwarded', async () => {
  const res = await post(headers());
  assert.deepEqual({ status: res.status, json: res.json, retryAfter: res.retryAfter }, { status: 503, json: { error: 'certificate_unavailable' }, retryAfter: '10' });
  assert.equal(origin.received.length, 0);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'certificate_unavailable')), gate.logs());
  const line = gate.lines().find((l) => l.reason === 'certificate_unavailable');
  assert.equal(line.source, 'paypal');
  assert.match(line.detail, /^sources\.paypal: the signing certificate could not be fetched or read/);
});
