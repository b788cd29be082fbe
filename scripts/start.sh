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
url_hint=""
[ "$PORT" = 8787 ] || url_hint=" --url http://127.0.0.1:$PORT"
node scripts/origin.mjs &
origin_pid=$!
trap 'kill $origin_pid 2>/dev/null || true' EXIT
cat <<MSG

[start] hookgate will listen on http://127.0.0.1:$PORT  (demo source: POST /hooks/demo; GET /healthz)
[start] the local origin listens on http://127.0.0.1:8788 (npm run origin: it prints each
[start] forwarded event and checks hookgate's signature on it, for every local source)
[start] from another terminal, send a signed sample event to any source:

    npm run send -- demo$url_hint                  # 200 accepted: the origin prints it
    npm run send -- demo --id evt_1$url_hint       # twice: the second is 200 duplicate
    npm run send -- demo --wrong-secret$url_hint   # 401 signature_mismatch, and what to do about it

MSG
wrangler dev --ip 127.0.0.1 --port "$PORT" --local-protocol http --show-interactive-dev-session=false
