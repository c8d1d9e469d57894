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
# Prefixes without a file get range 00000 (try_files), so every client asks for random prefixes and gets a real
# range. Reports checks/s, p50/p99, upstream connections opened per 1,000 cold checks and the unknown answers.
# Needs nginx, wrk, openssl, curl (Debian: apt-get install nginx wrk openssl curl). Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15s}
CONCURRENCY=${2:-8}
RANGES=${3:-4096}
SECONDS_RUN=${DURATION%s}
for tool in wrk openssl curl; do command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 1; }; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is required (apt-get install nginx)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

python3 - "$WORK/www/range" "$RANGES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
for r in range(n):
    rnd = random.Random(r)
    suffixes = sorted({"%035X" % rnd.getrandbits(140) for _ in range(950)})
    with open(os.path.join(root, "%05X" % r), "w", newline="") as f:
        f.write("\r\n".join(f"{s}:{1 + (r * 7 + i * 13) % 5000}" for i, s in enumerate(suffixes)))
PY

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -days 1 -subj "/CN=bench CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$WORK/server.key" -out "$WORK/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$WORK/ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -out "$WORK/server.pem" -days 1 -extfile "$WORK/ext" 2>/dev/null

HTTP_PORT=${HTTP_PORT:-18981}
TLS_PORT=${TLS_PORT:-18982}
cat > "$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    default_type text/plain;
    server {
        listen 127.0.0.1:$HTTP_PORT;
        root $WORK/www;
        location /range/ { try_files \$uri /range/00000; }
    }
    server {
        listen 127.0.0.1:$TLS_PORT ssl http2;
        ssl_certificate $WORK/server.pem;
        ssl_certificate_key $WORK/server.key;
        gzip on;
        gzip_types text/plain;
        root $WORK/www;
        location /range/ { try_files \$uri /range/00000; }
    }
}
CONF
"$NGINX" -p "$WORK" -e "$WORK/error.log" -c "$WORK/nginx.conf" &
sleep 1

metric() { curl -s "http://127.0.0.1:$2/q/metrics" | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%d", s}'; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
rps() { awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1"; }

# One run of the service against one upstream: prints a table row.
service_run() {
  local name=$1 url=$2 port=18080 management=19080
  shift 2
  env QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management QUARKUS_REST_CLIENT_HIBP_URL="$url" \
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
service_run tls-h2-gzip "https://localhost:$TLS_PORT" QUARKUS_REST_CLIENT_HIBP_TRUST_STORE="$WORK/ca.pem" QUARKUS_REST_CLIENT_HIBP_TRUST_STORE_TYPE=PEM
./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.pwcheck.upstream.SpringCheckerRun \
  -Dbench.args="http://127.0.0.1:$HTTP_PORT/range/ $SECONDS_RUN $CONCURRENCY" 2>/dev/null | grep '^spring-checker' > "$WORK/spring.txt" || true
awk '{printf "%-28s %10s %9s %9s %14s %8s\n", "Spring Security, http", $3, $5 "ms", $8 "ms", "-", "-"; print "spring failures: " $12 > "/dev/stderr"}' "$WORK/spring.txt"
echo
cat "$WORK/notes.txt"
awk -v s="$(rps "$WORK/wrk-http.txt")" -v w="$(rps "$WORK/wrk-nginx.txt")" 'BEGIN {printf "ratio service(http)/wrk: %.3f\n", s / w}'
awk -v s="$(rps "$WORK/wrk-http.txt")" -v p="$(awk '{print $3}' "$WORK/spring.txt")" 'BEGIN {if (p) printf "ratio service(http)/Spring Security: %.2f\n", s / p}'
