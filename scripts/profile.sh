#!/usr/bin/env bash
# `npm run profile`: builds the worker with its function names (so wasm frames are named),
# then runs scripts/profile.mjs (loopback only; see there), which writes bench/profile.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
cd "$ROOT"
HOOKGATE_KEEP_NAMES=1 bash scripts/build.sh
node scripts/profile.mjs "$@"
echo "[profile] the build in build/ keeps its function names: npm run build before a deploy or a bench" >&2
