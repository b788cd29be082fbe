#!/usr/bin/env bash
# `npm run deploy [-- --env NAME] [wrangler deploy flags]`: checks the configuration against
# the secrets actually set in Cloudflare (`wrangler secret list`, names only), then runs
# `wrangler deploy`, whose [build] step checks and builds again. Refuses to deploy a
# configuration that would answer 503 config_invalid.
#   --no-secret-check   skip the secret listing (first deploy of a new Worker, offline)
#   --dry-run           passed to wrangler; implies --no-secret-check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
tools quick
env_name=""
secret_check=1
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-secret-check) secret_check=0 ;;
    --dry-run) secret_check=0; pass+=("$1") ;;
    --env|-e) env_name="${2:?--env needs a name}"; pass+=("$1" "$2"); shift ;;
    --env=*) env_name="${1#--env=}"; pass+=("$1") ;;
    *) pass+=("$1") ;;
  esac
  shift
done
check_args=(--deploy ${env_name:+--env "$env_name"})
if [ "$secret_check" = 1 ]; then
  names="$(mktemp)"
  trap 'rm -f "$names"' EXIT
  if ! wrangler secret list --format json ${env_name:+--env "$env_name"} >"$names" 2>"$names.err"; then
    cat "$names.err" >&2; rm -f "$names.err"
    echo "[deploy] could not list the Worker's secrets (logged in? \`wrangler login\`). For the first deploy of a new Worker, set each secret with \`wrangler secret put NAME\` first, or pass --no-secret-check." >&2
    exit 1
  fi
  rm -f "$names.err"
  check_args+=(--secret-names "$names")
else
  check_args+=(--no-secrets)
fi
check_config "${check_args[@]}" || { echo "[deploy] not deployed: fix the configuration above" >&2; exit 1; }
wrangler deploy "${pass[@]}"
