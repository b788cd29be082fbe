// Configuration: `npm run check` refuses each kind of broken setting with its path, before
// anything is built; and a configuration that slips through anyway answers 503
// config_invalid at run time (the provider retries; nothing is lost), for the broken source
// only, with the reason in the log and never a secret.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `npm run check`'s script on a wrangler file written into a fresh directory. */
function check(wranglerText, { devVars = 'STRIPE_SECRET=whsec_c2VjcmV0\n', name = 'wrangler.toml', args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-check-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), wranglerText);
  if (devVars !== null) writeFileSync(join(dir, '.dev.vars'), devVars);
  const run = spawnSync('bash', [join(ROOT, 'scripts/check.sh'), '--config', join(dir, name), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

const GOOD = `
name = "hookgate"
main = "build/worker/shim.mjs"
[[kv_namespaces]]
binding = "HOOKGATE_KV"
id = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"
[vars.HOOKGATE.sources.payments]
scheme = { type = "stripe" }
secrets = [{ label = "main", env = "STRIPE_SECRET" }]
destination = { origin = "https://api.example.com/hooks/stripe" }
`;

test('check passes a good configuration and says what each source will do', () => {
  const { status, out } = check(GOOD);
  assert.equal(status, 0, out);
  assert.match(out, /ok +payments: stripe, keys \[main\], tolerance 5 min, dedupe kv 3 d -> https:\/\/api\.example\.com\/hooks\/stripe/);
});

test('the README\'s configuration examples pass the check in the repository\'s wrangler.toml', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('[vars.HOOKGATE.sources.'));
  assert.ok(blocks.length >= 2, 'the README has source examples');
  // The repository's file with its demo source replaced by the README's sources.
  const base = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').split('# ---- Sources')[0];
  const text = `${base}\n${blocks.join('\n')}`;
  const names = [...new Set([...text.matchAll(/(?:env|signing_secret|verify_token) = "([A-Z0-9_]+)"/g)].map((m) => m[1]))];
  const devVars = names.map((n) => `${n}=whsec_${Buffer.from(`value of ${n}`).toString('base64')}`).join('\n');
  const { status, out } = check(text, { devVars });
  assert.equal(status, 0, out);
  const sources = [...blocks.join('\n').matchAll(/\[vars\.HOOKGATE\.sources\.([a-z0-9_-]+)\]/g)].map((m) => m[1]);
  for (const name of sources) assert.match(out, new RegExp(`ok +${name}: `), `${name} is ready`);
});

test('check reads an unquoted TOML datetime as wrangler does (RFC 3339 text)', () => {
  const rotated = GOOD.replace('secrets = [{ label = "main", env = "STRIPE_SECRET" }]',
    'secrets = [{ label = "main", env = "STRIPE_SECRET" }, { label = "old", env = "STRIPE_SECRET", not_after = 2026-12-01T00:00:00Z }]');
  const { status, out } = check(rotated);
  assert.equal(status, 0, out);
  assert.match(out, /keys \[main, old\]/);
});

test('check passes the repository wrangler.toml with the example secrets', () => {
  const { status, out } = check(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'), { devVars: readFileSync(join(ROOT, 'dev.vars.example'), 'utf8') });
  assert.equal(status, 0, out);
  assert.match(out, /ok +demo: hmac/);
});

const broken = [
  ['an unknown preset', GOOD.replace('type = "stripe"', 'type = "strype"'), /sources\.payments\.scheme\.type: unknown scheme `strype`/],
  ['a missing secret', GOOD, /sources\.payments\.secrets\[0\]\.env: secret `STRIPE_SECRET` is not set/, { devVars: 'OTHER=1\n' }],
  ['a malformed URL', GOOD.replace('https://api.example.com/hooks/stripe', 'https//api.example.com'), /sources\.payments\.destination\.origin: not an absolute URL/],
  ['a plain-http origin that is not loopback', GOOD.replace('https://api', 'http://api'), /destination\.origin: plain http is allowed only for loopback/],
  ['a dedupe window shorter than twice the tolerance plus a margin', GOOD + 'tolerance_secs = 900\ndedupe = { window_secs = 1859 }\n', /dedupe\.window_secs: at least 1860 \(2 x tolerance_secs \+ 60\)/],
  ['a dedupe window under KV\'s 60 s minimum TTL', GOOD + 'tolerance_secs = 0\ndedupe = { window_secs = 45 }\n', /dedupe\.window_secs: at least 60/],
  ['a body limit above what a Queue message holds',
    GOOD.replace('destination = { origin', 'max_body_bytes = 200000\ndestination = { queue = "HOOKGATE_QUEUE", origin')
      + '[[queues.producers]]\nbinding = "HOOKGATE_QUEUE"\nqueue = "events"\n[[queues.consumers]]\nqueue = "events"\n',
    /sources\.payments\.max_body_bytes: between 1 and 122880/],
  ['a misspelt field', GOOD.replace('secrets =', 'secret ='), /HOOKGATE\.sources\.payments\.secret: unknown field `secret`/],
  ['a missing KV binding', GOOD.replace('binding = "HOOKGATE_KV"', 'binding = "OTHER_KV"'), /kv_binding: KV namespace `HOOKGATE_KV` is not bound/],
  ['a queue no one consumes', GOOD.replace('destination = { origin', 'destination = { queue = "HOOKGATE_QUEUE", origin') + '[[queues.producers]]\nbinding = "HOOKGATE_QUEUE"\nqueue = "events"\n',
    /nothing in this Worker consumes queue `events`/],
  // The gateway settings (README: event filters, rate limits, pacing, archive).
  ['a filter pattern with a space', GOOD + 'filter = { events = ["invoice.*", "charge failed"] }\n', /sources\.payments\.filter\.events\[1\]: a pattern uses visible ASCII/],
  ['a filter on a scheme without an event type', GOOD.replace('type = "stripe"', 'type = "twilio"') + 'filter = { events = ["x"] }\n', /sources\.payments\.filter: type `twilio` has no known event type/],
  ['a rate limit without its binding', GOOD + 'rate_limit = { binding = "HOOKGATE_LIMIT", requests = 100, period_secs = 60 }\n', /sources\.payments\.rate_limit\.binding: no Rate Limiting binding `HOOKGATE_LIMIT`/],
  ['a rate limit whose binding counts other numbers',
    GOOD + 'rate_limit = { binding = "HOOKGATE_LIMIT", requests = 100, period_secs = 60 }\n[[ratelimits]]\nname = "HOOKGATE_LIMIT"\nnamespace_id = "1"\nsimple = { limit = 100, period = 10 }\n',
    /sources\.payments\.rate_limit: the binding `HOOKGATE_LIMIT` counts simple = \{ limit = 100, period = 10 \}/],
  ['a rate limit out of range', GOOD + 'rate_limit = { binding = "HOOKGATE_LIMIT", requests = 0, period_secs = 30 }\n', /sources\.payments\.rate_limit\.period_secs: 10 or 60/],
  ['pacing whose queue consumer scales out',
    GOOD.replace('destination = { origin', 'destination = { queue = "HOOKGATE_QUEUE", pacing = { max_per_minute = 60 }, origin')
      + '[[queues.producers]]\nbinding = "HOOKGATE_QUEUE"\nqueue = "events"\n[[queues.consumers]]\nqueue = "events"\ndead_letter_queue = "dlq"\n',
    /sources\.payments\.destination\.pacing: a paced source needs its queue's consumer to run one batch at a time/],
  ['pacing too slow for the batch size',
    GOOD.replace('destination = { origin', 'destination = { queue = "HOOKGATE_QUEUE", pacing = { max_per_minute = 5 }, origin')
      + '[[queues.producers]]\nbinding = "HOOKGATE_QUEUE"\nqueue = "events"\n[[queues.consumers]]\nqueue = "events"\nmax_concurrency = 1\nmax_batch_size = 10\ndead_letter_queue = "dlq"\n',
    /a batch of 10 at 5 a minute takes 120 s/],
  ['an archive without its bucket', GOOD + 'archive = { r2 = "HOOKGATE_ARCHIVE", retention_days = 45 }\n', /sources\.payments\.archive\.r2: no R2 bucket bound as `HOOKGATE_ARCHIVE`/],
  ['an archive kept no longer than the dedupe window', GOOD + 'archive = { r2 = "HOOKGATE_ARCHIVE", retention_days = 3 }\n[[r2_buckets]]\nbinding = "HOOKGATE_ARCHIVE"\nbucket_name = "a"\n',
    /sources\.payments\.archive\.retention_days: longer than the dedupe window \(3 d\)/],
];
for (const [what, text, message, opts] of broken) {
  test(`check refuses ${what}, naming the field`, () => {
    const { status, out } = check(text, opts);
    assert.equal(status, 1, out);
    assert.match(out, message);
    assert.match(out, /[1-9]\d* error\(s\)/);
    assert.doesNotMatch(out, /whsec_c2VjcmV0/);
  });
}

test('check reads wrangler.json environments, which do not inherit the top level', () => {
  const json = JSON.stringify({
    name: 'hookgate',
    kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'a' }],
    vars: { HOOKGATE: { sources: { payments: { scheme: { type: 'stripe' }, secrets: [{ label: 'main', env: 'STRIPE_SECRET' }], destination: { origin: 'https://api.example.com/' } } } } },
    env: { production: { vars: {} } },
  });
  assert.equal(check(json, { name: 'wrangler.json' }).status, 0);
  const prod = check(json, { name: 'wrangler.json', args: ['--env', 'production'] });
  assert.equal(prod.status, 1, prod.out);
  assert.match(prod.out, /\[env\.production\.vars\]: no `HOOKGATE` variable/);
  assert.equal(check(json, { name: 'wrangler.json', args: ['--all-envs', '--no-secrets'] }).status, 1);
});

test('a deploy check refuses the placeholder KV id', () => {
  const { status, out } = check(GOOD.replace('0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f', '00000000000000000000000000000000'), { args: ['--deploy'] });
  assert.equal(status, 1, out);
  assert.match(out, /`HOOKGATE_KV` still has the placeholder id/);
});

test('npm run deploy checks before it deploys, and refuses a placeholder id (wrangler deploy --dry-run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-deploy-'));
  dirs.push(dir);
  const deploy = (text) => {
    writeFileSync(join(dir, 'wrangler.toml'), text.replace('main = "build/worker/shim.mjs"', `main = "${join(ROOT, 'build/worker/shim.mjs')}"\ncompatibility_date = "2026-11-01"`));
    const run = spawnSync('bash', [join(ROOT, 'scripts/deploy.sh'), '--dry-run', '--config', join(dir, 'wrangler.toml'), '--outdir', join(dir, 'out')], { cwd: ROOT, encoding: 'utf8' });
    return { status: run.status, out: run.stdout + run.stderr };
  };
  const ok = deploy(GOOD);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /ok +payments: stripe/);
  assert.match(ok.out, /--dry-run: exiting now/);
  const refused = deploy(GOOD.replace('0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f', '00000000000000000000000000000000'));
  assert.equal(refused.status, 1, refused.out);
  assert.match(refused.out, /still has the placeholder id/);
  assert.match(refused.out, /\[deploy\] not deployed/);
  assert.doesNotMatch(refused.out, /dry-run: exiting now/);
});

test('at run time a broken source answers 503 config_invalid, logs why, and the other sources still serve', async (t) => {
  const origin = await startOrigin();
  const secret = `cfg-secret-${randomUUID()}`;
  const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=' };
  const gate = await startHookgate({
    config: {
      sources: {
        good: { scheme, secrets: [{ label: 'k', env: 'GOOD_SECRET' }], destination: { origin: origin.url('/good') } },
        broken: { scheme, secrets: [{ label: 'k', env: 'NOT_SET_ANYWHERE' }], destination: { origin: origin.url('/broken') } },
      },
    },
    secrets: { GOOD_SECRET: secret },
  });
  t.after(async () => { await gate.stop(); await origin.close(); });
  const body = JSON.stringify({ id: `evt_${randomUUID()}` });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const post = async (source) => answer(await gate.post(`/hooks/${source}`, { headers: { 'x-signature': signature }, body }));
  assert.deepEqual(await post('broken'), { status: 503, json: { error: 'config_invalid' } });
  assert.deepEqual(await post('good'), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await post('nope'), { status: 404, json: { error: 'unknown_source' } });
  assert.deepEqual(origin.received.map((r) => r.url), ['/good']);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'config_invalid')), gate.logs());
  const line = gate.lines().find((l) => l.reason === 'config_invalid');
  assert.equal(line.source, 'broken');
  assert.equal(line.status, 503);
  assert.match(line.detail, /sources\.broken\.secrets\[0\]\.env: secret `NOT_SET_ANYWHERE` is not set/);
  assert.doesNotMatch(gate.logs(), new RegExp(secret));
});

test('at run time an unreadable HOOKGATE answers 503 config_invalid for every source', async (t) => {
  const gate = await startHookgate({ config: '{"sources": {"a": ', secrets: {} });
  t.after(() => gate.stop());
  assert.deepEqual(await answer(await gate.post('/hooks/a', { body: '{}' })), { status: 503, json: { error: 'config_invalid' } });
  assert.deepEqual(await answer(await fetch(gate.url('/hooks/a'))), { status: 405, json: { error: 'method_not_allowed' } });
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'config_invalid')), gate.logs());
  assert.match(gate.lines().find((l) => l.reason === 'config_invalid').detail, /HOOKGATE\.sources\.a: EOF while parsing/);
});
