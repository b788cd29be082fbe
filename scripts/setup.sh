#!/usr/bin/env bash
# One setup for `npm start`, `npm test` and CI: installs what is missing, skips what is there.
#
# Everything installed lives outside the repository, under $HOOKGATE_TOOLS
# (default ~/.cache/hookgate). The wasm32 target comes from rustup when its servers answer
# within $HOOKGATE_RUSTUP_TIMEOUT seconds, else from Debian's rustc-web toolchain with a
# wasm32 std built once from its library source (see shared/TOOLCHAIN.md for why).
# HOOKGATE_FORCE_FALLBACK=1 skips rustup and takes the Debian path.
#
# The result is $HOOKGATE_TOOLS/env.sh, which the other scripts source.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${HOOKGATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/hookgate}"
RUSTUP_TIMEOUT="${HOOKGATE_RUSTUP_TIMEOUT:-60}"
# Pinned versions. wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock (checked below).
WORKER_BUILD_VERSION="0.8.7"
WASM_PACK_VERSION="0.15.1"
mkdir -p "$TOOLS/bin"

step_start=0
step() { step_start=$(date +%s); printf '[setup] %s ...\n' "$*"; }
done_step() { printf '[setup]   done in %ss%s\n' "$(( $(date +%s) - step_start ))" "${1:+ ($1)}"; }
skip() { printf '[setup] %s: already there, skipped\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

lock_version() { # version of a package in Cargo.lock
  awk -v n="$1" '$0=="name = \""n"\"" {getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock"
}
BINDGEN_VERSION="$(lock_version wasm-bindgen)"
[ -n "$BINDGEN_VERSION" ] || { echo "[setup] Cargo.lock names no wasm-bindgen" >&2; exit 1; }

# --- 1. Node 22, wrangler, binaryen and the test libraries from the npm registry -----------
# npm ci only when the lock file changed since the last install.
lock_sum="$(sha256sum "$ROOT/package-lock.json" | cut -c1-64)"
if [ -x "$ROOT/node_modules/.bin/wrangler" ] && [ "$(cat "$ROOT/node_modules/.hookgate-lock" 2>/dev/null)" = "$lock_sum" ]; then
  skip "npm packages (node 22, wrangler, binaryen)"
else
  step "npm install (node 22, wrangler, binaryen, provider signing libraries)"
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$ROOT/node_modules/.hookgate-lock"
  done_step
fi

# --- 1b. Chromium from Debian, for the operator page's end-to-end test (playwright-core) ------
if command -v chromium >/dev/null; then
  skip "chromium"
else
  step "apt-get install chromium (the operator page's browser test)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  done_step
fi

# --- 2. A Rust toolchain with the wasm32 std ------------------------------------------------
has_wasm_std() { # $1: toolchain name ('' = default)
  local dir
  dir="$(RUSTUP_TOOLCHAIN="$1" rustc --target wasm32-unknown-unknown --print target-libdir 2>/dev/null)" || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}
TOOLCHAIN_NAME=""
if [ -f "$TOOLS/toolchain" ]; then TOOLCHAIN_NAME="$(cat "$TOOLS/toolchain")"; fi
if [ -f "$TOOLS/toolchain" ] && has_wasm_std "$TOOLCHAIN_NAME" \
   && { [ -z "${HOOKGATE_FORCE_FALLBACK:-}" ] || [ "$TOOLCHAIN_NAME" = debian ]; }; then
  skip "wasm32 toolchain (${TOOLCHAIN_NAME:-rustup default})"
else
  TOOLCHAIN_NAME=""
  if [ -z "${HOOKGATE_FORCE_FALLBACK:-}" ] && command -v rustup >/dev/null; then
    step "rustup target add wasm32-unknown-unknown (timeout ${RUSTUP_TIMEOUT}s)"
    if timeout "$RUSTUP_TIMEOUT" rustup target add wasm32-unknown-unknown && has_wasm_std ""; then
      TOOLCHAIN_NAME="$(rustup show active-toolchain | cut -d' ' -f1)"
      done_step "rustup"
    else
      done_step "rustup failed; taking the Debian path"
    fi
  fi
  if [ -z "$TOOLCHAIN_NAME" ]; then
    if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ] || [ ! -e /usr/bin/rust-lld ]; then
      step "apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22 >/dev/null
      done_step
    else
      skip "Debian rustc-web toolchain"
    fi
    sysroot_lib="$(/usr/bin/rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib"
    if ! compgen -G "$sysroot_lib/libstd-*.rlib" >/dev/null; then
      step "build the wasm32 std from Debian's library source (once)"
      std_build="$TOOLS/std_build"
      rm -rf "$std_build"; mkdir -p "$std_build/src"
      printf '[package]\nname = "std_build"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' > "$std_build/Cargo.toml"
      : > "$std_build/src/lib.rs"
      (cd "$std_build" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C embed-bitcode=yes" \
        /usr/bin/cargo build -q --release --target wasm32-unknown-unknown -Z build-std=std,panic_abort,test)
      as_root mkdir -p "$sysroot_lib"
      find "$std_build/target/wasm32-unknown-unknown/release/deps" -maxdepth 1 -name '*.rlib' \
        ! -name 'libstd_build-*' -exec cp {} "$sysroot_lib/" \;
      rm -rf "$std_build"
      done_step "$(ls "$sysroot_lib" | wc -l) rlibs"
    else
      skip "wasm32 std in the Debian sysroot"
    fi
    if command -v rustup >/dev/null; then
      rustup toolchain link debian /usr >/dev/null 2>&1 || true
      TOOLCHAIN_NAME=debian
    else
      TOOLCHAIN_NAME=""
    fi
  fi
  echo "$TOOLCHAIN_NAME" > "$TOOLS/toolchain"
  # A build made with the other toolchain cannot be linked against this std.
  rm -rf "$ROOT/target/wasm32-unknown-unknown"
fi

# --- 2b. The library source, for the Worker's own std build (scripts/build.sh) ------------
# Debian's rust-web-src has it; a rustup toolchain gets it as a component. Without it the
# Worker still builds, with the prebuilt std (about 18 KB larger gzipped).
src_dir="$(RUSTUP_TOOLCHAIN="$TOOLCHAIN_NAME" rustc --print sysroot)/lib/rustlib/src/rust/library"
if [ -f "$src_dir/std/Cargo.toml" ]; then
  skip "library source"
elif [ "$TOOLCHAIN_NAME" != debian ] && command -v rustup >/dev/null; then
  step "rustup component add rust-src (timeout ${RUSTUP_TIMEOUT}s)"
  if timeout "$RUSTUP_TIMEOUT" env RUSTUP_TOOLCHAIN="$TOOLCHAIN_NAME" rustup component add rust-src >/dev/null 2>&1; then
    done_step
  else
    done_step "failed: the Worker builds with the prebuilt std"
  fi
fi

# --- 3. worker-build, wasm-bindgen-cli, wasm-pack from crates.io (host toolchain) ---------
installed_version() { "$TOOLS/bin/$1" --version 2>/dev/null | awk 'NR==1 {print $NF}'; }
cargo_install() { # crate version binary
  if [ "$(installed_version "$3")" = "$2" ]; then skip "$1 $2"; return; fi
  step "cargo install $1 $2"
  # Shared target dir: the three tools' common dependencies compile once.
  env -u RUSTUP_TOOLCHAIN CARGO_TARGET_DIR="$TOOLS/cargo-target" \
    cargo install -q --root "$TOOLS" "$1" --version "=$2"
  done_step
}
cargo_install worker-build "$WORKER_BUILD_VERSION" worker-build
cargo_install wasm-bindgen-cli "$BINDGEN_VERSION" wasm-bindgen
cargo_install wasm-pack "$WASM_PACK_VERSION" wasm-pack
rm -rf "$TOOLS/cargo-target"

# --- 4. The environment the other scripts use -----------------------------------------------
cat > "$TOOLS/env.sh" <<EOF
# Written by scripts/setup.sh; sourced by the other scripts.
export PATH="$ROOT/node_modules/.bin:$TOOLS/bin:\$PATH"
export WASM_BINDGEN_BIN="$TOOLS/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"
export WRANGLER_SEND_METRICS=false
export HOOKGATE_TOOLS="$TOOLS"
EOF
if [ -n "$TOOLCHAIN_NAME" ]; then echo "export RUSTUP_TOOLCHAIN=$TOOLCHAIN_NAME" >> "$TOOLS/env.sh"; fi
echo "[setup] ready: toolchain ${TOOLCHAIN_NAME:-default}, wasm-bindgen $BINDGEN_VERSION, tools in $TOOLS"
