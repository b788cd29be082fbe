// `wrangler dev` for the measuring scripts (scripts/bench.mjs, scripts/profile.mjs): a Worker
// of a given configuration on a free loopback port, in a directory of its own.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

/**
 * The processes of process group `pgid` (a `wrangler dev` and its workerd): pid, whether it
 * is a workerd, and its CPU so far in clock ticks (user + system), from /proc.
 */
export function groupProcesses(pgid) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) !== pgid) continue;
      const workerd = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).includes('workerd');
      found.push({ pid: Number(pid), workerd, ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* gone */ }
  }
  return found;
}

/** A loopback port free at the moment of asking. */
export async function freePort() {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  await once(s, 'close');
  return port;
}

/**
 * `start()` (which starts `wrangler dev` on a free port it asks for), tried again up to
 * three times in all when wrangler says its port is taken: a port free when asked can be
 * taken before wrangler binds it (by another process starting beside it), and wrangler
 * then exits at once saying so. `name` labels the note on stderr.
 */
export async function retryOnTakenPort(name, start) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test(String(e.message))) throw e;
      console.error(`[wrangler_dev] ${name}: its port was taken before wrangler bound it; starting it again on another`);
    }
  }
}

/**
 * Starts `wrangler dev` for `config` (named `<prefix>-<name>`, with `devVars` in its
 * .dev.vars) and waits until it is ready. With `inspector`, it also listens for V8's
 * inspector. `pgid` is its process group; `stop()` ends it and removes its directory.
 */
export async function startDev(prefix, name, config, devVars = {}, options = {}) {
  return retryOnTakenPort(name, () => startDevOnce(prefix, name, config, devVars, options));
}

async function startDevOnce(prefix, name, config, devVars, { inspector = false }) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-${name}-`));
  const port = await freePort();
  const inspectorPort = inspector ? await freePort() : undefined;
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({ name: `${prefix}-${name}`, compatibility_date: '2026-11-01', ...config }));
  writeFileSync(join(dir, '.dev.vars'), Object.entries(devVars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const args = ['dev', '-c', join(dir, 'wrangler.json'), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false'];
  if (inspector) args.push('--inspector-port', String(inspectorPort));
  const child = spawn('wrangler', args,
    { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } });
  let logs = '';
  child.stdout.on('data', (d) => { logs = (logs + d).slice(-4000); });
  child.stderr.on('data', (d) => { logs = (logs + d).slice(-4000); });
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch {}
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-child.pid, 'SIGKILL'); } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!/Ready on http/.test(logs)) {
    if (child.exitCode !== null || Date.now() > deadline) { await stop(); throw new Error(`${name} did not start:\n${logs}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, port, inspector: inspectorPort, pgid: child.pid, stop };
}
