#!/usr/bin/env bash
# Compares two pipeline runs file by file: `bench/compare-outputs.sh <stages-a> <outputs-a> <stages-b> <outputs-b>`.
# A .gz file is compared by the sha256 of its decompressed bytes (zcat | sha256sum), so gzip level
# and member layout do not matter; other files (counts JSON, CSV tables, SVG figures, HTML,
# Markdown) byte for byte, except report.html and summary.md, which carry the code version
# (`git describe`): each "code version <v>" has <v> replaced by X before hashing. The per-run files
# .*.mode, .*.fetched, .papers.inputs and state.json are skipped. Prints `identical`,
# `different` or `only in a/b` per file; exits 1 if any file is not identical.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 <stages-a> <outputs-a> <stages-b> <outputs-b>" >&2; exit 64; }

digest() {
  case "$1" in
    *.gz) zcat -- "$1" | sha256sum | cut -d' ' -f1 ;;
    */report.html|*/summary.md) sed -E 's/([Cc]ode version:? (<code>)?)[^ <).;,]+/\1X/g' -- "$1" | sha256sum | cut -d' ' -f1 ;;
    *) sha256sum -- "$1" | cut -d' ' -f1 ;;
  esac
}

files() { (cd "$1" && find . -type f ! -name '.*' ! -name '*.state.json' ! -name README.md ! -path './fetch/*/*' | sed 's|^\./||' | sort); }

status=0
compare_root() {
  local label=$1 a=$2 b=$3
  while read -r kind file; do
    case $kind in
      both) if [ "$(digest "$a/$file")" = "$(digest "$b/$file")" ]; then echo "identical  $label/$file"
            else echo "different  $label/$file"; status=1; fi ;;
      a) echo "only in a  $label/$file"; status=1 ;;
      b) echo "only in b  $label/$file"; status=1 ;;
    esac
  done < <(join -a1 -a2 -o 0,1.1,2.1 -e - <(files "$a" | awk '{print $0, "x"}') <(files "$b" | awk '{print $0, "x"}') \
           | awk '{ if ($2 == "-") print "b", $1; else if ($3 == "-") print "a", $1; else print "both", $1 }')
}
compare_root stages "$1" "$3"
compare_root outputs "$2" "$4"
exit $status
