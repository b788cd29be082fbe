#!/usr/bin/env bash
# `npm run check [-- --env NAME | --all-envs] [--config FILE] [--no-secrets | --secret-names FILE]`:
# validates the HOOKGATE configuration and the bindings it needs; exit 1 on any error.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
check_config "$@"
