#!/usr/bin/env bash
# `npm test`: the whole suite, failing fast, in this order:
#   1. cargo test              - the pure core on the host (unit tests + provider vectors)
#   2. wasm-pack test --node   - the same core compiled to wasm
#   3. build the Worker        - worker-build --release (prints the wasm size)
#   4. node --test tests/e2e   - the built worker under wrangler dev, a real origin, real requests
# and ends with one summary line of counts.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
tools
LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
passed=0
failed=0

stage() { printf '\n[test] %s\n' "$*"; stage_start=$(date +%s); }
stage_done() { printf '[test]   done in %ss\n' "$(( $(date +%s) - stage_start ))"; }
# Sums "N passed; M failed" from cargo/wasm-bindgen-test result lines.
count_rust() {
  local p f
  p=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -oE '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}
summary() { echo; echo "total: $passed passed, $failed failed"; }
run_stage() { # log-name command...
  local log="$LOGS/$1"; shift
  if ! "$@" 2>&1 | tee "$log"; then
    [ "${COUNT_RUST:-}" = 1 ] && count_rust "$log"
    [ "$failed" -gt 0 ] || failed=1
    summary
    echo "[test] FAILED: $*" >&2
    exit 1
  fi
}

stage "cargo test (native core)"
COUNT_RUST=1 run_stage cargo.log cargo test --quiet
count_rust "$LOGS/cargo.log"
stage_done

stage "wasm-pack test --node (core as wasm)"
COUNT_RUST=1 run_stage wasm.log wasm-pack --log-level warn test --node
count_rust "$LOGS/wasm.log"
stage_done

stage "build the Worker"
run_stage build.log bash scripts/build.sh
stage_done

stage "end-to-end: node --test tests/e2e (wrangler dev + real origin)"
e2e_status=0
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$LOGS/e2e.tap" 'tests/e2e/*.test.mjs' || e2e_status=$?
p=$(grep -E '^# pass [0-9]+' "$LOGS/e2e.tap" | awk '{print $3}' | tail -1)
f=$(grep -E '^# fail [0-9]+' "$LOGS/e2e.tap" | awk '{print $3}' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
stage_done
if [ "$e2e_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
summary
[ "$failed" -eq 0 ]
