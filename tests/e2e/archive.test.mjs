// The archive and `npm run replay -- --source S --from T1 --to T2`: every event a source
// hands on is kept in (local) R2 with its exact bytes; the script re-delivers a time range
// to the current origin with the original X-Hookgate-Event-Id and a fresh hookgate
// signature, bypassing dedupe, shows progress and resumes after an interruption.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const SECRET = `archive-secret-${randomUUID()}`;
const ORIGIN_KEY = `whsec_${randomBytes(24).toString('base64')}`;
const ADMIN_TOKEN = `admin-${randomUUID()}-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), 'hookgate-archive-'));
const failing = new Set();
let origin;
let gate;

before(async () => {
  origin = await startOrigin((entry) => {
    const id = entry.headers['x-hookgate-event-id'];
    if (failing.has(id)) { failing.delete(id); return { status: 500 }; }
    return {};
  });
  const scheme = { type: 'hmac', signature_header: 'x-sig', event_id: { pointer: '/id' } };
  gate = await startHookgate({
    config: {
      sources: {
        kept: {
          scheme, secrets: [{ label: 'k1', env: 'SECRET' }],
          destination: { origin: origin.url('/kept'), signing_secret: 'ORIGIN_KEY', pass_headers: ['x-extra'] },
          archive: { r2: 'ARCHIVE', retention_days: 45 },
        },
        plain: { scheme, secrets: [{ label: 'k1', env: 'SECRET' }], destination: { origin: origin.url('/plain') } },
      },
    },
    secrets: { SECRET, ORIGIN_KEY, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN },
    extra: { r2_buckets: [{ binding: 'ARCHIVE', bucket_name: 'e2e-archive' }] },
  });
});
after(async () => { await gate?.stop(); await origin?.close(); rmSync(dir, { recursive: true, force: true }); });

const replay = (...args) => new Promise((done) => execFile(process.execPath, [resolve(import.meta.dirname, '../../scripts/replay.mjs'), '--url', gate.base, ...args],
  { encoding: 'utf8', cwd: dir, env: { ...process.env, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN } }, (error, stdout, stderr) => done({ status: error ? error.code : 0, stdout, stderr })));

test('a range of archived events is replayed to the origin, resumed after an interruption, bypassing dedupe', async () => {
  const from = Date.now();
  const sent = [];
  for (let i = 0; i < 5; i++) {
    const body = `{"id":"evt_${i}_${randomUUID()}","n":${i},"text":"caf\u00e9 \u2014 ${i}"}`;
    const headers = { 'content-type': 'application/json', 'x-extra': `extra-${i}`, 'x-sig': createHmac('sha256', SECRET).update(body).digest('hex') };
    assert.deepEqual(await answer(await gate.post('/hooks/kept', { body, headers })), { status: 200, json: { status: 'accepted' } });
    sent.push({ id: JSON.parse(body).id, body });
    await new Promise((r) => setTimeout(r, 5));
  }
  const to = Date.now();
  // Dedupe remembers them: the provider's copy is a duplicate.
  const copy = sent[0];
  const h = { 'content-type': 'application/json', 'x-sig': createHmac('sha256', SECRET).update(copy.body).digest('hex') };
  assert.equal((await answer(await gate.post('/hooks/kept', { body: copy.body, headers: h }))).json.status, 'duplicate');
  const originals = origin.received.filter((r) => r.url === '/kept').length;
  assert.equal(originals, 5);

  const range = ['--source', 'kept', '--from', new Date(from - 1).toISOString(), '--to', String(to)];
  const dry = await replay(...range, '--dry-run');
  assert.equal(dry.status, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /5 archived from .* 5 to deliver/);
  assert.equal((dry.stdout.match(/would deliver/g) ?? []).length, 5);
  assert.equal(origin.received.filter((r) => r.url === '/kept').length, 5, 'a dry run delivers nothing');

  // The origin fails the third: the run stops there, and says how to resume.
  failing.add(sent[2].id);
  const first = await replay(...range);
  assert.equal(first.status, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /\[1\/5\] evt_0_.*: 200/);
  assert.match(first.stderr, /run the same command again to resume/);
  const resumed = await replay(...range);
  assert.equal(resumed.status, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /resuming: 2 already delivered/);
  assert.match(resumed.stdout, /3 to deliver/);
  assert.match(resumed.stdout, /done: 3 delivered/);
  const again = await replay(...range);
  assert.match(again.stdout, /0 to deliver/, 'a finished run has nothing left');

  const replayed = origin.received.filter((r) => r.url === '/kept').slice(originals).filter((r) => r.answered === 200);
  assert.deepEqual(replayed.map((r) => r.headers['x-hookgate-event-id']), sent.map((s) => s.id), 'each once, oldest first');
  const wh = new Webhook(ORIGIN_KEY);
  for (const [i, r] of replayed.entries()) {
    assert.equal(r.body.toString('utf8'), sent[i].body, 'the exact bytes');
    assert.equal(r.headers['x-extra'], `extra-${i}`, 'the passed headers');
    assert.equal(r.headers['x-hookgate-key'], 'k1');
    wh.verify(r.body.toString('utf8'), r.headers); // a fresh, valid hookgate signature
    assert.ok(Number(r.headers['webhook-timestamp']) * 1000 >= to - 1000);
  }
  const state = JSON.parse(readFileSync(join(dir, `.hookgate-replay-kept-${from - 1}-${to}.json`), 'utf8'));
  assert.equal(state.done.length, 5);
});

test('--id replays one event; a source without an archive and bad ranges are refused', async () => {
  const body = `{"id":"evt_one_${randomUUID()}"}`;
  const headers = { 'content-type': 'application/json', 'x-sig': createHmac('sha256', SECRET).update(body).digest('hex') };
  const t = Date.now();
  assert.equal((await answer(await gate.post('/hooks/kept', { body, headers }))).status, 200);
  const before = origin.received.length;
  const one = await replay('--source', 'kept', '--from', String(t - 60_000), '--to', String(Date.now()), '--id', JSON.parse(body).id, '--state', join(dir, 'one.json'));
  assert.equal(one.status, 0, one.stdout + one.stderr);
  assert.match(one.stdout, /1 to deliver/);
  assert.equal(origin.received.length, before + 1);
  const admin = (path) => fetch(gate.url(`/hookgate/archive${path}`), { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(answer);
  assert.deepEqual(await admin(`?source=plain&from=0&to=${Date.now()}`), { status: 404, json: { error: 'no_archive' } });
  assert.deepEqual(await admin('?source=kept&from=5&to=1'), { status: 400, json: { error: 'source_and_range_required' } });
  const foreign = await fetch(gate.url('/hookgate/archive/replay?source=kept&key=hookgate/bodies/kept/x/y'), { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(answer);
  assert.deepEqual(foreign, { status: 400, json: { error: 'source_and_range_required' } });
  await gate.scanSecrets();
});
