#!/usr/bin/env node
// Lists and replays dead letters parked by hookgate's dead-letter consumer (see README,
// "Queue hand-off"). Needs the secret HOOKGATE_ADMIN_TOKEN set on the Worker; the same
// value comes from the environment, .dev.vars, or (the local demo) dev.vars.example.
//   npm run replay                                  -> list parked events (local hookgate)
//   npm run replay -- --source S --id ID            -> deliver one to its origin, then unpark it
//   npm run replay -- --all [--source S]            -> replay every parked event (of S)
//   --url https://hookgate.<subdomain>.workers.dev  -> a deployed hookgate
import { devVar } from './dev-vars.mjs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.HOOKGATE_URL || 'http://127.0.0.1:8787' },
    source: { type: 'string' },
    id: { type: 'string' },
    all: { type: 'boolean', default: false },
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

if (values.id) {
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
