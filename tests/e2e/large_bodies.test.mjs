// Large bodies: from 16 KiB up, hookgate computes MACs with WebCrypto over the JS buffer
// instead of in wasm. Signed by the providers' own libraries (stripe, @octokit/webhooks-methods)
// and node:crypto for SHA-1/SHA-512, through real workerd: genuine bodies on both sides of
// the threshold are accepted and forwarded byte for byte; a body altered by one byte, a
// forged signature and a rotated-out key are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const STRIPE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const GITHUB_SECRET = `gh-${randomUUID()}`;
const OLD_SECRET = `old-${randomUUID()}`;
const H512_SECRET = `h512-${randomUUID()}`;
const stripe = new Stripe('sk_test_unused');
let origin;
let gate;

before(async () => {
  origin = await startOrigin();
  const big = 2 * 1024 * 1024;
  gate = await startHookgate({
    config: {
      sources: {
        stripe: { scheme: { type: 'stripe' }, secrets: [{ label: 's', env: 'STRIPE_SECRET' }], max_body_bytes: big, destination: { origin: origin.url('/stripe') } },
        github: {
          scheme: { type: 'github' },
          // Two keys: the MAC under each is computed; the second matches.
          secrets: [{ label: 'old', env: 'OLD_SECRET' }, { label: 'current', env: 'GITHUB_SECRET' }],
          max_body_bytes: big,
          destination: { origin: origin.url('/github') },
        },
        sha512: {
          scheme: { type: 'hmac', signature_header: 'x-sig', algorithm: 'hmac-sha512', encoding: 'base64', event_id: { pointer: '/id' } },
          secrets: [{ label: 'k', env: 'H512_SECRET' }],
          max_body_bytes: big,
          destination: { origin: origin.url('/sha512') },
        },
      },
    },
    secrets: { STRIPE_SECRET, GITHUB_SECRET, OLD_SECRET, H512_SECRET },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

/** A JSON event of about `bytes` bytes, with non-ASCII text so the bytes matter. */
const payload = (bytes) => JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', data: { note: 'é'.repeat(8), pad: 'x'.repeat(Math.max(0, bytes - 120)) } });
const flip = (text) => `${text.slice(0, -3)}${text.at(-3) === 'x' ? 'y' : 'x'}${text.slice(-2)}`;

for (const size of [14 * 1024, 18 * 1024, 1024 * 1024]) {
  test(`stripe, ${size} bytes: accepted and forwarded exactly; one changed byte is refused`, async () => {
    const body = payload(size);
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });
    const post = (b, h) => gate.post('/hooks/stripe', { headers: { 'content-type': 'application/json', 'stripe-signature': h }, body: b }).then(answer);
    const before = origin.received.length;
    assert.deepEqual([(await post(body, header)).status], [200]);
    assert.equal(origin.received.length, before + 1);
    assert.ok(origin.received.at(-1).body.equals(Buffer.from(body)), 'forwarded byte for byte');
    const tampered = await post(flip(body), header);
    assert.equal(tampered.status, 401);
    assert.equal(tampered.json.error, 'signature_mismatch');
    assert.equal(origin.received.length, before + 1);
  });
}

test('github, 1 MiB, the second of two keys: accepted with its label; a forged signature is refused', async () => {
  const body = payload(1024 * 1024);
  const post = async (sig) => gate.post('/hooks/github', {
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sig },
    body,
  }).then(answer);
  const before = origin.received.length;
  const ok = await post(await githubSign(GITHUB_SECRET, body));
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal(origin.received.at(-1).headers['x-hookgate-key'], 'current');
  assert.ok(origin.received.at(-1).body.equals(Buffer.from(body)));
  const forged = await post(await githubSign(`not-${GITHUB_SECRET}`, flip(body)));
  assert.equal(forged.status, 401);
  assert.equal(origin.received.length, before + 1);
});

test('hmac-sha512, 600 KiB: accepted; signed with another key, refused', async () => {
  const body = payload(600 * 1024);
  const sig = (key) => createHmac('sha512', key).update(body).digest('base64');
  const post = (s) => gate.post('/hooks/sha512', { headers: { 'content-type': 'application/json', 'x-sig': s }, body }).then(answer);
  const before = origin.received.length;
  assert.equal((await post(sig(H512_SECRET))).status, 200);
  const wrong = await post(sig(OLD_SECRET));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error, 'signature_mismatch');
  assert.equal(origin.received.length, before + 1);
});
