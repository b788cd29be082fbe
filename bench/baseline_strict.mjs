// Baseline for strict mode: bench/baseline.mjs's work with a Durable Object in place of KV,
// written by hand. The Worker verifies the HMAC with WebCrypto, claims the event id on one
// of 16 SQLite-backed objects (by a hash of the id), forwards the body, commits the id, and
// logs one JSON line: two object round trips per event, as hookgate's strict mode makes.
import { DurableObject } from 'cloudflare:workers';

import { signatureValid } from './verify.mjs';

function shard(id) {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return `baseline:${h % 16}`;
}

export class Ids extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS ids (key TEXT PRIMARY KEY, done INTEGER, until_ms INTEGER)');
  }

  async fetch(request) {
    const url = new URL(request.url);
    const id = url.searchParams.get('id');
    const now = Date.now();
    const row = this.ctx.storage.sql.exec('SELECT done, until_ms FROM ids WHERE key = ?', id).toArray()[0];
    if (url.pathname === '/claim') {
      if (row && row.until_ms > now) return new Response(null, { status: row.done ? 200 : 409 });
      this.ctx.storage.sql.exec('INSERT OR REPLACE INTO ids (key, done, until_ms) VALUES (?, 0, ?)', id, now + 15_000);
      return new Response(null, { status: 201 });
    }
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO ids (key, done, until_ms) VALUES (?, 1, ?)', id, now + 259_200_000);
    return new Response(null, { status: 204 });
  }
}

export default {
  async fetch(request, env) {
    const started = Date.now();
    const body = await request.arrayBuffer();
    const log = (line) => console.log(JSON.stringify({ component: 'baseline', ...line, latency_ms: Date.now() - started }));
    if (!(await signatureValid(request, body, env.SECRET))) {
      log({ source: 'strict', outcome: 'rejected', reason: 'signature_mismatch', status: 401 });
      return Response.json({ error: 'signature_mismatch' }, { status: 401 });
    }
    const id = JSON.parse(new TextDecoder().decode(body)).id;
    const stub = env.IDS.get(env.IDS.idFromName(shard(id)));
    const claim = await stub.fetch(`https://ids/claim?id=${encodeURIComponent(id)}`);
    if (claim.status === 200) {
      log({ source: 'strict', event_id: id, outcome: 'duplicate', status: 200, key: 'k' });
      return Response.json({ status: 'duplicate' });
    }
    if (claim.status === 409) return Response.json({ error: 'in_flight' }, { status: 409 });
    const res = await fetch(env.ORIGIN, { method: 'POST', headers: { 'content-type': 'application/json', 'x-event-id': id }, body });
    await res.body?.cancel();
    if (!res.ok) {
      log({ source: 'strict', event_id: id, outcome: 'failed', reason: 'origin_error', status: 502, key: 'k', target: 'origin', origin_status: res.status });
      return Response.json({ error: 'origin_error' }, { status: 502 });
    }
    await stub.fetch(`https://ids/commit?id=${encodeURIComponent(id)}`);
    log({ source: 'strict', event_id: id, outcome: 'accepted', status: 200, key: 'k', target: 'origin', origin_status: res.status, remembered: true });
    return Response.json({ status: 'accepted' });
  },
};
