#!/usr/bin/env node
// Sends a correctly signed demo event to the local hookgate:
//   npm run send                       -> a new event, signed with the demo secret (expect 200)
//   npm run send -- --secret wrong     -> signed with another secret (expect 401)
//   npm run send -- --id evt_1         -> a fixed event id (send twice: the second is a duplicate)
//   npm run send -- --url http://127.0.0.1:8787/hooks/demo
import { createHmac, randomUUID } from 'node:crypto';
import { devVar } from './dev-vars.mjs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.HOOKGATE_URL || 'http://127.0.0.1:8787/hooks/demo' },
    secret: { type: 'string' },
    id: { type: 'string' },
  },
});

const secret = values.secret ?? devVar('DEMO_SECRET');
const id = values.id ?? `evt_${randomUUID()}`;
const body = JSON.stringify({ id, type: 'demo.ping', created: Math.floor(Date.now() / 1000), data: { hello: 'world' } });
const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const res = await fetch(values.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-signature': signature },
  body,
});
console.log(`${res.status} ${await res.text()}`);
process.exitCode = res.ok ? 0 : 1;
