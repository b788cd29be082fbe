#!/usr/bin/env bash
# Builds the Worker (build/worker/shim.mjs + wasm) with the tools setup.sh installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${HOOKGATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/hookgate}"
[ -f "$TOOLS/env.sh" ] || bash "$ROOT/scripts/setup.sh"
# shellcheck source=/dev/null
. "$TOOLS/env.sh"
cd "$ROOT"
start=$(date +%s)
log="$(mktemp)"
if ! worker-build --release "$@" >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "[build] worker-build failed" >&2; exit 1
fi
grep -E '^(warning|error)' "$log" | grep -viE 'wasm-pack version' || true
rm -f "$log"
[ -f build/worker/shim.mjs ] || { echo "[build] worker-build produced no build/worker/shim.mjs" >&2; exit 1; }
wasm=$(find build -name "*.wasm" | head -1)
if [ -n "$wasm" ]; then
  printf '[build] done in %ss: %s is %s bytes (%s gzipped)\n' "$(( $(date +%s) - start ))" \
    "$(basename "$wasm")" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
fi
