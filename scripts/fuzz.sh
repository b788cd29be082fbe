#!/usr/bin/env bash
# `npm run fuzz [-- --secs N] [--seed S] [--targets a,b] [--jobs N] [--timeout-ms MS]`:
# the fuzz harness of tests/fuzz/ built optimised (cargo profile `fuzz`: release speed with
# overflow checks and debug assertions), for N seconds in all (default 300), shared by every
# target (or the listed ones) over N jobs (default: one per core), from a random seed that
# it prints. Reports per target executions, execs/s, crashes and hangs (an input slower than
# --timeout-ms, default 1000, on three tries), and exits 1 on any crash or hang; their
# inputs are written to target/fuzz/{crashes,hangs}/<target>/ with the panic and backtrace.
#   --replay FILE    run one saved input (a crash, a hang, a corpus file) and show what it does
#   --write-corpus   rewrite fuzz/corpus/ from tests/vectors/, the README and wrangler.toml
# `cargo test` (and so `npm test`) runs a short fixed-seed pass of the same harness.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
secs=300 seed="" targets="" jobs="" timeout_ms="" mode=long replay=""
while [ $# -gt 0 ]; do
  case "$1" in
    --secs) secs="${2:?--secs needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --targets|--target) targets="${2:?--targets needs a list}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
    --timeout-ms) timeout_ms="${2:?--timeout-ms needs a number}"; shift 2 ;;
    --replay) mode=replay; replay="${2:?--replay needs a file}"; shift 2 ;;
    --write-corpus) mode=corpus; shift ;;
    -h|--help) usage ;;
    *) echo "[fuzz] unknown argument: $1" >&2; usage ;;
  esac
done
case "$secs" in ''|*[!0-9]*) echo "[fuzz] --secs takes whole seconds" >&2; exit 2 ;; esac

# Native only, so cargo is all it needs: the set-up toolchain when there is one.
if [ -f "$TOOLS/env.sh" ]; then
  # shellcheck source=/dev/null
  . "$TOOLS/env.sh"
elif ! command -v cargo >/dev/null; then
  tools
fi

run_test() { # test-name: the harness's ignored tests, built with the fuzz profile
  echo "[fuzz] building the harness (cargo profile fuzz) ..."
  cargo test --quiet --profile fuzz --test fuzz --no-run
  cargo test --quiet --profile fuzz --test fuzz -- --ignored --exact "$1" --nocapture --test-threads 1
}

case "$mode" in
  replay)
    [ -f "$replay" ] || { echo "[fuzz] no such file: $replay" >&2; exit 2; }
    HOOKGATE_FUZZ_REPLAY="$(cd "$(dirname "$replay")" && pwd)/$(basename "$replay")" run_test replay
    ;;
  corpus)
    run_test write_seed_corpus
    ;;
  long)
    [ -n "$seed" ] || seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
    echo "[fuzz] seed $seed, ${secs}s in all (repeat this run with --seed $seed)"
    export HOOKGATE_FUZZ_SECS="$secs" HOOKGATE_FUZZ_SEED="$seed" HOOKGATE_FUZZ_TARGETS="$targets"
    [ -z "$jobs" ] || export HOOKGATE_FUZZ_JOBS="$jobs"
    [ -z "$timeout_ms" ] || export HOOKGATE_FUZZ_TIMEOUT_MS="$timeout_ms"
    status=0
    run_test long_run || status=$?
    if [ "$status" -ne 0 ]; then
      echo "[fuzz] FAILED (seed $seed): inputs in target/fuzz/crashes/ and target/fuzz/hangs/; replay one with: npm run fuzz -- --replay FILE" >&2
      exit 1
    fi
    echo "[fuzz] no crashes, no hangs (seed $seed)"
    ;;
esac
