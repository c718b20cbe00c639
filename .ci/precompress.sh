#!/usr/bin/env bash
# Trunk post-build hook: writes a brotli (`file.br`, quality 11) and a gzip -9 (`file.gz`)
# copy next to each .wasm, .js and .css of the build, so that the relay sends them
# compressed without compressing per request (tower-http's `ServeDir::precompressed_br()`
# and `precompressed_gzip()`: brotli where the browser accepts it, gzip otherwise).
set -euo pipefail

dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 |
  while IFS= read -r -d '' file; do
    gzip -9 -n -c "$file" >"$file.gz"
    brotli --best --force --output="$file.br" "$file"
  done
