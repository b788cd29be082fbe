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
env_name="${CLOUDFLARE_ENV:-}"
config=""
name=""
secret_check=1
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-secret-check) secret_check=0 ;;
    --dry-run) secret_check=0; pass+=("$1") ;;
    --env|-e) env_name="${2:?--env needs a name}"; pass+=("$1" "$2"); shift ;;
    --env=*) env_name="${1#--env=}"; pass+=("$1") ;;
    --config|-c) config="${2:?--config needs a file}"; pass+=("$1" "$2"); shift ;;
    --config=*) config="${1#--config=}"; pass+=("$1") ;;
    --name) name="${2:?--name needs a name}"; pass+=("$1" "$2"); shift ;;
    --name=*) name="${1#--name=}"; pass+=("$1") ;;
    *) pass+=("$1") ;;
  esac
  shift
done
# The same Worker, file and environment for the check, the secret listing and the deploy.
target=()
[ -n "$env_name" ] && target+=(--env "$env_name")
[ -n "$config" ] && target+=(--config "$config")
check_args=(--deploy "${target[@]+"${target[@]}"}")
if [ "$secret_check" = 1 ]; then
  names="$(mktemp)"
  trap 'rm -f "$names" "$names.err"' EXIT
  if ! wrangler secret list --format json "${target[@]+"${target[@]}"}" ${name:+--name "$name"} >"$names" 2>"$names.err"; then
    cat "$names.err" >&2
    echo "[deploy] could not list the Worker's secrets (logged in? \`wrangler login\`). For the first deploy of a new Worker, set each secret with \`wrangler secret put NAME\` first, or pass --no-secret-check." >&2
    exit 1
  fi
  check_args+=(--secret-names "$names")
else
  check_args+=(--no-secrets)
fi
check_config "${check_args[@]}" || { echo "[deploy] not deployed: fix the configuration above" >&2; exit 1; }
wrangler deploy "${pass[@]+"${pass[@]}"}"
