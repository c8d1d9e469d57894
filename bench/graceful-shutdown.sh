#!/usr/bin/env bash
# Graceful shutdown, end to end against the packaged service: a check is waiting on a slow upstream when the
# service gets SIGTERM. Expected: readiness answers 503 at once, the check still gets its 200 breached answer,
# and the process exits by itself within quarkus.shutdown.delay + quarkus.shutdown.timeout.
#   ./mvnw -B package -DskipTests && bench/graceful-shutdown.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=18080 management=19080 fake=19999 work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "graceful" > "$work/passwords"
python3 bench/fake_upstream.py --port $fake --passwords "$work/passwords" >"$work/fake.log" 2>&1 &
sleep 1
curl -s -X POST "localhost:$fake/control?mode=slow&delay=0.6" >/dev/null   # under the 800 ms read timeout

QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management PWCHECK_UPSTREAM_URL=http://127.0.0.1:$fake \
  java -jar target/quarkus-app/quarkus-run.jar >"$work/service.log" 2>&1 &
service=$!
for _ in $(seq 50); do curl -sf "localhost:$management/q/health/ready" >/dev/null && break; sleep 0.2; done

curl -s -w ' %{http_code}' -H 'Content-Type: application/json' -d '{"password":"graceful"}' \
  "localhost:$port/v1/passwords/check" >"$work/check" &
check=$!
sleep 0.3
start=$(date +%s.%N)
kill -TERM $service
sleep 0.2
ready=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$management/q/health/ready" || true)
wait $check
wait $service || true
end=$(date +%s.%N)

echo "check in flight at SIGTERM: $(cat "$work/check")"
echo "readiness right after SIGTERM: $ready"
printf 'process exited %.1f s after SIGTERM\n' "$(echo "$end - $start" | bc)"
grep -q '"verdict":"breached".* 200$' "$work/check" && [ "$ready" = 503 ] && echo "OK" || { echo "FAILED"; exit 1; }
