// Metrics: with a HOOKGATE_METRICS binding, every request's and delivery's outcome becomes one
// data point (source, outcome, reason, stage, key; count, latency, status), whether or not its
// log line is written; without the binding nothing changes (every other e2e file runs so).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `metrics-secret-${randomUUID()}`;
const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const secrets = [{ label: 'current', env: 'SECRET' }];

let origin;
let sink;
let gate;

before(async () => {
  origin = await startOrigin();
  sink = await startOrigin();
  gate = await startHookgate({
    config: {
      sources: { billing: { scheme, secrets, destination: { origin: origin.url('/billing') } } },
      // Per-event lines off: the data points must not depend on them.
      log: { events: 'none', rejections: 'none' },
    },
    secrets: { SECRET },
    extra: { services: [{ binding: 'HOOKGATE_METRICS', service: 'hookgate-metrics-dataset', entrypoint: 'Dataset' }] },
    workers: [{ name: 'hookgate-metrics-dataset', main: resolve(import.meta.dirname, 'metrics_dataset.mjs'), vars: { SINK: sink.url('/points') } }],
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
  await sink?.close();
});

const post = (body, signature = sign(body)) =>
  gate.post('/hooks/billing', { headers: { 'content-type': 'application/json', 'x-signature': signature }, body }).then(answer);
const points = () => sink.received.map((r) => JSON.parse(r.body.toString()));

test('each outcome is one data point with its source, outcome, reason and status', async () => {
  const id = `evt_${randomUUID()}`;
  const body = JSON.stringify({ id });
  assert.equal((await post(body)).status, 200);
  assert.equal((await post(body)).status, 200); // the duplicate
  assert.equal((await post(JSON.stringify({ id: `evt_${randomUUID()}` }), `sha256=${'0'.repeat(64)}`)).status, 401);
  assert.equal((await answer(await gate.post('/hooks/nobody', { body: '{}' }))).status, 404);
  assert.ok(await waitFor(() => points().length >= 4), JSON.stringify(points()) + gate.logs().slice(-3000));
  const shape = points().map((p) => ({ blobs: p.blobs, count: p.doubles[0], status: p.doubles[2], indexes: p.indexes }));
  assert.deepEqual(shape, [
    { blobs: ['billing', 'accepted', '', 'edge', 'current'], count: 1, status: 200, indexes: ['billing'] },
    { blobs: ['billing', 'duplicate', '', 'edge', 'current'], count: 1, status: 200, indexes: ['billing'] },
    { blobs: ['billing', 'rejected', 'signature_mismatch', 'edge', ''], count: 1, status: 401, indexes: ['billing'] },
    { blobs: ['', 'rejected', 'unknown_source', 'edge', ''], count: 1, status: 404, indexes: [''] },
  ]);
  assert.ok(points().every((p) => p.doubles.length === 3 && p.doubles[1] >= 0 && p.doubles[1] < 10_000), JSON.stringify(points()));
  // Lines were off: none was written for these requests.
  assert.equal(gate.lines().filter((l) => l.source === 'billing').length, 0);
  assert.equal(origin.accepted().length, 1);
});
