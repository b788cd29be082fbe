// `npm run profile [-- --secs 8]`: where the Worker's CPU goes, from V8's sampling profiler
// through wrangler dev's inspector. hookgate (built with its function names) accepts
// genuine 1 KB events in KV mode with every line logged, then answers a flood of forged
// ones; each profile is summed by function and by kind (hookgate's wasm, library wasm, JS
// glue, runtime built-ins such as fetch and KV, idle). Writes bench/profile.md. Loopback
// only, bounded in time, stops by itself. The profiler slows the Worker: read shares, not
// rates.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const SECS = arg('secs', 8);
const CONNS = 16;
const SECRET = `profile-${randomUUID()}`;
const PAD = 'x'.repeat(960);

async function freePort() {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  return port;
}

const origin = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); });
origin.keepAliveTimeout = 60_000;
origin.listen(0, '127.0.0.1');
await once(origin, 'listening');

const dir = mkdtempSync(join(tmpdir(), 'hookgate-profile-'));
const port = await freePort();
const inspector = await freePort();
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({
  name: 'hookgate-profile', main: join(ROOT, 'build/worker/shim.mjs'), compatibility_date: '2026-11-01',
  kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'profile' }],
  vars: { HOOKGATE: { log: { rejections: 'sampled' }, sources: { kv: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'kv' }, destination: { origin: `http://127.0.0.1:${origin.address().port}/in` } } } } },
}));
writeFileSync(join(dir, '.dev.vars'), `SECRET=${SECRET}\n`);
const child = spawn('wrangler', ['dev', '-c', join(dir, 'wrangler.json'), '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
  '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false'],
{ cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } });
let logs = '';
child.stdout.on('data', (d) => { logs = (logs + d).slice(-4000); });
child.stderr.on('data', (d) => { logs = (logs + d).slice(-4000); });
const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch {} origin.close(); rmSync(dir, { recursive: true, force: true }); };
const deadline = Date.now() + 120_000;
while (!/Ready on http/.test(logs)) {
  if (child.exitCode !== null || Date.now() > deadline) { stop(); throw new Error(`wrangler dev did not start:\n${logs}`); }
  await new Promise((r) => setTimeout(r, 100));
}

const event = (forged) => () => {
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'policy.bound', pad: PAD });
  const mac = forged ? '0'.repeat(64) : createHmac('sha256', SECRET).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-signature': `sha256=${mac}` } };
};

async function load(make, secs) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNS });
  const statuses = {};
  let answered = 0;
  const end = Date.now() + secs * 1000;
  const one = () => new Promise((done) => {
    const { body, headers } = make();
    const req = httpRequest({ host: '127.0.0.1', port, path: '/hooks/kv', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
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
async function connect() {
  await load(event(false), 1); // the isolate exists once it has served a request
  const targets = await (await fetch(`http://127.0.0.1:${inspector}/json`)).json();
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

const lines = [
  '## CPU profile (`npm run profile`)', '',
  `Measured ${new Date().toISOString().slice(0, 10)} with V8's sampling profiler (100 µs) through \`wrangler dev\`'s inspector, ${SECS} s each, ${CONNS} connections, 1 KB bodies, hookgate built with its function names. The isolate's JavaScript thread only: workerd's own I/O threads and wrangler's log pipeline are outside it. The profiler slows the Worker, so the shares matter, not the rates.`,
];
try {
  const inspectorConn = await connect();
  const { send } = inspectorConn;
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  for (const [label, make] of [['accept, KV mode, every line logged', event(false)], ['flood of forged requests, rejections sampled', event(true)]]) {
    await send('Profiler.start');
    const run = await load(make, SECS);
    const { profile } = await send('Profiler.stop');
    const s = summarise(profile);
    console.log(`[profile] ${label}: ${run.answered} answered`, run.statuses);
    lines.push('', `### ${label}`, '', `${run.answered} requests answered (${JSON.stringify(run.statuses)}); busy ${(s.busy / 1000).toFixed(0)} ms of ${(s.total / 1000).toFixed(0)} ms sampled.`, '',
      '| kind | share of busy time |', '|---|---|');
    for (const [k, us] of [...s.byKind].filter(([k]) => k !== 'idle').sort((a, b) => b[1] - a[1])) lines.push(`| ${k} | ${(100 * us / s.busy).toFixed(1)}% |`);
    lines.push('', '| function | kind | share of busy time |', '|---|---|---|');
    for (const [name, { kind: k, us }] of [...s.byFunction].filter(([, v]) => v.kind !== 'idle').sort((a, b) => b[1].us - a[1].us).slice(0, 15)) {
      lines.push(`| \`${name.replace(/\|/g, '\\|').slice(0, 90)}\` | ${k} | ${(100 * us / s.busy).toFixed(1)}% |`);
    }
  }
  inspectorConn.close();
} finally {
  stop();
}
writeFileSync(join(ROOT, 'bench/profile.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
setTimeout(() => process.exit(0), 500);
