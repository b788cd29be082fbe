# Sourced by the npm scripts: the repository root and the set-up tools on PATH.
# `tools` runs setup.sh (it skips what is there); `tools quick` only runs it when it never ran.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${HOOKGATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/hookgate}"
tools() {
  if [ "${1:-}" != quick ] || [ ! -f "$TOOLS/env.sh" ]; then bash "$ROOT/scripts/setup.sh"; fi
  # shellcheck source=/dev/null
  . "$TOOLS/env.sh"
}
# Runs the configuration check (src/bin/hookgate-check.rs) with the given flags.
check_config() {
  [ -x "$ROOT/target/debug/hookgate-check" ] || echo "[check] building the checker (first time only) ..."
  (cd "$ROOT" && cargo run --quiet --bin hookgate-check -- "$@")
}
