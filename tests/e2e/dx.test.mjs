// Developer experience, end to end under wrangler dev: `npm run send` (scripts/send.mjs)
// against every preset that has a sample signer (good, duplicate, skewed, wrong secret),
// its command line on the demo source, the local origin's check of hookgate's signature,
// shadow mode forwarding a forged event with its verdict, and GET /healthz public vs admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHookgate, startOrigin, answer, freePort, waitFor } from './harness.mjs';
import { sendEvent, REASONS } from '../../scripts/send.mjs';
import { UNSIGNABLE, signerFiles } from '../../scripts/signers.mjs';
import { readdirSync } from 'node:fs';
import { checkHookgateSignature } from '../../scripts/origin.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const VECTORS = join(ROOT, 'scripts/vectors');
const ORIGIN_KEY = 'whsec_ZTJlLW9yaWdpbi1zaWduaW5nLWtleS1mb3ItZHgtdGVzdHM=';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef-0123456789';
/** The demo source of wrangler.toml, as configured there. */
const DEMO = { scheme: { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id', required: false } } };

let origin;
let gate;
let cliOrigin; // `npm run origin` as a process: { child, port, out() }
let hookgate;
const secrets = { ORIGIN_SIGNING_SECRET: ORIGIN_KEY, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN, DEMO_SECRET: 'dx-demo-secret-for-e2e' };
const presets = {}; // type -> { mod, credentials, tolerance }

before(async () => {
  origin = await startOrigin();
  const files = await signerFiles();
  const sources = {};
  const nowSecs = Math.floor(Date.now() / 1000);
  for (const [type, file] of Object.entries(files)) {
    const mod = await import(join(VECTORS, `${file}.mjs`));
    const cases = mod.cases({ nowSecs, url: 'http://x/' });
    const env = `DX_${type.toUpperCase()}`;
    sources[type] = {
      ...mod.source,
      secrets: [{ label: 'current', env }],
      destination: { origin: origin.url(`/${type}`), signing_secret: 'ORIGIN_SIGNING_SECRET' },
    };
    secrets[env] = cases[0].secrets[0].value;
    if (cases[0].verify_token) secrets[mod.source.verify_token] = cases[0].verify_token;
    presets[type] = { mod, credentials: cases.some((c) => c.method !== 'GET' && c.expect === 'credentials_mismatch'), tolerance: mod.source.tolerance_secs };
  }
  sources.demo = { ...DEMO, secrets: [{ label: 'demo', env: 'DEMO_SECRET' }], destination: { origin: origin.url('/demo'), signing_secret: 'ORIGIN_SIGNING_SECRET' } };
  sources.shadowed = {
    scheme: { type: 'github' },
    mode: 'shadow',
    max_body_bytes: 4096,
    secrets: [{ label: 'current', env: 'DX_GITHUB' }],
    destination: { origin: origin.url('/shadowed'), signing_secret: 'ORIGIN_SIGNING_SECRET' },
  };
  // Every rejection logged in full: the shadow test reads its lines after many refusals.
  // `npm run origin` itself, for one source.
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'scripts/origin.mjs')], { cwd: ROOT, env: { ...process.env, ORIGIN_PORT: String(port), ORIGIN_SIGNING_SECRET: ORIGIN_KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  cliOrigin = { child, port, out: () => out };
  sources.printed = { ...DEMO, secrets: [{ label: 'demo', env: 'DEMO_SECRET' }], destination: { origin: `http://127.0.0.1:${port}/events`, signing_secret: 'ORIGIN_SIGNING_SECRET' } };
  hookgate = { sources, log: { rejections: 'all' } };
  // Acrobat Sign requires its client id (the shared token) echoed back: allowed in answers only.
  gate = await startHookgate({ config: hookgate, secrets, echoed: ['DX_ADOBE_SIGN'] });
});

after(async () => {
  cliOrigin?.child.kill('SIGTERM');
  await gate?.stop();
  await origin?.close();
});

const secret = (name) => secrets[name];
const send = (source, opts = {}) => sendEvent({ hookgate, source, secret, base: gate.base, ...opts });

test('every preset with a sample: good, duplicate, skewed and wrong-secret sends get the documented answers', async () => {
  const skipped = [];
  for (const type of [...Object.keys(presets), 'demo'].sort()) {
    const p = presets[type] ?? { credentials: false };
    const before = origin.received.length;
    const good = await send(type);
    assert.deepEqual([good.status, good.json], [200, { status: 'accepted' }], `${type}: good: ${good.text}`);
    assert.equal(origin.received.length, before + 1, `${type}: forwarded once`);
    const got = origin.received.at(-1);
    assert.equal(got.headers['x-hookgate-source'], type, type);
    assert.equal(got.body.toString('utf8'), good.request.body, `${type}: body byte for byte`);
    assert.equal(checkHookgateSignature(got.headers, got.body, ORIGIN_KEY), 'valid', `${type}: hookgate's signature`);
    assert.equal(got.headers['x-hookgate-verdict'], undefined, `${type}: no verdict outside shadow mode`);

    // The provider's retry: the same id and body, signed again.
    const dup = await send(type, { id: good.eventId, body: good.request.body });
    assert.deepEqual([dup.status, dup.json], [200, { status: 'duplicate' }], `${type}: duplicate: ${dup.text}`);
    assert.equal(dup.says, 'already handed on within the dedupe window: not forwarded again (send without --id for a new event)');
    assert.equal(origin.received.length, before + 1, `${type}: a duplicate is not forwarded`);

    if (good.timestamped) {
      const skew = -((p.tolerance ?? 300) + 600);
      const old = await send(type, { skewSecs: skew });
      assert.deepEqual([old.status, old.json], [401, { error: 'timestamp_too_old' }], `${type}: skewed ${skew}s: ${old.text}`);
      assert.equal(old.fix, REASONS.timestamp_too_old.fix, type);
    } else {
      // No signed timestamp (GitHub, Shopify, the shared-token presets...): nothing to refuse
      // as skewed; dedupe is what stops their replays.
      skipped.push(type);
    }

    const wrong = await send(type, { wrong: true });
    const code = p.credentials ? 'credentials_mismatch' : 'signature_mismatch';
    assert.deepEqual([wrong.status, wrong.json], [401, { error: code }], `${type}: wrong secret: ${wrong.text}`);
    assert.equal(wrong.says, REASONS[code].says, type);
    assert.equal(origin.received.length, before + 1, `${type}: refused sends are never forwarded`);

    // The sample carries the id where the preset reads it: a fresh id is a new event.
    const id = got.headers['x-hookgate-event-id'];
    assert.ok(id.includes(good.eventId) || /^(body|signed)-sha256:/.test(id), `${type}: the event id ${id} is the sample's ${good.eventId}, or a digest`);
    const next = await send(type);
    assert.deepEqual([next.status, next.json], [200, { status: 'accepted' }], `${type}: a second sample is a new event: ${next.text}`);
    assert.equal(origin.received.length, before + 2, type);
  }
  // Every preset the vectors cover has a sample, but the public-key ones (Discord, SendGrid,
  // Amazon SNS): hookgate holds only their public keys.
  const all = new Set();
  for (const f of readdirSync(VECTORS).filter((n) => n.endsWith('.mjs') && !['lib.mjs', 'generate.mjs'].includes(n))) all.add((await import(join(VECTORS, f))).source.scheme.type);
  assert.deepEqual([...all].filter((t) => !presets[t]).sort(), Object.keys(UNSIGNABLE).sort());
  assert.ok(Object.keys(presets).length >= 70, `${Object.keys(presets).length} presets with a sample`);
  assert.ok(skipped.includes('github') && !skipped.includes('stripe'), `skew skipped for presets without a signed timestamp: ${skipped.join(' ')}`);
});

test('handshakes: --handshake sends the URL check of presets that have one, answered at the edge', async () => {
  const withHandshake = Object.keys(presets).filter((t) => presets[t].mod.signer.handshake).sort();
  // Every preset whose provider checks the URL, but Discord (no sample: see UNSIGNABLE).
  assert.deepEqual(withHandshake, ['adobe_sign', 'dropbox', 'facebook', 'facebook_messenger', 'instagram', 'mailchimp', 'okta', 'slack', 'twitter', 'whatsapp', 'worldline', 'x', 'xero', 'zoom']);
  for (const type of withHandshake) {
    const before = origin.received.length;
    const r = await send(type, { handshake: true });
    assert.equal(r.status, 200, `${type}: ${r.text}`);
    assert.equal(origin.received.length, before, `${type}: never forwarded`);
  }
  const wrong = await send('facebook', { handshake: true, wrong: true });
  assert.deepEqual([wrong.status, wrong.json], [401, { error: 'credentials_mismatch' }]);
});

/** Runs the real command line (`npm run send` runs exactly this) in `dir`. */
async function cli(dir, ...args) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/send.mjs'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const [code] = await once(child, 'exit');
  return { code, out };
}

test('the command line reads the wrangler file and .dev.vars, and says what each answer means', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-dx-'));
  try {
    // An environment whose demo source names another binding, set in .dev.vars.staging only.
    const staged = { ...hookgate.sources.demo, secrets: [{ label: 'demo', env: 'STAGING_DEMO_SECRET' }] };
    writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({ name: 'dx', main: 'x.mjs', compatibility_date: '2026-11-01', vars: { HOOKGATE: { sources: { demo: hookgate.sources.demo } } }, env: { staging: { vars: { HOOKGATE: { sources: { demo: staged } } } } } }));
    writeFileSync(join(dir, '.dev.vars'), `DEMO_SECRET=${secrets.DEMO_SECRET}\n`);
    writeFileSync(join(dir, '.dev.vars.staging'), `STAGING_DEMO_SECRET=${secrets.DEMO_SECRET}\n`);
    const args = ['--config', join(dir, 'wrangler.json'), '--url', gate.base];
    const id = `evt_cli_${Date.now()}`;
    const first = await cli(dir, 'demo', '--id', id, ...args);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /^200 \{"status":"accepted"\}$/m);
    assert.match(first.out, /accepted: handed on/);
    const again = await cli(dir, 'demo', '--id', id, ...args);
    assert.match(again.out, /^200 \{"status":"duplicate"\}$/m, again.out);
    const wrong = await cli(dir, 'demo', '--wrong-secret', ...args);
    assert.equal(wrong.code, 1, wrong.out);
    assert.match(wrong.out, /^401 \{"error":"signature_mismatch"\}$/m);
    assert.ok(wrong.out.includes(`what to do: ${REASONS.signature_mismatch.fix}`), wrong.out);
    const skew = await cli(dir, 'demo', '--skew=-900', ...args);
    assert.match(skew.out, /signs no timestamp: --skew cannot be refused/, skew.out);
    const env = await cli(dir, 'demo', '--env', 'staging', ...args);
    assert.match(env.out, /^200 \{"status":"accepted"\}$/m, env.out);
    const noEnv = await cli(dir, 'demo', '--env', 'prod', ...args);
    assert.equal(noEnv.code, 2);
    assert.match(noEnv.out, /no environment "prod"|No environment found in configuration with name "prod"/);
    const unknown = await cli(dir, 'nope', ...args);
    assert.equal(unknown.code, 2);
    assert.match(unknown.out, /no source "nope" \(configured: demo\)/);
    // The secret never appears in what the script prints.
    for (const r of [first, again, wrong, skew]) assert.ok(!r.out.includes(secrets.DEMO_SECRET));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shadow mode forwards a forged event with its verdict, never remembers it, and still dedupes accepted ones', async () => {
  const before = origin.received.length;
  // Forged: the wrong secret, and a verdict header of its own that must not pass.
  const body = JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: 'forged-1' } });
  const forged = await send('shadowed', { wrong: true, body, id: 'forged-delivery' });
  assert.deepEqual([forged.status, forged.json], [200, { status: 'accepted' }], forged.text);
  assert.equal(origin.received.length, before + 1, 'forwarded');
  const got = origin.received.at(-1);
  assert.equal(got.headers['x-hookgate-verdict'], 'rejected; reason=signature_mismatch');
  assert.match(got.headers['x-hookgate-event-id'], /^body-sha256:[0-9a-f]{64}$/, 'an unproven id is not passed as the event id');
  assert.equal(got.headers['x-hookgate-key'], undefined);
  assert.equal(checkHookgateSignature(got.headers, got.body, ORIGIN_KEY), 'valid');
  const withHeader = await gate.post('/hooks/shadowed', { headers: { ...forged.request.headers, 'x-hookgate-verdict': 'accepted' }, body });
  assert.equal(withHeader.status, 200);
  assert.equal(origin.received.at(-1).headers['x-hookgate-verdict'], 'rejected; reason=signature_mismatch', 'a sender cannot set the verdict');
  assert.equal(origin.received.length, before + 2, 'a refused event is never remembered: the copy is forwarded too');

  // Genuine: the same id as the forgery did not block it; tagged accepted; its copy is a duplicate.
  const good = await send('shadowed', { id: 'forged-delivery', body });
  assert.deepEqual([good.status, good.json], [200, { status: 'accepted' }], good.text);
  assert.equal(origin.received.at(-1).headers['x-hookgate-verdict'], 'accepted');
  assert.equal(origin.received.at(-1).headers['x-hookgate-event-id'], 'forged-delivery');
  const dup = await send('shadowed', { id: 'forged-delivery', body });
  assert.deepEqual([dup.status, dup.json], [200, { status: 'duplicate' }]);
  assert.equal(origin.received.length, before + 3);

  // What cannot be forwarded is still refused: a body over max_body_bytes.
  const big = await send('shadowed', { body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
  assert.deepEqual([big.status, big.json], [413, { error: 'body_too_large' }]);
  // Missing signature: forwarded with its reason.
  const bare = await gate.post('/hooks/shadowed', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  assert.equal(bare.status, 200);
  assert.equal(origin.received.at(-1).headers['x-hookgate-verdict'], 'rejected; reason=signature_missing');
  assert.equal(origin.received.length, before + 4);

  const lines = gate.lines().filter((l) => l.source === 'shadowed' && l.outcome === 'shadow_rejected');
  assert.ok(lines.some((l) => l.reason === 'signature_mismatch' && l.status === 200 && l.remembered === false), JSON.stringify(lines));
});

test('GET /healthz: the status publicly, the report with the admin token, never a secret', async () => {
  const pub = await answer(await fetch(gate.url('/healthz')));
  assert.deepEqual(pub, { status: 200, json: { status: 'ok' } });
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const res = await fetch(gate.url('/healthz'), { headers: auth });
  const text = await res.clone().text();
  const admin = await answer(res);
  assert.equal(admin.status, 200);
  assert.equal(admin.json.status, 'ok');
  assert.equal(admin.json.version, '0.1.0');
  assert.ok('commit' in admin.json);
  const shadowed = admin.json.sources.find((s) => s.name === 'shadowed');
  assert.deepEqual(shadowed, { name: 'shadowed', ok: true, preset: 'github', mode: 'shadow', destination: 'origin', dedupe: 'kv', keys: ['current'] });
  assert.ok(admin.json.sources.some((s) => s.name === 'stripe' && s.preset === 'stripe' && s.mode === 'enforce'));
  assert.deepEqual(admin.json.bindings, [{ kind: 'kv', name: 'HOOKGATE_KV', present: true }]);
  for (const [name, value] of Object.entries(secrets)) if (name !== 'HOOKGATE_ADMIN_TOKEN') assert.ok(!text.includes(value), `${name} in /healthz`);
  assert.deepEqual(await answer(await fetch(gate.url('/healthz'), { headers: { authorization: 'Bearer wrong' } })), { status: 401, json: { error: 'unauthorized' } });
  assert.deepEqual(await answer(await fetch(gate.url('/healthz'), { method: 'POST' })), { status: 405, json: { error: 'method_not_allowed' } });
  // Polls are not logged; refusals are (sampled like rejections).
  assert.ok(gate.lines().some((l) => l.stage === 'healthz' && l.reason === 'unauthorized' && l.status === 401), 'a refused /healthz is logged');
  assert.ok(!gate.lines().some((l) => l.stage === 'healthz' && l.status === 200), 'a poll is not logged');
});

test('GET /healthz answers 503 while a source is broken, so monitors notice', async () => {
  const broken = await startHookgate({
    config: { sources: { ok: { ...DEMO, secrets: [{ label: 'demo', env: 'DEMO_SECRET' }], destination: { origin: origin.url('/ok') } }, stripe: { scheme: { type: 'stripe' }, secrets: [{ label: 'k', env: 'NOT_SET' }], destination: { origin: origin.url('/x') } } } },
    secrets: { DEMO_SECRET: secrets.DEMO_SECRET, HOOKGATE_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  try {
    assert.deepEqual(await answer(await fetch(broken.url('/healthz'))), { status: 503, json: { status: 'config_invalid' } });
    const admin = await answer(await fetch(broken.url('/healthz'), { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
    assert.equal(admin.status, 503);
    const stripe = admin.json.sources.find((s) => s.name === 'stripe');
    assert.equal(stripe.ok, false);
    assert.match(stripe.errors[0], /^sources\.stripe\.secrets\[0\]\.env: secret `NOT_SET` is not set/);
  } finally {
    await broken.stop();
  }
});

test('npm run origin prints each delivery and checks hookgate\'s signature on it', async () => {
  assert.ok(await waitFor(() => /listening on/.test(cliOrigin.out())), cliOrigin.out());
  const r = await send('printed', { id: 'evt_printed_1' });
  assert.deepEqual([r.status, r.json], [200, { status: 'accepted' }], r.text);
  const line = new RegExp(`POST /events source=printed event=evt_printed_1 key=demo ${Buffer.byteLength(r.request.body)} bytes, hookgate signature: valid`);
  assert.ok(await waitFor(() => line.test(cliOrigin.out())), cliOrigin.out());
  assert.match(cliOrigin.out(), /\[origin\]     x-hookgate-source: printed/, 'every header printed');
  assert.match(cliOrigin.out(), /\[origin\]     body: \{"id":"evt_printed_1"/);
  // A request that did not come through hookgate, or was altered after: refused, and said so.
  const forged = await fetch(`http://127.0.0.1:${cliOrigin.port}/events`, { method: 'POST', headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` }, body: '{}' });
  assert.equal(forged.status, 401);
  assert.ok(await waitFor(() => /hookgate signature: INVALID/.test(cliOrigin.out())), cliOrigin.out());
});
