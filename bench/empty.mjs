// Baseline: a Worker that does nothing but answer.
export default {
  async fetch() {
    return new Response(null, { status: 204 });
  },
};
