#!/usr/bin/env bash
# The miss path: cold checks against a real upstream, next to the references measured in the same run.
#
#   bench/miss-path.sh [duration=15s] [concurrency=8] [ranges=4096]
#
# Debian's nginx serves HIBP-style range files (950 hashes each, CRLF, no trailing newline) from disk on loopback,
# once over plain HTTP (nginx's default keep-alive) and once over TLS with HTTP/2, gzip and ETags, its certificate
# signed by a CA made here with openssl. For each, the packaged service runs with a cache too small to hold a range
# (PWCHECK_CACHE_MAX_BYTES=0), so every check goes upstream, and wrk sends it checks of fresh random hashes,
# `concurrency` at a time. In the same run: wrk fetching random ranges straight from the same nginx, and Spring
# Security's HaveIBeenPwnedRestApiPasswordChecker in-process (bench profile) at the same concurrency over HTTP.
# A prefix without a file gets the file named by its last three hex digits (bench/lib/range-files.sh), so every
# client asks random prefixes and gets one of `ranges` distinct real ranges (4,096 by default), never one range hot
# in the caches for every prefix. Reports checks/s, p50/p99, upstream connections opened per 1,000 cold checks and the unknown answers.
# Needs nginx, wrk, openssl, curl (Debian: apt-get install nginx wrk openssl curl). Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15s}
CONCURRENCY=${2:-8}
RANGES=${3:-4096}
SECONDS_RUN=${DURATION%s}
for tool in wrk openssl curl; do command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 1; }; done
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

. bench/lib/range-files.sh
make_ranges "$WORK" "$RANGES"
make_ca "$WORK"
HTTP_PORT=${HTTP_PORT:-18981}
TLS_PORT=${TLS_PORT:-18982}
start_nginx "$WORK" "$HTTP_PORT" "$TLS_PORT"

metric() { curl -s "http://127.0.0.1:$2/q/metrics" | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%d", s}'; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
rps() { awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1"; }

# One run of the service against one upstream: prints a table row.
service_run() {
  local name=$1 url=$2 port=18080 management=19080
  shift 2
  env QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management PWCHECK_UPSTREAM_URL="$url" \
    PWCHECK_CACHE_MAX_BYTES=0 PWCHECK_RATE_LIMIT_ENABLED=false "$@" \
    java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/service-$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$management/q/health/ready" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c"$CONCURRENCY" -d5s -s bench/cold.lua "http://127.0.0.1:$port/v1/passwords/check" >/dev/null # JIT warm-up
  local requests0 connections0 unknown0
  requests0=$(metric pwcheck_upstream_requests_seconds_count $management)
  connections0=$(metric pwcheck_upstream_connections_total $management)
  unknown0=$(metric 'pwcheck_checks_total{flow="none",verdict="unknown"}' $management)
  wrk -t2 -c"$CONCURRENCY" -d"$DURATION" --latency -s bench/cold.lua "http://127.0.0.1:$port/v1/passwords/check" > "$WORK/wrk-$name.txt"
  local requests connections unknown
  requests=$(( $(metric pwcheck_upstream_requests_seconds_count $management) - requests0 ))
  connections=$(( $(metric pwcheck_upstream_connections_total $management) - connections0 ))
  unknown=$(( $(metric 'pwcheck_checks_total{flow="none",verdict="unknown"}' $management) - unknown0 ))
  printf '%-28s %10s %9s %9s %14s %8s\n' "service, $name" "$(rps "$WORK/wrk-$name.txt")" "$(pct "$WORK/wrk-$name.txt" 50%)" \
    "$(pct "$WORK/wrk-$name.txt" 99%)" "$(awk -v c="$connections" -v r="$requests" 'BEGIN {printf "%.1f", r ? c * 1000 / r : 0}')" "$unknown"
  echo "service, $name: $(metric 'pwcheck_upstream_failures_total' $management) upstream failures, $(metric pwcheck_upstream_reconnects_total $management) reconnects, answers: $(curl -s "http://127.0.0.1:$management/q/metrics" | grep '^pwcheck_upstream_answers_total' | grep -v ' 0.0$' | tr '\n' ' ')" >> "$WORK/notes.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

printf '%-28s %10s %9s %9s %14s %8s\n' "client" "checks/s" p50 p99 "conns/1000" unknown
wrk -t2 -c"$CONCURRENCY" -d5s -s bench/range.lua "http://127.0.0.1:$HTTP_PORT" >/dev/null
wrk -t2 -c"$CONCURRENCY" -d"$DURATION" --latency -s bench/range.lua "http://127.0.0.1:$HTTP_PORT" > "$WORK/wrk-nginx.txt"
printf '%-28s %10s %9s %9s %14s %8s\n' "wrk straight to nginx, http" "$(rps "$WORK/wrk-nginx.txt")" "$(pct "$WORK/wrk-nginx.txt" 50%)" "$(pct "$WORK/wrk-nginx.txt" 99%)" - -
service_run http "http://127.0.0.1:$HTTP_PORT"
service_run tls-h2-gzip "https://localhost:$TLS_PORT" PWCHECK_UPSTREAM_TRUST_STORE="$WORK/ca.pem" PWCHECK_UPSTREAM_TRUST_STORE_TYPE=PEM
./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.pwcheck.upstream.SpringCheckerRun \
  -Dbench.args="http://127.0.0.1:$HTTP_PORT/range/ $SECONDS_RUN $CONCURRENCY" 2>/dev/null | grep '^spring-checker' > "$WORK/spring.txt" || true
awk '{printf "%-28s %10s %9s %9s %14s %8s\n", "Spring Security, http", $3, $5 "ms", $8 "ms", "-", "-"; print "spring failures: " $12 > "/dev/stderr"}' "$WORK/spring.txt"
echo
cat "$WORK/notes.txt"
awk -v s="$(rps "$WORK/wrk-http.txt")" -v w="$(rps "$WORK/wrk-nginx.txt")" 'BEGIN {printf "ratio service(http)/wrk: %.3f\n", s / w}'
awk -v s="$(rps "$WORK/wrk-http.txt")" -v p="$(awk '{print $3}' "$WORK/spring.txt")" 'BEGIN {if (p) printf "ratio service(http)/Spring Security: %.2f\n", s / p}'
