#!/usr/bin/env bash
# Prints the gzipped size (gzip -9) of each .wasm, .js and .css file in dist/ and their total,
# against the 550 KB budget. It reports; it never fails the build.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist="${1:-dist}"
budget_kb=550

if [[ ! -d "$dist" ]]; then
  echo "size report: no $dist/ (build the client first: trunk build --release)"
  exit 0
fi

total=0
echo "size report: gzip -9 sizes in $dist/"
while IFS= read -r -d '' file; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total=$((total + gz))
  printf '  %-44s %9d B raw  %9d B gz\n' "${file#"$dist"/}" "$raw" "$gz"
done < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 | sort -z)

verdict="within"
((total > budget_kb * 1024)) && verdict="OVER"
printf 'size report: total %d B gz = %d.%d KB (budget %d KB: %s)\n' \
  "$total" $((total / 1024)) $(((total % 1024) * 10 / 1024)) "$budget_kb" "$verdict"
exit 0
