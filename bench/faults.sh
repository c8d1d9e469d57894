#!/usr/bin/env bash
# Load under upstream faults (see bench/faults.py): 4 phases of PHASE seconds at RATE checks/s.
#
#   bench/faults.sh [phase-seconds=15] [rate=100]
#
# Starts bench/fake_upstream.py and the packaged service on loopback ports; everything stops when it ends.
# The whole load comes from one address: the per-IP rate limit is set out of its way.
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE=${1:-15}
RATE=${2:-100}
SERVICE_PORT=${SERVICE_PORT:-18081}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19081}
UPSTREAM_PORT=${UPSTREAM_PORT:-19998}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
seq 1 500 | sed 's/^/breached-password-/' > "$WORK/corpus.txt"

# Smaller ranges than HIBP (300 entries) keep the Python fake from being the bottleneck for cold prefixes.
# FAKE_ARGS=--one-request-per-connection makes the fake close each connection after its answer (see docs/benchmarks.md).
python3 bench/fake_upstream.py --port "$UPSTREAM_PORT" --passwords "$WORK/corpus.txt" --random-per-range 300 ${FAKE_ARGS:-} 2>/dev/null &
# The fake must be listening before the first check, or the run starts with the breaker open.
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$UPSTREAM_PORT/stats" >/dev/null && break; sleep 0.1; done
QUARKUS_HTTP_PORT=$SERVICE_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT PWCHECK_UPSTREAM_URL=http://127.0.0.1:$UPSTREAM_PORT \
  PWCHECK_RATE_LIMIT_PER_IP_RATE=1000000000 PWCHECK_RATE_LIMIT_PER_IP_BURST=1000000000 \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/service.log" 2>&1 &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break; sleep 0.2; done

python3 bench/faults.py --port "$SERVICE_PORT" --upstream "$UPSTREAM_PORT" --passwords "$WORK/corpus.txt" \
  --rate "$RATE" --phase-seconds "$PHASE"
echo
echo "upstream health group at the end: $(curl -s "http://127.0.0.1:$MANAGEMENT_PORT/q/health/group/upstream" | tr -d ' \n')"
curl -s "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | grep -E '^pwcheck_(upstream_failures_total|upstream_circuit_transitions_total|cache_stale_total|upstream_retries_total)' | grep -v ' 0.0$' || true
