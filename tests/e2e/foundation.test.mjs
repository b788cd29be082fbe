// The first request path end to end: the demo-style source (`X-Signature: sha256=<hex>`)
// through real workerd to a real origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `e2e-secret-marker-${randomUUID()}`;
const ORIGIN_KEY = Buffer.from(`origin-key-marker-${randomUUID()}`);
let origin;
let gate;

const sign = (body, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

before(async () => {
  origin = await startOrigin();
  gate = await startHookgate({
    config: {
      sources: {
        demo: {
          scheme: { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id', required: false } },
          secrets: [{ label: 'demo-key', env: 'DEMO_SECRET' }],
          destination: { origin: origin.url('/events'), signing_secret: 'ORIGIN_SIGNING_SECRET', pass_headers: ['x-demo-trace'] },
        },
      },
    },
    secrets: { DEMO_SECRET: SECRET, ORIGIN_SIGNING_SECRET: `whsec_${ORIGIN_KEY.toString('base64')}` },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

test('a correctly signed event reaches the origin byte for byte and is answered 200', async () => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, note: 'héllo', n: 1.50 });
  const before = origin.received.length;
  const res = await answer(await gate.post('/hooks/demo', {
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-signature': sign(body), 'x-demo-trace': 't-1' },
    body,
  }));
  assert.deepEqual(res, { status: 200, json: { status: 'accepted' } });
  assert.equal(origin.received.length, before + 1);
  const got = origin.received.at(-1);
  assert.equal(got.body.toString('utf8'), body);
  assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(got.headers['x-hookgate-source'], 'demo');
  assert.equal(got.headers['x-hookgate-event-id'], JSON.parse(body).id);
  assert.equal(got.headers['x-hookgate-key'], 'demo-key');
  assert.equal(got.headers['x-demo-trace'], 't-1');
  assert.equal(got.headers['x-signature'], undefined, 'provider signature is not passed on unless asked');
  // hookgate's own Standard Webhooks signature over what the origin received.
  const mac = createHmac('sha256', ORIGIN_KEY)
    .update(`${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.`).update(got.body).digest('base64');
  assert.equal(got.headers['webhook-signature'], `v1,${mac}`);
});

test('a non-UTF-8 body is forwarded unchanged', async () => {
  const body = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x22, 0xc3]);
  const res = await gate.post('/hooks/demo', { headers: { 'x-signature': sign(body) }, body });
  assert.equal(res.status, 200);
  assert.deepEqual(origin.received.at(-1).body, body);
});

test('a wrong, missing or malformed signature is 401 with its reason and never forwarded', async () => {
  const body = JSON.stringify({ id: 'evt_forged' });
  const before = origin.received.length;
  const cases = [
    [{ 'x-signature': sign(body, 'wrong-secret') }, 'signature_mismatch'],
    [{}, 'signature_missing'],
    [{ 'x-signature': 'sha256=zz' }, 'signature_malformed'],
    [{ 'x-signature': sign(body).slice(0, -2) }, 'signature_malformed'],
    [{ 'x-signature': sign(`${body} `) }, 'signature_mismatch'],
  ];
  for (const [headers, code] of cases) {
    assert.deepEqual(await answer(await gate.post('/hooks/demo', { headers, body })), { status: 401, json: { error: code } }, code);
  }
  assert.equal(origin.received.length, before);
});

test('an unknown source is 404 and another method is 405', async () => {
  assert.deepEqual(await answer(await gate.post('/hooks/nope', { body: 'x' })), { status: 404, json: { error: 'unknown_source' } });
  const get = await fetch(gate.url('/hooks/demo'));
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.deepEqual(await get.json(), { error: 'method_not_allowed' });
  assert.equal((await fetch(gate.url('/'))).status, 404);
});

test('a second delivery of the same event is a duplicate and not forwarded', async () => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}` });
  const headers = { 'content-type': 'application/json', 'x-signature': sign(body) };
  const before = origin.received.length;
  assert.equal((await gate.post('/hooks/demo', { headers, body })).status, 200);
  assert.deepEqual(await answer(await gate.post('/hooks/demo', { headers, body })), { status: 200, json: { status: 'duplicate' } });
  assert.equal(origin.received.length, before + 1);
});

test('secrets never appear in responses or logs', async () => {
  const body = 'x';
  await gate.post('/hooks/demo', { headers: { 'x-signature': sign(body, 'wrong') }, body });
  assert.ok(await waitFor(() => /"outcome":"rejected"/.test(gate.logs())), 'the worker logs one JSON line per request');
  const logs = gate.logs();
  assert.ok(!logs.includes(SECRET), 'source secret in logs');
  assert.ok(!logs.includes(ORIGIN_KEY.toString('base64')), 'origin key in logs');
  // Every e2e hookgate is scanned like this when it stops: its log lines and every answer
  // it gave, against every configured secret. The scan can fail: a decoy "secret" equal to
  // text hookgate did answer is found.
  await gate.scanSecrets();
  await assert.rejects(gate.scanSecrets({ DECOY: '{"error":"signature_mismatch"}' }), /secret DECOY appears in an answer/);
  await assert.rejects(gate.scanSecrets({ DECOY: '"outcome":"rejected"' }), /secret DECOY appears in a hookgate log line/);
});
