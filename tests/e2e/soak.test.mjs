// A short soak with full accounting (`npm run soak` runs the long one): see soak.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from './soak.mjs';

test('soak: every genuine event reaches the origin (strict: exactly once), no forged or expired one does', async (t) => {
  const r = await runSoak({ requests: 2500, concurrency: 16 });
  t.diagnostic(JSON.stringify({ secs: r.secs, sent: r.sent, genuine: r.genuine, statuses: r.statuses, kvExtras: r.kv.extras, wasmBytes: r.wasmBytes, workerdKb: r.memoryKb }));
  assert.ok(r.sent >= 2500 && r.genuine > 1000 && r.forged > 100 && r.expired > 100, JSON.stringify(r));
  assert.deepEqual(r.lost, [], 'every genuine event acknowledged 2xx');
  assert.deepEqual(r.wrongRefusals, [], 'every forged or expired request refused 401');
  assert.deepEqual(r.strict.missing, []);
  assert.equal(r.strict.extras, 0, 'strict mode: none handed on twice');
  assert.deepEqual(r.kv.missing, []);
  assert.equal(r.foreign, 0, 'no forged or expired event reached the origin');
  // The Worker's wasm memory levels off: the second half of the run adds at most 2 MiB.
  assert.ok(r.wasmBytes.first > 0 && r.wasmBytes.last > 0, JSON.stringify(r.wasmBytes));
  assert.ok(r.wasmBytes.last - r.wasmBytes.half <= 2 * 1024 * 1024, `wasm memory kept growing: ${JSON.stringify(r.wasmBytes)}`);
});
