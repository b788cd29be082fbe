// Log volume: `log.events` and `log.rejections` decide which lines `wrangler tail` gets,
// through real workerd. A flood of forged requests logs a few lines in full and then one
// summary per window; failures are logged whatever the settings.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `logs-secret-${randomUUID()}`;
const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const started = [];
after(async () => { for (const s of started) await s.stop?.() ?? s.close?.(); });

async function gateWith(log, origin) {
  const gate = await startHookgate({
    config: {
      log,
      sources: {
        quiet: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], destination: { origin: origin.url('/quiet') } },
        down: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], destination: { origin: 'http://127.0.0.1:9/never' } },
      },
    },
    secrets: { SECRET },
  });
  started.push(gate);
  return gate;
}

const event = () => { const body = JSON.stringify({ id: `evt_${randomUUID()}` }); return { body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) } }; };
const forged = () => { const body = JSON.stringify({ id: `evt_${randomUUID()}` }); return { body, headers: { 'content-type': 'application/json', 'x-signature': `sha256=${'0'.repeat(64)}` } }; };

test('by default every event is logged and a flood of forged requests is sampled, then summarised', async () => {
  const origin = await startOrigin();
  started.push(origin);
  const gate = await gateWith({ window_secs: 3 }, origin);
  for (let i = 0; i < 3; i++) assert.equal((await answer(await gate.post('/hooks/quiet', event()))).status, 200);
  for (let i = 0; i < 25; i++) assert.equal((await answer(await gate.post('/hooks/quiet', forged()))).status, 401);
  assert.ok(await waitFor(() => gate.lines().filter((l) => l.outcome === 'accepted').length === 3), gate.logs());
  // The default budget is 10 full lines a window; the rest are counted.
  await new Promise((r) => setTimeout(r, 1000));
  const rejected = gate.lines().filter((l) => l.outcome === 'rejected');
  assert.ok(rejected.length >= 10 && rejected.length < 25, `rejected lines: ${rejected.length}`);
  assert.ok(rejected.every((l) => l.reason === 'signature_mismatch' && l.source === 'quiet'));
  // The summary comes with the first request after the window.
  await new Promise((r) => setTimeout(r, 3200));
  assert.equal((await answer(await gate.post('/hooks/quiet', event()))).status, 200);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.outcome === 'rejected_summary')), gate.logs());
  const summaries = gate.lines().filter((l) => l.outcome === 'rejected_summary');
  const counted = summaries.reduce((n, l) => n + (l.suppressed?.quiet?.signature_mismatch ?? 0), 0);
  assert.equal(rejected.length + counted, 25, JSON.stringify(summaries));
  assert.ok(summaries.every((l) => l.window_secs >= 3));
});

test('events = "none" and rejections = "summary" keep only failures and one summary line', async () => {
  const origin = await startOrigin();
  started.push(origin);
  const gate = await gateWith({ events: 'none', rejections: 'summary', window_secs: 2 }, origin);
  for (let i = 0; i < 4; i++) assert.equal((await answer(await gate.post('/hooks/quiet', event()))).status, 200);
  assert.equal(origin.accepted().length, 4);
  for (let i = 0; i < 6; i++) assert.equal((await answer(await gate.post('/hooks/quiet', forged()))).status, 401);
  assert.equal((await answer(await gate.post('/hooks/nowhere', event()))).status, 404);
  // A failure on our side is always logged, at error level.
  assert.equal((await answer(await gate.post('/hooks/down', event()))).status, 502);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.outcome === 'failed' && l.source === 'down')), gate.logs());
  await new Promise((r) => setTimeout(r, 2200));
  assert.equal((await answer(await gate.post('/hooks/quiet', event()))).status, 200);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.outcome === 'rejected_summary')), gate.logs());
  const lines = gate.lines();
  assert.equal(lines.filter((l) => l.outcome === 'accepted' || l.outcome === 'rejected').length, 0, gate.logs());
  const summary = lines.find((l) => l.outcome === 'rejected_summary');
  assert.deepEqual(summary.suppressed, { quiet: { signature_mismatch: 6 }, '-': { unknown_source: 1 } });
});
