#!/usr/bin/env bash
# `npm run soak`: builds the worker if needed, then runs scripts/soak.mjs (loopback only).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
cd "$ROOT"
[ -f build/worker/shim.mjs ] || bash scripts/build.sh
node scripts/soak.mjs "$@"
