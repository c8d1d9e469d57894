#!/usr/bin/env bash
# mirror sync against a real upstream, next to wrk's own fetch rate and (when built) oschonrock/hibp's hibp-download
# from the same nginx in the same run.
#
#   bench/sync.sh [ranges=16384] [concurrency=32] [rounds=3]
#
# Debian's nginx serves `ranges` HIBP-style range files (950 hashes each) on loopback (bench/lib/range-files.sh).
# Each round times, as new processes: `mirror sync --only 00000-003FF` (1,024 ranges: the fixed cost of start-up
# and of writing a store, subtracted) and `mirror sync --only` all ranges, once with the JVM's defaults and once with
# -XX:TieredStopAtLevel=1 (C1 only, as docs/mirror.md suggests for a sync); then hibp-download the same way
# (--limit 1024, then --limit all) when HIBP_DOWNLOAD names its binary (bench/lib/build-hibp-download.sh builds
# it), also timed with its file then synced to the device (`sync FILE`: the sync's store is durable when it ends,
# the peer's file is not); then a store made again by an untimed sync, and the same sync command timed on it (a
# refresh: every range asked with If-None-Match, answered 304). Last, wrk fetching random ranges from the same nginx for 10 s at the same concurrency.
# Rates are (ranges - 1,024) / (time - time of the 1,024-range run); the median round is shown. Every timed run
# starts alone: no other run's output on disk, nothing dirty in the page cache (`fresh`, `seconds`). Needs nginx, wrk.
# BENCH_TMP=/dev/shm puts the range files, the stores and hibp-download's file on tmpfs, to see the rates without
# the file system's write path. REFERENCE_JAR=path/quarkus-run.jar times another build's sync the same way in each
# round (-XX:TieredStopAtLevel=1), e.g. the commit before a change to the sync, so the two compare in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
RANGES=${1:-16384}
CONCURRENCY=${2:-32}
ROUNDS=${3:-3}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d ${BENCH_TMP:+-p "$BENCH_TMP"})
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
. bench/lib/range-files.sh
make_ranges "$WORK" "$RANGES"
make_ca "$WORK"
HTTP_PORT=${HTTP_PORT:-18983}
start_nginx "$WORK" "$HTTP_PORT" "$((HTTP_PORT + 1))"
UPSTREAM="http://127.0.0.1:$HTTP_PORT"
LAST=$(printf '%05X' $((RANGES - 1)))

# Each timed run starts alone: with no store or file of another run on disk (a sync written while the previous run's
# 1.3 GB store was still there took 7.1 s instead of 5.2, twice the kernel time; removing the peer's last file inside
# its timed 1,024-range run raised its rate), and nothing dirty in the page cache (no run pays for writing back
# another's file).
fresh() { rm -rf "$WORK/small" "$WORK/store" "$WORK/ref-small" "$WORK/ref-store" "$WORK/hibp.bin"; }
# The seconds a command took. One that fails stops the script (inside $( ) errexit is off, and a failed run's time
# would be taken as a rate).
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" > "$WORK/last.log" 2>&1 || { echo "failed: $*" >&2; tail -5 "$WORK/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}
seconds() { command sync; timed "$@"; }
# How long the peer's file then takes to reach the device (the sync's store is there when it says it is done).
flushed() { timed command sync "$WORK/hibp.bin"; }
JAR=target/quarkus-app/quarkus-run.jar
sync() { java -Xmx1g $JVM -jar "$JAR" mirror sync --upstream "$UPSTREAM" --concurrency "$CONCURRENCY" "$@"; }
peer() { "$HIBP_DOWNLOAD" --testing --no-progress --parallel-max "$CONCURRENCY" --limit "$1" "$WORK/hibp.bin"; }
rate() { awk -v n="$RANGES" -v t="$2" -v s="$1" 'BEGIN {printf "%.0f", (n - 1024) / (t - s)}'; }
plus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a + b}'; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

: > "$WORK/default.rates"; : > "$WORK/c1.rates"; : > "$WORK/peer.rates"; : > "$WORK/peer-flushed.rates"; : > "$WORK/reference.rates"
for round in $(seq "$ROUNDS"); do
  for jit in default c1; do
    JVM=$([ $jit = c1 ] && echo -XX:TieredStopAtLevel=1 || true)
    fresh; small=$(seconds sync --dir "$WORK/small" --only 00000-003FF)
    fresh; first=$(seconds sync --dir "$WORK/store" --only "00000-$LAST")
    cp "$WORK/last.log" "$WORK/first-$jit.log"
    rate "$small" "$first" >> "$WORK/$jit.rates"; echo >> "$WORK/$jit.rates"
    echo "round $round, $jit JIT: 1,024 ranges $small s, $RANGES ranges $first s" >&2
  done
  if [ -n "${REFERENCE_JAR:-}" ]; then
    JAR=$REFERENCE_JAR JVM=-XX:TieredStopAtLevel=1
    fresh; small=$(seconds sync --dir "$WORK/ref-small" --only 00000-003FF)
    fresh; first=$(seconds sync --dir "$WORK/ref-store" --only "00000-$LAST")
    rate "$small" "$first" >> "$WORK/reference.rates"; echo >> "$WORK/reference.rates"
    echo "round $round, reference jar, c1 JIT: 1,024 ranges $small s, $RANGES ranges $first s" >&2
    JAR=target/quarkus-app/quarkus-run.jar
  fi
  if [ -n "${HIBP_DOWNLOAD:-}" ]; then
    fresh; small=$(seconds peer 1024); small_flush=$(flushed)
    fresh; all=$(seconds peer "$RANGES"); all_flush=$(flushed)
    rate "$small" "$all" >> "$WORK/peer.rates"; echo >> "$WORK/peer.rates"
    rate "$(plus "$small" "$small_flush")" "$(plus "$all" "$all_flush")" >> "$WORK/peer-flushed.rates"; echo >> "$WORK/peer-flushed.rates"
    echo "round $round, hibp-download: 1,024 ranges $small s (+ $small_flush s to the device), $RANGES ranges $all s (+ $all_flush s)" >&2
  fi
done
JVM=-XX:TieredStopAtLevel=1
fresh; seconds sync --dir "$WORK/store" --only "00000-$LAST" > /dev/null # the store the refresh refreshes
again=$(seconds sync --dir "$WORK/store" --only "00000-$LAST")
cp "$WORK/last.log" "$WORK/again.log"
wrk -t2 -c"$CONCURRENCY" -d10s -s bench/range.lua "$UPSTREAM" > "$WORK/wrk.txt"
wrk_rate=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.txt")

default_rate=$(median < "$WORK/default.rates")
c1_rate=$(median < "$WORK/c1.rates")
printf '%-52s %12s %10s\n' "run (median of $ROUNDS rounds)" "ranges/s" "/ wrk"
row() { printf '%-52s %12s %10s\n' "$1" "$2" "$(awk -v r="$2" -v w="$wrk_rate" 'BEGIN {printf "%.3f", r / w}')"; }
row "mirror sync, first, JVM defaults" "$default_rate"
row "mirror sync, first, -XX:TieredStopAtLevel=1" "$c1_rate"
if [ -s "$WORK/reference.rates" ]; then row "reference jar's sync, -XX:TieredStopAtLevel=1" "$(median < "$WORK/reference.rates")"; fi
if [ -s "$WORK/peer.rates" ]; then
  row "hibp-download, same nginx" "$(median < "$WORK/peer.rates")"
  row "hibp-download, then its file synced to the device" "$(median < "$WORK/peer-flushed.rates")"
fi
echo "rounds (C1 / reference / peer):"; paste -d' ' "$WORK/c1.rates" "$WORK/reference.rates" "$WORK/peer.rates" | grep -v '^ *$' || true
row "wrk, random ranges, 10 s" "$wrk_rate"
echo "refresh (same command again, C1): $again s for $RANGES ranges"
echo; echo "first sync said:"; grep -v '^\s*$' "$WORK/first-default.log" | tail -3
echo; echo "the refresh said:"; grep -v '^\s*$' "$WORK/again.log" | tail -3
