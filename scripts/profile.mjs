// `npm run profile [-- --secs 8 --rounds 2]`: where the CPU goes, from Linux `perf` sampling
// both workerd processes of each `wrangler dev` (its proxy Worker's, and the Worker's own
// with miniflare's KV beside it), with V8 writing its code map (`--perf-basic-prof`) so that
// JS and wasm frames are named. hookgate runs side by side with the hand-written Workers of
// `npm run bench` doing the same work: accepting genuine 1 KB events in KV mode with
// per-event lines off (against the plain JS baseline) and with every line logged (against the
// baseline with its log line), rejecting forged ones with every line logged, and a flood of
// forged ones under the default sampling (against the empty Worker). Each sample is charged
// to the Worker's own code when the Worker's bundle is on its stack, and there by what runs
// at the leaf: the wasm (by tier), the crossings between wasm and JS, one of the runtime's
// APIs, or JS and V8. Writes bench/profile.md. Loopback only, bounded in time, stops by itself.
// Sampling slows every Worker alike: compare the columns, do not read them as rates.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { once } from 'node:events';
import { groupProcesses, startDev } from './wrangler_dev.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const SECS = arg('secs', 8);
const ROUNDS = arg('rounds', 2);
const HZ = 999;
const CONNS = 16;
const SECRET = `profile-${randomUUID()}`;
const PAD = 'x'.repeat(960);
const WORK = mkdtempSync(join(tmpdir(), 'hookgate-profile-'));
// Every workerd these Workers start writes /tmp/perf-<pid>.map, which `perf` reads to name
// JS and wasm frames (interpreted JS functions too, each given a trampoline of its own).
process.env.MINIFLARE_WORKERD_V8_FLAGS = '--perf-basic-prof --interpreted-frames-native-stack';

const perfRuns = (args) => new Promise((done) => {
  const p = spawn('perf', args, { stdio: 'ignore' });
  p.on('error', () => done(false));
  p.on('exit', (code) => done(code === 0));
});
if (!(await perfRuns(['record', '-q', '-o', join(WORK, 'probe.data'), '--', 'true']))) {
  console.error('[profile] `perf record` does not run here: it needs Linux perf (apt-get install linux-perf) and the right to sample (root, or kernel.perf_event_paranoid <= 2)');
  process.exit(1);
}

const origin = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); });
origin.keepAliveTimeout = 60_000;
origin.listen(0, '127.0.0.1');
await once(origin, 'listening');

const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const originUrl = () => `http://127.0.0.1:${origin.address().port}/in`;
const hookgate = (log) => ({
  main: join(ROOT, 'build/worker/shim.mjs'),
  kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'profile' }],
  vars: { HOOKGATE: { log, sources: { kv: { scheme, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode: 'kv' }, destination: { origin: originUrl() } } } } },
});
const baseline = (log) => ({ main: join(ROOT, 'bench/baseline.mjs'), vars: { ORIGIN: originUrl(), LOG: log }, kv_namespaces: [{ binding: 'KV', id: 'profile' }] });

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

/** The workerd processes of `wrangler dev`'s process group `pgid`. */
const workerdPids = (pgid) => groupProcesses(pgid).filter((p) => p.workerd).map((p) => p.pid);

// A frame as `perf script -F pid,ip,sym,dso` prints it: "<ip> <symbol> (<dso>)". V8's map
// names JS code `JS:<tier mark><function> <script>:<line>:<col>` and wasm code
// `JS:<function>-<index>-<liftoff|turbofan>`.
const wasmTier = (sym) => /^JS:.*-\d+-(liftoff|turbofan)$/.exec(sym)?.[1];
const isCode = (sym) => sym.startsWith('JS:');
// The runtime's APIs, by the workerd class or function a native frame belongs to.
const API = [
  [/ServiceWorkerGlobalScope::fetch|fetchImpl|RequestInitializerDict|Fetcher/, 'fetch (the origin call)'],
  [/KvNamespace::get/, 'KV get'], [/KvNamespace::(put|PutOptions)/, 'KV put'],
  [/ReadableStream|Body::arrayBuffer|Body::getBody|JsReadableStream/, 'bodies and streams'],
  [/workerd::api::(Response|makeHttpResponse)/, 'Response'],
  [/workerd::api::Headers/, 'Headers'],
  [/AbortSignal|AbortController/, 'AbortSignal (the origin timeout)'],
  [/TextDecoder|TextEncoder|IcuDecoder/, 'TextDecoder and TextEncoder'],
  [/SubtleCrypto|CryptoKey/, 'WebCrypto'],
  [/console|Console|Inspector|inspector/, 'console'],
  [/workerd::api::/, 'other runtime APIs'],
];
const CROSSING = /WasmToJs|JSToWasm|WasmLiftoffFrameSetup|wasm-to-js|js-to-wasm|externref_table|WasmTableSet|WebAssemblyTable/;

/** A C++ symbol without its template and call arguments (`a::B<c::D>::e(f)` is `a::B::e`). */
function bare(sym) {
  let s = sym;
  for (let prev = ''; prev !== s;) { prev = s; s = s.replace(/<[^<>]*>/g, ''); }
  return s.replace(/\(.*$/, '');
}

/** What one sample of the Worker's own stack was doing (frames leaf first). */
function leafKind(frames) {
  const code = frames.findIndex(isCode);
  const tier = code === 0 ? wasmTier(frames[0]) : undefined;
  if (tier) return `wasm code (${tier === 'turbofan' ? 'TurboFan' : 'Liftoff'})`;
  // The API is the outermost of the runtime's own functions below the code that called it.
  const native = (code < 0 ? frames : frames.slice(0, code)).map(bare);
  const api = native.findLast((f) => f.startsWith('workerd::api::'));
  if (api) for (const [re, name] of API) if (re.test(api)) return `runtime: ${name}`;
  for (let i = native.length - 1; i >= 0; i--) {
    for (const [re, name] of API) if (re.test(native[i])) return `runtime: ${name}`;
  }
  if (CROSSING.test(frames[code] ?? '') || native.some((f) => CROSSING.test(f))) return 'wasm and JS crossing (wrappers, externref table)';
  return 'JS code and V8 built-ins (IC, calls, strings, GC)';
}

/**
 * Sums a recording: per process, µs of samples; in the Worker's process, those with the
 * Worker's bundle (`bundle`) on the stack by `leafKind`, and its wasm functions by self time.
 */
async function summarise(file, pids, bundle) {
  const perProcess = new Map(pids.map((p) => [p, 0]));
  const own = new Map();
  const wasmSelf = new Map();
  const child = spawn('perf', ['script', '-i', file, '-F', 'pid,ip,sym,dso'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let pid = null;
  let frames = [];
  const flush = () => {
    if (pid === null) return;
    perProcess.set(pid, (perProcess.get(pid) ?? 0) + 1);
    // hookgate's wasm is the only wasm in the process.
    if (frames.some((f) => f.includes(` ${bundle}:`) || wasmTier(f))) {
      const k = leafKind(frames);
      own.set(k, (own.get(k) ?? 0) + 1);
      if (wasmTier(frames[0])) wasmSelf.set(frames[0], (wasmSelf.get(frames[0]) ?? 0) + 1);
    }
    pid = null;
    frames = [];
  };
  for await (const line of createInterface({ input: child.stdout })) {
    const t = line.trim();
    if (t === '') { flush(); continue; }
    if (pid === null) {
      const m = /^(\d+)\s*(.*)$/.exec(t);
      pid = Number(m?.[1]);
      if (m?.[2]) frames.push(m[2]);
      continue;
    }
    // "<ip> <symbol> (<dso>)": the symbol alone.
    frames.push(t.replace(/^[0-9a-f]+ /, '').replace(/ \([^()]*\)$/, ''));
  }
  flush();
  return { perProcess, own, wasmSelf };
}

/** `ROUNDS` recordings of `make` against `w`, each `SECS` long; their sums. */
async function record(w, path, make, round) {
  const pids = workerdPids(w.pgid);
  const file = join(WORK, `${w.name}-${round}.data`);
  const perf = spawn('perf', ['record', '-q', '-F', String(HZ), '-g', '-p', pids.join(','), '-o', file], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const run = await load(w.port, path, make, SECS);
  perf.kill('SIGINT');
  await once(perf, 'exit');
  // The Worker's own process is the one whose code map names its bundle.
  const bundle = `${basename(w.main).replace(/\.m?js$/, '')}.js`;
  const workerPid = pids.find((p) => { try { return readFileSync(`/tmp/perf-${p}.map`, 'utf8').includes(` ${bundle}:`); } catch { return false; } });
  if (workerPid === undefined) throw new Error(`${w.name}: no workerd process of it has ${bundle} in its code map`);
  const s = await summarise(file, pids, bundle);
  rmSync(file, { force: true });
  return { run, s, workerPid, pids };
}

const add = (into, from) => { for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v); };

/** Both Workers of a case, rounds alternating, summed. */
async function profileCase(c) {
  const out = {};
  for (const side of ['ours', 'theirs']) out[side] = { answered: 0, statuses: {}, worker: 0, proxy: 0, own: new Map(), wasmSelf: new Map() };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of round % 2 ? ['ours', 'theirs'] : ['theirs', 'ours']) {
      const w = workers[c[side]];
      const r = await record(w, side === 'ours' ? c.path : '/', event(c.forged), round);
      const o = out[side];
      o.answered += r.run.answered;
      for (const [k, v] of Object.entries(r.run.statuses)) o.statuses[k] = (o.statuses[k] ?? 0) + v;
      for (const [p, n] of r.s.perProcess) o[p === r.workerPid ? 'worker' : 'proxy'] += n;
      add(o.own, r.s.own);
      add(o.wasmSelf, r.s.wasmSelf);
    }
  }
  return out;
}

const workers = {};
const start = async (name, config) => {
  const w = await startDev('hookgate-profile', name, config, { SECRET });
  w.main = config.main;
  workers[name] = w;
  await load(w.port, name.startsWith('hookgate') ? '/hooks/kv' : '/', event(false), 2);
};

const cases = [
  { label: 'accept, KV mode, per-event lines off', path: '/hooks/kv', forged: false, ours: 'hookgate-quiet', theirs: 'js', theirName: 'plain JS baseline' },
  { label: 'accept, KV mode, every line logged', path: '/hooks/kv', forged: false, ours: 'hookgate-all', theirs: 'jslog', theirName: 'JS baseline + log' },
  { label: 'reject a forged signature, every line logged', path: '/hooks/kv', forged: true, ours: 'hookgate-all', theirs: 'jslog', theirName: 'JS + log rejecting' },
  { label: 'flood of forged requests, rejections sampled', path: '/hooks/kv', forged: true, ours: 'hookgate-sampled', theirs: 'empty', theirName: 'empty Worker' },
];
const OWN_KINDS = ['wasm code (TurboFan)', 'wasm code (Liftoff)', 'wasm and JS crossing (wrappers, externref table)', 'JS code and V8 built-ins (IC, calls, strings, GC)',
  ...API.map(([, name]) => `runtime: ${name}`).filter((v, i, a) => a.indexOf(v) === i)];
const lines = [
  '## CPU profile (`npm run profile`)', '',
  `Measured ${new Date().toISOString().slice(0, 10)} with Linux \`perf\` (${HZ} Hz, call graphs) on both workerd processes of each \`wrangler dev\`, V8 naming JS and wasm frames (\`--perf-basic-prof\`), ${ROUNDS} alternating recordings of ${SECS} s per Worker, ${CONNS} connections, 1 KB bodies, hookgate built with its function names; each workload also run against the JavaScript Worker \`npm run bench\` compares it with. µs of CPU per answered request. A sample is the Worker's own when its bundle (\`shim.js\`, \`baseline.js\`, \`empty.js\`) is on the stack, and is then charged to what runs at its leaf; the rest of the Worker's process is miniflare's entry and KV simulator, workerd's I/O and GC. Sampling slows every Worker alike: compare the columns, do not read them as rates. wrangler's own Node process (the log pipeline) is outside these figures; \`npm run bench\` reports it.`,
];
try {
  await start('hookgate-quiet', hookgate({ events: 'none' }));
  await start('hookgate-all', hookgate({ rejections: 'all' }));
  await start('hookgate-sampled', hookgate({}));
  await start('js', baseline('0'));
  await start('jslog', baseline('1'));
  await start('empty', { main: join(ROOT, 'bench/empty.mjs') });
  for (const c of cases) {
    const r = await profileCase(c);
    const [n, m] = [r.ours.answered, r.theirs.answered];
    const us = (samples, k) => (samples * 1e6) / HZ / Math.max(1, k);
    console.log(`[profile] ${c.label}: hookgate ${n} answered ${JSON.stringify(r.ours.statuses)}, ${c.theirName} ${m} ${JSON.stringify(r.theirs.statuses)}`);
    lines.push('', `### ${c.label}`, '', `hookgate answered ${n} (${JSON.stringify(r.ours.statuses)}), the ${c.theirName} ${m} (${JSON.stringify(r.theirs.statuses)}). CPU µs per answered request:`, '',
      `| where | hookgate | ${c.theirName} | difference |`, '|---|---|---|---|');
    const row = (label, a, b, bold = false) => {
      const [x, y] = [us(a, n), us(b, m)];
      const cell = (v) => (bold ? `**${v.toFixed(0)}**` : v.toFixed(0));
      lines.push(`| ${bold ? `**${label}**` : label} | ${cell(x)} | ${cell(y)} | ${cell(x - y)} |`);
    };
    const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
    for (const k of OWN_KINDS) if (r.ours.own.get(k) || r.theirs.own.get(k)) row(`the Worker's code: ${k}`, r.ours.own.get(k) ?? 0, r.theirs.own.get(k) ?? 0);
    row("the Worker's code, all", sum(r.ours.own), sum(r.theirs.own), true);
    row("the rest of the Worker's process (miniflare's entry and KV, workerd's I/O, GC)", r.ours.worker - sum(r.ours.own), r.theirs.worker - sum(r.theirs.own));
    row("wrangler's proxy Worker (its own workerd)", r.ours.proxy, r.theirs.proxy);
    row('both workerd processes', r.ours.worker + r.ours.proxy, r.theirs.worker + r.theirs.proxy, true);
    const top = [...r.ours.wasmSelf].sort((a, b) => b[1] - a[1]).slice(0, 10);
    if (top.length) {
      lines.push('', "hookgate's wasm functions by their own time (µs per request, tier):", '', '| function | µs | tier |', '|---|---|---|');
      for (const [f, s] of top) {
        const [, name, tier] = /^JS:(.*)-\d+-(liftoff|turbofan)$/.exec(f);
        lines.push(`| \`${name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/\|/g, '\\|').slice(0, 100)}\` | ${us(s, n).toFixed(1)} | ${tier} |`);
      }
    }
  }
  // How far V8 had tiered the wasm up by the end: functions compiled by each tier.
  const map = workerdPids(workers['hookgate-all'].pgid).map((p) => { try { return readFileSync(`/tmp/perf-${p}.map`, 'utf8'); } catch { return ''; } }).find((t) => t.includes(' shim.js:')) ?? '';
  const tiers = { liftoff: new Set(), turbofan: new Set() };
  for (const m of map.matchAll(/ JS:.*-(\d+)-(liftoff|turbofan)$/gm)) tiers[m[2]].add(m[1]);
  lines.push('', `By the end, V8 had compiled ${tiers.turbofan.size} of the ${new Set([...tiers.liftoff, ...tiers.turbofan]).size} wasm functions it ran with TurboFan; the rest still ran as Liftoff code. V8 tiers a wasm function up once it has run long enough (its dynamic tiering budget), so code run once a request stays in Liftoff for thousands of requests.`);
} finally {
  for (const w of Object.values(workers)) {
    const pids = workerdPids(w.pgid);
    await w.stop();
    for (const p of pids) rmSync(`/tmp/perf-${p}.map`, { force: true });
  }
  origin.close();
  rmSync(WORK, { recursive: true, force: true });
}
writeFileSync(join(ROOT, 'bench/profile.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
setTimeout(() => process.exit(0), 500);
