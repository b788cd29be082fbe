// SendGrid's ECDSA through real workerd: the core records each check and the Worker runs it
// with WebCrypto (the wasm has no curve code), for small bodies and for large ones (where the
// MAC path is deferred too). Also: dedupe on the signed body (a re-sent capture with a fresh
// timestamp, and the high-S twin of a signature, are duplicates), a key WebCrypto cannot
// import (503 crypto_unavailable, Retry-After, nothing forwarded), and a malformed key
// (503 config_invalid naming the field). No key is ever in a log line or an answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';
import { sendgridKey, sendgridSignature } from '../../scripts/vectors/sendgrid.mjs';

const SIG = 'x-twilio-email-event-webhook-signature';
const TS = 'x-twilio-email-event-webhook-timestamp';
const key = sendgridKey('e2e-current');
const other = sendgridKey('e2e-other');
// Structurally a P-256 SPKI (the wasm's check at load passes), but not a point on the
// curve: only WebCrypto can tell, when it imports the key.
const offCurve = Buffer.from(key.spki);
offCurve[90] ^= 1;
const SECRETS = { SG_KEY: key.b64, SG_OFF_CURVE: offCurve.toString('base64'), SG_BROKEN: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' };

let origin;
let gate;
before(async () => {
  origin = await startOrigin();
  const src = (env, path, extra = {}) => ({ scheme: { type: 'sendgrid' }, secrets: [{ label: 'dashboard', env }], destination: { origin: origin.url(path) }, ...extra });
  gate = await startHookgate({
    config: {
      sources: {
        sendgrid: src('SG_KEY', '/sendgrid', { max_body_bytes: 1_048_576 }),
        off_curve: src('SG_OFF_CURVE', '/off'),
        broken: src('SG_BROKEN', '/broken'),
      },
    },
    secrets: SECRETS,
  });
});
after(async () => {
  await gate?.scanSecrets?.({ ...SECRETS, SG_KEY_DER_HEX: key.spki.toString('hex') });
  await gate?.stop();
  await origin?.close();
});

const batch = (tag, pad = 0) => JSON.stringify([
  { email: 'a@example.com', event: 'delivered', sg_event_id: `ev-${tag}-1`, timestamp: 1767225600, pad: 'x'.repeat(pad) },
  { email: 'b@example.com', event: 'open', sg_event_id: `ev-${tag}-2`, timestamp: 1767225601 },
]) + '\r\n';
const headers = (k, ts, body, sig = sendgridSignature(k, ts, body).base64) => ({ 'content-type': 'application/json', [SIG]: sig, [TS]: String(ts) });
const post = async (path, body, h) => answer(await fetch(gate.url(path), { method: 'POST', headers: h, body }));

test('a genuine small batch is verified with WebCrypto and forwarded byte for byte; a forgery is not', async () => {
  const now = Math.floor(Date.now() / 1000);
  const body = batch('small');
  const before = origin.received.length;
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now, body)), { status: 200, json: { status: 'accepted' } });
  assert.equal(origin.received.length, before + 1);
  assert.deepEqual(origin.received.at(-1).body, Buffer.from(body));
  assert.equal(origin.received.at(-1).headers['x-hookgate-key'], 'dashboard');
  // Signed by another key, or over other bytes: 401, never forwarded.
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(other, now, body)), { status: 401, json: { error: 'signature_mismatch' } });
  const forged = body.replace('delivered', 'bounce');
  assert.deepEqual(await post('/hooks/sendgrid', forged, headers(key, now, body)), { status: 401, json: { error: 'signature_mismatch' } });
  // Not strict DER (a trailing byte): malformed before any check.
  const trailing = Buffer.concat([sendgridSignature(key, now, body).der, Buffer.from([0])]).toString('base64');
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now, body, trailing)), { status: 401, json: { error: 'signature_malformed' } });
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now - 3600, body)), { status: 401, json: { error: 'timestamp_too_old' } });
  assert.equal(origin.received.length, before + 1, 'only the genuine batch was forwarded');
});

test('a large batch (over the 16 KiB deferred-MAC threshold) is verified the same way', async () => {
  const now = Math.floor(Date.now() / 1000);
  const body = batch('large', 200_000);
  const before = origin.received.length;
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now, body)), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(origin.received.at(-1).body, Buffer.from(body));
  const forged = body.replace('open', 'spam');
  assert.deepEqual(await post('/hooks/sendgrid', forged, headers(key, now, body)), { status: 401, json: { error: 'signature_mismatch' } });
  assert.equal(origin.received.length, before + 1);
});

test('dedupe keys on the signed body: a re-sent capture with a fresh timestamp, or the high-S twin, is a duplicate', async () => {
  const now = Math.floor(Date.now() / 1000);
  const body = batch('dedupe');
  const before = origin.received.length;
  const sig = sendgridSignature(key, now - 10, body);
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now - 10, body, sig.base64)), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now, body)), { status: 200, json: { status: 'duplicate' } });
  assert.deepEqual(await post('/hooks/sendgrid', body, headers(key, now - 10, body, sig.highS)), { status: 200, json: { status: 'duplicate' } });
  assert.equal(origin.received.length, before + 1, 'forwarded once');
});

test('a key WebCrypto cannot import: 503 crypto_unavailable with Retry-After, nothing forwarded, the key never shown', async () => {
  const now = Math.floor(Date.now() / 1000);
  const body = batch('off');
  const before = origin.received.length;
  const raw = await fetch(gate.url('/hooks/off_curve'), { method: 'POST', headers: headers(key, now, body), body });
  assert.equal(raw.headers.get('retry-after'), '10');
  assert.deepEqual(await answer(raw), { status: 503, json: { error: 'crypto_unavailable' } });
  assert.equal(origin.received.length, before);
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'crypto_unavailable')), gate.logs());
  const line = gate.lines().find((l) => l.reason === 'crypto_unavailable');
  assert.equal(line.source, 'off_curve');
  assert.match(line.detail, /^sources\.off_curve: WebCrypto failed on an ECDSA check/);
});

test('a key that is not a P-256 SubjectPublicKeyInfo: 503 config_invalid naming the field, never the value', async () => {
  const now = Math.floor(Date.now() / 1000);
  const body = batch('broken');
  assert.deepEqual(await post('/hooks/broken', body, headers(key, now, body)), { status: 503, json: { error: 'config_invalid' } });
  assert.ok(await waitFor(() => gate.lines().some((l) => l.reason === 'config_invalid' && l.source === 'broken')), gate.logs());
  const line = gate.lines().find((l) => l.reason === 'config_invalid' && l.source === 'broken');
  assert.ok(line && line.detail.includes('sources.broken.secrets[0]') && line.detail.includes('P-256'), gate.logs());
  assert.ok(!gate.logs().includes(SECRETS.SG_BROKEN));
});
