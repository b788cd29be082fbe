// `npm run bench [-- --rounds 5 --secs 8 --conns 16]`: hookgate against hand-written
// JavaScript Workers doing the same work, all under the same `wrangler dev`, with the same
// origin, rounds interleaved so that every ratio comes from one run on this shared machine.
// Loopback only, bounded in time, stops by itself. Writes BENCHMARKS.md and the raw results
// in bench/results/. Not part of `npm test`: speed goals live here, never in timed tests.
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { groupProcesses, startDev } from './wrangler_dev.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const ROUNDS = arg('rounds', 5);
const SECS = arg('secs', 8);
const CONNS = arg('conns', 16);
// `--only <regex>`: run the targets whose name matches, and what they are compared with.
const ONLY = process.argv.includes('--only') ? new RegExp(process.argv[process.argv.indexOf('--only') + 1], 'i') : null;
const SECRET = `bench-${randomUUID()}`;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAD = 'x'.repeat(960);

/**
 * CPU seconds used so far by the processes of `pgid`'s group: workerd (the Worker, and under
 * wrangler dev the log pipeline's first half) apart from the rest (wrangler's own Node
 * process, which receives every log line).
 */
function groupCpuSecs(pgid) {
  const ticks = { workerd: 0, wrangler: 0 };
  for (const p of groupProcesses(pgid)) ticks[p.workerd ? 'workerd' : 'wrangler'] += p.ticks;
  return { workerd: ticks.workerd / TICKS, wrangler: ticks.wrangler / TICKS };
}

/** The built worker's wasm, raw and gzipped. */
function wasmSize() {
  const bytes = readFileSync(join(ROOT, 'build/index_bg.wasm'));
  return `${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KiB gzipped`;
}

/**
 * The whole Worker as `wrangler deploy` would upload it (JS glue and wasm), from its dry run
 * of the built worker: what the 150 KB goal is about. Nothing is deployed.
 */
function uploadSize() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upload-'));
  try {
    // Bundled as wrangler.toml asks (minify, keep_names), without running its build again.
    writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({ name: 'bench-upload', main: join(ROOT, 'build/worker/shim.mjs'), compatibility_date: '2026-11-01', minify: true, keep_names: false }));
    const out = execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', join(dir, 'out'), '-c', join(dir, 'wrangler.json')],
      { cwd: dir, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    const m = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(out);
    return m ? `${m[1]}, ${m[2]} gzipped` : 'unknown (wrangler printed no total)';
  } catch (e) {
    return `unknown (${String(e.message).split('\n')[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The origin: answers 200 at once and counts deliveries per path. */
async function startOrigin() {
  const counts = new Map();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: (p) => `http://127.0.0.1:${server.address().port}${p}`, count: (p) => counts.get(p) ?? 0, close: () => server.close() };
}

/** One `wrangler dev` serving `config` (a wrangler.json object), with `vars` as .dev.vars. */
const startWorker = (name, config, devVars = {}) => startDev('bench', name, config, devVars);

/** `conns` keep-alive connections sending `make()` requests for `secs`; returns the counts. */
async function load(port, path, make, secs) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNS });
  const latencies = [];
  const statuses = {};
  const end = Date.now() + secs * 1000;
  const one = () => new Promise((done) => {
    const { body, headers } = make();
    const t = process.hrtime.bigint();
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        done();
      });
    });
    req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; done(); });
    req.end(body);
  });
  await Promise.all(Array.from({ length: CONNS }, async () => { while (Date.now() < end) await one(); }));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { answered: latencies.length, statuses, p50: pct(0.5), p99: pct(0.99) };
}

const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const genuine = () => { const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'policy.bound', pad: PAD }); return { body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) } }; };
const BIG_PAD = 'x'.repeat(1024 * 1024 - 100);
const bigForged = () => { const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'policy.bound', pad: BIG_PAD }); return { body, headers: { 'content-type': 'application/json', 'x-signature': `sha256=${'0'.repeat(64)}` } }; };
const forged = () => { const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'policy.bound', pad: PAD }); return { body, headers: { 'content-type': 'application/json', 'x-signature': `sha256=${'0'.repeat(64)}` } }; };

const origin = await startOrigin();
const workers = {};
const scheme = { type: 'hmac', signature_header: 'x-signature', prefix: 'sha256=', event_id: { pointer: '/id' } };
const source = (mode, destination) => ({ scheme, secrets: [{ label: 'k', env: 'SECRET' }], dedupe: { mode }, destination });
/**
 * Cold start: a fresh `wrangler dev` (a new isolate: the wasm compiled and instantiated, the
 * configuration parsed) and the time its first request takes, then a second one, warm.
 */
async function coldStart(name, config, path, make, devVars) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const w = await startWorker(`${name}-cold${i}`, config, devVars);
    const once = () => new Promise((done) => {
      const { body, headers } = make();
      const t = process.hrtime.bigint();
      const req = httpRequest({ host: '127.0.0.1', port: w.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => done(Number(process.hrtime.bigint() - t) / 1e6));
      });
      req.on('error', () => done(NaN));
      req.end(body);
    });
    const first = await once();
    const second = await once();
    samples.push({ first, second });
    await w.stop();
  }
  return samples;
}

console.log(`[bench] starting the Workers (${ROUNDS} rounds of ${SECS} s each, ${CONNS} connections)`);
const cold = {};
try {
  workers.empty = await startWorker('empty', { main: join(ROOT, 'bench/empty.mjs') });
  workers.proxy = await startWorker('proxy', { main: join(ROOT, 'bench/proxy.mjs'), vars: { ORIGIN: origin.url('/proxy') } });
  workers.js = await startWorker('js', { main: join(ROOT, 'bench/baseline.mjs'), vars: { ORIGIN: origin.url('/js'), LOG: '0' }, kv_namespaces: [{ binding: 'KV', id: 'bench' }] }, { SECRET });
  workers.jslog = await startWorker('jslog', { main: join(ROOT, 'bench/baseline.mjs'), vars: { ORIGIN: origin.url('/jslog'), LOG: '1' }, kv_namespaces: [{ binding: 'KV', id: 'bench' }] }, { SECRET });
  workers.jsstrict = await startWorker('jsstrict', {
    main: join(ROOT, 'bench/baseline_strict.mjs'),
    vars: { ORIGIN: origin.url('/jsstrict') },
    durable_objects: { bindings: [{ name: 'IDS', class_name: 'Ids' }] },
    migrations: [{ tag: 'v1', new_sqlite_classes: ['Ids'] }],
  }, { SECRET });
  // hookgate three times: its defaults, every line (like the JS baseline with its log), and
  // per-event lines off (like the plain JS baseline). The log settings are global.
  const hookgate = (name, log, extraSources = {}) => startWorker(name, {
    main: join(ROOT, 'build/worker/shim.mjs'),
    kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'bench' }],
    durable_objects: { bindings: [{ name: 'HOOKGATE_DEDUPE', class_name: 'DedupeObject' }] },
    migrations: [{ tag: 'v1', new_sqlite_classes: ['DedupeObject'] }],
    queues: {
      producers: [{ binding: 'HOOKGATE_QUEUE', queue: `bench-events-${name}` }],
      consumers: [{ queue: `bench-events-${name}`, max_batch_size: 10, max_batch_timeout: 1, max_retries: 3, dead_letter_queue: 'hookgate-dlq' }],
    },
    vars: { HOOKGATE: { log, sources: {
      ...extraSources,
      big: { ...source('kv', { origin: origin.url(`/${name}/big`) }), max_body_bytes: 2 * 1024 * 1024 },
      kv: source('kv', { origin: origin.url(`/${name}/kv`) }),
      strict: source('strict', { origin: origin.url(`/${name}/strict`) }),
      queued: source('kv', { queue: 'HOOKGATE_QUEUE', origin: origin.url('/queued') }),
    } } },
  }, { SECRET });
  workers.hookgate = await hookgate('hookgate', {});
  workers.hookgateall = await hookgate('hookgateall', { rejections: 'all' });
  workers.hookgatequiet = await hookgate('hookgatequiet', { events: 'none' });
  // 1,000 sources: the lookup must not grow with their number.
  const many = Object.fromEntries(Array.from({ length: 997 }, (_, i) => [`s${String(i).padStart(4, '0')}`, source('kv', { origin: origin.url('/many/other') })]));
  workers.hookgatemany = await hookgate('hookgatemany', { rejections: 'all' }, many);

  // Each target next to what it is compared with (the order reverses every other round
  // below), so that a ratio compares runs seconds apart rather than a minute.
  const targets = [
    { name: 'empty Worker', worker: 'empty', path: '/', make: genuine },
    { name: 'hookgate reject flood, rejections sampled (default)', worker: 'hookgate', path: '/hooks/kv', make: forged, vs: 'empty Worker' },
    { name: 'JS rejecting a forged signature, no log line', worker: 'js', path: '/', make: forged },
    { name: 'bare proxy', worker: 'proxy', path: '/', make: genuine },
    { name: 'JS baseline: verify, KV get, forward, KV put', worker: 'js', path: '/', make: genuine },
    { name: 'hookgate accept, KV mode, events = "none"', worker: 'hookgatequiet', path: '/hooks/kv', make: genuine, vs: 'JS baseline: verify, KV get, forward, KV put' },
    { name: 'hookgate accept, queue mode (202)', worker: 'hookgate', path: '/hooks/queued', make: genuine, vs: 'JS baseline + one log line', drain: '/queued' },
    { name: 'JS baseline + one log line', worker: 'jslog', path: '/', make: genuine, base: true },
    { name: 'hookgate accept, KV mode', worker: 'hookgateall', path: '/hooks/kv', make: genuine, vs: 'JS baseline + one log line' },
    { name: 'hookgate accept, KV mode, 1,000 sources', worker: 'hookgatemany', path: '/hooks/kv', make: genuine, vs: 'hookgate accept, KV mode' },
    { name: 'JS strict baseline: verify, object claim, forward, object commit, log', worker: 'jsstrict', path: '/', make: genuine },
    { name: 'hookgate accept, strict mode', worker: 'hookgateall', path: '/hooks/strict', make: genuine, vs: 'JS strict baseline: verify, object claim, forward, object commit, log' },
    { name: 'JS + log, rejecting a forged signature', worker: 'jslog', path: '/', make: forged },
    { name: 'hookgate reject, rejections = "all"', worker: 'hookgateall', path: '/hooks/kv', make: forged, vs: 'JS + log, rejecting a forged signature' },
    { name: 'JS + log, rejecting a forged 1 MiB body (WebCrypto)', worker: 'jslog', path: '/', make: bigForged },
    { name: 'hookgate reject, 1 MiB body, rejections = "all"', worker: 'hookgateall', path: '/hooks/big', make: bigForged, vs: 'JS + log, rejecting a forged 1 MiB body (WebCrypto)' },
  ];
  if (ONLY) {
    const keep = new Set(targets.filter((t) => ONLY.test(t.name)).map((t) => t.name));
    if (keep.has('hookgate accept, strict mode')) keep.add('hookgate accept, KV mode');
    if (keep.has('hookgate reject flood, rejections sampled (default)')) keep.add('JS rejecting a forged signature, no log line');
    // And what they are compared with, transitively.
    for (let grew = true; grew;) {
      grew = false;
      for (const t of targets) if (keep.has(t.name) && t.vs && !keep.has(t.vs)) { keep.add(t.vs); grew = true; }
    }
    targets.splice(0, targets.length, ...targets.filter((t) => keep.has(t.name)));
  }
  // Warm-up: JIT, isolates, the objects and KV files.
  for (const t of targets) await load(workers[t.worker].port, t.path, t.make, 1);
  const results = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    // Every other round in reverse, so that no target always runs just after the same one.
    for (const t of round % 2 ? targets : [...targets].reverse()) {
      const w = workers[t.worker];
      const drainedBefore = t.drain ? origin.count(t.drain) : 0;
      const cpu0 = groupCpuSecs(w.pgid);
      const started = Date.now();
      const r = await load(w.port, t.path, t.make, SECS);
      let wall = (Date.now() - started) / 1000;
      if (t.drain) {
        // Queue mode: count the consumer's deliveries too, until every queued event arrived.
        const queued = r.statuses[202] ?? 0;
        const deadline = Date.now() + 120_000;
        while (origin.count(t.drain) - drainedBefore < queued && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
        wall = (Date.now() - started) / 1000;
        r.delivered = origin.count(t.drain) - drainedBefore;
        r.deliveredPerSec = r.delivered / wall;
      }
      const cpu1 = groupCpuSecs(w.pgid);
      const ok = (r.statuses[200] ?? 0) + (r.statuses[202] ?? 0) + (r.statuses[204] ?? 0) + (r.statuses[401] ?? 0);
      const per = (secs) => (secs * 1e6) / Math.max(1, r.delivered ?? ok);
      const workerdUs = per(cpu1.workerd - cpu0.workerd);
      const wranglerUs = per(cpu1.wrangler - cpu0.wrangler);
      results[t.name].push({ round, ...r, rps: r.answered / SECS, cpuUsPerReq: workerdUs + wranglerUs, workerdUsPerReq: workerdUs, wranglerUsPerReq: wranglerUs });
      console.log(`[bench] round ${round} ${t.name}: ${(r.answered / SECS).toFixed(0)} req/s, p99 ${r.p99.toFixed(0)} ms, ${JSON.stringify(r.statuses)}${t.drain ? `, delivered ${r.delivered} (${r.deliveredPerSec.toFixed(0)}/s)` : ''}`);
    }
  }

  // Cold starts, after the rounds so that their processes do not share the machine with them.
  cold.empty = await coldStart('empty', { main: join(ROOT, 'bench/empty.mjs') }, '/', genuine, {});
  cold.hookgate = await coldStart('hookgate', {
    main: join(ROOT, 'build/worker/shim.mjs'),
    kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'bench' }],
    vars: { HOOKGATE: { sources: { kv: source('kv', { origin: origin.url('/cold') }) } } },
  }, '/hooks/kv', genuine, { SECRET });

  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const row = (name) => {
    const rs = results[name];
    return { rps: median(rs.map((r) => r.rps)), min: Math.min(...rs.map((r) => r.rps)), max: Math.max(...rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpuUsPerReq)), workerd: median(rs.map((r) => r.workerdUsPerReq)), wrangler: median(rs.map((r) => r.wranglerUsPerReq)), delivered: rs[0].deliveredPerSec === undefined ? null : median(rs.map((r) => r.deliveredPerSec)) };
  };
  // A ratio per round (same round, same machine state), then the median and spread.
  const ratio = (name, vs, field = 'rps') => {
    const xs = results[name].map((r, i) => (r[field === 'delivered' ? 'deliveredPerSec' : 'rps']) / results[vs][i].rps);
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --rounds ${ROUNDS} --secs ${SECS} --conns ${CONNS}\`, under \`wrangler dev\` (workerd) on loopback.`);
  lines.push(`Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Bodies of about 1 KB, a unique event id per request, ${CONNS} connections, ${ROUNDS} interleaved rounds of ${SECS} s (every other one in reverse order); medians, with the spread over rounds in brackets. CPU is the whole \`wrangler dev\` process tree per answered request (per delivered event in queue mode). Absolute figures move between runs on a shared machine; compare within one run.`);
  lines.push('', '| target | req/s [min–max] | p50 ms | p99 ms | CPU µs/req: all (workerd + wrangler) | × baseline (per round) |', '|---|---|---|---|---|---|');
  // Shown baselines first, then hookgate's targets, as before the run order above.
  const shown = [...targets].sort((a, b) => Number(a.name.startsWith('hookgate')) - Number(b.name.startsWith('hookgate')));
  for (const t of shown) {
    const r = row(t.name);
    const x = t.vs ? ratio(t.name, t.vs) : null;
    lines.push(`| ${t.name} | ${r.rps.toFixed(0)} [${r.min.toFixed(0)}–${r.max.toFixed(0)}] | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cpu.toFixed(0)} (${r.workerd.toFixed(0)} + ${r.wrangler.toFixed(0)}) | ${x ? `**${x.median.toFixed(2)}** [${x.min.toFixed(2)}–${x.max.toFixed(2)}]` : ''} |`);
  }
  const q = targets.find((t) => t.drain);
  if (q) {
    const qd = ratio(q.name, q.vs, 'delivered');
    lines.push('', `Queue mode, with the drain counted: ${row(q.name).delivered.toFixed(0)} events/s delivered to the origin, **${qd.median.toFixed(2)}x** [${qd.min.toFixed(2)}–${qd.max.toFixed(2)}] the JS baseline's req/s.`);
  }
  // The targets the ratios below and the goals name.
  const ACC = 'hookgate accept, KV mode', JSLOG = 'JS baseline + one log line', JS = 'JS baseline: verify, KV get, forward, KV put';
  const QUIET = 'hookgate accept, KV mode, events = "none"', REJ = 'hookgate reject, rejections = "all"', JSREJ = 'JS + log, rejecting a forged signature';
  const FLOOD = 'hookgate reject flood, rejections sampled (default)', JSQUIET = 'JS rejecting a forged signature, no log line', BIG = 'hookgate reject, 1 MiB body, rejections = "all"', JSBIG = 'JS + log, rejecting a forged 1 MiB body (WebCrypto)';
  const STRICT = 'hookgate accept, strict mode', JSSTRICT = 'JS strict baseline: verify, object claim, forward, object commit, log', MANY = 'hookgate accept, KV mode, 1,000 sources';
  const Q = 'hookgate accept, queue mode (202)';
  if (results[FLOOD] && results[JSQUIET]) {
    // Where the reject and accept gaps are: the same rejection, without a line per request on either side.
    const f = ratio(FLOOD, JSQUIET);
    lines.push(`Rejecting without a line per request (hookgate sampled, the JS Worker not logging), same rounds: **${f.median.toFixed(2)}x** [${f.min.toFixed(2)}–${f.max.toFixed(2)}] the JS Worker.`);
  }
  if (results[STRICT] && results[ACC]) {
    const s = ratio(STRICT, ACC);
    lines.push(`Strict mode against KV mode, same rounds: **${s.median.toFixed(2)}x** [${s.min.toFixed(2)}–${s.max.toFixed(2)}].`);
  }
  // The issue's goals, each met or missed by this run's medians.
  const upload = uploadSize();
  const goals = [];
  const goal = (what, names, value, target, met) => { if (names.every((n) => results[n])) goals.push(`| ${what} | ${value()} | ${target} | ${met() ? 'met' : '**missed**'} |`); };
  const fmt = (x) => `${x.median.toFixed(2)}x [${x.min.toFixed(2)}–${x.max.toFixed(2)}]`;
  goal('accept, every line logged, vs JS + log', [ACC, JSLOG], () => `${fmt(ratio(ACC, JSLOG))}; p99 ${row(ACC).p99.toFixed(0)} against ${row(JSLOG).p99.toFixed(0)} ms`, '≥ 1.0x, p99 no worse', () => ratio(ACC, JSLOG).median >= 1 && row(ACC).p99 <= row(JSLOG).p99);
  goal('accept, events = "none", vs plain JS', [QUIET, JS], () => fmt(ratio(QUIET, JS)), '≥ 1.0x', () => ratio(QUIET, JS).median >= 1);
  goal('reject vs JS + log rejecting', [REJ, JSREJ], () => fmt(ratio(REJ, JSREJ)), '≥ 1.0x', () => ratio(REJ, JSREJ).median >= 1);
  goal('flood, sampled, vs empty Worker', [FLOOD, 'empty Worker'], () => fmt(ratio(FLOOD, 'empty Worker')), '≥ 0.9x', () => ratio(FLOOD, 'empty Worker').median >= 0.9);
  goal('1 MiB body vs WebCrypto alone', [BIG, JSBIG], () => `${fmt(ratio(BIG, JSBIG))} (time ${(1 / ratio(BIG, JSBIG).median).toFixed(2)}x)`, 'time ≤ 1.1x', () => 1 / ratio(BIG, JSBIG).median <= 1.1);
  goal('strict vs JS strict', [STRICT, JSSTRICT], () => fmt(ratio(STRICT, JSSTRICT)), '≥ 0.9x', () => ratio(STRICT, JSSTRICT).median >= 0.9);
  goal('queue, drain counted, vs JS + log', [Q, JSLOG], () => `${fmt(ratio(Q, JSLOG, 'delivered'))} delivered/s; CPU per event ${(row(Q).cpu / row(JSLOG).cpu).toFixed(2)}x`, '≥ 0.7x, CPU ≤ 1.5x', () => ratio(Q, JSLOG, 'delivered').median >= 0.7 && row(Q).cpu / row(JSLOG).cpu <= 1.5);
  goal('1,000 sources vs one', [MANY, ACC], () => fmt(ratio(MANY, ACC)), 'flat (0.9–1.1x)', () => Math.abs(ratio(MANY, ACC).median - 1) <= 0.1);
  const gz = Number((/([\d.]+) KiB gzipped/.exec(upload) ?? [])[1]);
  goals.push(`| size, the whole Worker | ${upload} | ≤ 150 KB gzipped | ${Number.isFinite(gz) && gz * 1.024 <= 150 ? 'met' : '**missed**'} |`);
  lines.push('', 'Goals, from this run\'s medians (a ratio per round, then its median and spread):', '', '| goal | this run | target | |', '|---|---|---|---|', ...goals);
  const coldRow = (label, xs) => `| ${label} | ${median(xs.map((x) => x.first)).toFixed(1)} [${Math.min(...xs.map((x) => x.first)).toFixed(1)}–${Math.max(...xs.map((x) => x.first)).toFixed(1)}] | ${median(xs.map((x) => x.second)).toFixed(1)} |`;
  lines.push('', 'Cold start: the first request to a fresh `wrangler dev` (a new isolate, so the wasm is compiled and instantiated and the configuration parsed), three starts each:', '', '| Worker | first request ms, median [min–max] | second request ms |', '|---|---|---|', coldRow('empty Worker', cold.empty), coldRow(`hookgate accept, KV mode (wasm ${wasmSize()})`, cold.hookgate));
  if (process.env.CORE_BENCH_MD) {
    lines.push('', 'The core natively (`examples/core_bench.rs`): `verify` against a bare `hmac` + `sha2` HMAC-SHA256 over the same body, medians of 15 samples; Stripe and BindPilot also parse the JSON body for their event id (and BindPilot its timestamp):', '', readFileSync(process.env.CORE_BENCH_MD, 'utf8').trim());
  }
  lines.push('', 'Rows compare like with like: hookgate with every line logged against the JS baselines that log one line per request, hookgate with `log.events = "none"` against the JS baseline that logs nothing, and a flood of forged requests under the default sampling against the empty Worker.');
  lines.push('', 'Baselines: `bench/empty.mjs`, `bench/proxy.mjs`, `bench/baseline.mjs` (WebCrypto HMAC verify, KV get, forward, KV put; `LOG = "1"` adds one JSON log line with the fields of hookgate\'s line for the same outcome), `bench/baseline_strict.mjs` (the same with a claim and a commit on one of 16 SQLite Durable Objects in place of KV, and the log line). Raw results: `bench/results/`.', '');
  lines.push('', `Size: the whole Worker as \`wrangler deploy\` uploads it (its dry run: JS glue and wasm) is ${upload}; the wasm alone ${wasmSize()}. Goal: 150 KB gzipped.`, '');
  // Where the wasm goes: measured apart (twiggy), kept in bench/size.md.
  lines.push(readFileSync(join(ROOT, 'bench/size.md'), 'utf8').trim(), '');
  // Where the isolate's CPU goes (`npm run profile`), when it has been measured.
  try { lines.push(readFileSync(join(ROOT, 'bench/profile.md'), 'utf8').trim(), ''); } catch { /* not measured yet */ }
  lines.push('What was measured and ruled out while looking for the missed goals\' gap: `bench/gap.md`.', '');
  // A partial run (`--only`) prints its table but leaves BENCHMARKS.md alone.
  if (!ONLY) writeFileSync(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ rounds: ROUNDS, secs: SECS, conns: CONNS, results, cold }, null, 1));
  console.log(lines.join('\n'));
} finally {
  for (const w of Object.values(workers)) await w.stop();
  origin.close();
}
