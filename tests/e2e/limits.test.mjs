// Inbound rate limits through real workerd and the local Rate Limiting binding
// (`ratelimits` in the wrangler file): authentic requests over the limit are answered 429
// `rate_limited` with Retry-After; a provider that retries after it gets every event
// through, exactly once; forged requests never spend a source's budget.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `limit-secret-${randomUUID()}`;
const LIMIT = 5;
const PERIOD = 10;
let origin;
let gate;

before(async () => {
  origin = await startOrigin();
  const scheme = { type: 'hmac', signature_header: 'x-sig', event_id: { pointer: '/id' } };
  const source = (path) => ({
    scheme, secrets: [{ label: 'k', env: 'SECRET' }], destination: { origin: origin.url(path) },
    rate_limit: { binding: 'HOOKGATE_LIMIT', requests: LIMIT, period_secs: PERIOD },
  });
  gate = await startHookgate({
    config: { log: { rejections: 'all' }, sources: { a: source('/a'), b: source('/b') } },
    secrets: { SECRET },
    extra: { ratelimits: [{ name: 'HOOKGATE_LIMIT', namespace_id: '1001', simple: { limit: LIMIT, period: PERIOD } }] },
  });
});
after(async () => { await gate?.stop(); await origin?.close(); });

const event = (secret = SECRET) => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}` });
  return { body, headers: { 'content-type': 'application/json', 'x-sig': createHmac('sha256', secret).update(body).digest('hex') } };
};

/** A provider: sends, and on 429 waits Retry-After and sends again, up to `tries`. */
async function deliver(path, ev, { tries = 6 } = {}) {
  const statuses = [];
  for (let i = 0; i < tries; i++) {
    const res = await gate.post(path, ev);
    const { status, json } = await answer(res);
    statuses.push(status);
    if (status !== 429) return { statuses, json };
    assert.equal(json.error, 'rate_limited');
    const wait = Number(res.headers.get('retry-after'));
    assert.equal(wait, PERIOD);
    await new Promise((r) => setTimeout(r, wait * 1000 + Math.random() * 500));
  }
  return { statuses };
}

test('a burst over the limit gets 429 with Retry-After, and every provider retry then arrives once', async () => {
  const events = Array.from({ length: 12 }, () => event());
  const started = Date.now();
  const results = await Promise.all(events.map((ev) => deliver('/hooks/a', ev)));
  const elapsed = (Date.now() - started) / 1000;
  const first = results.map((r) => r.statuses[0]);
  const limited = first.filter((s) => s === 429).length;
  assert.ok(limited >= 12 - 2 * LIMIT, `first answers: ${first}`); // at most two windows in the burst
  assert.ok(results.every((r) => r.statuses.at(-1) === 200), JSON.stringify(results));
  const ids = origin.received.filter((r) => r.url === '/a').map((r) => JSON.parse(r.body).id).sort();
  assert.deepEqual(ids, events.map((e) => JSON.parse(e.body).id).sort(), 'each event reached the origin exactly once');
  const lines = gate.lines().filter((l) => l.reason === 'rate_limited');
  assert.ok(lines.length >= limited && lines.every((l) => l.status === 429 && l.source === 'a'));
  console.log(`# limit ${LIMIT}/${PERIOD}s: 12 events, ${limited} first answered 429, all delivered in ${elapsed.toFixed(1)} s (max tries ${Math.max(...results.map((r) => r.statuses.length))})`);
});

test('forged requests never spend the budget, and each source counts apart', async () => {
  // Wait for a fresh window of `b`'s own key: nothing has been sent to it yet.
  for (let i = 0; i < 40; i++) {
    assert.deepEqual(await answer(await gate.post('/hooks/b', event('wrong'))), { status: 401, json: { error: 'signature_mismatch' } });
  }
  const answers = [];
  for (let i = 0; i < LIMIT; i++) answers.push((await answer(await gate.post('/hooks/b', event()))).status);
  // The window may turn over meanwhile, which only makes room; 40 forgeries counted would
  // have left none.
  assert.deepEqual(answers, Array(LIMIT).fill(200));
  assert.ok(await waitFor(() => origin.received.filter((r) => r.url === '/b').length === LIMIT));
  await gate.scanSecrets();
});
