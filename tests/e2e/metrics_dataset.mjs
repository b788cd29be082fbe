// Stands in for a Workers Analytics Engine dataset in the metrics test: `wrangler dev`'s own
// local dataset drops every point, so this one, bound as HOOKGATE_METRICS through a service
// binding, posts each point it is given to the test's HTTP sink instead.
import { WorkerEntrypoint } from 'cloudflare:workers';

export class Dataset extends WorkerEntrypoint {
  writeDataPoint(point) {
    this.ctx.waitUntil(fetch(this.env.SINK, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(point) }));
  }
}

export default { fetch: () => new Response('metrics dataset stand-in') };
