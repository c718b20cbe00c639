#!/usr/bin/env bash
# Installs what building and testing Front desk needs, and only what is missing:
#   - the wasm32-unknown-unknown Rust target,
#   - trunk 0.21.14 (newer trunks need a newer rustc),
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock,
#   - wasm-opt 116 (binaryen, from the `wasm-opt` crate; Debian's binaryen 108 breaks the app),
#   - Debian packages: chromium and chromium-driver (headless browser tests),
#   - the Playwright test runner in tests/e2e (npm ci; it drives the system Chromium).
# Safe to run again and again: each step says whether it installed or skipped.
# Needs: rustup/cargo, Node.js and npm, and root or sudo for apt-get.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CI=true DEBIAN_FRONTEND=noninteractive PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
exec </dev/null

TRUNK_VERSION=0.21.14
# The `wasm-opt` crate bundles binaryen; its version must match Trunk.toml's `wasm_opt`.
WASM_OPT_CRATE_VERSION=0.116.1
WASM_OPT_VERSION=116
APT_PACKAGES=(chromium chromium-driver)

say() { printf '[install-tools] %s\n' "$*"; }
wasm_opt_ok() { [[ "$(wasm-opt --version 2>/dev/null || true)" == "wasm-opt version $WASM_OPT_VERSION "* ]]; }

# --- Debian packages ---------------------------------------------------------------------
# Building the `wasm-opt` crate below compiles C++: bring a compiler if there is none.
if ! wasm_opt_ok && ! command -v c++ >/dev/null; then APT_PACKAGES+=(g++); fi
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
# Debian bookworm's binaryen 108 writes the `__wbindgen_externrefs` table export pointing at
# the function table; the app then dies at start. The crate compiles binaryen's C++ (g++).
if wasm_opt_ok; then
  say "skip: wasm-opt $WASM_OPT_VERSION is installed"
else
  say "install: wasm-opt $WASM_OPT_VERSION (cargo install wasm-opt $WASM_OPT_CRATE_VERSION, takes a while)"
  cargo install wasm-opt --version "$WASM_OPT_CRATE_VERSION" --locked
fi

# --- Playwright (npm) --------------------------------------------------------------------
# node_modules is current when it was installed from this very package-lock.json.
e2e=tests/e2e
stamp="$e2e/node_modules/.installed-from-lock"
lock_sum="$(sha256sum "$e2e/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" ]]; then
  say "skip: npm packages in $e2e are installed"
else
  say "install: npm packages in $e2e (npm ci)"
  (cd "$e2e" && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$stamp"
fi

say "done"
