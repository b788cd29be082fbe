// Strict mode's lifecycle through real workerd and a real Durable Object: claim, release
// after a failed hand-off, commit, the lease of a holder that died, expiry after the window,
// an unreachable object, and a queue destination. Two instances share the object through
// wrangler's dev registry, as two locations would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `strict-${randomUUID()}`;
const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const RUN = randomUUID().slice(0, 8);
const WINDOW_SECS = 60;
const TIMEOUT_MS = 2000;
const LEASE_MS = TIMEOUT_MS + 5000;

// The origin's behaviour per event id: statuses (or 'hang') consumed in order; 200 after.
const plan = new Map();
const arrived = [];
let origin;
let a;
let b;
let expiring;
let expiringSentAt;
let expiringCopy;

before(async () => {
  origin = await startOrigin(({ body }) => {
    let id;
    try { id = JSON.parse(body.toString()).id; } catch { return {}; }
    arrived.push(id);
    const step = plan.get(id)?.shift() ?? 200;
    if (step === 'hang') return { status: 200, delayMs: 60_000 };
    if (step === 'slow') return { status: 200, delayMs: 1500 };
    return { status: step };
  });
  const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
  const source = (destination, window = {}) => ({ scheme, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'strict', ...window }, destination });
  const config = {
    sources: {
      direct: source({ origin: origin.url('/direct'), timeout_ms: TIMEOUT_MS }),
      brief: source({ origin: origin.url('/brief') }, { window_secs: WINDOW_SECS }),
      queued: source({ queue: 'HOOKGATE_QUEUE', origin: origin.url('/queued') }),
    },
  };
  const queues = {
    producers: [{ binding: 'HOOKGATE_QUEUE', queue: `strict-${RUN}` }],
    consumers: [{ queue: `strict-${RUN}`, max_batch_size: 1, max_batch_timeout: 1, max_retries: 3, retry_delay: 1, dead_letter_queue: `strict-dlq-${RUN}` }],
  };
  const objects = (script) => ({ bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject', ...(script ? { script_name: script } : {}) }] });
  a = await startHookgate({
    config, secrets: { SECRET }, queues,
    extra: { name: `hookgate-strict-a-${RUN}`, durable_objects: objects(), migrations: [{ tag: 'v1', new_sqlite_classes: ['DedupeObject'] }] },
  });
  // Each location has its own queue (and consumer): whichever wins the claim enqueues.
  b = await startHookgate({ config, secrets: { SECRET }, queues, extra: { name: `hookgate-strict-b-${RUN}`, durable_objects: objects(`hookgate-strict-a-${RUN}`) } });
  // Sent now, checked last: the window has to pass.
  expiring = event();
  expiringSentAt = Date.now();
  assert.deepEqual(await send(a, 'brief', expiring), { status: 200, json: { status: 'accepted' } });
  // The copy inside the window, sent at once so the tests before the check cannot outlast it.
  expiringCopy = await send(b, 'brief', expiring);
});

after(async () => {
  await b?.stop();
  await a?.stop();
  await origin?.close();
});

const event = () => ({ id: `evt_${randomUUID()}`, kind: 'policy.bound' });
const send = (gate, source, ev) => {
  const body = JSON.stringify(ev);
  return gate.post(`/hooks/${source}`, { headers: { 'content-type': 'application/json', 'x-signature': sign(body) }, body }).then(answer);
};
const handedOn = (path, id) => origin.received.filter((r) => r.url === path && r.headers['x-hookgate-event-id'] === id && r.answered < 300).length;

test('a failed hand-off releases the claim: the retry is forwarded once, then copies are duplicates', async () => {
  const ev = event();
  plan.set(ev.id, [500]);
  assert.deepEqual(await send(a, 'direct', ev), { status: 502, json: { error: 'origin_error' } });
  // The retry arrives at the other location: the object, not an isolate, knows the claim is free.
  assert.deepEqual(await send(b, 'direct', ev), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send(a, 'direct', ev), { status: 200, json: { status: 'duplicate' } });
  assert.deepEqual(await send(b, 'direct', ev), { status: 200, json: { status: 'duplicate' } });
  assert.equal(handedOn('/direct', ev.id), 1);
});

test('an origin timeout answers 504 and releases the claim, so the retry goes through', async () => {
  const ev = event();
  plan.set(ev.id, ['hang']);
  assert.deepEqual(await send(a, 'direct', ev), { status: 504, json: { error: 'origin_timeout' } });
  assert.deepEqual(await send(b, 'direct', ev), { status: 200, json: { status: 'accepted' } });
});

test('a copy at another location during the hand-off gets 409 with the lease\'s time left', async () => {
  const ev = event();
  plan.set(ev.id, ['slow']);
  const first = send(a, 'direct', ev);
  await new Promise((r) => setTimeout(r, 400));
  const body = JSON.stringify(ev);
  const res = await b.post('/hooks/direct', { headers: { 'x-signature': sign(body) }, body });
  assert.equal(res.status, 409);
  assert.deepEqual(await res.json(), { error: 'in_flight' });
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= LEASE_MS / 1000, `Retry-After ${retryAfter}`);
  assert.deepEqual(await first, { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send(b, 'direct', ev), { status: 200, json: { status: 'duplicate' } });
  assert.equal(handedOn('/direct', ev.id), 1);
});

test('a queue destination claims before the send and commits after: one message for concurrent copies', async () => {
  const ev = event();
  const answers = await Promise.all([a, b, a, b].map((g) => send(g, 'queued', ev)));
  const queued = answers.filter((r) => r.status === 202);
  assert.equal(queued.length, 1, JSON.stringify(answers));
  assert.ok(answers.every((r) => r.status === 202 || r.status === 409 || r.json.status === 'duplicate'), JSON.stringify(answers));
  assert.ok(await waitFor(() => handedOn('/queued', ev.id) === 1, { timeoutMs: 20_000 }), 'delivered by the consumer');
  assert.deepEqual(await send(b, 'queued', ev), { status: 200, json: { status: 'duplicate' } });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(handedOn('/queued', ev.id), 1, 'exactly one delivery');
});

test('a lease whose holder died lapses, and the event is then forwarded once', async () => {
  const ev = event();
  plan.set(ev.id, ['hang']);
  // A third location takes the claim, then dies in the middle of the hand-off.
  const c = await startHookgate({
    config: { sources: { direct: { scheme: { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } }, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'strict' }, destination: { origin: origin.url('/direct'), timeout_ms: 30_000 } } } },
    secrets: { SECRET },
    extra: { name: `hookgate-strict-c-${RUN}`, durable_objects: { bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject', script_name: `hookgate-strict-a-${RUN}` }] } },
  });
  const body = JSON.stringify(ev);
  c.post('/hooks/direct', { headers: { 'x-signature': sign(body) }, body }).catch(() => {});
  assert.ok(await waitFor(() => arrived.includes(ev.id), { timeoutMs: 10_000 }), 'C claimed and is handing it on');
  await c.stop();
  const claimedAt = Date.now();
  // C's lease (its timeout_ms of 30 s + 5 s) still holds: copies are turned away, not forwarded.
  const held = await send(a, 'direct', ev);
  assert.equal(held.status, 409, JSON.stringify(held));
  assert.equal(handedOn('/direct', ev.id), 0);
  // It lapses by itself; then the provider's retry claims it and is forwarded once.
  let res;
  do {
    await new Promise((r) => setTimeout(r, 1000));
    res = await send(b, 'direct', ev);
  } while (res.status === 409 && Date.now() - claimedAt < 45_000);
  assert.deepEqual(res, { status: 200, json: { status: 'accepted' } });
  assert.ok(Date.now() - claimedAt >= 25_000, 'not before the lease ran out');
  assert.equal(handedOn('/direct', ev.id), 1);
});

test('an id is a duplicate inside its window and handed on again after it', async () => {
  assert.deepEqual(expiringCopy, { status: 200, json: { status: 'duplicate' } });
  const wait = expiringSentAt + (WINDOW_SECS + 2) * 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  assert.deepEqual(await send(b, 'brief', expiring), { status: 200, json: { status: 'accepted' } });
  assert.equal(handedOn('/brief', expiring.id), 2, 'handed on again once the window passed');
});

test('when the object cannot be reached, strict mode answers 503 with Retry-After and forwards nothing', async () => {
  const lonely = await startHookgate({
    config: { sources: { direct: { scheme: { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } }, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'strict' }, destination: { origin: origin.url('/lonely') } } } },
    secrets: { SECRET },
    extra: { name: `hookgate-strict-d-${RUN}`, durable_objects: { bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject', script_name: `nobody-runs-this-${RUN}` }] } },
  });
  try {
    const ev = event();
    const body = JSON.stringify(ev);
    const res = await lonely.post('/hooks/direct', { headers: { 'x-signature': sign(body) }, body });
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { error: 'dedupe_unavailable' });
    assert.equal(res.headers.get('retry-after'), '10');
    assert.equal(origin.received.filter((r) => r.url === '/lonely').length, 0);
  } finally {
    await lonely.stop();
  }
});
