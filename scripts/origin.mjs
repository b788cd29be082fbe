#!/usr/bin/env node
// `npm run origin` (and `npm start`): a local origin for every local source. It answers 200
// on any path and prints each delivery: source, event id, key label, shadow verdict, the
// headers, the body size, and whether hookgate's own signature on it is valid.
//
// hookgate signs what it forwards when the source has `destination.signing_secret`: Standard
// Webhooks headers `webhook-id` (the X-Hookgate-Event-Id), `webhook-timestamp` (unix
// seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
// where the key is the base64 after `whsec_` (src/forward.rs). This origin checks that with
// ORIGIN_SIGNING_SECRET (environment, else .dev.vars), and that the timestamp is within 5 min.
//   ORIGIN_PORT=8788 (default)   ORIGIN_QUIET=1 prints one line per delivery
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { devVar } from './dev-vars.mjs';

/** Tolerance of the origin's own timestamp check, as the Standard Webhooks libraries use. */
export const TOLERANCE_SECS = 300;

/**
 * Checks hookgate's signature on a forwarded request. `headers` lower-case names.
 * Returns 'valid', 'unsigned' (no signature header, or no secret to check it with),
 * 'stale' (valid but its timestamp is over 5 min away) or 'INVALID'.
 */
export function checkHookgateSignature(headers, body, secret, nowSecs = Math.floor(Date.now() / 1000)) {
  const sig = headers['webhook-signature'];
  if (!sig || !secret) return 'unsigned';
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const mac = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`).update(body).digest();
  const ok = sig.split(' ').some((s) => {
    if (!s.startsWith('v1,')) return false;
    const got = Buffer.from(s.slice(3), 'base64');
    return got.length === mac.length && timingSafeEqual(got, mac);
  });
  if (!ok) return 'INVALID';
  return Math.abs(nowSecs - Number(headers['webhook-timestamp'])) > TOLERANCE_SECS ? 'stale' : 'valid';
}

/** Starts the origin; `onDelivery(entry)` sees each one. Resolves to the server. */
export function startOrigin({ port = 8788, secret, quiet = false, log = console.log, onDelivery } = {}) {
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const h = req.headers;
      const signature = checkHookgateSignature(h, body, secret);
      const entry = { n: ++count, method: req.method, path: req.url, source: h['x-hookgate-source'], eventId: h['x-hookgate-event-id'], key: h['x-hookgate-key'], verdict: h['x-hookgate-verdict'], signature, bytes: body.length, headers: h, body };
      const verdict = entry.verdict ? ` verdict="${entry.verdict}"` : '';
      log(`[origin] #${entry.n} ${req.method} ${req.url} source=${entry.source ?? '-'} event=${entry.eventId ?? '-'} key=${entry.key ?? '-'}${verdict} ${body.length} bytes, hookgate signature: ${signature}`);
      if (!quiet) {
        for (const [k, v] of Object.entries(h)) log(`[origin]     ${k}: ${v}`);
        log(`[origin]     body: ${body.toString('utf8').slice(0, 300)}${body.length > 300 ? '…' : ''}`);
      }
      onDelivery?.(entry);
      // An invalid signature means the request did not come through hookgate unaltered.
      const status = signature === 'INVALID' ? 401 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"ok":true}' : '{"error":"hookgate_signature_invalid"}');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.ORIGIN_PORT || 8788);
  const secret = process.env.ORIGIN_SIGNING_SECRET || devVar('ORIGIN_SIGNING_SECRET');
  await startOrigin({ port, secret, quiet: process.env.ORIGIN_QUIET === '1' });
  console.log(`[origin] listening on http://127.0.0.1:${port}/ (any path)${secret ? ", checking hookgate's signature with ORIGIN_SIGNING_SECRET" : ': no ORIGIN_SIGNING_SECRET, signatures not checked'}`);
  // Which local sources deliver here (reads wrangler.toml as wrangler does; a few seconds).
  import('./send.mjs')
    .then(({ readHookgate }) => readHookgate({ env: process.env.HOOKGATE_ENV }))
    .then((hookgate) => {
      const here = Object.entries(hookgate.sources ?? {}).filter(([, s]) => {
        try {
          const u = new URL(s.destination?.origin ?? '');
          return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && Number(u.port || 80) === port;
        } catch {
          return false;
        }
      });
      const list = here.map(([n, s]) => `${n} (${s.scheme?.type}${s.mode === 'shadow' ? ', shadow' : ''}${s.destination?.signing_secret ? ', signed' : ''})`);
      console.log(`[origin] local sources delivering here: ${list.join(', ') || 'none'}; try: npm run send -- ${here[0]?.[0] ?? '<source>'}`);
    })
    .catch(() => {});
}
