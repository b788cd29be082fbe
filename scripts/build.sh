#!/usr/bin/env bash
# `npm run build` (and wrangler's [build] command): checks the configuration, then builds the
# Worker (build/worker/shim.mjs + wasm) with the tools setup.sh installed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tools quick
cd "$ROOT"
# Every environment's configuration, before anything is built (secrets are checked by
# `npm start`, `npm run check` and `npm run deploy`, which know where they live).
check_config --all-envs --no-secrets || { echo "[build] the configuration check failed (above); nothing built" >&2; exit 1; }
start=$(date +%s)
# The commit GET /healthz reports to the operator (src/health.rs reads it at compile time).
if [ -z "${HOOKGATE_GIT_COMMIT:-}" ]; then
  commit=$(git describe --always --dirty --abbrev=12 2>/dev/null || true)
  [ -n "$commit" ] && export HOOKGATE_GIT_COMMIT="$commit"
fi
# The Worker's std, compiled from the toolchain's library source (setup.sh fetches it) for
# size: panics abort at once, without their message-formatting code, and std takes its
# smaller code paths; 18 KB less gzipped (bench/size.md). `fmt-debug=none` makes every
# `Debug` impl write nothing (6.6 KB less; the Worker's messages never use `{:?}`), and
# `location-detail=none` drops the file names a panic would have printed (0.6 KB). Only the
# wasm32 build gets this
# (CARGO_TARGET_..._RUSTFLAGS): tests, the checker and build scripts keep their usual std.
# Without the source, or with HOOKGATE_PREBUILT_STD=1, the prebuilt std is used.
# SHA-256's compact round loop, not the unrolled one: 5 KB less of wasm, and bodies too
# large for its speed to matter go to WebCrypto anyway (`verify::DEFERRED_MAC_MIN_BYTES`, 16 KiB).
wasm_flags='--cfg=sha2_backend_soft="compact"'
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$wasm_flags"
src_dir="$(rustc --print sysroot)/lib/rustlib/src/rust/library"
if [ -z "${HOOKGATE_PREBUILT_STD:-}" ] && [ -f "$src_dir/std/Cargo.toml" ]; then
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$wasm_flags -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
elif [ -z "${HOOKGATE_PREBUILT_STD:-}" ]; then
  echo "[build] no library source in $(rustc --print sysroot) (bash scripts/setup.sh fetches it): building with the prebuilt std (and Debug formatting compiled in), about 25 KB larger gzipped" >&2
fi
log="$(mktemp)"
if ! worker-build --release "$@" >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "[build] worker-build failed" >&2; exit 1
fi
grep -E '^(warning|error)' "$log" | grep -viE 'wasm-pack version' || true
rm -f "$log"
[ -f build/worker/shim.mjs ] || { echo "[build] worker-build produced no build/worker/shim.mjs" >&2; exit 1; }
# The entry the runtime calls: handlers on a plain object (src/adapter/entry.mjs says why).
grep -q "export { default } from '../index.js'" build/worker/shim.mjs \
  || { echo "[build] build/worker/shim.mjs is not the re-export this worker-build wrote before; check src/adapter/entry.mjs" >&2; exit 1; }
cp src/adapter/entry.mjs build/worker/shim.mjs
wasm=$(find build -name "*.wasm" | head -1)
# worker-build's own wasm-opt run is off (Cargo.toml): it keeps the function-name section.
# The same optimisation and wasm features, without names (HOOKGATE_KEEP_NAMES=1 keeps them,
# for readable wasm frames in a stack trace). `--converge` repeats the passes while they still
# shrink the module (0.7 KB less gzipped, 10 s). `--low-memory-unused` lets wasm-opt fold
# small constant offsets into loads and stores (0.5 KB): it assumes nothing uses the first
# 1 KiB of memory, which holds only the bottom of the 1 MiB stack rustc puts first.
if [ -n "$wasm" ]; then
  opt=(-O --converge --low-memory-unused --strip-producers --strip-target-features --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int
       --enable-bulk-memory --enable-multivalue --enable-reference-types --enable-exception-handling)
  if [ "${HOOKGATE_KEEP_NAMES:-}" = 1 ]; then opt+=(--debuginfo); else opt+=(--strip-debug); fi
  "${WASM_OPT_BIN:-wasm-opt}" "${opt[@]}" "$wasm" -o "$wasm.opt" || { echo "[build] wasm-opt failed" >&2; exit 1; }
  mv "$wasm.opt" "$wasm"
  # wasm-bindgen's linkage names (`__wbg_<name>_<hash>`, twice each) made short in the wasm
  # and its glue alike: 4 KB less gzipped (scripts/short_names.mjs says how).
  node scripts/short_names.mjs "$wasm" build/index.js >/dev/null || { echo "[build] shortening the linkage names failed (above)" >&2; exit 1; }
fi
if [ -n "$wasm" ]; then
  printf '[build] done in %ss: %s is %s bytes (%s gzipped)\n' "$(( $(date +%s) - start ))" \
    "$(basename "$wasm")" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
fi
