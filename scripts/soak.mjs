// `npm run soak [-- --requests N]`: about 20,000 requests against a local hookgate under
// wrangler dev, then the accounting (see tests/e2e/soak.mjs). Loopback only; stops by itself.
import { runSoak } from '../tests/e2e/soak.mjs';

const at = process.argv.indexOf('--requests');
const requests = at > 0 ? Number(process.argv[at + 1]) : 20_000;
const r = await runSoak({ requests, log: (m) => console.log(`[soak] ${m}`) });
const ok = r.lost.length === 0 && r.wrongRefusals.length === 0 && r.strict.missing.length === 0 && r.strict.extras === 0 && r.kv.missing.length === 0 && r.foreign === 0;
console.log(`[soak] ${r.sent} requests in ${r.secs.toFixed(0)} s (${(r.sent / r.secs).toFixed(0)}/s): ${r.genuine} genuine events, ${r.forged} forged, ${r.expired} expired; answers ${JSON.stringify(r.statuses)}`);
console.log(`[soak] strict: ${r.strict.events} events, ${r.strict.missing.length} missing at the origin, ${r.strict.extras} handed on twice`);
console.log(`[soak] kv:     ${r.kv.events} events, ${r.kv.missing.length} missing at the origin, ${r.kv.extras} handed on twice`);
console.log(`[soak] lost (never acknowledged): ${r.lost.length}; forged or expired refused wrongly: ${r.wrongRefusals.length}; reached the origin: ${r.foreign}`);
console.log(`[soak] the Worker's wasm memory: ${r.wasmBytes.first} bytes at the start, ${r.wasmBytes.half} halfway, ${r.wasmBytes.last} at the end`);
console.log(`[soak] workerd (the whole dev server, which grows by itself under wrangler dev): ${r.memoryKb.first} kB at the start, ${r.memoryKb.last} kB at the end`);
console.log(ok ? '[soak] every request accounted for' : '[soak] FAILED');
process.exit(ok ? 0 : 1);
