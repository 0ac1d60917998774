#!/usr/bin/env bash
# The patient chart (issue 7: under 300 ms during a consultation): GET Patient/{id}/$chart on
# the demo province (PATIENTS, default 2000 as `make run` builds it) for the patients with the
# longest records, beside Patient/{id}/$everything of the same patients (the baseline: the
# same records, read without the chart's shaping). Usage: bench/chart.sh (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
PATIENTS=${PATIENTS:-2000}
WORK=$(mktemp -d /tmp/hb-cbench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "# healthbook $($BIN version)"
$BIN demo --data "$WORK/data" --patients "$PATIENTS" >/dev/null 2>&1
PORT=$(free_port)
$BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/health"
TOKEN=$($BIN token issue --data "$WORK/data" --scope 'system/*.cruds' --ttl 2h)
python3 bench/chart_bench.py "http://127.0.0.1:$PORT" "$TOKEN" "$PATIENTS"
