#!/usr/bin/env bash
# Dev mode with no internet: starts the bundled fake HIBP upstream (bench/fake_upstream.py) on loopback with a sample
# password list, then runs `./mvnw quarkus:dev` pointed at it. The passwords in bench/sample-passwords.txt answer
# "breached" (counts 1000, 1001, ... in file order, for SHA-1 and NTLM alike); anything else answers "clean".
# Extra arguments go to Maven, e.g. bench/try-offline.sh -Dquarkus.http.port=8081. Quit dev mode with q or Ctrl-C;
# the fake stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${FAKE_UPSTREAM_PORT:-9999}
python3 bench/fake_upstream.py --port "$port" --passwords bench/sample-passwords.txt &
fake=$!
trap 'kill "$fake" 2>/dev/null || true' EXIT

for _ in $(seq 1 50); do
  if python3 - "$port" <<'PY' 2>/dev/null; then break; fi
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
PY
  kill -0 "$fake" 2>/dev/null || { echo "the fake upstream did not start (is port $port free? set FAKE_UPSTREAM_PORT)" >&2; exit 1; }
  sleep 0.1
done
echo "fake upstream on http://127.0.0.1:$port (sample passwords: bench/sample-passwords.txt)" >&2

./mvnw quarkus:dev -Dpwcheck.upstream.url="http://127.0.0.1:$port" "$@"
