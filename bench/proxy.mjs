// Baseline: a bare proxy that hands the body to the origin and answers with its status.
export default {
  async fetch(request, env) {
    const res = await fetch(env.ORIGIN, { method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' }, body: await request.arrayBuffer() });
    await res.body?.cancel();
    return new Response(null, { status: res.ok ? 200 : 502 });
  },
};
