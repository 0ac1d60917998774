#!/usr/bin/env bash
# healthbook benchmarks: ingest, read by id, start-up. Each figure is reported
# beside a baseline measured in the same run on the same machine:
#   ingest   vs raw SQLite inserts of the same JSON bytes (bench/sqlite_baseline)
#   read     vs nginx serving the same bytes as static files
#   start-up vs the sqlite3 CLI opening the same database and reading one row
# Usage: bench/run.sh   (after `make build`; `make bench` does both)
# Sizes: BUNDLES, INGEST_SECS, READ_SECS, READ_IDS, STARTUP_RESOURCES.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
BUNDLES=${BUNDLES:-1000}
INGEST_SECS=${INGEST_SECS:-20}
READ_SECS=${READ_SECS:-15}
READ_IDS=${READ_IDS:-10000}
STARTUP_RESOURCES=${STARTUP_RESOURCES:-1000000}
WORK=$(mktemp -d /tmp/hb-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
# CPU time (user + system, clock ticks) of process $1; and microseconds of it per request
# of the wrk report $3 since the tick count $1 (for process $2).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_per_request() {
  local ticks=$(( $(cpu_ticks "$2") - $1 )) reqs
  reqs=$(awk '/requests in/{print $1}' "$3")
  python3 -c "import os; print(round($ticks / os.sysconf('SC_CLK_TCK') * 1e6 / $reqs, 1))"
}
count_versions() { curl -s -H "Authorization: Bearer $TOKEN" "$1/fhir/_history?_count=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "# healthbook $($BIN version)"

# --- ingest -------------------------------------------------------------------
python3 bench/gen_bundles.py "$WORK/bundles" --bundles "$BUNDLES" > "$WORK/bundle_resources"
ls "$WORK"/bundles/*.json > "$WORK/bundle_list"
per_bundle=$(python3 -c "print($(cat "$WORK/bundle_resources")/$BUNDLES)")
read -r base_n base_s < <(build/bench/sqlite_baseline "$WORK/baseline.db" $(cat "$WORK/bundle_list"))
base_rate=$(python3 -c "print(round($base_n/$base_s))")

PORT=$(free_port)
HEALTHBOOK_LOG_LEVEL=info $BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
PIDS+=($!)
URL="http://127.0.0.1:$PORT"
wait_http "$URL/health"
# An operator token (every request needs one); reads of patient data are audited as in production.
TOKEN=$($BIN token issue --data "$WORK/data" --scope 'system/*.cruds' --ttl 2h)
export TOKEN
before=$(count_versions "$URL")
BUNDLE_LIST="$WORK/bundle_list" wrk -t2 -c8 -d"${INGEST_SECS}s" -H "Authorization: Bearer $TOKEN" -s bench/post_bundles.lua "$URL" > "$WORK/ingest.txt"
after=$(count_versions "$URL")
ingest_rate=$(python3 -c "print(round(($after-$before)/$INGEST_SECS))")
non2xx=$(grep -c 'Non-2xx' "$WORK/ingest.txt" || true)
echo "ingest: $ingest_rate resources/s (transaction bundles of ~$per_bundle resources, 8 connections; non-2xx lines: $non2xx)"
echo "ingest baseline: raw SQLite insert of the same bytes $base_rate resources/s; ratio $(python3 -c "print(round($ingest_rate/$base_rate,2))")"

# --- read by id ---------------------------------------------------------------
python3 bench/prepare_reads.py "$URL" "$WORK/www" "$READ_IDS" "$WORK/paths" >/dev/null
cpu0=$(cpu_ticks "${PIDS[0]}")
PATH_LIST="$WORK/paths" wrk -t2 -c64 -d"${READ_SECS}s" -H "Authorization: Bearer $TOKEN" -s bench/get_paths.lua "$URL" > "$WORK/read.txt"
sleep 1.2  # the audit sink's last batches of the run
read_cpu=$(cpu_per_request "$cpu0" "${PIDS[0]}" "$WORK/read.txt")
read_rate=$(awk '/Requests\/sec/{print $2}' "$WORK/read.txt")
NPORT=$(free_port)
mkdir -p "$WORK/nginx"
chmod 755 "$WORK"; chmod -R a+rX "$WORK/www"  # nginx workers run as an unprivileged user
cat > "$WORK/nginx.conf" <<NGX
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx/access.log;
  default_type application/fhir+json;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NPORT; root $WORK/www; }
}
NGX
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
wait_http "http://127.0.0.1:$NPORT$(head -1 "$WORK/paths")"
PATH_LIST="$WORK/paths" wrk -t2 -c64 -d"${READ_SECS}s" -s bench/get_paths.lua "http://127.0.0.1:$NPORT" > "$WORK/read_nginx.txt"
nginx_rate=$(awk '/Requests\/sec/{print $2}' "$WORK/read_nginx.txt")
echo "read by id: $read_rate req/s at 64 keep-alive connections ($READ_IDS distinct resources, access log on, authentication, access checks and audit on)"
echo "read baseline: nginx static files of the same bytes $nginx_rate req/s; ratio $(python3 -c "print(round($read_rate/$nginx_rate,2))")"

# --- the cost of security: the same reads with authentication, access control and audit off
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
HEALTHBOOK_SECURITY_ENABLED=false $BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" 2>"$WORK/serve-open.log" &
PIDS[0]=$!
wait_http "$URL/health"
PATH_LIST="$WORK/paths" wrk -t2 -c64 -d3s -s bench/get_paths.lua "$URL" > /dev/null  # warm the cache as before
cpu0=$(cpu_ticks "${PIDS[0]}")
PATH_LIST="$WORK/paths" wrk -t2 -c64 -d"${READ_SECS}s" -s bench/get_paths.lua "$URL" > "$WORK/read_open.txt"
open_cpu=$(cpu_per_request "$cpu0" "${PIDS[0]}" "$WORK/read_open.txt")
open_rate=$(awk '/Requests\/sec/{print $2}' "$WORK/read_open.txt")
echo "security cost: $read_rate req/s with it vs $open_rate req/s without it (same build, same data); ratio $(python3 -c "print(round($read_rate/$open_rate,2))")"
# The server's own CPU per read (user + system, all threads), which other load on the machine
# disturbs far less than the request rate does.
echo "security cost, server CPU per read: $read_cpu us with it vs $open_cpu us without it; ratio $(python3 -c "print(round($open_cpu/$read_cpu,2))")"
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
$BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" 2>>"$WORK/serve.log" &
PIDS[0]=$!
wait_http "$URL/health"

# --- start-up on a large store ------------------------------------------------
have=$(count_versions "$URL")
if (( have < STARTUP_RESOURCES )); then
  need_secs=$(( (STARTUP_RESOURCES - have) / (ingest_rate > 0 ? ingest_rate : 1) + 5 ))
  BUNDLE_LIST="$WORK/bundle_list" wrk -t2 -c8 -d"${need_secs}s" -H "Authorization: Bearer $TOKEN" -s bench/post_bundles.lua "$URL" >/dev/null
fi
total=$(count_versions "$URL")
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
SPORT=$(free_port)
startup_ms=$(python3 bench/startup.py "$BIN" "$WORK/data" "$SPORT" 5)
t0=$(date +%s%N); sqlite3 "$WORK/data/healthbook.db" "SELECT json FROM version WHERE seq = 1" >/dev/null; t1=$(date +%s%N)
sqlite_ms=$(python3 -c "print(round(($t1-$t0)/1e6,1))")
echo "start-up: $startup_ms ms to the first answered /health on a store of $total resources (median of 5)"
echo "start-up baseline: sqlite3 CLI opening the same database and reading one row: $sqlite_ms ms"
