// `npm run profile [-- --secs 8]`: where the Worker's CPU goes, from V8's sampling profiler
// through wrangler dev's inspector, hookgate side by side with the hand-written baselines of
// `npm run bench` doing the same work: accepting genuine 1 KB events in KV mode with every
// line logged (against bench/baseline.mjs with its log line), rejecting forged ones with
// every line logged (the same baseline rejecting), and a flood of forged ones under the
// default sampling (against bench/empty.mjs). Each profile is summed by kind (hookgate's
// wasm, library wasm, JS glue, runtime built-ins such as fetch and KV) in busy µs per answered
// request, and hookgate's by function. Writes bench/profile.md. Loopback only, bounded in
// time, stops by itself. The profiler slows every Worker alike: compare, do not read rates.
import { createServer, request as httpRequest, Agent } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { startDev } from './wrangler_dev.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const SECS = arg('secs', 8);
const CONNS = 16;
const SECRET = `profile-${randomUUID()}`;
const PAD = 'x'.repeat(960);

const origin = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); });
origin.keepAliveTimeout = 60_000;
origin.listen(0, '127.0.0.1');
await once(origin, 'listening');

const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const originUrl = () => `http://127.0.0.1:${origin.address().port}/in`;
const hookgate = (rejections) => ({
  main: join(ROOT, 'build/worker/shim.mjs'),
  kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'profile' }],
  vars: { HOOKGATE: { log: { rejections }, sources: { kv: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'kv' }, destination: { origin: originUrl() } } } } },
});

const start = (name, config) => startDev('hookgate-profile', name, config, { SECRET }, { inspector: true });

const event = (forged) => () => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'policy.bound', pad: PAD });
  const mac = forged ? '0'.repeat(64) : createHmac('sha256', SECRET).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-signature': `sha256=${mac}` } };
};

async function load(port, path, make, secs) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNS });
  const statuses = {};
  let answered = 0;
  const end = Date.now() + secs * 1000;
  const one = () => new Promise((done) => {
    const { body, headers } = make();
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => { answered++; statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1; done(); });
    });
    req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; done(); });
    req.end(body);
  });
  await Promise.all(Array.from({ length: CONNS }, async () => { while (Date.now() < end) await one(); }));
  agent.destroy();
  return { answered, statuses };
}

/** The inspector's protocol over a WebSocket (Node's own; the inspector wants an Origin). */
async function connect(w, path) {
  await load(w.port, path, event(false), 1); // the isolate exists once it has served a request
  const targets = await (await fetch(`http://127.0.0.1:${w.inspector}/json`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { origin: 'http://localhost' } });
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('inspector connection failed')); });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data));
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
  };
  const send = (method, params = {}) => new Promise((ok) => { const i = ++id; pending.set(i, ok); ws.send(JSON.stringify({ id: i, method, params })); });
  return { send, close: () => ws.close() };
}

/** A frame's kind, from where V8 says it runs. */
function kind(frame) {
  const name = frame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(program)' || name === '(garbage collector)' || name === '(root)') return 'V8 and workerd (program, GC)';
  if (frame.url.startsWith('wasm://')) return /hookgate/.test(name) ? 'wasm: hookgate' : 'wasm: libraries and std';
  if (frame.url === '') return 'runtime built-ins (fetch, KV, Response, console, …)';
  return 'JS: wasm-bindgen glue, worker shim, wrangler middleware';
}

function summarise(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map();
  const byKind = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id).callFrame;
    const where = frame.url.startsWith('wasm://') || frame.url === '' ? '' : ` (${frame.url.split('/').pop()}:${frame.lineNumber + 1})`;
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(key, { kind: kind(frame), us: (byFunction.get(key)?.us ?? 0) + dt });
    byKind.set(kind(frame), (byKind.get(kind(frame)) ?? 0) + dt);
    total += dt;
  });
  const busy = total - (byKind.get('idle') ?? 0);
  return { total, busy, byKind, byFunction };
}

const KINDS = ['wasm: hookgate', 'wasm: libraries and std', 'JS: wasm-bindgen glue, worker shim, wrangler middleware', 'runtime built-ins (fetch, KV, Response, console, …)', 'V8 and workerd (program, GC)'];
const us = (s, k, n) => (s.byKind.get(k) ?? 0) / Math.max(1, n);

/** Profiles `secs` of `make` against each worker in turn; the summaries and counts. */
async function profileOf(w, path, make) {
  const conn = await connect(w, path);
  try {
    await conn.send('Profiler.enable');
    await conn.send('Profiler.setSamplingInterval', { interval: 100 });
    await conn.send('Profiler.start');
    const run = await load(w.port, path, make, SECS);
    const { profile } = await conn.send('Profiler.stop');
    // PROFILE_RAW=<dir> keeps each .cpuprofile (Chrome DevTools opens them).
    if (process.env.PROFILE_RAW) writeFileSync(join(process.env.PROFILE_RAW, `${w.name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    return { run, s: summarise(profile) };
  } finally {
    conn.close();
  }
}

const lines = [
  '## CPU profile (`npm run profile`)', '',
  `Measured ${new Date().toISOString().slice(0, 10)} with V8's sampling profiler (100 µs) through \`wrangler dev\`'s inspector, ${SECS} s each, ${CONNS} connections, 1 KB bodies, hookgate built with its function names, each workload also run against the JavaScript Worker \`npm run bench\` compares it with. The isolate's JavaScript thread only: workerd's own I/O threads and wrangler's log pipeline are outside it. The profiler slows every Worker alike: compare the columns, do not read them as rates.`,
];
const cases = [
  { label: 'accept, KV mode, every line logged', path: '/hooks/kv', forged: false, ours: 'hookgate_all', theirs: 'jslog', theirName: 'JS baseline + log' },
  { label: 'reject a forged signature, every line logged', path: '/hooks/kv', forged: true, ours: 'hookgate_all', theirs: 'jslog', theirName: 'JS + log rejecting' },
  { label: 'flood of forged requests, rejections sampled', path: '/hooks/kv', forged: true, ours: 'hookgate_sampled', theirs: 'empty', theirName: 'empty Worker' },
];
const workers = {};
try {
  workers.hookgate_all = await start('hookgate-all', hookgate('all'));
  workers.hookgate_sampled = await start('hookgate-sampled', hookgate('sampled'));
  workers.jslog = await start('jslog', { main: join(ROOT, 'bench/baseline.mjs'), vars: { ORIGIN: originUrl(), LOG: '1' }, kv_namespaces: [{ binding: 'KV', id: 'profile' }] });
  workers.empty = await start('empty', { main: join(ROOT, 'bench/empty.mjs') });
  for (const c of cases) {
    const ours = await profileOf(workers[c.ours], c.path, event(c.forged));
    const theirs = await profileOf(workers[c.theirs], c.theirs === 'hookgate_all' ? c.path : '/', event(c.forged));
    const [n, m] = [ours.run.answered, theirs.run.answered];
    console.log(`[profile] ${c.label}: hookgate ${n} answered ${JSON.stringify(ours.run.statuses)}, ${c.theirName} ${m} ${JSON.stringify(theirs.run.statuses)}`);
    const busy = (x, k) => x.s.busy / Math.max(1, k);
    lines.push('', `### ${c.label}`, '', `hookgate answered ${n} (${JSON.stringify(ours.run.statuses)}), the ${c.theirName} ${m} (${JSON.stringify(theirs.run.statuses)}). Busy µs of the isolate's thread per answered request:`, '',
      `| kind | hookgate | ${c.theirName} | difference |`, '|---|---|---|---|');
    for (const k of KINDS) lines.push(`| ${k} | ${us(ours.s, k, n).toFixed(0)} | ${us(theirs.s, k, m).toFixed(0)} | ${(us(ours.s, k, n) - us(theirs.s, k, m)).toFixed(0)} |`);
    lines.push(`| **all busy time** | **${busy(ours, n).toFixed(0)}** | **${busy(theirs, m).toFixed(0)}** | **${(busy(ours, n) - busy(theirs, m)).toFixed(0)}** |`);
    lines.push('', `hookgate's busiest functions (share of its busy time):`, '', '| function | kind | share |', '|---|---|---|');
    for (const [name, { kind: k, us: t }] of [...ours.s.byFunction].filter(([, v]) => v.kind !== 'idle').sort((a, b) => b[1].us - a[1].us).slice(0, 12)) {
      lines.push(`| \`${name.replace(/\|/g, '\\|').slice(0, 90)}\` | ${k} | ${(100 * t / ours.s.busy).toFixed(1)}% |`);
    }
  }
} finally {
  for (const w of Object.values(workers)) await w.stop();
  origin.close();
}
writeFileSync(join(ROOT, 'bench/profile.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
setTimeout(() => process.exit(0), 500);
