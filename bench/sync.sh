#!/usr/bin/env bash
# mirror sync against a real upstream, next to wrk's own fetch rate from the same nginx in the same run.
#
#   bench/sync.sh [ranges=16384] [concurrency=32]
#
# Debian's nginx serves `ranges` HIBP-style range files (950 hashes each) on loopback (bench/lib/range-files.sh).
# Timed, each as a new process of the packaged jar: `mirror sync --only 00000-003FF` (1,024 ranges: the fixed cost of
# start-up and of writing a store, subtracted), `mirror sync --only` all ranges (the first sync), the same command
# again on the same directory (a refresh: every range asked with If-None-Match, answered 304), and wrk fetching random
# ranges from the same nginx for 10 s at the same concurrency. Set HIBP_DOWNLOAD to a hibp-download binary (built from
# oschonrock/hibp's source) to time it against the same nginx too. Needs nginx, wrk (apt-get install nginx wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
RANGES=${1:-16384}
CONCURRENCY=${2:-32}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
. bench/lib/range-files.sh
make_ranges "$WORK" "$RANGES"
make_ca "$WORK"
HTTP_PORT=${HTTP_PORT:-18983}
start_nginx "$WORK" "$HTTP_PORT" "$((HTTP_PORT + 1))"
UPSTREAM="http://127.0.0.1:$HTTP_PORT"
LAST=$(printf '%05X' $((RANGES - 1)))

seconds() { local start end; start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'; }
sync() { java -Xmx1g -jar target/quarkus-app/quarkus-run.jar mirror sync --upstream "$UPSTREAM" --concurrency "$CONCURRENCY" "$@"; }

small=$(seconds sync --dir "$WORK/small" --only 00000-003FF)
first=$(seconds sync --dir "$WORK/store" --only "00000-$LAST")
cp "$WORK/last.log" "$WORK/first.log"
again=$(seconds sync --dir "$WORK/store" --only "00000-$LAST")
cp "$WORK/last.log" "$WORK/again.log"
wrk -t2 -c"$CONCURRENCY" -d10s -s bench/range.lua "$UPSTREAM" > "$WORK/wrk.txt"
wrk_rate=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.txt")

rate() { awk -v n="$1" -v t="$2" -v s="$small" 'BEGIN {printf "%.0f", (n - 1024) / (t - s)}'; }
printf '%-40s %10s %12s\n' "run" "seconds" "ranges/s"
printf '%-40s %10s %12s\n' "sync, 1,024 ranges (fixed cost)" "$small" "-"
printf '%-40s %10s %12s\n' "sync, $RANGES ranges (first)" "$first" "$(rate "$RANGES" "$first")"
printf '%-40s %10s %12s\n' "sync again, same directory (refresh)" "$again" "$(rate "$RANGES" "$again")"
printf '%-40s %10s %12s\n' "wrk, random ranges, 10 s" "10" "$wrk_rate"
if [ -n "${HIBP_DOWNLOAD:-}" ]; then
  peer=$(seconds "$HIBP_DOWNLOAD" --url "$UPSTREAM/range/" --limit "$RANGES" --parallel-max "$CONCURRENCY" "$WORK/hibp.bin")
  printf '%-40s %10s %12s\n' "hibp-download, $RANGES ranges" "$peer" "$(awk -v n="$RANGES" -v t="$peer" 'BEGIN {printf "%.0f", n / t}')"
fi
awk -v r="$(rate "$RANGES" "$first")" -v w="$wrk_rate" 'BEGIN {printf "first sync / wrk: %.3f\n", r / w}'
echo; echo "first sync said:"; grep -v '^\s*$' "$WORK/first.log" | tail -4
echo; echo "the refresh said:"; grep -v '^\s*$' "$WORK/again.log" | tail -4
