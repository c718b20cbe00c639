#!/usr/bin/env bash
# Installs what building and testing Front desk needs, and only what is missing:
#   - the wasm32-unknown-unknown Rust target,
#   - trunk 0.21.14 (newer trunks need a newer rustc),
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock,
#   - Debian packages: chromium and chromium-driver (headless browser tests), brotli (the
#     client's precompressed copies), postgresql (the storage tests on PostgreSQL run in a
#     throwaway cluster that pg_virtualenv makes in a temporary directory),
#   - wasm-opt 116 in .ci/tools (npm ci: binaryen's JavaScript build, no C++ to compile;
#     Debian's binaryen 108 breaks the app),
#   - the Playwright test runner in tests/e2e (npm ci; it drives the system Chromium).
# Safe to run again and again: each step says whether it installed or skipped.
# Needs: rustup/cargo, Node.js and npm, and root or sudo for apt-get.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CI=true DEBIAN_FRONTEND=noninteractive PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
exec </dev/null

TRUNK_VERSION=0.21.14
APT_PACKAGES=(chromium chromium-driver brotli postgresql)

say() { printf '[install-tools] %s\n' "$*"; }

# Installs the npm packages of the folder $1 from its package-lock.json, unless
# node_modules was installed from this very lock file.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.installed-from-lock" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    say "skip: npm packages in $dir are installed"
  else
    say "install: npm packages in $dir (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$sum" >"$stamp"
  fi
}

# --- Debian packages ---------------------------------------------------------------------
missing=()
for package in "${APT_PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    say "skip: apt package $package is installed"
  else
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  say "install: apt packages ${missing[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo -n); fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${missing[@]}"
fi

# --- Rust target -------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "skip: rust target wasm32-unknown-unknown is installed"
else
  say "install: rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- trunk -------------------------------------------------------------------------------
if [[ "$(trunk --version 2>/dev/null || true)" == "trunk $TRUNK_VERSION" ]]; then
  say "skip: trunk $TRUNK_VERSION is installed"
else
  say "install: trunk $TRUNK_VERSION (cargo install, takes a while)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# --- wasm-bindgen-cli --------------------------------------------------------------------
# The CLI must match the library exactly. Not --locked: the CLI's own lock file pins a crate
# version that the registry no longer serves.
WASM_BINDGEN_VERSION="$(awk '
  $0 == "[[package]]" { name = "" }
  $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen" }
  $1 == "version" && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
if [[ -z "$WASM_BINDGEN_VERSION" ]]; then
  say "error: no wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" == "wasm-bindgen $WASM_BINDGEN_VERSION" ]] &&
  command -v wasm-bindgen-test-runner >/dev/null; then
  say "skip: wasm-bindgen-cli $WASM_BINDGEN_VERSION is installed"
else
  say "install: wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, takes a while)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# --- wasm-opt ----------------------------------------------------------------------------
# binaryen 116 as npm ships it (JavaScript + WebAssembly, run by Node.js): the same version
# Trunk.toml pins, without compiling binaryen's C++ (7 minutes on a fresh machine). The
# Makefile puts .ci/tools/node_modules/.bin first on PATH. Not Debian bookworm's binaryen
# 108: it writes the `__wbindgen_externrefs` table export pointing at the function table,
# and the app dies at start.
npm_ci .ci/tools

# --- Playwright (npm) --------------------------------------------------------------------
npm_ci tests/e2e

say "done"
