#!/usr/bin/env bash
# Trunk post-build hook: writes a gzip -9 copy (`file.gz`) next to each .wasm, .js and .css
# of the build, so that the relay can send them compressed without compressing per request
# (tower-http's `ServeDir::precompressed_gzip()`). The wasm shrinks from ~1.4 MB to ~0.6 MB.
set -euo pipefail

dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 |
  while IFS= read -r -d '' file; do
    gzip -9 -n -c "$file" >"$file.gz"
  done
