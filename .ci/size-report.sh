#!/usr/bin/env bash
# The client's size as a phone downloads it, against the 550 KB budget for the first
# download: for each .wasm, .js and .css file in dist/, its bytes as built and its
# precompressed copies (.br as served to browsers that accept brotli, .gz to the others),
# then the wasm by part (which crates its bytes come from: tests/examples/size_parts.rs).
# It reports; it never fails the build.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist="${1:-dist}"
budget_kb=550
wasm_built=target/wasm32-unknown-unknown/wasm-release/app.wasm

if [[ ! -d "$dist" ]]; then
  echo "size report: no $dist/ (build the client first: trunk build --release)"
  exit 0
fi

# The size of a precompressed copy, or of one made now if the build has none.
compressed() {
  local file="$1" ext="$2"
  if [[ -f "$file.$ext" ]]; then
    stat -c %s "$file.$ext"
  elif [[ "$ext" == br ]] && command -v brotli >/dev/null; then
    brotli --best -c "$file" | wc -c
  elif [[ "$ext" == gz ]]; then
    gzip -9 -c "$file" | wc -c
  else
    echo 0
  fi
}

total_br=0 total_gz=0 wasm_br=0
echo "size report: the first download from $dist/ (brotli as served; gzip for browsers without it)"
while IFS= read -r -d '' file; do
  raw=$(stat -c %s "$file")
  br=$(compressed "$file" br)
  gz=$(compressed "$file" gz)
  total_br=$((total_br + br))
  total_gz=$((total_gz + gz))
  [[ "$file" == *.wasm ]] && wasm_br=$((wasm_br + br))
  printf '  %-44s %9d B built  %9d B br  %9d B gz\n' "${file#"$dist"/}" "$raw" "$br" "$gz"
done < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 | sort -z)

kb() { printf '%d.%d KB' $(($1 / 1024)) $((($1 % 1024) * 10 / 1024)); }
verdict="within"
((total_br > budget_kb * 1024)) && verdict="OVER"
printf 'size report: total %d B br = %s, %d B gz = %s (budget %d KB as served: %s)\n' \
  "$total_br" "$(kb "$total_br")" "$total_gz" "$(kb "$total_gz")" "$budget_kb" "$verdict"

if [[ -f "$wasm_built" ]]; then
  cargo run --quiet -p tests --example size_parts -- "$wasm_built" "$wasm_br" ||
    echo "size report: the wasm could not be split by part"
fi
exit 0
