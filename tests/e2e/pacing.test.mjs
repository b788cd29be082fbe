// Outbound pacing of queue sources, measured at the origin: a burst sent to hookgate is
// answered 202 at once, then delivered at most `max_per_minute` a minute and at most
// `concurrency` at once (1: one after the other), each event exactly once.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `pacing-secret-${randomUUID()}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seen = {}; // path -> { starts: [ms], inflight, max }
let origin;
let gate;

before(async () => {
  origin = await startOrigin(async (entry) => {
    const s = (seen[entry.url] ??= { starts: [], inflight: 0, max: 0 });
    s.starts.push(Date.now());
    s.inflight += 1;
    s.max = Math.max(s.max, s.inflight);
    await sleep(entry.url === '/serial' ? 150 : 50); // the origin's own work
    s.inflight -= 1;
    return {};
  });
  const scheme = { type: 'hmac', signature_header: 'x-sig', event_id: { pointer: '/id' } };
  const source = (path, queue, pacing) => ({
    scheme, secrets: [{ label: 'k', env: 'SECRET' }],
    destination: { origin: origin.url(path), queue, ...(pacing ? { pacing } : {}) },
  });
  const consumer = (queue) => ({ queue, max_batch_size: 10, max_batch_timeout: 1, max_retries: 3, retry_delay: 1, max_concurrency: 1, dead_letter_queue: 'hookgate-e2e-dlq' });
  gate = await startHookgate({
    config: {
      sources: {
        paced: source('/paced', 'Q_PACED', { max_per_minute: 600, concurrency: 2 }),
        serial: source('/serial', 'Q_SERIAL', { max_per_minute: 1200, concurrency: 1 }),
        free: source('/free', 'Q_FREE'),
      },
    },
    secrets: { SECRET },
    queues: {
      producers: [
        { binding: 'Q_PACED', queue: 'e2e-paced' }, { binding: 'Q_SERIAL', queue: 'e2e-serial' }, { binding: 'Q_FREE', queue: 'e2e-free' },
      ],
      consumers: [consumer('e2e-paced'), consumer('e2e-serial'), consumer('e2e-free'),
        { queue: 'hookgate-e2e-dlq', max_batch_size: 1, max_batch_timeout: 1, max_retries: 3, retry_delay: 1 }],
    },
  });
});
after(async () => { await gate?.stop(); await origin?.close(); });

const event = () => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}` });
  return { body, headers: { 'content-type': 'application/json', 'x-sig': createHmac('sha256', SECRET).update(body).digest('hex') } };
};

/** Sends `n` events at once; all must be answered 202 at once. Returns their ids. */
async function burst(source, n) {
  const events = Array.from({ length: n }, event);
  const t0 = Date.now();
  const answers = await Promise.all(events.map((e) => gate.post(`/hooks/${source}`, e).then(answer)));
  const took = Date.now() - t0;
  assert.ok(answers.every((a) => a.status === 202 && a.json.status === 'queued'), JSON.stringify(answers));
  return { ids: events.map((e) => JSON.parse(e.body).id), took };
}

/** Most starts within any window of `windowMs`. */
function peak(starts, windowMs) {
  const s = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < s.length; j++) {
    while (s[j] - s[i] >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

function measure(path, ids) {
  const got = origin.received.filter((r) => r.url === path).map((r) => JSON.parse(r.body).id);
  assert.deepEqual([...got].sort(), [...ids].sort(), 'every event exactly once');
  const { starts, max } = seen[path];
  const span = (Math.max(...starts) - Math.min(...starts)) / 1000;
  return { n: starts.length, span, rate: (starts.length - 1) / span, maxConcurrent: max, peak1s: peak(starts, 1000) };
}

test('600 a minute, 2 at once: a burst of 30 is answered 202 at once and reaches the origin at no more than 10/s, never 3 at once', async () => {
  const { ids, took } = await burst('paced', 30);
  assert.ok(await waitFor(() => origin.received.filter((r) => r.url === '/paced').length >= 30, { timeoutMs: 60_000 }), gate.logs());
  await sleep(500);
  const m = measure('/paced', ids);
  console.log('# paced gaps (ms)', seen['/paced'].starts.sort((a,b)=>a-b).map((t,i,a)=>i?t-a[i-1]:0).join(','));
  console.log(`# paced 600/min, concurrency 2: 30 queued in ${took} ms; origin saw ${m.n} over ${m.span.toFixed(2)} s = ${m.rate.toFixed(1)}/s, peak ${m.peak1s} in 1 s, max ${m.maxConcurrent} at once`);
  assert.ok(m.maxConcurrent <= 2, `max concurrent ${m.maxConcurrent}`);
  // 10/s: starts are 100 ms apart in steady state (the gaps above); the first one or two of a
  // burst can be closer by the origin's connection set-up and timer jitter, so two of slack.
  assert.ok(m.peak1s <= 12, `peak in a second ${m.peak1s}`);
  assert.ok(m.rate <= 11, `rate ${m.rate}`);
  assert.ok(m.span >= 2.5, `span ${m.span}`);
});

test('serial delivery (concurrency 1): never two at once', async () => {
  const { ids, took } = await burst('serial', 20);
  assert.ok(await waitFor(() => origin.received.filter((r) => r.url === '/serial').length >= 20, { timeoutMs: 60_000 }), gate.logs());
  await sleep(300);
  const m = measure('/serial', ids);
  console.log(`# serial 1200/min: 20 queued in ${took} ms; origin saw ${m.n} over ${m.span.toFixed(2)} s = ${m.rate.toFixed(1)}/s, max ${m.maxConcurrent} at once`);
  assert.equal(m.maxConcurrent, 1);
  assert.ok(m.peak1s <= 7, `peak in a second ${m.peak1s}`); // 150 ms of origin work each: at most ~6.7/s
});

test('for comparison, an unpaced queue source delivers its burst as fast as batches come', async () => {
  const { ids } = await burst('free', 20);
  assert.ok(await waitFor(() => origin.received.filter((r) => r.url === '/free').length >= 20, { timeoutMs: 60_000 }), gate.logs());
  await sleep(300);
  const m = measure('/free', ids);
  console.log(`# unpaced: origin saw ${m.n} over ${m.span.toFixed(2)} s, max ${m.maxConcurrent} at once, peak ${m.peak1s} in 1 s`);
  assert.ok(!gate.lines().some((l) => l.reason === 'paced'), 'nothing was deferred');
  await gate.scanSecrets();
});
