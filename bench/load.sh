#!/usr/bin/env bash
# Load run: cached checks against the same process's /q/health/live (on its management port), reported as a ratio.
#
#   bench/load.sh [duration=20s] [connections=32] [prefixes=2000]
#
# Builds the jar if needed, starts bench/fake_upstream.py and the packaged service on loopback ports, warms
# one range per prefix, then runs wrk twice for the same duration: checks drawn at random from the warm set,
# then /q/health/live. The rate limiter stays on the check path (its cost is measured) with a budget this load
# never reaches, since all of it comes from one address. Needs wrk and python3 (Debian: apt-get install wrk). Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20s}
CONNECTIONS=${2:-32}
PREFIXES=${3:-2000}
SERVICE_PORT=${SERVICE_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19080}
UPSTREAM_PORT=${UPSTREAM_PORT:-19999}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

# A warm set: one password per distinct prefix, half of them in the fake corpus.
. bench/lib/warm-set.sh
make_warm_set "$WORK" "$PREFIXES"

python3 bench/fake_upstream.py --port "$UPSTREAM_PORT" --passwords "$WORK/corpus.txt" &
QUARKUS_HTTP_PORT=$SERVICE_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT PWCHECK_UPSTREAM_URL=http://127.0.0.1:$UPSTREAM_PORT \
  PWCHECK_RATE_LIMIT_PER_IP_RATE=1000000000 PWCHECK_RATE_LIMIT_PER_IP_BURST=1000000000 \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/service.log" 2>&1 &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break; sleep 0.2; done

warm_up "$WORK/hashes.txt" "$SERVICE_PORT"
echo "upstream after warm-up: $(curl -s "http://127.0.0.1:$UPSTREAM_PORT/stats")"

run() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
# JIT warm-up of both paths, not reported, so neither measured run pays for compilation.
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/check.lua "http://127.0.0.1:$SERVICE_PORT/v1/passwords/check" -- "$WORK/hashes.txt" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live" >/dev/null
echo "== cached checks ($PREFIXES warm prefixes) =="
run -s bench/check.lua "http://127.0.0.1:$SERVICE_PORT/v1/passwords/check" -- "$WORK/hashes.txt" | tee "$WORK/check.txt"
echo "== /q/health/live =="
run "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live" | tee "$WORK/live.txt"
echo "upstream after load: $(curl -s "http://127.0.0.1:$UPSTREAM_PORT/stats")"

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
errors() { awk '/Non-2xx/ {print $NF} END {}' "$1"; }
echo
printf '%-16s %12s %10s %10s %8s\n' endpoint "req/s" p50 p99 non2xx
printf '%-16s %12s %10s %10s %8s\n' check "$(rps "$WORK/check.txt")" "$(pct "$WORK/check.txt" 50%)" "$(pct "$WORK/check.txt" 99%)" "$(errors "$WORK/check.txt")"
printf '%-16s %12s %10s %10s %8s\n' health/live "$(rps "$WORK/live.txt")" "$(pct "$WORK/live.txt" 50%)" "$(pct "$WORK/live.txt" 99%)" "$(errors "$WORK/live.txt")"
awk -v a="$(rps "$WORK/check.txt")" -v b="$(rps "$WORK/live.txt")" 'BEGIN {printf "ratio check/live: %.2f\n", a / b}'
if grep -q "Exception" "$WORK/service.log"; then echo "service log shows exceptions:"; grep -m5 Exception "$WORK/service.log"; fi
