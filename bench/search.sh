#!/usr/bin/env bash
# Search benchmarks (issue 4): token search, $everything, chains, _has, counting, download
# on the demo province (PATIENTS, default 10000), each beside nginx serving the same bytes
# (bench/search_bench.py). Usage: bench/search.sh   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
PATIENTS=${PATIENTS:-10000}
WORK=$(mktemp -d /tmp/hb-sbench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "# healthbook $($BIN version)"
t0=$(date +%s)
$BIN demo --data "$WORK/data" --patients "$PATIENTS" >/dev/null 2>&1
echo "# demo province of $PATIENTS patients built in $(( $(date +%s) - t0 )) s"
PORT=$(free_port)
$BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
PIDS+=($!)
URL="http://127.0.0.1:$PORT"
wait_http "$URL/health"
TOKEN=$($BIN token issue --data "$WORK/data" --scope 'system/*.cruds' --ttl 2h)

NPORT=$(free_port)
mkdir -p "$WORK/nginx" "$WORK/www"
chmod 755 "$WORK"; chmod -R a+rX "$WORK/www"
cat > "$WORK/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/fhir+json;
  sendfile on; tcp_nodelay on; keepalive_requests 100000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NPORT; root $WORK/www; }
}
NGX
echo ok > "$WORK/www/ok"
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
wait_http "http://127.0.0.1:$NPORT/ok"
python3 bench/search_bench.py "$URL" "$TOKEN" "$WORK/www" "http://127.0.0.1:$NPORT"
