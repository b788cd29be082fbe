// Every preset through the running worker: fresh vectors from the providers' own signing
// libraries (scripts/vectors/), made for the real clock and this worker's URL. Genuine
// requests reach the origin byte for byte; every other one gets its reason and never does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const VECTORS = resolve(import.meta.dirname, '../../scripts/vectors');
// amazon_sns: its certificate is fetched from sns.<region>.amazonaws.com, which the e2e
// environment cannot reach; sns.test.mjs runs its vectors with the certificate pinned.
const NAMES = readdirSync(VECTORS).filter((f) => f.endsWith('.mjs') && !['lib.mjs', 'generate.mjs', 'amazon_sns.mjs'].includes(f)).map((f) => f.replace(/\.mjs$/, ''));
const STATUS = {
  signature_missing: 401, signature_malformed: 401, signature_mismatch: 401, timestamp_missing: 401,
  timestamp_malformed: 401, timestamp_too_old: 401, timestamp_in_future: 401, credentials_missing: 401,
  credentials_mismatch: 401, event_id_missing: 400, body_not_json: 400, ip_not_allowed: 403,
  content_type_unsupported: 415, challenge_missing: 400, challenge_malformed: 400, message_malformed: 400,
  certificate_url_refused: 400,
};
// Cases on the exact edge of a window depend on the second the request lands in.
const CLOCK_SENSITIVE = /edge|equals now/;

const modules = {};
let origin;
let gate;
const secretsOf = (c) => JSON.stringify(c.secrets);

before(async () => {
  for (const name of NAMES) modules[name] = await import(join(VECTORS, `${name}.mjs`));
  origin = await startOrigin();
  const sources = {};
  const secrets = {};
  const echoed = [];
  for (const name of NAMES) {
    // One key set per source: the one most cases use (rotation cases with other sets run in cargo test).
    const all = modules[name].cases({ nowSecs: Math.floor(Date.now() / 1000), url: 'http://x/' });
    const first = all[0];
    // Certificates a provider would be fetched from (PayPal) are pinned: the e2e sandbox
    // reaches no provider, and a pinned key is read by the same code as a fetched one.
    const scheme = first.certificates ? { ...modules[name].source.scheme, certificates: first.certificates } : modules[name].source.scheme;
    sources[name] = {
      ...modules[name].source,
      scheme,
      secrets: first.secrets.map((s, i) => ({ label: s.label, env: `${name.toUpperCase()}_${i}`, ...(s.not_after ? { not_after: s.not_after } : {}) })),
      dedupe: { mode: 'off' },
      destination: { origin: origin.url(`/${name}`) },
    };
    first.secrets.forEach((s, i) => { secrets[`${name.toUpperCase()}_${i}`] = s.value; });
    // A shared token the provider requires echoed (Adobe Sign's client id) may be in answers.
    if (all.some((c) => c.echo_header)) first.secrets.forEach((_, i) => echoed.push(`${name.toUpperCase()}_${i}`));
    // Meta's verify token (one value for every Meta source).
    if (first.verify_token) secrets[modules[name].source.verify_token] = first.verify_token;
  }
  gate = await startHookgate({ config: { sources }, secrets, echoed });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

for (const name of NAMES) {
  test(`${name}: genuine requests are forwarded, tampered ones rejected with their reason`, async () => {
    const url = gate.url(`/hooks/${name}`);
    const nowSecs = Math.floor(Date.now() / 1000);
    const all = modules[name].cases({ nowSecs, url });
    const shared = secretsOf(all[0]);
    // Future-dated cases are made 60 s further ahead so they cannot drift into the window.
    const ahead = modules[name].cases({ nowSecs: nowSecs + 60, url });
    const cases = all
      .map((c, i) => (c.expect === 'timestamp_in_future' ? ahead[i] : c))
      .filter((c) => secretsOf(c) === shared && !CLOCK_SENSITIVE.test(c.name));
    let accepted = 0;
    let rejected = 0;
    for (const c of cases) {
      const body = c.body_base64 !== undefined ? Buffer.from(c.body_base64, 'base64') : Buffer.from(c.body_utf8 ?? '', 'utf8');
      const before = origin.received.length;
      const method = c.method || 'POST';
      const raw = await fetch(c.url, { method, headers: c.headers, body: method === 'GET' ? undefined : body });
      const text = await raw.clone().text();
      const res = await answer(raw);
      // Adobe Sign's client id on the answer, exactly where the vector says.
      assert.equal(raw.headers.get('x-adobesign-clientid'), c.echo_header?.[1] ?? null, `${c.name}: echoed header`);
      if (c.expect === 'accept') {
        assert.equal(res.status, 200, `${c.name}: ${JSON.stringify(res.json)}`);
        if (c.handshake) {
          // Answered at the edge exactly as the vector says, never forwarded.
          assert.equal(raw.headers.get('content-type'), c.handshake.content_type, `${c.name}: content type`);
          assert.equal(raw.headers.get('x-content-type-options'), 'nosniff', c.name);
          if (c.handshake.content_type === 'application/json') assert.deepEqual(JSON.parse(text), JSON.parse(c.handshake.body), c.name);
          else assert.equal(text, c.handshake.body, c.name);
          assert.equal(origin.received.length, before, `${c.name}: a handshake is not forwarded`);
        } else {
          assert.equal(origin.received.length, before + 1, `${c.name}: forwarded once`);
          assert.deepEqual(origin.received.at(-1).body, body, `${c.name}: body byte for byte`);
          if (c.event_id) assert.equal(origin.received.at(-1).headers['x-hookgate-event-id'], c.event_id, c.name);
          if (c.key_label) assert.equal(origin.received.at(-1).headers['x-hookgate-key'], c.key_label, c.name);
        }
        accepted += 1;
      } else {
        // `status` 503: authentic, but the configured id is not in what was signed (our setting).
        assert.deepEqual(res, { status: c.status ?? STATUS[c.expect], json: { error: c.expect } }, c.name);
        assert.equal(origin.received.length, before, `${c.name}: never forwarded`);
        rejected += 1;
      }
    }
    assert.ok(accepted >= 1 && rejected >= 1, `${name}: ran ${accepted} genuine and ${rejected} rejected cases`);
  });
}
