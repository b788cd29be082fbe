// Event-type filters through real workerd: an authentic event whose type the source's
// `filter.events` holds back is answered 200 {"status":"filtered"}, never reaches the
// origin, is not remembered (a copy is filtered again, not a duplicate) and is logged with
// its type; a forged request is refused as before, whatever type it claims.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startHookgate, startOrigin, answer, waitFor } from './harness.mjs';

const GH = `gh-secret-${randomUUID()}`;
const SHOP = `shop-secret-${randomUUID()}`;
const COW = `cow-token-${randomUUID()}`;
const ACME = `acme-secret-${randomUUID()}`;
let origin;
let gate;

before(async () => {
  origin = await startOrigin();
  const dest = (p) => ({ origin: origin.url(p) });
  gate = await startHookgate({
    config: {
      sources: {
        gh: { scheme: { type: 'github' }, secrets: [{ label: 'k', env: 'GH' }], destination: dest('/gh'), filter: { events: ['push', 'pull_request*'] } },
        shop: { scheme: { type: 'shopify' }, secrets: [{ label: 'k', env: 'SHOP' }], destination: dest('/shop'), filter: { events: ['!customers/*'] } },
        cow: { scheme: { type: 'cowbell' }, secrets: [{ label: 'k', env: 'COW' }], destination: dest('/cow'), filter: { events: ['policy.*', '!policy.deleted'] } },
        acme: {
          scheme: { type: 'hmac', signature_header: 'x-sig', event_id: { pointer: '/id' }, event_type: { pointer: '/type' } },
          secrets: [{ label: 'k', env: 'ACME' }], destination: dest('/acme'), filter: { events: ['invoice.*'], when_absent: 'filter' },
        },
      },
    },
    secrets: { GH, SHOP, COW, ACME },
  });
});
after(async () => { await gate?.stop(); await origin?.close(); });

const gh = (type, { secret = GH, id = randomUUID() } = {}) => {
  const body = JSON.stringify({ zen: 'x', hook_id: id, kind: type });
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sig}`, 'x-github-event': type, 'x-github-delivery': id } };
};
const forwarded = (path) => origin.received.filter((r) => r.url === path);

test('an allow list forwards listed types and filters the rest, after verifying, without remembering them', async () => {
  const push = gh('push');
  assert.deepEqual(await answer(await gate.post('/hooks/gh', push)), { status: 200, json: { status: 'accepted' } });
  assert.deepEqual(await answer(await gate.post('/hooks/gh', gh('pull_request_review'))), { status: 200, json: { status: 'accepted' } });
  const issues = gh('issues');
  assert.deepEqual(await answer(await gate.post('/hooks/gh', issues)), { status: 200, json: { status: 'filtered' } });
  // Not remembered: the same delivery again is filtered again, not a duplicate.
  assert.deepEqual(await answer(await gate.post('/hooks/gh', issues)), { status: 200, json: { status: 'filtered' } });
  // The copy of an accepted one is still a duplicate (dedupe is untouched).
  assert.deepEqual(await answer(await gate.post('/hooks/gh', push)), { status: 200, json: { status: 'duplicate' } });
  // Forged: refused whatever the type, listed or not.
  for (const type of ['push', 'issues']) {
    assert.deepEqual(await answer(await gate.post('/hooks/gh', gh(type, { secret: 'wrong' }))), { status: 401, json: { error: 'signature_mismatch' } });
  }
  const unsigned = gh('issues');
  delete unsigned.headers['x-hub-signature-256'];
  assert.deepEqual(await answer(await gate.post('/hooks/gh', unsigned)), { status: 401, json: { error: 'signature_missing' } });
  assert.equal(forwarded('/gh').length, 2);
  assert.deepEqual(forwarded('/gh').map((r) => JSON.parse(r.body).kind), ['push', 'pull_request_review']);
  assert.ok(await waitFor(() => gate.lines().filter((l) => l.outcome === 'filtered' && l.source === 'gh').length === 2), gate.logs());
  const line = gate.lines().find((l) => l.outcome === 'filtered');
  assert.equal(line.event_type, 'issues');
  assert.equal(line.status, 200);
  assert.equal(line.key, 'k');
  // Only the accepted events are in KV: filtered ones wrote nothing.
  const { out } = await gate.cli('kv', 'key', 'list', '--binding', 'HOOKGATE_KV');
  const keys = JSON.parse(out.slice(out.indexOf('[')));
  assert.equal(keys.filter((k) => k.name.includes(':gh:')).length, 2, out);
});

test('a deny list on a header (Shopify topic) and a body field (Cowbell /meta/event)', async () => {
  const shop = (topic) => {
    const body = JSON.stringify({ id: randomUUID() });
    const sig = createHmac('sha256', SHOP).update(body).digest('base64');
    return { body, headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': sig, 'x-shopify-topic': topic, 'x-shopify-webhook-id': randomUUID() } };
  };
  assert.equal((await answer(await gate.post('/hooks/shop', shop('orders/create')))).json.status, 'accepted');
  assert.equal((await answer(await gate.post('/hooks/shop', shop('customers/redact')))).json.status, 'filtered');
  assert.equal(forwarded('/shop').length, 1);

  const cow = (event, token = COW) => ({
    body: JSON.stringify({ meta: { event }, data: { quoteId: randomUUID(), policyId: 'p', modified: '1' } }),
    headers: { 'content-type': 'application/json' },
    token,
  });
  const send = (e) => gate.post(`/hooks/cow?token=${encodeURIComponent(e.token)}`, e);
  assert.equal((await answer(await send(cow('policy.bound')))).json.status, 'accepted');
  assert.equal((await answer(await send(cow('policy.deleted')))).json.status, 'filtered', 'the last matching pattern decides');
  assert.equal((await answer(await send(cow('team.created')))).json.status, 'filtered', 'an allow list: unmatched is filtered');
  assert.deepEqual(await answer(await send(cow('policy.bound', 'wrong'))), { status: 401, json: { error: 'credentials_mismatch' } });
  assert.equal(forwarded('/cow').length, 1);
});

test('when_absent = "filter" holds back an authentic event without a type; a configured pointer is read', async () => {
  const acme = (obj) => {
    const body = JSON.stringify({ id: randomUUID(), ...obj });
    return { body, headers: { 'content-type': 'application/json', 'x-sig': createHmac('sha256', ACME).update(body).digest('hex') } };
  };
  assert.equal((await answer(await gate.post('/hooks/acme', acme({ type: 'invoice.paid' })))).json.status, 'accepted');
  assert.equal((await answer(await gate.post('/hooks/acme', acme({})))).json.status, 'filtered');
  assert.equal((await answer(await gate.post('/hooks/acme', acme({ type: 42 })))).json.status, 'filtered');
  assert.equal((await answer(await gate.post('/hooks/acme', acme({ type: 'charge.failed' })))).json.status, 'filtered');
  assert.equal(forwarded('/acme').length, 1);
  const absent = gate.lines().filter((l) => l.outcome === 'filtered' && l.source === 'acme');
  assert.ok(absent.some((l) => l.event_type === undefined), JSON.stringify(absent));
  await gate.scanSecrets();
});
