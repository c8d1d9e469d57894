#!/usr/bin/env bash
# The cost of shared rate limits: cached checks/s with the buckets in Redis (pwcheck.rate-limit.shared=redis) against
# the same jar with local buckets, in one run, as a ratio.
#
#   bench/shared-limits.sh [duration=20s] [connections=32] [prefixes=2000] [clients=one|many]
#
# clients=one (the default): all load from one address, so every request draws from one hot bucket (as a registry's
# single caller key does): the most contended case, where batching helps most. clients=many: each request "from" one
# of 65,536 addresses (X-Forwarded-For, trusted from 127.0.0.1 for the run; bench/check-many-addresses.lua), so nearly
# every decision is a bucket of its own: the case of many clients, a Redis round trip or two each.
#
# Starts bench/fake_upstream.py, a redis-server with a password (as the Kubernetes manifests run it) and two services
# on loopback ports: one with local buckets, one with shared ones; both with a budget this load never reaches, so
# every request is decided and none refused. Warms one range per prefix in each, then runs wrk on each in turn,
# twice (local, shared, local, shared), so that neither gets the machine's better minute. Needs wrk, redis-server and
# python3 (Debian: apt-get install wrk redis-server). Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20s}
CONNECTIONS=${2:-32}
PREFIXES=${3:-2000}
CLIENTS=${4:-one}
SCRIPT=bench/check.lua
[ "$CLIENTS" = many ] && SCRIPT=bench/check-many-addresses.lua
UPSTREAM_PORT=${UPSTREAM_PORT:-19999}
REDIS_PORT=${REDIS_PORT:-19379}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

. bench/lib/warm-set.sh
make_warm_set "$WORK" "$PREFIXES"

PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$PASSWORD" --loglevel warning \
  > "$WORK/redis.log" 2>&1 &
python3 bench/fake_upstream.py --port "$UPSTREAM_PORT" --passwords "$WORK/corpus.txt" &

# start NAME PORT MANAGEMENT_PORT SHARED
start() {
  QUARKUS_HTTP_PORT=$2 QUARKUS_MANAGEMENT_PORT=$3 PWCHECK_UPSTREAM_URL=http://127.0.0.1:$UPSTREAM_PORT \
    PWCHECK_RATE_LIMIT_PER_IP_RATE=1000000000 PWCHECK_RATE_LIMIT_PER_IP_BURST=1000000000 \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1 \
    PWCHECK_RATE_LIMIT_SHARED=$4 QUARKUS_REDIS_HOSTS=redis://127.0.0.1:$REDIS_PORT QUARKUS_REDIS_PASSWORD=$PASSWORD \
    java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/$1.log" 2>&1 &
}
start local 18081 19081 none
start shared 18082 19082 redis
for port in 19081 19082; do
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 0.2; done
done

for port in 18081 18082; do
  warm_up "$WORK/hashes.txt" "$port"
done
echo "upstream after warm-up: $(curl -s "http://127.0.0.1:$UPSTREAM_PORT/stats")"

load() { wrk -t2 -c"$CONNECTIONS" -d"$1" --latency -s "$SCRIPT" "http://127.0.0.1:$2/v1/passwords/check" -- "$WORK/hashes.txt"; }
load 5s 18081 >/dev/null
load 5s 18082 >/dev/null
for round in 1 2; do
  echo "== local buckets, round $round =="; load "$DURATION" 18081 | tee "$WORK/local-$round.txt"
  echo "== shared buckets (Redis), round $round =="; load "$DURATION" 18082 | tee "$WORK/shared-$round.txt"
done

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }
echo
printf '%-8s %6s %12s %10s %10s %8s\n' buckets round "req/s" p50 p99 non2xx
for round in 1 2; do
  for kind in local shared; do
    f="$WORK/$kind-$round.txt"
    printf '%-8s %6s %12s %10s %10s %8s\n' "$kind" "$round" "$(rps "$f")" "$(pct "$f" 50%)" "$(pct "$f" 99%)" "$(non2xx "$f")"
  done
done
awk -v a1="$(rps "$WORK/shared-1.txt")" -v a2="$(rps "$WORK/shared-2.txt")" -v b1="$(rps "$WORK/local-1.txt")" -v b2="$(rps "$WORK/local-2.txt")" \
  'BEGIN {printf "ratio shared/local: %.2f\n", (a1 + a2) / (b1 + b2)}'
echo "shared service: $(curl -s http://127.0.0.1:19082/q/metrics | grep -E '^pwcheck_rate_limit_shared(_fallbacks_total)? ' | tr '\n' ' ')"
echo "clients: $CLIENTS; redis keys: $(redis-cli -p "$REDIS_PORT" -a "$PASSWORD" --no-auth-warning dbsize)"
for s in local shared; do
  if grep -q "Exception\| ERROR " "$WORK/$s.log"; then echo "$s service log shows errors:"; grep -m5 "Exception\| ERROR " "$WORK/$s.log"; fi
done
