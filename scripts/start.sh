#!/usr/bin/env bash
# `npm start`: set up what is missing, build, then serve hookgate with `wrangler dev` on
# 127.0.0.1:8787 next to a demo origin on 127.0.0.1:8788.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
tools
if [ ! -f .dev.vars ]; then
  cp dev.vars.example .dev.vars
  echo "[start] created .dev.vars from dev.vars.example (demo secrets, local only)"
fi
check_config || { echo "[start] fix the configuration above (wrangler.toml, .dev.vars), then npm start again" >&2; exit 1; }
PORT="${PORT:-8787}"
node scripts/origin.mjs &
origin_pid=$!
trap 'kill $origin_pid 2>/dev/null || true' EXIT
cat <<MSG

[start] hookgate will listen on http://127.0.0.1:$PORT  (demo source: POST /hooks/demo)
[start] demo origin listens on  http://127.0.0.1:8788/events (it prints each forwarded event)
[start] send a correctly signed demo event from another terminal:

    npm run send

[start] (or: npm run send -- --secret wrong   -> 401 signature_mismatch)

MSG
wrangler dev --ip 127.0.0.1 --port "$PORT" --local-protocol http --show-interactive-dev-session=false
