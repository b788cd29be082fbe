// The pipeline's promise, as a provider sees it: Stripe-signed events, each retried until it
// gets a 2xx and then sent once more (providers do redeliver), against an origin that fails
// on purpose; forged copies mixed in. Every genuine event must reach the origin exactly once
// (counting the deliveries the origin accepted), and no forged copy at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
const EVENTS = 24;
let origin;
let gate;

// A seeded generator, so a failure can be replayed: the origin refuses about 40% of tries.
let seed = 20261123;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

before(async () => {
  origin = await startOrigin(() => ({ status: random() < 0.4 ? [500, 502, 503, 429][Math.floor(random() * 4)] : 200 }));
  const source = (destination) => ({ scheme: { type: 'stripe' }, secrets: [{ label: 'live', env: 'STRIPE_SECRET' }], destination });
  gate = await startHookgate({
    config: {
      sources: {
        direct: source({ origin: origin.url('/direct') }),
        queued: source({ queue: 'HOOKGATE_QUEUE', origin: origin.url('/queued') }),
      },
      queue: { retry_base_secs: 1, retry_max_secs: 1 },
    },
    secrets: { STRIPE_SECRET: SECRET },
    queues: {
      producers: [{ binding: 'HOOKGATE_QUEUE', queue: 'hookgate-e2e-delivery' }],
      consumers: [{ queue: 'hookgate-e2e-delivery', max_batch_size: 5, max_batch_timeout: 1, max_retries: 30, retry_delay: 1 }],
    },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

const post = (source, payload, signature) =>
  gate.post(`/hooks/${source}`, { headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload }).then(answer);

/** One event as a provider delivers it: retried until 2xx, a forged copy on the way, then redelivered once. */
async function provider(source, id) {
  const payload = JSON.stringify({ id, object: 'event', type: 'invoice.paid', data: { object: { amount: 4200 } } });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  const answers = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const res = await post(source, payload, signature);
    answers.push(res.status);
    if (res.status >= 200 && res.status < 300) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const forged = await post(source, payload.replace('"amount":4200', '"amount":9999'), signature);
  const again = await post(source, payload, signature);
  return { id, answers, forged, again };
}

for (const source of ['direct', 'queued']) {
  test(`${source}: ${EVENTS} events with provider retries against a failing origin each arrive exactly once`, async () => {
    const ids = Array.from({ length: EVENTS }, () => `evt_${randomUUID()}`);
    const results = [];
    for (let i = 0; i < ids.length; i += 6) results.push(...await Promise.all(ids.slice(i, i + 6).map((id) => provider(source, id))));
    const accepted = (id) => origin.received.filter((r) => r.headers['x-hookgate-event-id'] === id && r.answered >= 200 && r.answered < 300);
    assert.ok(await waitFor(() => ids.every((id) => accepted(id).length > 0), { timeoutMs: 60_000 }),
      `not delivered: ${ids.filter((id) => accepted(id).length === 0).join(', ')}`);
    for (const r of results) {
      assert.ok([200, 202].includes(r.answers.at(-1)), `${r.id} never got a 2xx: ${r.answers}`);
      assert.ok(r.answers.every((s) => [200, 202, 502].includes(s)), `${r.id}: ${r.answers}`);
      assert.deepEqual(r.forged, { status: 401, json: { error: 'signature_mismatch' } });
      assert.deepEqual(r.again, { status: 200, json: { status: 'duplicate' } });
      assert.equal(accepted(r.id).length, 1, `${r.id} accepted by the origin ${accepted(r.id).length} times`);
    }
    const mine = origin.received.filter((r) => ids.includes(r.headers['x-hookgate-event-id']));
    assert.ok(mine.every((r) => !r.body.includes('"amount":9999')), 'a forged copy reached the origin');
    assert.ok(mine.some((r) => r.answered >= 500), 'the origin did fail some deliveries (the test exercised retries)');
  });
}
