// End-to-end harness: a real HTTP origin in the test process, and the built worker under
// `wrangler dev` (real workerd, local KV and Queues) on a free loopback port with its state
// in a fresh temporary directory. Everything stops at the end, even on failure.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { freePort, retryOnTakenPort } from '../../scripts/wrangler_dev.mjs';

export { freePort };

const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'build/worker/shim.mjs');
const PAGE_DIR = join(ROOT, 'src/adapter/page');

/**
 * A recording origin. `behave(entry)` may return { status, delayMs, headers, drop }; default
 * 200. `drop: 'mid-body'` closes the connection after a 200 status line and part of the
 * body, `drop: 'no-answer'` before any answer: origins that crash mid-answer.
 */
export async function startOrigin(behave = () => ({})) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      const { status = 200, delayMs = 0, headers = {}, drop = false, reply = null } = (await behave(entry)) || {};
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (drop) {
        received.push({ ...entry, answered: `dropped ${drop}` });
        if (drop === 'mid-body') res.socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"sta');
        res.socket.destroy();
        return;
      }
      if (!res.destroyed) {
        received.push({ ...entry, answered: status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(reply ?? JSON.stringify({ status }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    port,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    received,
    accepted: () => received.filter((r) => r.answered >= 200 && r.answered < 300),
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

// Every answer from a hookgate under test, kept for the secret scan at its stop.
const answered = new Map();
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  const url = typeof input === 'string' ? input : input.url;
  for (const [base, texts] of answered) {
    if (url.startsWith(base)) {
      const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      texts.push(res.clone().text().then((body) => `${headers}\n${body}`, () => headers));
    }
  }
  return res;
};

/** The forms a secret can leak in: as configured, and a whsec_/whpk_ key's base64 part. */
function secretForms(value) {
  const forms = [value];
  const m = /^wh(?:sec|pk)_(.+)$/.exec(value.trim());
  if (m) forms.push(m[1]);
  return forms.filter((f) => f.length >= 8);
}

/**
 * Starts hookgate with `config` (the HOOKGATE variable) and `secrets` (name -> value).
 * `queues` adds the producer/consumer bindings used by queue sources; `extra` is merged
 * into the wrangler configuration (for example `r2_buckets`).
 */
export async function startHookgate(options) {
  return retryOnTakenPort('hookgate', () => startHookgateOnce(options));
}

async function startHookgateOnce({ config, secrets = {}, echoed = [], queues = null, extra = {}, workers = [], timeoutMs = 90_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-e2e-'));
  const port = await freePort();
  const wrangler = {
    name: 'hookgate-e2e',
    main: MAIN,
    compatibility_date: '2026-11-01',
    kv_namespaces: [{ binding: 'HOOKGATE_KV', id: 'e2e' }],
    vars: { HOOKGATE: config },
    // As wrangler.toml has it: the operator page's files.
    assets: { directory: PAGE_DIR, binding: 'ASSETS', run_worker_first: true, html_handling: 'none' },
  };
  if (queues) wrangler.queues = queues;
  Object.assign(wrangler, extra);
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify(wrangler, null, 2));
  writeFileSync(join(dir, '.dev.vars'), Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  // More Workers in the same wrangler process (reached through service bindings only).
  const more = workers.flatMap((w, i) => {
    const file = join(dir, `worker-${i}.json`);
    writeFileSync(file, JSON.stringify({ compatibility_date: '2026-11-01', ...w }, null, 2));
    return ['-c', file];
  });
  const child = spawn(
    'wrangler',
    ['dev', '-c', join(dir, 'wrangler.json'), ...more, '--ip', '127.0.0.1', '--port', String(port),
      '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false'],
    { cwd: dir, detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  child.stdout.on('data', (d) => { logs += d; });
  child.stderr.on('data', (d) => { logs += d; });
  const base = `http://127.0.0.1:${port}`;
  answered.set(base, []);
  /** Fails when any configured secret appears in a hookgate log line or an answer it gave;
   * `echoed` names the shared tokens a provider requires echoed back to it (Adobe Sign's
   * client id), allowed in answers but never in logs. */
  const scanSecrets = async (values = secrets) => {
    const texts = await Promise.all(answered.get(base) ?? []);
    const lines = hookgateLines().map((l) => JSON.stringify(l));
    for (const [name, value] of Object.entries(values)) {
      for (const form of secretForms(String(value))) {
        if (lines.some((l) => l.includes(form))) throw new Error(`secret ${name} appears in a hookgate log line`);
        if (!echoed.includes(name) && texts.some((t) => t.includes(form))) throw new Error(`secret ${name} appears in an answer`);
      }
    }
  };
  const hookgateLines = () => logs.replace(/\x1b\[[0-9;]*m/g, '').split('\n').flatMap((l) => {
    const at = l.indexOf('{"component":"hookgate"');
    if (at < 0) return [];
    try { return [JSON.parse(l.slice(at, l.lastIndexOf('}') + 1))]; } catch { return []; }
  });
  let scanned = false;
  const stop = async () => {
    // The scan runs once, before the process and its logs go; a leak fails the caller.
    const scan = scanned ? Promise.resolve() : scanSecrets().finally(() => { scanned = true; answered.delete(base); });
    const leak = await scan.then(() => null, (e) => e);
    if (child.exitCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 5000);
      await once(child, 'exit').catch(() => {});
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
    if (leak) throw leak;
  };
  const deadline = Date.now() + timeoutMs;
  while (!/Ready on http/.test(logs)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    /** The wrangler process, leader of its process group (workerd runs inside it). */
    pid: child.pid,
    url: (path) => `${base}${path}`,
    logs: () => logs,
    /** Log lines that are hookgate's JSON lines, parsed. */
    lines: hookgateLines,
    /** Throws if a configured secret appears in a log line or answer so far. */
    scanSecrets,
    /** Runs wrangler's own CLI against this instance's local state: { code, out }. */
    cli: async (...args) => {
      const run = spawn('wrangler', [...args, '--local', '--persist-to', join(dir, 'state'), '-c', join(dir, 'wrangler.json')],
        { cwd: dir, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      run.stdout.on('data', (d) => { out += d; });
      run.stderr.on('data', (d) => { out += d; });
      const [code] = await once(run, 'exit');
      return { code, out };
    },
    post: (path, { headers = {}, body = '' } = {}) => fetch(`${base}${path}`, { method: 'POST', headers, body, redirect: 'manual' }),
    stop,
  };
}

/** Reads a response as { status, json }. */
export async function answer(res) {
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, json };
}

export async function waitFor(predicate, { timeoutMs = 15_000, stepMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
