// The operator's page at /hookgate/, in headless Chromium (Debian's, driven by
// playwright-core) against wrangler dev: it holds no data until given the admin token, then
// shows the sources, this isolate's outcomes and the parked dead letters, and its Replay
// buttons deliver parked events to the (now fixed) origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const SECRET = `page-secret-${randomUUID()}`;
const ADMIN_TOKEN = `admin-${randomUUID()}`;
const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const secrets = [{ label: 'primary', env: 'SECRET' }];
const PAGE_DIR = resolve(import.meta.dirname, '../../src/adapter/page');
const CHROMIUM = process.env.HOOKGATE_CHROMIUM ?? '/usr/bin/chromium';

let origin;
let gate;
let browser;
let originDown = true;

before(async () => {
  origin = await startOrigin(({ url }) => ({ status: url.startsWith('/queued') && originDown ? 500 : 200 }));
  gate = await startHookgate({
    config: {
      sources: {
        direct: { scheme, secrets, destination: { origin: origin.url('/direct?token=origin-query-secret') } },
        queued: { scheme, secrets, destination: { queue: 'HOOKGATE_QUEUE', origin: origin.url('/queued') } },
        unset: { scheme, secrets: [{ label: 'k', env: 'NOT_SET_ANYWHERE' }], destination: { origin: origin.url('/unset') } },
        kept: { scheme, secrets, destination: { origin: origin.url('/kept') }, archive: { r2: 'HOOKGATE_ARCHIVE', retention_days: 45 } },
      },
      queue: { dead_letter_queue: 'hookgate-page-dlq', retry_base_secs: 1, retry_max_secs: 1 },
    },
    secrets: { SECRET, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN },
    extra: { r2_buckets: [{ binding: 'HOOKGATE_ARCHIVE', bucket_name: 'hookgate-page-archive' }] },
    queues: {
      producers: [{ binding: 'HOOKGATE_QUEUE', queue: 'hookgate-page' }],
      consumers: [
        { queue: 'hookgate-page', max_batch_size: 1, max_batch_timeout: 1, max_retries: 1, retry_delay: 1, dead_letter_queue: 'hookgate-page-dlq' },
        { queue: 'hookgate-page-dlq', max_batch_size: 1, max_batch_timeout: 1, max_retries: 3, retry_delay: 1 },
      ],
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await gate?.stop();
  await origin?.close();
});

const post = (source, body, signature = sign(body)) =>
  gate.post(`/hooks/${source}`, { headers: { 'content-type': 'application/json', 'x-signature': signature }, body }).then(answer);

test('the page shows sources, outcomes and dead letters only with the token, and replays parked events', async () => {
  // Traffic for the outcome counts, and three events the failing origin leaves parked.
  assert.equal((await post('direct', JSON.stringify({ id: `evt_${randomUUID()}` }))).status, 200);
  assert.equal((await post('direct', JSON.stringify({ id: `evt_${randomUUID()}` }), `sha256=${'0'.repeat(64)}`)).status, 401);
  const kept = [1, 2].map(() => `evt_${randomUUID()}`);
  for (const id of kept) assert.equal((await post('kept', JSON.stringify({ id }))).status, 200);
  const parked = [1, 2, 3].map(() => `evt_${randomUUID()}`);
  for (const id of parked) assert.equal((await post('queued', JSON.stringify({ id, n: 1 }))).status, 202);
  const isParked = (id) => gate.lines().some((l) => l.event_id === id && l.outcome === 'dead_lettered');
  assert.ok(await waitFor(() => parked.every(isParked), { timeoutMs: 60_000 }), gate.lines().filter((l) => parked.includes(l.event_id)).map(JSON.stringify).join('\n'));

  // The files are locked down and carry no data.
  const html = await fetch(gate.url('/hookgate/'));
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-security-policy'), /default-src 'none'; script-src 'self'/);
  assert.equal(html.headers.get('x-frame-options'), 'DENY');
  const text = await html.text();
  for (const name of ['direct', 'queued', ...parked]) assert.ok(!text.includes(name), `${name} in the page itself`);
  // Served from the static assets (wrangler.toml's [assets]), byte for byte, each as its type.
  assert.equal(text, readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'));
  for (const [file, type] of [['page.js', 'text/javascript'], ['page.css', 'text/css']]) {
    const res = await fetch(gate.url(`/hookgate/${file}`));
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('content-type'), new RegExp(`^${type}`));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(await res.text(), readFileSync(join(PAGE_DIR, file), 'utf8'));
  }
  assert.deepEqual(await answer(await fetch(gate.url('/hookgate/sources'))), { status: 401, json: { error: 'unauthorized' } });

  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(gate.url('/hookgate/'));
  assert.ok(await page.isVisible('#login'));
  assert.ok(await page.isHidden('#main'));

  await page.fill('#token', 'not-the-token-not-the-token-not-the-token');
  await page.click('#login button');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('not the Worker'));
  // The page's calls go out together and the first refusal shows; the others may still be
  // under way, and their console errors must land before the list is cleared.
  await page.waitForLoadState('networkidle');
  assert.ok(await page.isHidden('#main'));
  // Chromium reports each refused call (401) as a console error; only those, and no more.
  assert.ok(problems.length > 0 && problems.every((p) => /status of 401/.test(p)), JSON.stringify(problems));
  problems.length = 0;

  await page.fill('#token', ADMIN_TOKEN);
  await page.click('#login button');
  await page.waitForSelector('#main:not([hidden])');
  const rows = async (table) => page.$$eval(`#${table} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

  const sources = await rows('sources');
  const bySource = Object.fromEntries(sources.map((r) => [r[0], r]));
  assert.equal(bySource.direct[1], 'hmac');
  assert.equal(bySource.direct[2], 'ok');
  assert.equal(bySource.direct[3], 'primary');
  assert.equal(bySource.direct[4], `→ ${origin.url('/direct')}?…`);
  assert.equal(bySource.queued[4], `queue HOOKGATE_QUEUE → ${origin.url('/queued')}`);
  assert.equal(bySource.unset[2], 'config_invalid');
  assert.match(bySource.unset[3], /sources\.unset\.secrets/);
  assert.ok(!JSON.stringify(sources).includes('origin-query-secret'));

  const outcomes = await rows('outcomes');
  const count = (source, stage, outcome, reason) => Number(outcomes.find((r) => r[0] === source && r[1] === stage && r[2] === outcome && r[3] === reason)?.[4] ?? 0);
  assert.equal(count('direct', 'edge', 'accepted', ''), 1, JSON.stringify(outcomes));
  assert.equal(count('direct', 'edge', 'rejected', 'signature_mismatch'), 1, JSON.stringify(outcomes));
  assert.equal(count('queued', 'edge', 'accepted', ''), 3, JSON.stringify(outcomes));
  // max_retries = 1: each event's first delivery and its retry failed.
  assert.equal(count('queued', 'consumer', 'retrying', 'origin_error'), 6, JSON.stringify(outcomes));
  assert.equal(count('queued', 'dead_letter', 'dead_lettered', ''), 3, JSON.stringify(outcomes));

  const letters = await rows('dead-letters');
  assert.deepEqual(letters.map((r) => r[1]).sort(), [...parked].sort());

  // The origin is fixed: one by its own button, then the rest with "Replay all".
  originDown = false;
  const deliveries = (id) => origin.accepted().filter((r) => r.headers['x-hookgate-event-id'] === id);
  await page.click(`#dead-letters tr[data-event-id="${parked[0]}"] button`);
  await page.waitForFunction((id) => !document.querySelector(`#dead-letters tr[data-event-id="${id}"]`), parked[0]);
  assert.match(await page.textContent('#status'), new RegExp(`Replayed ${parked[0]} \\(queued\\): the origin answered 200`));
  assert.equal(deliveries(parked[0]).length, 1);

  await page.click('#replay-all');
  await page.waitForFunction(() => document.querySelectorAll('#dead-letters tbody tr').length === 0);
  assert.match(await page.textContent('#status'), /Replayed 2 of 2; 0 still parked/);
  for (const id of parked) assert.equal(deliveries(id).length, 1, id);
  assert.equal(JSON.parse(deliveries(parked[1])[0].body.toString()).id, parked[1]);

  // The archive: the source that keeps one, its events of the last day, and a replay of one
  // to the current origin, past dedupe.
  assert.deepEqual(await page.$$eval('#archive-source option', (os) => os.map((o) => o.value)), ['kept']);
  await page.click('#archive-form button');
  await page.waitForFunction(() => document.querySelectorAll('#archive tbody tr').length === 2);
  const archived = await rows('archive');
  assert.deepEqual(archived.map((r) => r[1]).sort(), [...kept].sort());
  assert.ok(archived.every((r) => r[2] === 'primary' && !Number.isNaN(Date.parse(r[0]))), JSON.stringify(archived));
  const keptDeliveries = (id) => origin.accepted().filter((r) => r.url.startsWith('/kept') && r.headers['x-hookgate-event-id'] === id);
  assert.equal(keptDeliveries(kept[0]).length, 1);
  await page.click(`#archive tr[data-event-id="${kept[0]}"] button`);
  await page.waitForFunction((id) => document.getElementById('status').textContent.includes(`Replayed archived ${id}`), kept[0]);
  assert.equal(keptDeliveries(kept[0]).length, 2, 'delivered again, past dedupe');
  assert.equal(JSON.parse(keptDeliveries(kept[0])[1].body.toString()).id, kept[0]);

  // Refreshing shows nothing parked any more; forgetting the token hides everything.
  await page.click('#refresh');
  await page.waitForFunction(() => document.getElementById('replay-all').disabled);
  assert.equal((await rows('dead-letters')).length, 0);
  // Logging out hides everything, even with a refresh still under way when it happens (its
  // answers held back here until after the logout).
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/hookgate/sources', async (route) => { await held; await route.continue(); });
  await page.click('#refresh');
  await page.click('#logout');
  const answered = page.waitForResponse('**/hookgate/sources');
  release();
  await answered;
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200))); // the page's handlers run
  await page.unroute('**/hookgate/sources');
  assert.ok(await page.isHidden('#main'));
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without the ASSETS binding the page answers 503 config_invalid and says what to add', async () => {
  const bare = await startHookgate({ config: { sources: { direct: { scheme, secrets, destination: { origin: origin.url('/direct') } } } }, secrets: { SECRET, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN }, extra: { assets: undefined } });
  try {
    for (const path of ['/hookgate/', '/hookgate/page.js']) {
      assert.deepEqual(await answer(await fetch(bare.url(path))), { status: 503, json: { error: 'config_invalid' } }, path);
    }
    const saying = () => bare.lines().find((l) => l.stage === 'admin' && l.reason === 'config_invalid');
    assert.ok(await waitFor(() => saying() !== undefined), bare.lines().map(JSON.stringify).join('\n'));
    assert.match(saying().detail, /no ASSETS binding.*\[assets\]/);
    // Webhooks go on as before.
    assert.equal((await bare.post('/hooks/direct', { headers: { 'content-type': 'application/json', 'x-signature': sign('{"id":"e1"}') }, body: '{"id":"e1"}' }).then(answer)).status, 200);
  } finally {
    await bare.stop();
  }
});
