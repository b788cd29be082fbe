// Replay: captured genuine deliveries of every preset whose event id the signature does not
// cover (GitHub, Shopify, Twilio) and of a configured source whose id header sits outside
// its signed content (the README's `acme`), signed with the providers' own libraries, are
// re-sent with fresh unsigned id headers and other unsigned headers changed. None is
// forwarded again; every distinct event is forwarded once, with the provider's own id; the
// provider's own redelivery is a duplicate; distinct events are never merged. In KV and in
// strict mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { getHmac as shopifyHmac } from '@shopify/shopify-api/test-helpers';
import twilio from 'twilio';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const KEY = { github: `gh-${randomUUID()}`, shopify: `shpss_${randomUUID()}`, twilio: randomUUID().replace(/-/g, ''), acme: randomUUID() };
const MODES = ['kv', 'strict'];
let origin;
let gate;

before(async () => {
  origin = await startOrigin();
  const sources = {};
  for (const mode of MODES) {
    const src = (type, scheme, name = type) => ({
      scheme: { type, ...scheme }, secrets: [{ label: 'k', env: `${name.toUpperCase()}_KEY` }], dedupe: { mode },
      destination: { origin: origin.url(`/${name}-${mode}`) },
    });
    sources[`github-${mode}`] = src('github');
    sources[`shopify-${mode}`] = src('shopify');
    sources[`twilio-${mode}`] = src('twilio');
    sources[`acme-${mode}`] = {
      ...src('hmac', { signature_header: 'x-acme-signature', signed_content: '{timestamp}.{body}', timestamp: { header: 'x-acme-timestamp' }, encoding: 'base64', event_id: { header: 'x-acme-delivery' } }, 'acme'),
      tolerance_secs: 600,
    };
  }
  gate = await startHookgate({
    config: { sources },
    secrets: { GITHUB_KEY: KEY.github, SHOPIFY_KEY: KEY.shopify, TWILIO_KEY: KEY.twilio, ACME_KEY: KEY.acme },
    extra: { durable_objects: { bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject' }] }, migrations: [{ tag: 'v1', new_sqlite_classes: ['DedupeObject'] }] },
  });
});

after(async () => {
  await gate?.stop();
  await origin?.close();
});

const fresh = () => randomUUID();

/** Genuine deliveries per provider: `make(i)` gives { headers, body } signed by the provider's library; `idHeader` is its unsigned id. */
const providers = {
  github: {
    idHeader: 'x-github-delivery',
    async make(i, path) {
      const body = JSON.stringify({ action: 'opened', number: i, pull_request: { id: 1000 + i, title: `Fix ${i} ✓` } });
      return { body, headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': fresh(), 'x-hub-signature-256': await githubSign(KEY.github, body) } };
    },
  },
  shopify: {
    idHeader: 'x-shopify-webhook-id',
    async make(i) {
      const body = JSON.stringify({ id: 820982911946154500 + i, total_price: `${100 + i}.00`, currency: 'EUR' });
      return { body, headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': fresh(), 'x-shopify-triggered-at': new Date().toISOString(), 'x-shopify-hmac-sha256': shopifyHmac(body, KEY.shopify) } };
    },
  },
  twilio: {
    idHeader: 'i-twilio-idempotency-token',
    // Status callbacks: events 0/1 and 2/3 are `sent` then `delivered` for the same message.
    async make(i, path) {
      const params = { MessageSid: `SM${String(Math.floor(i / 2)).padStart(32, '0')}`, MessageStatus: i % 2 ? 'delivered' : 'sent', AccountSid: 'AC00000000000000000000000000h00k', To: '+14155550199' };
      const body = new URLSearchParams(params).toString();
      const url = gate.url(path);
      return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'i-twilio-idempotency-token': fresh(), 'x-twilio-signature': twilio.getExpectedTwilioSignature(KEY.twilio, url, params) } };
    },
  },
  acme: {
    idHeader: 'x-acme-delivery',
    async make(i, path, ts = Math.floor(Date.now() / 1000)) {
      const body = JSON.stringify({ event: 'quote.created', quote: `q_${i}` });
      const sig = createHmac('sha256', KEY.acme).update(`${ts}.${body}`).digest('base64');
      return { body, headers: { 'content-type': 'application/json', 'x-acme-timestamp': String(ts), 'x-acme-delivery': fresh(), 'x-acme-signature': sig } };
    },
  },
};

for (const mode of MODES) {
  for (const [name, p] of Object.entries(providers)) {
    test(`${name} (${mode}): captured deliveries replayed with fresh unsigned headers are never forwarded again`, async () => {
      const path = `/hooks/${name}-${mode}`;
      const received = () => origin.received.filter((r) => r.url === `/${name}-${mode}`);
      const genuine = [];
      for (let i = 0; i < 4; i++) genuine.push(await p.make(i, path));
      for (const g of genuine) {
        assert.deepEqual(await answer(await gate.post(path, g)), { status: 200, json: { status: 'accepted' } }, `${name}: genuine`);
      }
      assert.equal(received().length, 4, 'four distinct events, four deliveries: none merged');
      // The origin got each provider's own id.
      assert.deepEqual(received().map((r) => r.headers['x-hookgate-event-id']), genuine.map((g) => g.headers[p.idHeader]));
      // The attacker re-sends each capture three times with a fresh id and other unsigned headers changed.
      for (const g of genuine) {
        for (let k = 0; k < 3; k++) {
          const headers = { ...g.headers, [p.idHeader]: fresh(), 'x-replayed-by': `attacker-${k}`, 'user-agent': `curl/${k}` };
          if (headers['x-github-event']) headers['x-github-event'] = 'push';
          if (headers['x-shopify-triggered-at']) headers['x-shopify-triggered-at'] = new Date(Date.now() + k).toISOString();
          assert.deepEqual(await answer(await gate.post(path, { headers, body: g.body })), { status: 200, json: { status: 'duplicate' } }, `${name}: replay ${k}`);
        }
        // The provider's own redelivery (same id) is a duplicate too.
        assert.deepEqual(await answer(await gate.post(path, g)), { status: 200, json: { status: 'duplicate' } }, `${name}: redelivery`);
      }
      assert.equal(received().length, 4, 'no replay reached the origin');
      if (name === 'acme') {
        // The provider's retry re-signs with a new timestamp (and a new delivery id): still the same event.
        const retry = await p.make(0, path, Math.floor(Date.now() / 1000) - 30);
        assert.deepEqual(await answer(await gate.post(path, retry)), { status: 200, json: { status: 'duplicate' } });
        assert.equal(received().length, 4);
      }
    });
  }
}
