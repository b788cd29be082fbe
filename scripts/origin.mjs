#!/usr/bin/env node
// A local origin for `npm start`: prints every event hookgate forwards, and checks
// hookgate's own Standard Webhooks signature when ORIGIN_SIGNING_SECRET is known.
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

const port = Number(process.env.ORIGIN_PORT || 8788);
const secret = process.env.ORIGIN_SIGNING_SECRET || readDevVar('ORIGIN_SIGNING_SECRET');

function readDevVar(name) {
  try {
    const line = readFileSync('.dev.vars', 'utf8').split('\n').find((l) => l.startsWith(`${name}=`));
    return line ? line.slice(name.length + 1).trim() : undefined;
  } catch {
    return undefined;
  }
}

function checkSignature(headers, body) {
  if (!secret || !headers['webhook-signature']) return 'unsigned';
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const mac = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`)
    .update(body)
    .digest();
  const ok = headers['webhook-signature'].split(' ').some((s) => {
    const sig = Buffer.from(s.replace(/^v1,/, ''), 'base64');
    return sig.length === mac.length && timingSafeEqual(sig, mac);
  });
  return ok ? 'valid hookgate signature' : 'INVALID hookgate signature';
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    console.log(
      `[origin] ${req.method} ${req.url} source=${req.headers['x-hookgate-source']} ` +
        `event=${req.headers['x-hookgate-event-id']} key=${req.headers['x-hookgate-key']} ` +
        `(${checkSignature(req.headers, body)}) ${body.length} bytes: ${body.toString('utf8').slice(0, 200)}`,
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
}).listen(port, '127.0.0.1', () => console.log(`[origin] demo origin listening on http://127.0.0.1:${port}/events`));
