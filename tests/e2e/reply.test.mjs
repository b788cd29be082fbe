// destination.reply = "origin": the provider is answered with the origin's status,
// Content-Type and body (Discord interactions and Slack commands act on it); duplicates,
// failures and oversized answers keep hookgate's own answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const SECRET = `reply-secret-${randomUUID()}`;
const hmacSign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const DISCORD_KEY = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('hex');

let origin;
let gate;

before(async () => {
  origin = await startOrigin(({ body }) => {
    const ev = JSON.parse(body.toString());
    if (ev.type === 2) return { status: 200, headers: { 'content-type': 'application/json' }, reply: JSON.stringify({ type: 4, data: { content: `pong ${ev.id}` } }) };
    if (ev.fail) return { status: 500 };
    if (ev.big) return { status: 200, headers: { 'content-type': 'text/plain' }, reply: 'x'.repeat(70 * 1024) };
    return { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8' }, reply: `made ${ev.id}` };
  });
  gate = await startHookgate({
    config: {
      sources: {
        command: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], destination: { origin: origin.url('/command'), reply: 'origin' } },
        plain: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], destination: { origin: origin.url('/plain') } },
        discord: { scheme: { type: 'discord' }, secrets: [{ label: 'app', env: 'DISCORD_KEY' }], destination: { origin: origin.url('/discord'), reply: 'origin' } },
      },
    },
    secrets: { SECRET, DISCORD_KEY },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

const post = async (source, ev) => {
  const body = JSON.stringify(ev);
  const res = await gate.post(`/hooks/${source}`, { headers: { 'content-type': 'application/json', 'x-signature': hmacSign(body) }, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const discord = async (ev) => {
  const body = JSON.stringify(ev);
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(ts + body), privateKey).toString('hex');
  const res = await gate.post('/hooks/discord', { headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts }, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

test("the origin's status, type and body are the answer; a duplicate gets hookgate's", async () => {
  const id = `evt_${randomUUID()}`;
  assert.deepEqual(await post('command', { id }), { status: 201, type: 'text/plain; charset=utf-8', text: `made ${id}` });
  const dup = await post('command', { id });
  assert.deepEqual([dup.status, JSON.parse(dup.text)], [200, { status: 'duplicate' }]);
  // Without the setting, hookgate answers as always.
  const plain = await post('plain', { id: `evt_${randomUUID()}` });
  assert.deepEqual([plain.status, JSON.parse(plain.text)], [200, { status: 'accepted' }]);
});

test('a failing origin is not relayed (502, the provider retries), nor an answer over 64 KiB', async () => {
  const failed = await post('command', { id: `evt_${randomUUID()}`, fail: true });
  assert.deepEqual([failed.status, JSON.parse(failed.text)], [502, { error: 'origin_error' }]);
  const big = await post('command', { id: `evt_${randomUUID()}`, big: true });
  assert.deepEqual([big.status, JSON.parse(big.text)], [200, { status: 'accepted' }]);
});

test("Discord: PING answered at the edge, a command answered with the origin's interaction response", async () => {
  const before = origin.received.length;
  const ping = await discord({ id: `i_${randomUUID()}`, type: 1 });
  assert.deepEqual([ping.status, JSON.parse(ping.text)], [200, { type: 1 }]);
  assert.equal(origin.received.length, before, 'the PING never reaches the origin');
  const id = `i_${randomUUID()}`;
  const command = await discord({ id, type: 2, data: { name: 'ping' } });
  assert.equal(command.status, 200);
  assert.equal(command.type, 'application/json');
  assert.deepEqual(JSON.parse(command.text), { type: 4, data: { content: `pong ${id}` } });
  const forged = await gate.post('/hooks/discord', { headers: { 'content-type': 'application/json', 'x-signature-ed25519': '00'.repeat(64), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) }, body: JSON.stringify({ id: 'x', type: 2 }) });
  assert.equal(forged.status, 401);
});
