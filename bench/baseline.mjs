// Baseline: the same work as hookgate's KV mode, written by hand in JavaScript: verify an
// HMAC-SHA256 with WebCrypto (constant time), look the event id up in KV, forward the body
// to the origin, remember the id in KV, and (with LOG = "1") log one JSON line with the
// fields hookgate's line has for the same outcome.
import { signatureValid } from './verify.mjs';

export default {
  async fetch(request, env) {
    const started = Date.now();
    const body = await request.arrayBuffer();
    const log = (line) => { if (env.LOG === '1') console.log(JSON.stringify({ component: 'baseline', ...line, latency_ms: Date.now() - started })); };
    if (!(await signatureValid(request, body, env.SECRET))) {
      log({ source: 'kv', outcome: 'rejected', reason: 'signature_mismatch', status: 401 });
      return Response.json({ error: 'signature_mismatch' }, { status: 401 });
    }
    const id = JSON.parse(new TextDecoder().decode(body)).id;
    const kvKey = `baseline:${id}`;
    if (await env.KV.get(kvKey)) {
      log({ source: 'kv', event_id: id, outcome: 'duplicate', status: 200, key: 'k' });
      return Response.json({ status: 'duplicate' });
    }
    const res = await fetch(env.ORIGIN, { method: 'POST', headers: { 'content-type': 'application/json', 'x-event-id': id }, body });
    await res.body?.cancel();
    if (!res.ok) {
      log({ source: 'kv', event_id: id, outcome: 'failed', reason: 'origin_error', status: 502, key: 'k', target: 'origin', origin_status: res.status });
      return Response.json({ error: 'origin_error' }, { status: 502 });
    }
    await env.KV.put(kvKey, '1', { expirationTtl: 259200 });
    log({ source: 'kv', event_id: id, outcome: 'accepted', status: 200, key: 'k', target: 'origin', origin_status: res.status, remembered: true });
    return Response.json({ status: 'accepted' });
  },
};
