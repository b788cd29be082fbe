// A soak with accounting, against a real hookgate under `wrangler dev` on loopback: genuine
// events with provider-style retries, concurrent copies, redeliveries, forged and expired
// requests, and an origin that fails some deliveries. At the end every request is accounted
// for: each genuine event reached the origin (exactly once in strict mode; extras counted in
// KV mode), no forged or expired one did, and workerd's memory is sampled throughout.
// Used by `npm run soak` (about 20,000 requests) and, shortened, by tests/e2e/soak.test.mjs.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { startHookgate, startOrigin, answer } from './harness.mjs';

const SECRET = `soak-${randomUUID()}`;
const ADMIN = `soak-admin-${randomUUID()}`;
const sign = (ts, body, key = SECRET) => `sha256=${createHmac('sha256', key).update(`${ts}.${body}`).digest('hex')}`;
// Deterministic failures: about 10% of deliveries, chosen by a hash of the event and attempt.
const fails = (id, attempt) => createHash('sha256').update(`${id}/${attempt}`).digest()[0] < 26;

/** Resident memory (kB) of the workerd processes under `rootPid`'s process group. */
function workerdRssKb(rootPid) {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== rootPid || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]);
    } catch { /* the process ended */ }
  }
  return total;
}

export async function runSoak({ requests = 20_000, concurrency = 24, log = () => {} } = {}) {
  const attempts = new Map();
  const origin = await startOrigin(({ body }) => {
    let id;
    try { id = JSON.parse(body.toString()).id; } catch { return {}; }
    const n = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, n);
    return { status: fails(id, n) ? 503 : 200 };
  });
  const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', signed_content: '{timestamp}.{body}', timestamp: { header: 'x-timestamp' }, event_id: { pointer: '/id' } };
  const source = (mode) => ({ scheme, secrets: [{ label: 'k', env: 'SECRET' }], tolerance_secs: 300, dedupe: { mode }, destination: { origin: origin.url(`/${mode}`), timeout_ms: 5000 } });
  const gate = await startHookgate({
    config: { sources: { strict: source('strict'), kv: source('kv') } },
    secrets: { SECRET, HOOKGATE_ADMIN_TOKEN: ADMIN },
    extra: { durable_objects: { bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject' }] }, migrations: [{ tag: 'v1', new_sqlite_classes: ['DedupeObject'] }] },
  });
  const counts = { sent: 0, genuine: 0, forged: 0, expired: 0, statuses: {} };
  // Two figures, each second: the Worker's own wasm memory (from /hookgate/stats), and the
  // resident memory of workerd as a whole (which, under wrangler dev, grows with every
  // request even for an empty JavaScript Worker: the dev server's own bookkeeping).
  const memory = [];
  const wasm = [];
  const sample = async () => {
    memory.push(workerdRssKb(gate.pid));
    try {
      const res = await fetch(gate.url('/hookgate/stats'), { headers: { authorization: `Bearer ${ADMIN}` } });
      wasm.push((await res.json()).wasm_memory_bytes);
    } catch { /* sampled again in a second */ }
  };
  await sample();
  const sampler = setInterval(sample, 1000);
  const post = async (mode, body, headers) => {
    counts.sent += 1;
    const res = await answer(await gate.post(`/hooks/${mode}`, { headers: { 'content-type': 'application/json', ...headers }, body }));
    counts.statuses[res.status] = (counts.statuses[res.status] ?? 0) + 1;
    return res;
  };
  const now = () => Math.floor(Date.now() / 1000);
  // One genuine event: a provider that retries 5xx and 409 until 2xx, sometimes with a
  // concurrent copy, sometimes redelivered afterwards. Each try is a new signed request.
  const genuine = async (mode, id) => {
    const body = JSON.stringify({ id, type: 'policy.bound', premium: id.length });
    const copy = async () => {
      for (let tries = 0; tries < 40; tries++) {
        const ts = now();
        const res = await post(mode, body, { 'x-timestamp': String(ts), 'x-signature': sign(ts, body) });
        if (res.status < 300) return true;
        await new Promise((r) => setTimeout(r, res.status === 409 ? 200 : 50));
      }
      return false;
    };
    const copies = Math.random() < 0.3 ? 2 : 1;
    const done = await Promise.all(Array.from({ length: copies }, copy));
    if (Math.random() < 0.2) done.push(await copy());
    return done.every(Boolean);
  };
  const forged = async (mode) => {
    counts.forged += 1;
    const body = JSON.stringify({ id: `forged-${randomUUID()}`, type: 'policy.cancelled' });
    const ts = now();
    const res = await post(mode, body, { 'x-timestamp': String(ts), 'x-signature': sign(ts, body, 'guessed-key-1234') });
    return res.status === 401;
  };
  const expired = async (mode) => {
    counts.expired += 1;
    const body = JSON.stringify({ id: `expired-${randomUUID()}`, type: 'policy.bound' });
    const ts = now() - 3600;
    const res = await post(mode, body, { 'x-timestamp': String(ts), 'x-signature': sign(ts, body) });
    return res.status === 401;
  };

  const events = { strict: [], kv: [] };
  const lost = [];
  const wrongRefusals = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (counts.sent < requests) {
      const i = next++;
      const mode = i % 2 ? 'kv' : 'strict';
      const roll = i % 10;
      if (roll === 8) {
        if (!(await forged(mode))) wrongRefusals.push('forged');
      } else if (roll === 9) {
        if (!(await expired(mode))) wrongRefusals.push('expired');
      } else {
        const id = `soak-${mode}-${i}-${randomUUID().slice(0, 8)}`;
        events[mode].push(id);
        counts.genuine += 1;
        if (!(await genuine(mode, id))) lost.push(id);
      }
      if (counts.genuine % 500 === 0) log(`${counts.sent} requests, ${counts.genuine} events, wasm memory ${wasm.at(-1)} bytes`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    const secs = (Date.now() - started) / 1000;
    const delivered = (path) => {
      const m = new Map();
      for (const r of origin.received) if (r.url === path && r.answered === 200) m.set(r.headers['x-hookgate-event-id'], (m.get(r.headers['x-hookgate-event-id']) ?? 0) + 1);
      return m;
    };
    await sample();
    const report = {
      secs, ...counts, lost, wrongRefusals,
      memoryKb: { first: memory[0], last: memory.at(-1), max: Math.max(...memory) },
      wasmBytes: { first: wasm[0], half: wasm[Math.floor(wasm.length / 2)], last: wasm.at(-1), max: Math.max(...wasm) },
    };
    for (const mode of ['strict', 'kv']) {
      const got = delivered(`/${mode}`);
      report[mode] = {
        events: events[mode].length,
        missing: events[mode].filter((id) => !got.has(id)),
        extras: events[mode].reduce((n, id) => n + Math.max(0, (got.get(id) ?? 0) - 1), 0),
      };
    }
    report.foreign = origin.received.filter((r) => /forged-|expired-/.test(r.body.toString())).length;
    return report;
  } finally {
    clearInterval(sampler);
    await gate.stop();
    await origin.close();
  }
}
