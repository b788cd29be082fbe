// The pipeline: forwarding failures answer so the provider retries and leave the id
// unmarked; the retry then goes through exactly once; the Queue hand-off reaches the
// origin through the consumer, retrying a failed delivery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { startHookgate, startOrigin, answer, freePort, waitFor } from './harness.mjs';

const SECRET = `pipeline-secret-${randomUUID()}`;
const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const secrets = [{ label: 'k', env: 'SECRET' }];
const ADMIN_TOKEN = `admin-${randomUUID()}`;

// The origin's behaviour per event id: a list of statuses (or 'slow') consumed in order.
const plan = new Map();
let origin;
let gate;
let deadPort;

before(async () => {
  origin = await startOrigin(({ body }) => {
    let id;
    try { id = JSON.parse(body.toString()).id; } catch { return {}; }
    const steps = plan.get(id);
    const step = steps?.length ? steps.shift() : 200;
    if (step === 'slow') return { status: 200, delayMs: 3000 };
    if (step === 'lag') return { status: 200, delayMs: 500 };
    if (step === 'mid-body' || step === 'no-answer') return { drop: step };
    if (step === 'redirect') return { status: 307, headers: { location: origin.url('/elsewhere') } };
    return { status: step };
  });
  deadPort = await freePort();
  gate = await startHookgate({
    config: {
      sources: {
        direct: { scheme, secrets, destination: { origin: origin.url('/direct'), timeout_ms: 1000 } },
        accept4xx: { scheme, secrets, destination: { origin: origin.url('/accept4xx'), on_origin_4xx: 'accept' } },
        down: { scheme, secrets, destination: { origin: `http://127.0.0.1:${deadPort}/nobody` } },
        queued: { scheme, secrets, destination: { queue: 'HOOKGATE_QUEUE', origin: origin.url('/queued'), timeout_ms: 2000 } },
        tight: { scheme, secrets, destination: { queue: 'HOOKGATE_QUEUE', origin: origin.url('/tight'), pass_headers: ['x-trace'] } },
        large: { scheme, secrets, max_body_bytes: 2 * 1024 * 1024, destination: { queue: 'HOOKGATE_LARGE', r2: 'HOOKGATE_R2', origin: origin.url('/large') } },
      },
      queue: { dead_letter_queue: 'hookgate-e2e-dlq', retry_base_secs: 1, retry_max_secs: 2 },
    },
    secrets: { SECRET, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN },
    extra: { r2_buckets: [{ binding: 'HOOKGATE_R2', bucket_name: 'hookgate-e2e-bodies' }] },
    queues: {
      producers: [{ binding: 'HOOKGATE_QUEUE', queue: 'hookgate-e2e' }, { binding: 'HOOKGATE_LARGE', queue: 'hookgate-e2e-large' }],
      consumers: [
        { queue: 'hookgate-e2e', max_batch_size: 1, max_batch_timeout: 1, max_retries: 2, retry_delay: 1, dead_letter_queue: 'hookgate-e2e-dlq' },
        { queue: 'hookgate-e2e-dlq', max_batch_size: 1, max_batch_timeout: 1, max_retries: 3, retry_delay: 1 },
        { queue: 'hookgate-e2e-large', max_batch_size: 1, max_batch_timeout: 1, max_retries: 10, retry_delay: 1 },
      ],
    },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

const send = async (source, id, extra = {}) => {
  const body = JSON.stringify({ id, ...extra });
  return answer(await gate.post(`/hooks/${source}`, { headers: { 'content-type': 'application/json', 'x-signature': sign(body) }, body }));
};
const deliveries = (id) => origin.received.filter((r) => r.headers['x-hookgate-event-id'] === id);

test('origin 500 answers 502 and marks nothing; the provider retry is forwarded exactly once', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, [500]);
  assert.deepEqual(await send('direct', id), { status: 502, json: { error: 'origin_error' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'duplicate' } });
  assert.deepEqual(deliveries(id).map((d) => d.answered), [500, 200]);
});

test('an origin that crashes before answering is unreachable: 502, nothing remembered, the retry is forwarded once', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['no-answer']);
  assert.deepEqual(await send('direct', id), { status: 502, json: { error: 'origin_unreachable' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'duplicate' } });
  assert.deepEqual(deliveries(id).map((d) => d.answered), ['dropped no-answer', 200]);
});

test('an origin that sent 200 and then crashed mid-body had taken the event: accepted once, the retry is a duplicate', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['mid-body']);
  // The status is the origin's decision; hookgate does not wait for (or read) the body.
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'duplicate' } });
  assert.deepEqual(deliveries(id).map((d) => d.answered), ['dropped mid-body']);
});

test('copies that arrive while the first is being handed on get 409 with Retry-After, and only one is forwarded', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['lag']);
  const answers = await Promise.all(Array.from({ length: 20 }, () => send('direct', id)));
  const accepted = answers.filter((a) => a.status === 200);
  const inFlight = answers.filter((a) => a.status === 409);
  assert.equal(accepted.length, 1, JSON.stringify(answers));
  assert.deepEqual(accepted[0].json, { status: 'accepted' });
  assert.ok(inFlight.every((a) => a.json.error === 'in_flight'));
  assert.equal(accepted.length + inFlight.length + answers.filter((a) => a.json.status === 'duplicate').length, 20);
  assert.equal(deliveries(id).length, 1);
  const res = await gate.post('/hooks/direct', { headers: { 'x-signature': sign(JSON.stringify({ id })) }, body: JSON.stringify({ id }) });
  assert.deepEqual(await answer(res), { status: 200, json: { status: 'duplicate' } });
});

test('a copy in flight whose hand-off fails leaves the retry free to go through', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['slow']);
  const [first, second] = await Promise.all([send('direct', id), new Promise((r) => setTimeout(r, 200)).then(() => gate.post('/hooks/direct', {
    headers: { 'content-type': 'application/json', 'x-signature': sign(JSON.stringify({ id })) }, body: JSON.stringify({ id }),
  }))]);
  assert.equal(second.status, 409);
  assert.equal(second.headers.get('retry-after'), '2');
  assert.deepEqual(first, { status: 504, json: { error: 'origin_timeout' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
});

test('a slow origin answers 504 and the retry goes through', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['slow']);
  assert.deepEqual(await send('direct', id), { status: 504, json: { error: 'origin_timeout' } });
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
});

test('an origin 4xx is retried by default and accepted when configured', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, [422]);
  assert.deepEqual(await send('direct', id), { status: 502, json: { error: 'origin_error' } });
  const id2 = `evt_${randomUUID()}`;
  plan.set(id2, [422]);
  assert.deepEqual(await send('accept4xx', id2), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await send('accept4xx', id2), { status: 200, json: { status: 'duplicate' } });
});

test('an origin redirect is not followed: 502, nothing remembered, nothing sent elsewhere', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, ['redirect']);
  assert.deepEqual(await send('direct', id), { status: 502, json: { error: 'origin_error' } });
  assert.equal(origin.received.filter((r) => r.url === '/elsewhere').length, 0);
  assert.deepEqual(await send('direct', id), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(deliveries(id).map((d) => d.answered), [307, 200]);
});

test('an origin that is down answers 502 so the provider retries', async () => {
  assert.deepEqual(await send('down', `evt_${randomUUID()}`), { status: 502, json: { error: 'origin_unreachable' } });
});

test('a queued event is answered 202 and reaches the origin through the consumer, retried after a failure', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, [503]);
  const bytes = JSON.stringify({ id, text: 'ünïcode ✓' });
  const res = await answer(await gate.post('/hooks/queued', { headers: { 'content-type': 'application/json', 'x-signature': sign(bytes) }, body: bytes }));
  assert.deepEqual(res, { status: 202, json: { status: 'queued' } });
  assert.ok(await waitFor(() => deliveries(id).some((d) => d.answered === 200), { timeoutMs: 30_000 }), 'delivered after a retry');
  const ok = deliveries(id).filter((d) => d.answered === 200);
  assert.equal(ok.length, 1);
  assert.equal(ok[0].body.toString('utf8'), bytes);
  assert.equal(ok[0].headers['x-hookgate-source'], 'queued');
  // The provider's headers travel in the message (read back by the consumer).
  assert.equal(ok[0].headers['content-type'], 'application/json');
  assert.deepEqual(deliveries(id).map((d) => d.answered), [503, 200]);
  assert.deepEqual(await answer(await gate.post('/hooks/queued', { headers: { 'x-signature': sign(bytes) }, body: bytes })), { status: 200, json: { status: 'duplicate' } });
});

test('a queued event the origin keeps refusing ends in the dead-letter queue and is parked in KV, bytes intact', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, Array(10).fill(500));
  const bytes = JSON.stringify({ id, text: 'kept, not lost ✓' });
  const res = await answer(await gate.post('/hooks/queued', { headers: { 'content-type': 'application/json', 'x-signature': sign(bytes) }, body: bytes }));
  assert.deepEqual(res, { status: 202, json: { status: 'queued' } });
  const parked = () => gate.lines().find((l) => l.event_id === id && l.outcome === 'dead_lettered');
  assert.ok(await waitFor(parked, { timeoutMs: 45_000 }), `parked:\n${gate.lines().filter((l) => l.event_id === id).map(JSON.stringify).join('\n')}`);
  // max_retries = 2: the first try and two retries, all refused, each after a backoff delay.
  assert.deepEqual(deliveries(id).map((d) => d.answered), [500, 500, 500]);
  const retries = gate.lines().filter((l) => l.event_id === id && l.outcome === 'retrying');
  assert.equal(retries.length, 3);
  assert.ok(retries.every((l) => l.reason === 'origin_error' && l.retry_in_secs >= 1 && l.retry_in_secs <= 2), JSON.stringify(retries));
  assert.equal(parked().parked_at, `hookgate:dlq:queued:${id}`);
  const got = await gate.cli('kv', 'key', 'get', parked().parked_at, '--binding', 'HOOKGATE_KV', '--text');
  assert.equal(got.code, 0, got.out);
  const record = JSON.parse(got.out.slice(got.out.indexOf('{')));
  assert.equal(record.source, 'queued');
  assert.equal(record.event_id, id);
  assert.equal(Buffer.from(record.body_base64, 'base64').toString('utf8'), bytes);
  assert.deepEqual(record.headers, [['content-type', 'application/json']]);

  // The operator lists it and, once the origin is fixed, replays it with `npm run replay`.
  // Asynchronous: the origin answering the replay lives in this process.
  const replay = (...args) => new Promise((done) => execFile(process.execPath, [resolve(import.meta.dirname, '../../scripts/replay.mjs'), '--url', gate.base, ...args],
    { encoding: 'utf8', env: { ...process.env, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN } }, (error, stdout, stderr) => done({ status: error ? error.code : 0, stdout, stderr })));
  const admin = (method, path, token = ADMIN_TOKEN) => fetch(gate.url(`/hookgate/dead-letters${path}`), { method, headers: { authorization: `Bearer ${token}` } }).then(answer);
  assert.deepEqual(await admin('GET', '', 'wrong-token'), { status: 401, json: { error: 'unauthorized' } });
  const listed = await admin('GET', '?source=queued');
  assert.ok(listed.json.dead_letters.some((l) => l.event_id === id && l.source === 'queued'), JSON.stringify(listed));
  const stillFailing = await replay('--source', 'queued', '--id', id);
  assert.equal(stillFailing.status, 1, stillFailing.stdout + stillFailing.stderr);
  assert.match(stillFailing.stdout, /502 \{"error":"origin_error"\}/);
  plan.set(id, ['slow']);
  assert.deepEqual(await admin('POST', `/replay?source=queued&event_id=${id}`), { status: 504, json: { error: 'origin_timeout' } });
  plan.set(id, []);
  const fixed = await replay('--source', 'queued', '--id', id);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.deepEqual(JSON.parse(fixed.stdout.slice(fixed.stdout.indexOf(': 200 ') + 6)), { status: 'accepted', origin_status: 200, unparked: true });
  const home = deliveries(id).filter((d) => d.answered === 200);
  assert.equal(home.length, 1);
  assert.equal(home[0].body.toString('utf8'), bytes);
  assert.equal(home[0].headers['x-hookgate-source'], 'queued');
  assert.doesNotMatch((await replay()).stdout, new RegExp(id));
  assert.deepEqual(await admin('POST', `/replay?source=queued&event_id=${id}`), { status: 404, json: { error: 'not_parked' } });
});

test('a queued event whose passed headers push it over a queue message is refused 413, not retried forever', async () => {
  const id = `evt_${randomUUID()}`;
  const bytes = JSON.stringify({ id, pad: 'p'.repeat(118 * 1024) });
  const headers = { 'content-type': 'application/json', 'x-signature': sign(bytes), 'x-trace': 't'.repeat(12 * 1024) };
  assert.deepEqual(await answer(await gate.post('/hooks/tight', { headers, body: bytes })), { status: 413, json: { error: 'body_too_large' } });
  // Without the large header the same event fits and is queued.
  delete headers['x-trace'];
  assert.deepEqual(await answer(await gate.post('/hooks/tight', { headers, body: bytes })), { status: 202, json: { status: 'queued' } });
  assert.ok(await waitFor(() => deliveries(id).length === 1, { timeoutMs: 20_000 }));
});

test('a queued body too large for a message travels through R2, reaches the origin byte for byte, and is then replaced by an empty delivery mark', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, Array(6).fill(503));
  const bytes = Buffer.from(JSON.stringify({ id, blob: randomBytes(450 * 1024).toString('base64') }));
  assert.ok(bytes.length > 128 * 1024);
  const res = await answer(await gate.post('/hooks/large', { headers: { 'content-type': 'application/json', 'x-signature': sign(bytes) }, body: bytes }));
  assert.deepEqual(res, { status: 202, json: { status: 'queued' } });
  const line = (outcome) => gate.lines().find((l) => l.event_id === id && l.outcome === outcome && l.stage === 'consumer');
  assert.ok(await waitFor(() => line('retrying'), { timeoutMs: 30_000 }));
  const object = `hookgate-e2e-bodies/${line('retrying').body_r2}`;
  assert.match(object, new RegExp(`^hookgate-e2e-bodies/hookgate/bodies/large/${id}/\\d+-[0-9a-f]{8}$`));
  // While deliveries fail, the body waits in R2 (the same CLI call that must fail later).
  const kept = await gate.cli('r2', 'object', 'get', object, '--pipe');
  assert.equal(kept.code, 0, kept.out.slice(0, 300));
  assert.ok(kept.out.includes(bytes.toString()), 'R2 holds the exact body');
  assert.ok(await waitFor(() => line('accepted'), { timeoutMs: 30_000 }), 'delivered after the retries');
  assert.deepEqual(deliveries(id).map((d) => d.answered), [...Array(6).fill(503), 200]);
  assert.ok(deliveries(id).every((d) => d.body.equals(bytes)), 'exact bytes on every attempt');
  assert.equal(line('accepted').body_r2, line('retrying').body_r2);
  const mark = await gate.cli('r2', 'object', 'get', object, '--pipe');
  assert.equal(mark.code, 0, mark.out.slice(0, 300));
  assert.ok(!mark.out.includes(bytes.toString().slice(0, 64)), 'the body is gone from R2 after delivery');
});

test('a queued body whose R2 object vanished before delivery is parked loudly as body_missing, never acked as delivered', async () => {
  const id = `evt_${randomUUID()}`;
  plan.set(id, Array(50).fill(503));
  const bytes = Buffer.from(JSON.stringify({ id, blob: randomBytes(200 * 1024).toString('base64') }));
  const res = await answer(await gate.post('/hooks/large', { headers: { 'content-type': 'application/json', 'x-signature': sign(bytes) }, body: bytes }));
  assert.deepEqual(res, { status: 202, json: { status: 'queued' } });
  const line = (pred) => gate.lines().find((l) => l.event_id === id && pred(l));
  assert.ok(await waitFor(() => line((l) => l.outcome === 'retrying'), { timeoutMs: 30_000 }));
  // A lifecycle rule, or a person, deletes the object while the event waits for its origin.
  const object = `hookgate-e2e-bodies/${line((l) => l.outcome === 'retrying').body_r2}`;
  const removed = await gate.cli('r2', 'object', 'delete', object);
  assert.equal(removed.code, 0, removed.out);
  plan.set(id, []);
  assert.ok(await waitFor(() => line((l) => l.reason === 'body_missing'), { timeoutMs: 30_000 }), 'parked as body_missing');
  const parked = line((l) => l.reason === 'body_missing');
  assert.equal(parked.outcome, 'dead_lettered');
  assert.equal(parked.parked_at, `hookgate:dlq:large:${id}`);
  assert.ok(!gate.lines().some((l) => l.event_id === id && l.stage === 'consumer' && (l.outcome === 'accepted' || l.outcome === 'duplicate')), 'never counted as delivered');
  assert.equal(deliveries(id).filter((d) => d.answered === 200).length, 0);
  const got = await gate.cli('kv', 'key', 'get', parked.parked_at, '--binding', 'HOOKGATE_KV', '--text');
  assert.equal(got.code, 0, got.out);
  assert.equal(JSON.parse(got.out.slice(got.out.indexOf('{'))).body_r2, line((l) => l.outcome === 'retrying').body_r2);
});
