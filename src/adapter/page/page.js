// hookgate's operator page: no data is served with it; everything below is fetched with the
// admin token, which stays in this tab (sessionStorage). DOM is built with textContent only.
'use strict';
const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'hookgate-admin-token';
let cursor = null;

function say(text) { $('status').textContent = text; }

async function call(method, path) {
  const res = await fetch(path, { method, headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` } });
  let body = {};
  try { body = await res.json(); } catch { /* not JSON */ }
  if (res.status === 401 || (res.status === 404 && body.error === 'not_found')) {
    sessionStorage.removeItem(TOKEN_KEY);
    show(false);
    throw new Error(res.status === 401 ? 'That token is not the Worker\'s HOOKGATE_ADMIN_TOKEN.' : 'The admin endpoints are off: set HOOKGATE_ADMIN_TOKEN (32 characters or more) on the Worker.');
  }
  return { status: res.status, body };
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (cls) td.className = cls;
  return td;
}

function when(secs) { return secs ? new Date(secs * 1000).toISOString().replace('.000Z', 'Z') : ''; }

function renderSources({ sources = [], broken = [] }) {
  const tbody = $('sources').tBodies[0];
  tbody.replaceChildren();
  for (const s of sources) {
    const row = tbody.insertRow();
    row.dataset.source = s.name;
    cell(row, s.name);
    cell(row, s.handshake ? `${s.type} (handshake ${s.handshake})` : s.type);
    cell(row, s.status, s.status === 'ok' ? 'ok' : 'bad');
    cell(row, s.keys.map((k) => `${k.label}${k.not_after ? ` until ${when(k.not_after)}` : ''}${k.usable ? '' : ' (expired)'}`).join(', '));
    const d = s.destination;
    cell(row, [d.queue ? `queue ${d.queue}` : null, d.origin ? `→ ${d.origin}` : null, d.r2 ? `R2 ${d.r2}` : null].filter(Boolean).join(' '));
    cell(row, `${s.dedupe.mode}, ${Math.round(s.dedupe.window_secs / 3600)} h`);
    cell(row, s.replay, 'muted');
  }
  for (const b of broken) {
    const row = tbody.insertRow();
    row.dataset.source = b.name;
    cell(row, b.name);
    cell(row, '');
    cell(row, b.status, 'bad');
    const td = cell(row, '');
    td.colSpan = 4;
    td.textContent = b.problems.join('; ');
  }
}

let archiveCursor = null;

function renderArchiveSources(sources) {
  const select = $('archive-source');
  const archived = sources.filter((s) => s.archive);
  const was = select.value;
  select.replaceChildren(...archived.map((s) => Object.assign(document.createElement('option'), { value: s.name, textContent: `${s.name} (R2 ${s.archive.r2}, ${s.archive.retention_days} d)` })));
  if (archived.some((s) => s.name === was)) select.value = was;
  $('archive-section').hidden = archived.length === 0;
  // The last day by default, in UTC as the inputs show it.
  if (!$('archive-to').value) {
    const iso = (ms) => new Date(ms).toISOString().slice(0, 19);
    $('archive-to').value = iso(Date.now() + 60_000);
    $('archive-from').value = iso(Date.now() - 86_400_000);
  }
}

async function listArchive(more) {
  const source = $('archive-source').value;
  const ms = (id) => Date.parse(`${$(id).value}Z`);
  const from = ms('archive-from');
  const to = ms('archive-to');
  if (!source || Number.isNaN(from) || Number.isNaN(to)) return say('Choose a source and both times.');
  const q = `source=${encodeURIComponent(source)}&from=${from}&to=${to}${more && archiveCursor ? `&cursor=${encodeURIComponent(archiveCursor)}` : ''}`;
  const session = sessionStorage.getItem(TOKEN_KEY);
  const { status, body } = await call('GET', `/hookgate/archive?${q}`);
  if (sessionStorage.getItem(TOKEN_KEY) !== session) return; // logged out meanwhile
  if (status !== 200) return say(`The archive cannot be listed: ${status} ${body.error ?? ''}`);
  archiveCursor = body.cursor ?? null;
  const tbody = $('archive').tBodies[0];
  if (!more) tbody.replaceChildren();
  for (const e of body.events) {
    const row = tbody.insertRow();
    row.dataset.key = e.key;
    row.dataset.eventId = e.event_id ?? '';
    cell(row, new Date(e.received_ms).toISOString());
    cell(row, e.event_id).className = 'id';
    cell(row, e.key_label ?? '', 'muted');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Replay';
    button.addEventListener('click', async () => {
      button.disabled = true;
      const r = await call('POST', `/hookgate/archive/replay?source=${encodeURIComponent(source)}&key=${encodeURIComponent(e.key)}`);
      say(r.status === 200
        ? `Replayed archived ${e.event_id} (${source}) to the current origin, past dedupe: it answered ${r.body.origin_status}.`
        : `Replay of archived ${e.event_id} failed: ${r.status} ${r.body.error ?? ''}.`);
      button.disabled = false;
    });
    row.insertCell().append(button);
  }
  $('archive-more').hidden = !archiveCursor;
  if (!more) say(`${body.events.length}${archiveCursor ? '+' : ''} archived event(s) of ${source} in that range.`);
}

function renderOutcomes({ since_ms: since, outcomes = [] }) {
  $('since').textContent = since ? `(this isolate, since ${new Date(since).toISOString()}; a deployment runs many isolates)` : '(none yet in this isolate)';
  const tbody = $('outcomes').tBodies[0];
  tbody.replaceChildren();
  for (const o of outcomes) {
    const row = tbody.insertRow();
    cell(row, o.source || '(no source)');
    cell(row, o.stage);
    cell(row, o.outcome, o.outcome === 'accepted' || o.outcome === 'duplicate' ? 'ok' : o.outcome === 'rejected' ? '' : 'bad');
    cell(row, o.reason);
    cell(row, String(o.count));
  }
}

function renderLetters(letters, append) {
  const tbody = $('dead-letters').tBodies[0];
  if (!append) tbody.replaceChildren();
  for (const l of letters) {
    const row = tbody.insertRow();
    row.dataset.source = l.source;
    row.dataset.eventId = l.event_id;
    cell(row, l.source);
    cell(row, l.event_id).className = 'id';
    cell(row, l.key, 'muted');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Replay';
    button.className = 'replay';
    button.addEventListener('click', () => replay(row, button));
    row.insertCell().append(button);
  }
  $('replay-all').disabled = tbody.rows.length === 0;
  $('more').hidden = !cursor;
}

async function replay(row, button) {
  button.disabled = true;
  const q = `source=${encodeURIComponent(row.dataset.source)}&event_id=${encodeURIComponent(row.dataset.eventId)}`;
  const { status, body } = await call('POST', `/hookgate/dead-letters/replay?${q}`);
  if (status === 200) {
    row.remove();
    say(`Replayed ${row.dataset.eventId} (${row.dataset.source}): the origin answered ${body.origin_status}.`);
  } else {
    button.disabled = false;
    say(`Replay of ${row.dataset.eventId} failed: ${status} ${body.error ?? ''}. It stays parked.`);
  }
  $('replay-all').disabled = $('dead-letters').tBodies[0].rows.length === 0;
  return status === 200;
}

async function replayAll() {
  const rows = [...$('dead-letters').tBodies[0].rows];
  let ok = 0;
  for (const row of rows) if (await replay(row, row.querySelector('button'))) ok++;
  say(`Replayed ${ok} of ${rows.length}; ${rows.length - ok} still parked.`);
}

async function load(more = false) {
  const session = sessionStorage.getItem(TOKEN_KEY);
  try {
    const [sources, stats, letters] = await Promise.all([
      call('GET', '/hookgate/sources'),
      call('GET', '/hookgate/stats'),
      call('GET', `/hookgate/dead-letters${more && cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
    ]);
    // A load still under way when the operator logged out shows nothing.
    if (sessionStorage.getItem(TOKEN_KEY) !== session) return;
    if (sources.status !== 200) {
      say(`The configuration does not load (${sources.body.error}): ${(sources.body.problems ?? []).join('; ')}`);
    } else {
      if (!more) say('');
      renderSources(sources.body);
      renderArchiveSources(sources.body.sources ?? []);
    }
    if (stats.status === 200) renderOutcomes(stats.body);
    if (letters.status === 200) {
      cursor = letters.body.cursor ?? null;
      renderLetters(letters.body.dead_letters, more);
    } else {
      say(`Dead letters cannot be listed: ${letters.status} ${letters.body.error ?? ''}`);
    }
    show(true);
  } catch (e) {
    say(e.message);
  }
}

function show(on) {
  $('main').hidden = !on;
  $('who').hidden = !on;
  $('login').hidden = on;
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  $('token').value = '';
  load();
});
$('refresh').addEventListener('click', () => load());
$('more').addEventListener('click', () => load(true));
$('replay-all').addEventListener('click', replayAll);
$('archive-form').addEventListener('submit', (e) => { e.preventDefault(); listArchive(false); });
$('archive-more').addEventListener('click', () => listArchive(true));
$('logout').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); show(false); say(''); });
if (sessionStorage.getItem(TOKEN_KEY)) load();
