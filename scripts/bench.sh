#!/usr/bin/env bash
# `npm run bench`: builds the worker, then runs scripts/bench.mjs (loopback only; see there).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
cd "$ROOT"
bash scripts/build.sh
node scripts/bench.mjs "$@"
