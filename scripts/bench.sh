#!/usr/bin/env bash
# `npm run bench`: builds the worker, times the core natively (examples/core_bench.rs), then
# runs scripts/bench.mjs (loopback only; see there), which writes BENCHMARKS.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
cd "$ROOT"
bash scripts/build.sh
core="$(mktemp)"
trap 'rm -f "$core"' EXIT
echo "[bench] the core natively: cargo run --release --example core_bench"
cargo run --quiet --release --example core_bench | tee "$core"
CORE_BENCH_MD="$core" node scripts/bench.mjs "$@"
