#!/usr/bin/env bash
# Soak: the packaged service for a long while under mixed traffic with upstream faults coming and going, sampled
# each minute (bench/soak.py says what it sends and samples).
#
#   bench/soak.sh [minutes=30]
#
# Debian's nginx serves 4,096 range files over HTTP on loopback (bench/lib/range-files.sh: random prefixes get
# distinct ranges); the service runs with its defaults but for the upstream's address, so its rate limit, body and
# header limits and timeouts are the ones a trial gets. Every fifth minute, for 60 s, nginx is hung (SIGSTOP) or, the
# next time, gone (stopped, then started again). PWCHECK_JAR runs another copy of the jar (default the packaged one:
# copy target/quarkus-app elsewhere to keep building while a soak runs). Prints
# one markdown table row a minute and, at the end, how the heap after GC, RSS, threads, open files and direct
# buffers moved, the ERROR lines and 5xx answers. Needs nginx, python3 and the JDK's jcmd. Everything stops when it
# ends; KEEP=1 keeps the work directory (the service's log).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-30}
SERVICE_PORT=${SERVICE_PORT:-18091}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19091}
HTTP_PORT=${HTTP_PORT:-18993}
WORK=$(mktemp -d)
trap 'kill -CONT $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; kill $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
command -v jcmd >/dev/null || { echo "jcmd (the JDK's) is required" >&2; exit 1; }
JAR=${PWCHECK_JAR:-target/quarkus-app/quarkus-run.jar}
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests

. bench/lib/range-files.sh
make_ranges "$WORK" 4096
make_ca "$WORK"
PEER_PORT=$((HTTP_PORT + 2)) start_nginx "$WORK" "$HTTP_PORT" "$((HTTP_PORT + 1))"
for _ in $(seq 50); do [ -s "$WORK/nginx.pid" ] && break; sleep 0.1; done

# The warm set: hashes in the first 500 ranges' files, so they are breached and, after their first check, cached.
python3 - "$WORK" > "$WORK/warm.txt" <<'PY'
import sys
for r in range(500):
    first = open(f"{sys.argv[1]}/www/range/{r:05X}").read().split("\r\n")[0]
    print(f"{r:05X}{first.split(':')[0]}")
PY

QUARKUS_HTTP_PORT=$SERVICE_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT PWCHECK_UPSTREAM_URL=http://127.0.0.1:$HTTP_PORT \
  java -jar "$JAR" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break; sleep 0.2; done

python3 bench/soak.py --port "$SERVICE_PORT" --management "$MANAGEMENT_PORT" --pid "$SERVICE_PID" \
  --nginx-pid-file "$WORK/nginx.pid" --nginx-start "$(command -v nginx || echo /usr/sbin/nginx) -p $WORK -e $WORK/error.log -c $WORK/nginx.conf" --log "$WORK/service.log" --minutes "$MINUTES" --warm "$WORK/warm.txt"
echo
echo "WARN lines by logger: $(grep ' WARN ' "$WORK/service.log" | sed -E 's/.* WARN +\[([^]]+)\].*/\1/' | sort | uniq -c | tr '\n' ';')"
if grep -q " ERROR \|^	at " "$WORK/service.log"; then echo "ERROR lines or stack traces:"; grep -m10 " ERROR \|^	at " "$WORK/service.log"; fi
