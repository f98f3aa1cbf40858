#!/usr/bin/env bash
# Compares this tree's pipeline outputs with a baseline tree's, file by file: every stage .gz by
# the SHA-256 of its decompressed content, every .json / CSV / SVG as is, the
# HTML report but for its code version. Usage:
#   bench/compare-baseline.sh BASELINE_DIR [STAGES_DIR] [OUTPUTS_DIR]
# where BASELINE_DIR holds stages/ and outputs/ from `make all` of the reference commit.
set -euo pipefail
base=$1 stages=${2:-stages} outputs=${3:-outputs}
differ=0 same=0
# The report names the commit it was made from; that one string may differ.
digest() {
  case "$1" in
    *.gz) zcat "$1" | sha256sum | cut -d' ' -f1 ;;
    *.html) sed -E 's/Code version( |: <code>)[0-9a-f]+(-dirty)?/Code version\1X/g' "$1" | sha256sum | cut -d' ' -f1 ;;
    *) sha256sum < "$1" | cut -d' ' -f1 ;;
  esac
}
while IFS= read -r rel; do
  mine=${rel/#stages/$stages}; mine=${mine/#outputs/$outputs}
  if [ ! -f "$mine" ]; then echo "missing: $mine"; differ=$((differ + 1)); continue; fi
  if [ "$(digest "$base/$rel")" = "$(digest "$mine")" ]; then same=$((same + 1)); else echo "differs: $rel"; differ=$((differ + 1)); fi
done < <(cd "$base" && find stages outputs -type f \( -name '*.gz' -o -name '*.csv' -o -name '*.svg' -o -name '*.json' -o -name '*.html' \) | sort)
echo "$same identical, $differ different or missing"
[ "$differ" -eq 0 ]
