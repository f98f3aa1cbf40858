#!/usr/bin/env bash
# Proves the nightly refresh is incremental and that live payloads feed the pipeline exactly like
# snapshot ones. In a scratch copy of the working tree, against the loopback test server (which
# serves the snapshot's own files, OAI-PMH pages and OpenAlex works on 127.0.0.1):
#   1. make all (snapshot mode)                → reference parse output;
#   2. make refresh (live: epoch, arxiv, openalex) → the same parsed model records, byte for byte;
#   3. make refresh again, nothing changed upstream → 304s and noRecordsMatch; no stage rebuilds
#      (also with SOURCES=arxiv, which leaves the other sources' payloads alone);
#   4. upstream publishes a new Epoch table     → parse and everything after it rebuild.
# Usage: Tests/live/refresh_check.sh  (SNAPSHOT, SCRATCH, CONFIG as for make; the build must exist).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
snapshot=$(cd "${SNAPSHOT:-$repo/../shared/snapshot}" && pwd)
scratch=$(cd "$repo" && realpath "${SCRATCH:-.build}")
config=${CONFIG:-release}
[ -x "$scratch/$config/fetch" ] || { echo "refresh_check: build first (make build)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 tar cf - 2>/dev/null) | (cd "$work" && tar xf -)
# Start from the repo's stage outputs (mtimes kept), so step 1 only redoes what is out of date.
for d in stages outputs; do [ -d "$repo/$d" ] && cp -a "$repo/$d" "$work/"; done
mkfifo "$work/server.in"
python3 "$repo/Tests/DivideSourcesTests/Fixtures/live/live_test_server.py" --snapshot "$snapshot" \
  < "$work/server.in" > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
exec 3> "$work/server.in"
for _ in $(seq 100); do grep -q PORT "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/server.out")
[ -n "$port" ] || { echo "refresh_check: test server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
base=http://127.0.0.1:$port
ctl() { python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$base/_control/$1"; }

(cd "$snapshot/epoch" && ls *.csv.gz | sed 's/\.gz$//; s/^/epoch /') > "$work/live-files.txt"
# -o: the build is the repo's, never remade here.
mk() { make -C "$work" --no-print-directory -o "$scratch/$config/.stamp" -o "$scratch/.system-deps" \
  SCRATCH="$scratch" CONFIG="$config" SNAPSHOT="$snapshot" "$@"; }
live=(SOURCES="epoch arxiv openalex" CONTACT=refresh-check@example.org REQUEST_INTERVAL=0 MAX_ATTEMPTS=2
  LIVE_FILES="$work/live-files.txt" EPOCH_URL="$base/files/epoch" ARXIV_OAI_URL="$base/oai" ARXIV_SETS=cs
  OPENALEX_URL="$base/openalex")
stage_times() { (cd "$work" && find stages/parse stages/dedupe stages/classify stages/aggregate outputs -type f -printf '%p %T@\n' | sort); }
fail() { echo "refresh_check: FAIL: $*" >&2; exit 1; }

mk all > "$work/1.log" 2>&1 || { cat "$work/1.log" >&2; fail "snapshot make all"; }
reference=$(sha256sum < "$work/stages/parse/models.ndjson.gz")
# Once the pipeline parses arXiv (papers), the snapshot's first pages are the live harvest's reference.
[ -f "$work/stages/parse/arxiv.ndjson.gz" ] && cp "$work/stages/parse/arxiv.ndjson.gz" "$work/arxiv.snapshot.ndjson.gz"

mk refresh "${live[@]}" > "$work/2.log" 2>&1 || { cat "$work/2.log" >&2; fail "first live refresh"; }
[ "$(sha256sum < "$work/stages/parse/models.ndjson.gz")" = "$reference" ] || fail "live epoch payloads parse differently from the snapshot's"
zcat "$work/stages/fetch/arxiv.manifest.ndjson.gz" | grep -c '"status":200' | grep -qx 3 || fail "arxiv: expected 3 harvested pages"
zcat "$work/stages/fetch/openalex.manifest.ndjson.gz" | grep -c '"status":200' | grep -qx 2 || fail "openalex: expected 2 pages"
mk stages/parse/openalex.ndjson.gz FETCH=live "${live[@]}" > "$work/2b.log" 2>&1 || { cat "$work/2b.log" >&2; fail "parse openalex"; }
[ "$(zcat "$work/stages/parse/openalex.ndjson.gz" | grep -o '"id":"openalex:W[0-9]*"' | tr '\n' ' ')" = '"id":"openalex:W2741809807" "id":"openalex:W2755950973" ' ] \
  || { zcat "$work/stages/parse/openalex.ndjson.gz" | head -c 300 >&2; cat "$work/2b.log" >&2; fail "parse openalex: expected the two harvested works"; }
echo "refresh_check: live refresh: same parsed records as snapshot mode; arxiv 3 pages, openalex 2 pages → 2 works"
if [ -f "$work/stages/dedupe/papers.ndjson.gz" ]; then
  grep -qx "arxiv paperlists acl sites openalex" "$work/stages/dedupe/.papers.inputs" || fail "live OpenAlex works are not a dedupe input"
  zcat "$work/stages/dedupe/papers.ndjson.gz" | grep -q '"openalex:W2741809807"' || fail "dedupe lost the live OpenAlex works"
  echo "refresh_check: live OpenAlex works are merged into the paper corpus by dedupe"
fi
if [ -f "$work/arxiv.snapshot.ndjson.gz" ]; then
  n=$(zcat "$work/stages/parse/arxiv.ndjson.gz" | wc -l)
  [ "$n" -gt 0 ] && cmp -s <(zcat "$work/stages/parse/arxiv.ndjson.gz") <(zcat "$work/arxiv.snapshot.ndjson.gz" | head -n "$n") \
    || fail "live arXiv pages parse differently from the same snapshot pages"
  echo "refresh_check: live arXiv harvest: the same $n paper records as snapshot pages 1-3"
fi

before=$(stage_times)
ctl reset > /dev/null
mk refresh "${live[@]}" > "$work/3.log" 2>&1 || { cat "$work/3.log" >&2; fail "second live refresh"; }
[ "$(stage_times)" = "$before" ] || { cat "$work/3.log" >&2; diff <(echo "$before") <(stage_times) >&2; fail "a no-change refresh rebuilt a stage"; }
grep -q "manifest unchanged" "$work/3.log" || fail "the second refresh did not fetch"
log=$(ctl log)
echo "$log" | python3 -c '
import json, sys
log = json.load(sys.stdin)
files = [e for e in log if e["key"].startswith("files:")]
assert files and all(e["status"] == 304 and e["headers"].get("if-none-match") for e in files), files
oai = [e for e in log if e["key"].startswith("oai")]
assert [e["query"].get("from") for e in oai] == ["2016-03-09"], oai
assert all("mailto:refresh-check@example.org" in e["headers"]["user-agent"] for e in log)
' || fail "the second refresh did not ask conditionally / incrementally"
echo "refresh_check: no-change refresh: 304s and an incremental OAI request; nothing rebuilt"

mk refresh "${live[@]}" SOURCES=arxiv > "$work/3b.log" 2>&1 || { cat "$work/3b.log" >&2; fail "refresh of one source"; }
[ "$(stage_times)" = "$before" ] || { cat "$work/3b.log" >&2; diff <(echo "$before") <(stage_times) >&2; fail "a no-change refresh of one source rebuilt a stage"; }
zcat "$work/stages/fetch/epoch.manifest.ndjson.gz" | grep -q '"status":200' || fail "a source outside SOURCES lost its live payloads"
echo "refresh_check: SOURCES=arxiv refreshes arxiv only; the other sources keep their payloads"

ctl "mutate?path=epoch/notable_ai_models.2026-01-26.csv" > /dev/null
mk refresh "${live[@]}" > "$work/4.log" 2>&1 || { cat "$work/4.log" >&2; fail "third live refresh"; }
[ "$(sha256sum < "$work/stages/parse/models.ndjson.gz")" != "$reference" ] || fail "a changed upstream file did not reach parse"
grep -q "parse epoch" "$work/4.log" && grep -q "render" "$work/4.log" || fail "a changed upstream file did not rebuild downstream"
echo "refresh_check: changed upstream file: parse … render rebuilt"
echo "refresh_check: ok"
