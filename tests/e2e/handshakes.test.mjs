// Handshakes under wrangler dev: each provider's URL check is answered at the edge exactly
// as the provider documents it, never reaches the origin or the dedupe store (the same
// handshake twice is answered twice), GET stays 405 on every other source, bad handshakes
// get their reason, and X's CRC cannot be used to sign a body that would be forwarded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { startHookgate, startOrigin } from './harness.mjs';

const SECRETS = {
  ZOOM_SECRET: 'zoom-secret-token-0123456789abcdef',
  X_SECRET: 'x-consumer-secret-0123456789abcdefghij',
  META_SECRET: 'meta-app-secret-0123456789abcdef',
  META_VERIFY: 'meta-verify-token-0123456789',
  DROPBOX_SECRET: 'dropbox-app-secret-0123456789abc',
  OKTA_TOKEN: 'okta-shared-authorization-value-0123',
  XERO_KEY: 'OSd0eLlVIY9ZhViEqlDUh4+6n6M+Lo+eDaEJheJ6OCCgWwIz2D3JIAU6jPMipHRbgKTLz2uJ+xiACXGDBLrgdA==',
  GITHUB_SECRET: 'github-secret-0123456789abcdef',
  WORLDLINE_SECRET: 'worldline-secret-key-0123456789abcdef',
  MAILCHIMP_SECRET: 'mailchimp-url-secret-0123456789abcdef',
  ADOBE_CLIENT_ID: 'CBJCHBCAABAAe2eClientId0123456789',
};
const discord = generateKeyPairSync('ed25519');
SECRETS.DISCORD_PUBLIC_KEY = discord.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

const hmac = (alg, key, data, enc) => createHmac(alg, key).update(data).digest(enc);
let origin;
let gate;

before(async () => {
  origin = await startOrigin();
  const src = (type, env, extra = {}) => ({ scheme: { type }, secrets: [{ label: 'k', env }], destination: { origin: origin.url(`/${type}`) }, ...extra });
  const sources = {
    zoom: src('zoom', 'ZOOM_SECRET'),
    x: src('x', 'X_SECRET'),
    whatsapp: src('whatsapp', 'META_SECRET', { verify_token: 'META_VERIFY' }),
    discord: src('discord', 'DISCORD_PUBLIC_KEY'),
    dropbox: src('dropbox', 'DROPBOX_SECRET'),
    okta: src('okta', 'OKTA_TOKEN'),
    xero: src('xero', 'XERO_KEY'),
    github: src('github', 'GITHUB_SECRET'),
    worldline: src('worldline', 'WORLDLINE_SECRET'),
    mailchimp: src('mailchimp', 'MAILCHIMP_SECRET'),
    adobe_sign: src('adobe_sign', 'ADOBE_CLIENT_ID'),
  };
  // Acrobat Sign requires its client id (the shared token) echoed back: allowed in answers only.
  gate = await startHookgate({ config: { sources }, secrets: SECRETS, echoed: ['ADOBE_CLIENT_ID'] });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

/** Sends a request and reads { status, type, nosniff, adobe, text }. */
async function send(path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(gate.url(path), { method, headers, body, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), nosniff: res.headers.get('x-content-type-options'), adobe: res.headers.get('x-adobesign-clientid'), text: await res.text() };
}
const json = (r) => JSON.parse(r.text);
const zoomHeaders = (body, key = SECRETS.ZOOM_SECRET, ts = Math.floor(Date.now() / 1000)) => ({
  'content-type': 'application/json', 'x-zm-request-timestamp': String(ts), 'x-zm-signature': `v0=${hmac('sha256', key, `v0:${ts}:${body}`, 'hex')}`,
});
const discordHeaders = (body, privateKey = discord.privateKey) => {
  const ts = String(Math.floor(Date.now() / 1000));
  return { 'content-type': 'application/json', 'x-signature-timestamp': ts, 'x-signature-ed25519': edSign(null, Buffer.from(ts + body), privateKey).toString('hex') };
};

test('each handshake is answered at the edge as its provider documents, twice, and never reaches the origin', async () => {
  const before = origin.received.length;
  for (let round = 0; round < 2; round += 1) {
    // Zoom: signed POST endpoint.url_validation.
    const validation = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: Date.now(), event: 'endpoint.url_validation' });
    const zoom = await send('/hooks/zoom', { method: 'POST', headers: zoomHeaders(validation), body: validation });
    assert.equal(zoom.status, 200, zoom.text);
    assert.deepEqual(json(zoom), { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: hmac('sha256', SECRETS.ZOOM_SECRET, 'qgg8vlvZRS6UYooatFL8Aw', 'hex') });
    assert.equal(zoom.type, 'application/json');

    // X: GET ?crc_token=.
    const crc = await send('/hooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553');
    assert.equal(crc.status, 200, crc.text);
    assert.deepEqual(json(crc), { response_token: `sha256=${hmac('sha256', SECRETS.X_SECRET, '9b4507b3-9040-4669-9ca3-6b94edb50553', 'base64')}` });

    // Meta: GET hub.* with the verify token: the challenge as text/plain.
    const meta = await send(`/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=${SECRETS.META_VERIFY}&hub.challenge=1158201444`);
    assert.deepEqual([meta.status, meta.type, meta.nosniff, meta.text], [200, 'text/plain', 'nosniff', '1158201444']);

    // Discord: a verified PING gets a PONG.
    const ping = JSON.stringify({ id: '1300000000000000001', application_id: '1', type: 1, token: 't', version: 1 });
    const pong = await send('/hooks/discord', { method: 'POST', headers: discordHeaders(ping), body: ping });
    assert.equal(pong.status, 200, pong.text);
    assert.deepEqual(json(pong), { type: 1 });

    // Dropbox: GET ?challenge= echoed as text/plain with nosniff.
    const dbx = await send('/hooks/dropbox?challenge=abc123XYZ');
    assert.deepEqual([dbx.status, dbx.type, dbx.nosniff, dbx.text], [200, 'text/plain', 'nosniff', 'abc123XYZ']);

    // Okta: GET with the challenge header and the shared Authorization value.
    const okta = await send('/hooks/okta', { headers: { 'x-okta-verification-challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg', authorization: SECRETS.OKTA_TOKEN } });
    assert.equal(okta.status, 200, okta.text);
    assert.deepEqual(json(okta), { verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' });

    // Xero: a correctly signed intent to receive: 200 with an empty body.
    const itr = JSON.stringify({ events: [], lastEventSequence: 0, firstEventSequence: 0, entropy: 'S0m3r4Nd0mt3xt' });
    const xero = await send('/hooks/xero', { method: 'POST', headers: { 'content-type': 'application/json', 'x-xero-signature': hmac('sha256', SECRETS.XERO_KEY, itr, 'base64') }, body: itr });
    assert.deepEqual([xero.status, xero.text], [200, '']);

    // Worldline: GET with the verification header, its value as text/plain.
    const wl = await send('/hooks/worldline', { headers: { 'x-gcs-webhooks-endpoint-verification': 'de0c73a2-43a5-4c17-9f4d-5b1c2b0a8e11' } });
    assert.deepEqual([wl.status, wl.type, wl.nosniff, wl.text], [200, 'text/plain', 'nosniff', 'de0c73a2-43a5-4c17-9f4d-5b1c2b0a8e11']);

    // Mailchimp: GET to the URL, its secret in the query: an empty 200.
    const mc = await send(`/hooks/mailchimp?secret=${SECRETS.MAILCHIMP_SECRET}`);
    assert.deepEqual([mc.status, mc.text, mc.nosniff], [200, '', 'nosniff']);

    // Adobe Sign: GET with the client id: echoed in JSON and in the header.
    const adobe = await send('/hooks/adobe_sign', { headers: { 'x-adobesign-clientid': SECRETS.ADOBE_CLIENT_ID } });
    assert.equal(adobe.status, 200, adobe.text);
    assert.deepEqual([json(adobe), adobe.adobe, adobe.type], [{ xAdobeSignClientId: SECRETS.ADOBE_CLIENT_ID }, SECRETS.ADOBE_CLIENT_ID, 'application/json']);
  }
  assert.equal(origin.received.length, before, 'no handshake reached the origin');
  const answered = gate.lines().filter((l) => l.outcome === 'answered').map((l) => l.handshake);
  for (const kind of ['zoom_url_validation', 'twitter_crc', 'meta_verify_token', 'discord_ping', 'dropbox_challenge', 'okta_verification', 'xero_intent_to_receive', 'worldline_endpoint_verification', 'mailchimp_url_validation', 'adobe_sign_client_id']) {
    assert.equal(answered.filter((k) => k === kind).length, 2, `${kind}: logged as answered, each time (nothing remembered)`);
  }
});

test('events on handshake sources are still verified and forwarded', async () => {
  const before = origin.received.length;
  const event = JSON.stringify({ for_user_id: '2244994945', tweet_create_events: [{ id_str: '1' }] });
  const ok = await send('/hooks/x', { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${hmac('sha256', SECRETS.X_SECRET, event, 'base64')}` }, body: event });
  assert.deepEqual([ok.status, json(ok)], [200, { status: 'accepted' }]);
  const command = JSON.stringify({ id: '1300000000000000002', type: 2, data: { name: 'quote' } });
  const cmd = await send('/hooks/discord', { method: 'POST', headers: discordHeaders(command), body: command });
  assert.deepEqual([cmd.status, json(cmd)], [200, { status: 'accepted' }]);
  const events = JSON.stringify({ events: [{ resourceId: 'r1', eventType: 'CREATE' }], firstEventSequence: 1, lastEventSequence: 1, entropy: 'e' });
  const xero = await send('/hooks/xero', { method: 'POST', headers: { 'content-type': 'application/json', 'x-xero-signature': hmac('sha256', SECRETS.XERO_KEY, events, 'base64') }, body: events });
  assert.equal(xero.status, 200, xero.text);
  assert.equal(origin.received.length, before + 3);
  assert.deepEqual(origin.received.slice(-3).map((r) => r.body.toString()), [event, command, events]);
});

test('Adobe Sign: each notification is answered with the client id in X-AdobeSign-ClientId, a forged one gets nothing echoed', async () => {
  const before = origin.received.length;
  const note = JSON.stringify({ webhookNotificationId: `e2e-${Date.now()}`, event: 'AGREEMENT_ACTION_COMPLETED', agreement: { id: 'CBJCHBCAABAAagreement1' } });
  const headers = { 'content-type': 'application/json', 'x-adobesign-clientid': SECRETS.ADOBE_CLIENT_ID };
  const ok = await send('/hooks/adobe_sign', { method: 'POST', headers, body: note });
  assert.deepEqual([ok.status, json(ok), ok.adobe], [200, { status: 'accepted' }, SECRETS.ADOBE_CLIENT_ID]);
  // Acrobat Sign retries until it sees the echo: a duplicate is echoed too, and not forwarded again.
  const dup = await send('/hooks/adobe_sign', { method: 'POST', headers, body: note });
  assert.deepEqual([dup.status, json(dup), dup.adobe], [200, { status: 'duplicate' }, SECRETS.ADOBE_CLIENT_ID]);
  const forged = await send('/hooks/adobe_sign', { method: 'POST', headers: { ...headers, 'x-adobesign-clientid': `${SECRETS.ADOBE_CLIENT_ID}x` }, body: note });
  assert.deepEqual([forged.status, json(forged), forged.adobe], [401, { error: 'credentials_mismatch' }, null]);
  assert.equal(origin.received.length, before + 1, 'forwarded once');
  assert.equal(origin.received.at(-1).body.toString(), note);
  // Events on the other new handshake sources still go through, and never echo a header.
  const wlEvent = JSON.stringify({ apiVersion: 'v1', id: `wl-${Date.now()}`, type: 'payment.created' });
  const wl = await send('/hooks/worldline', { method: 'POST', headers: { 'content-type': 'application/json', 'x-gcs-signature': hmac('sha256', SECRETS.WORLDLINE_SECRET, wlEvent, 'base64'), 'x-gcs-keyid': 'k1' }, body: wlEvent });
  assert.deepEqual([wl.status, json(wl), wl.adobe], [200, { status: 'accepted' }, null]);
  const form = `type=subscribe&fired_at=2026-01-01+00%3A00%3A00&data%5Bid%5D=e2e${Date.now()}`;
  const mc = await send(`/hooks/mailchimp?secret=${SECRETS.MAILCHIMP_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  assert.deepEqual([mc.status, json(mc), mc.adobe], [200, { status: 'accepted' }, null]);
  assert.equal(origin.received.length, before + 3);
});

test('GET is 405 on a source without a GET handshake, and on one with a POST handshake', async () => {
  for (const path of ['/hooks/github', '/hooks/github?crc_token=abc', '/hooks/zoom', '/hooks/discord', '/hooks/xero', '/hooks/nope']) {
    const r = await send(path);
    assert.deepEqual([r.status, json(r)], [405, { error: 'method_not_allowed' }], path);
  }
  const put = await fetch(gate.url('/hooks/dropbox?challenge=abc'), { method: 'PUT', body: 'x' });
  assert.deepEqual([put.status, await put.json(), put.headers.get('allow')], [405, { error: 'method_not_allowed' }, 'GET, POST']);
  const get = await fetch(gate.url('/hooks/github'));
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
  await get.arrayBuffer();
});

test('bad handshakes are refused with their reason, never answered or forwarded', async () => {
  const before = origin.received.length;
  const ping = JSON.stringify({ id: '1', type: 1 });
  const validation = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1, event: 'endpoint.url_validation' });
  const itr = JSON.stringify({ events: [], lastEventSequence: 0, firstEventSequence: 0, entropy: 'x' });
  const cases = [
    ['/hooks/dropbox', {}, 400, 'challenge_missing'],
    ['/hooks/dropbox?challenge=%3Cscript%3Ealert(1)%3C%2Fscript%3E', {}, 400, 'challenge_malformed'],
    ['/hooks/x', {}, 400, 'challenge_missing'],
    [`/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=${SECRETS.META_VERIFY}x&hub.challenge=1`, {}, 401, 'credentials_mismatch'],
    ['/hooks/whatsapp?hub.mode=subscribe&hub.challenge=1', {}, 401, 'credentials_missing'],
    ['/hooks/okta', { headers: { 'x-okta-verification-challenge': 'abc' } }, 401, 'credentials_missing'],
    ['/hooks/okta', { headers: { authorization: SECRETS.OKTA_TOKEN } }, 400, 'challenge_missing'],
    ['/hooks/discord', { method: 'POST', headers: discordHeaders(ping, generateKeyPairSync('ed25519').privateKey), body: ping }, 401, 'signature_mismatch'],
    ['/hooks/zoom', { method: 'POST', headers: zoomHeaders(validation, 'not-the-zoom-secret'), body: validation }, 401, 'signature_mismatch'],
    ['/hooks/xero', { method: 'POST', headers: { 'x-xero-signature': hmac('sha256', 'wrong-key', itr, 'base64') }, body: itr }, 401, 'signature_mismatch'],
    ['/hooks/worldline', {}, 400, 'challenge_missing'],
    ['/hooks/worldline', { headers: { 'x-gcs-webhooks-endpoint-verification': '<script>alert(1)</script>' } }, 400, 'challenge_malformed'],
    ['/hooks/worldline', { headers: { 'x-gcs-webhooks-endpoint-verification': '{"id":"1","type":"payment.paid"}' } }, 400, 'challenge_malformed'],
    ['/hooks/mailchimp', {}, 401, 'credentials_missing'],
    [`/hooks/mailchimp?secret=${SECRETS.MAILCHIMP_SECRET}x`, {}, 401, 'credentials_mismatch'],
    ['/hooks/adobe_sign', {}, 401, 'credentials_missing'],
    ['/hooks/adobe_sign', { headers: { 'x-adobesign-clientid': 'CBJCHBCAABAAsomeoneelse' } }, 401, 'credentials_mismatch'],
  ];
  for (const [path, init, status, code] of cases) {
    const r = await send(path, init);
    assert.deepEqual([r.status, json(r), r.adobe], [status, { error: code }, null], `${path} ${init.method ?? 'GET'}`);
  }
  assert.equal(origin.received.length, before);
});

test('the CRC is no signing oracle: a body signed through a CRC answer is refused', async () => {
  const before = origin.received.length;
  // A body that fits the token alphabet gets an answer, which is a valid X signature of it...
  const forged = 'eyJmb3JfdXNlcl9pZCI6IjEifQ';
  const crc = await send(`/hooks/x?crc_token=${forged}`);
  assert.equal(crc.status, 200);
  const signature = json(crc).response_token;
  assert.equal(signature, `sha256=${hmac('sha256', SECRETS.X_SECRET, forged, 'base64')}`);
  // ...but hookgate forwards only JSON objects, which no answerable token is.
  const replay = await send('/hooks/x', { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature }, body: forged });
  assert.deepEqual([replay.status, json(replay)], [400, { error: 'body_not_json' }]);
  // A token that is a JSON event (or any text with `{`, `"`, `:` or spaces) is not signed at all.
  const event = JSON.stringify({ for_user_id: '1', tweet_create_events: [] });
  const refused = await send(`/hooks/x?crc_token=${encodeURIComponent(event)}`);
  assert.deepEqual([refused.status, json(refused)], [400, { error: 'challenge_malformed' }]);
  const long = await send(`/hooks/x?crc_token=${'a'.repeat(257)}`);
  assert.deepEqual([long.status, json(long)], [400, { error: 'challenge_malformed' }]);
  assert.equal(origin.received.length, before, 'nothing forwarded');
});
