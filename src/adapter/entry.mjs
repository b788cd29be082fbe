// The Worker's entry module: scripts/build.sh writes it to build/worker/shim.mjs, in place of
// worker-build's re-export of build/index.js.
//
// worker-build's default export is a `WorkerEntrypoint` class wrapped in Proxies (for its
// panic recovery), which the runtime constructs for every request: a class instance, two
// Proxies and their traps each time. A plain object calling the same handlers costs none of
// that. Recovery after a panic does not depend on it: wasm-bindgen's glue marks the instance
// terminated and instantiates the module afresh on the next call.
import Entrypoint from '../index.js';

export * from '../index.js';

const { fetch, queue } = Entrypoint.prototype;

export default {
  fetch: (request, env, ctx) => fetch.call({ env, ctx }, request),
  queue: (batch, env, ctx) => queue.call({ env, ctx }, batch),
};
