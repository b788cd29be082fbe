#!/usr/bin/env node
// Lists and replays dead letters parked by hookgate's dead-letter consumer (see README,
// "Queue hand-off"). Needs the secret HOOKGATE_ADMIN_TOKEN set on the Worker; the same
// value comes from the environment, .dev.vars, or (the local demo) dev.vars.example.
//   npm run replay                                  -> list parked events (local hookgate)
//   npm run replay -- --source S --id ID            -> deliver one to its origin, then unpark it
//   npm run replay -- --all [--source S]            -> replay every parked event (of S)
//   --url https://hookgate.<subdomain>.workers.dev  -> a deployed hookgate
// Archived events (sources with `archive`, README "Archive and replay"):
//   npm run replay -- --source S --from T1 --to T2 [--id ID] [--dry-run] [--state FILE]
//     re-delivers S's archived events received from T1 to T2 (RFC 3339 or unix ms) to its
//     current origin, oldest first, with their original X-Hookgate-Event-Id and a fresh
//     hookgate signature, bypassing dedupe on purpose. Progress goes to a state file
//     (default .hookgate-replay-S-T1-T2.json); run the same command again to resume after
//     an interruption. --dry-run lists what would be sent; --id keeps one event id.
import { devVar } from './dev-vars.mjs';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.HOOKGATE_URL || 'http://127.0.0.1:8787' },
    source: { type: 'string' },
    id: { type: 'string' },
    all: { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    state: { type: 'string' },
  },
});

function token() {
  const value = process.env.HOOKGATE_ADMIN_TOKEN ?? devVar('HOOKGATE_ADMIN_TOKEN');
  if (value) return value;
  console.error('replay: set HOOKGATE_ADMIN_TOKEN (environment or .dev.vars) to the Worker\'s secret of that name');
  process.exit(2);
}

const auth = { authorization: `Bearer ${token()}` };
const base = `${values.url.replace(/\/$/, '')}/hookgate/dead-letters`;

async function call(method, url) {
  const res = await fetch(url, { method, headers: auth });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, json };
}

async function list() {
  const letters = [];
  let cursor = null;
  do {
    const q = new URLSearchParams();
    if (values.source) q.set('source', values.source);
    if (cursor) q.set('cursor', cursor);
    const res = await call('GET', `${base}?${q}`);
    if (res.status !== 200) {
      console.error(`list: ${res.status} ${JSON.stringify(res.json)}`);
      process.exit(1);
    }
    letters.push(...res.json.dead_letters);
    cursor = res.json.cursor;
  } while (cursor);
  return letters;
}

async function replay(source, id) {
  const res = await call('POST', `${base}/replay?${new URLSearchParams({ source, event_id: id })}`);
  console.log(`${source} ${id}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.status === 200;
}

/** RFC 3339 or unix milliseconds, as unix milliseconds. */
function instant(text, name) {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0) { console.error(`replay: --${name} is not a time (RFC 3339 or unix ms)`); process.exit(2); }
  return ms;
}

async function replayArchive() {
  if (!values.source || !values.from || !values.to) { console.error('replay: --from and --to need --source (and each other)'); process.exit(2); }
  const [from, to] = [instant(values.from, 'from'), instant(values.to, 'to')];
  if (from > to) { console.error('replay: --from is after --to'); process.exit(2); }
  const archive = `${values.url.replace(/\/$/, '')}/hookgate/archive`;
  const stateFile = values.state ?? `.hookgate-replay-${values.source}-${from}-${to}.json`;
  // The state: every key delivered so far (a listing is in key order, so resuming skips them).
  const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { source: values.source, from, to, done: [] };
  const done = new Set(state.done);
  const save = () => { writeFileSync(`${stateFile}.tmp`, JSON.stringify(state)); renameSync(`${stateFile}.tmp`, stateFile); };
  if (done.size) console.log(`resuming: ${done.size} already delivered (${stateFile})`);
  const events = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({ source: values.source, from: String(from), to: String(to) });
    if (cursor) q.set('cursor', cursor);
    const res = await call('GET', `${archive}?${q}`);
    if (res.status !== 200) { console.error(`list: ${res.status} ${JSON.stringify(res.json)}`); process.exit(1); }
    events.push(...res.json.events);
    cursor = res.json.cursor;
  } while (cursor);
  const todo = events.filter((e) => (!values.id || e.event_id === values.id) && !done.has(e.key));
  console.log(`${events.length} archived from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}; ${todo.length} to deliver`);
  if (values['dry-run']) {
    for (const e of todo) console.log(`would deliver ${e.event_id} (received ${new Date(e.received_ms).toISOString()})`);
    return 0;
  }
  let n = 0;
  for (const e of todo) {
    const res = await call('POST', `${archive}/replay?${new URLSearchParams({ source: values.source, key: e.key })}`);
    n++;
    console.log(`[${n}/${todo.length}] ${e.event_id}: ${res.status} ${JSON.stringify(res.json)}`);
    if (res.status !== 200) {
      console.error(`stopped: run the same command again to resume from ${e.event_id} (progress in ${stateFile})`);
      return 1;
    }
    state.done.push(e.key);
    save();
  }
  console.log(`done: ${n} delivered`);
  return 0;
}

if (values.from || values.to) {
  process.exitCode = await replayArchive();
} else if (values.id) {
  if (!values.source) { console.error('replay: --id needs --source'); process.exit(2); }
  process.exitCode = (await replay(values.source, values.id)) ? 0 : 1;
} else if (values.all) {
  let failed = 0;
  for (const l of await list()) if (!(await replay(l.source, l.event_id))) failed++;
  process.exitCode = failed ? 1 : 0;
} else {
  const letters = await list();
  for (const l of letters) console.log(`${l.source} ${l.event_id}`);
  console.log(`${letters.length} parked`);
}
