# Shared by the benchmarks that need a real upstream: HIBP-style range files on disk (950 hashes each, CRLF, no
# trailing newline) served by Debian's nginx on loopback. A prefix without a file of its own gets the file named by
# its last three hex digits (ABCDE gets 00CDE), so with at least 4,096 files a client asking random prefixes gets
# 4,096 distinct ranges, not one range served for every prefix, which would sit hot in the CPU caches of both sides;
# over plain HTTP and over TLS with HTTP/2 and gzip, its certificate signed by a CA made here with openssl.
# Source it, then: make_ranges WORK N; make_ca WORK; start_nginx WORK HTTP_PORT TLS_PORT.

make_ranges() {
  python3 - "$1/www/range" "$2" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root, exist_ok=True)
for r in range(n):
    rnd = random.Random(r)
    suffixes = sorted({"%035X" % rnd.getrandbits(140) for _ in range(950)})
    with open(os.path.join(root, "%05X" % r), "w", newline="") as f:
        f.write("\r\n".join(f"{s}:{1 + (r * 7 + i * 13) % 5000}" for i, s in enumerate(suffixes)))
PY
}

make_ca() {
  local work=$1
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 1 -subj "/CN=bench CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -out "$work/server.pem" \
    -days 1 -extfile "$work/ext" 2>/dev/null
}

start_nginx() {
  local work=$1 http_port=$2 tls_port=$3
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$nginx" ] || { echo "nginx is required (apt-get install nginx)" >&2; return 1; }
  cat > "$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    default_type text/plain;
    server {
        listen 127.0.0.1:$http_port;
        root $work/www;
        location /range/ { try_files \$uri @spread; }
        location @spread { rewrite "^/range/[0-9A-Fa-f]{2}([0-9A-Fa-f]{3})\$" /range/00\$1 break; }
    }
    server {
        listen 127.0.0.1:$tls_port ssl http2;
        ssl_certificate $work/server.pem;
        ssl_certificate_key $work/server.key;
        gzip on;
        gzip_types text/plain;
        root $work/www;
        location /range/ { try_files \$uri @spread; }
        location @spread { rewrite "^/range/[0-9A-Fa-f]{2}([0-9A-Fa-f]{3})\$" /range/00\$1 break; }
    }
    # oschonrock/hibp's hibp-download --testing asks http://localhost:8090/PREFIX: the same files, at the root.
    server {
        listen 127.0.0.1:${PEER_PORT:-8090};
        root $work/www/range;
        location / { try_files \$uri @spread; }
        location @spread { rewrite "^/[0-9A-Fa-f]{2}([0-9A-Fa-f]{3})\$" /00\$1 break; }
    }
}
CONF
  "$nginx" -p "$work" -e "$work/error.log" -c "$work/nginx.conf" &
  sleep 1
}
