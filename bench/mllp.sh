#!/usr/bin/env bash
# HL7 v2 over MLLP: ORU^R01 messages per second with their ACKs, 8 concurrent senders
# (bench/mllp_load.cpp: one message in flight per sender, as LIS middleware sends in original
# mode). Baseline in the same run: the same client against a trivial MLLP server that ACKs
# every frame at once (mllp_load --ack-server), i.e. the client's and the loopback's ceiling.
# Each message is a new order for one of PATIENTS registered patients (ADT^A04 first, not
# timed) with RESULTS OBX; healthbook stores a ServiceRequest, the Observations, the
# DiagnosticReport and the message's DocumentReference in one store write per message.
# Usage: bench/mllp.sh   (after `make build`)   Sizes: SECS, SENDERS, PATIENTS, RESULTS,
# WINDOWS (messages in flight per sender, each value a separate run: "1" is original mode;
# "1 8" also measures senders that pipeline 8 messages).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
LOAD=${LOAD:-build/bench/mllp_load}
SECS=${SECS:-20}
SENDERS=${SENDERS:-8}
PATIENTS=${PATIENTS:-1000}
RESULTS=${RESULTS:-"3 1"}
WINDOWS=${WINDOWS:-1}
WORK=$(mktemp -d /tmp/hb-mllp-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# healthbook $($BIN version)"

# --- baseline: the same client against an MLLP server that does nothing but ACK ---------------
APORT=$(free_port)
$LOAD --ack-server --port "$APORT" &
PIDS+=($!)
sleep 0.3
for w in $WINDOWS; do
  for r in $RESULTS; do
    echo "baseline (ack-only server), $r result(s), window $w: $($LOAD --port "$APORT" --connections "$SENDERS" --seconds "$SECS" --results "$r" --patients "$PATIENTS" --window "$w")"
  done
done

# --- healthbook ---------------------------------------------------------------------------------
PORT=$(free_port)
MPORT=$(free_port)
HEALTHBOOK_LIS_FACILITY=11001 HEALTHBOOK_LOG_LEVEL=warn \
  $BIN serve --data "$WORK/data" --listen "127.0.0.1:$PORT" --mllp "127.0.0.1:$MPORT" 2>"$WORK/serve.log" &
SERVER=$!
PIDS+=($SERVER)
# CPU seconds the server has used (user + system): per message, a figure that does not depend
# on what else the machine is running.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
wait_http "http://127.0.0.1:$PORT/health"
TOKEN=$($BIN token issue --data "$WORK/data" --scope 'system/*.cruds' --ttl 2h)
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/fhir+json' \
  "http://127.0.0.1:$PORT/fhir/Organization" \
  -d '{"resourceType":"Organization","name":"Bệnh viện Đa khoa tỉnh Điện Biên","identifier":[{"system":"https://fhir.healthbook.vn/sid/facility","value":"11001"}]}'
$LOAD --port "$MPORT" --register --patients "$PATIENTS" --connections 1 --seconds 0.1 --run REG >/dev/null
for w in $WINDOWS; do
  for r in $RESULTS; do
    before=$(cpu_ticks)
    line=$($LOAD --port "$MPORT" --connections "$SENDERS" --seconds "$SECS" --results "$r" --patients "$PATIENTS" --window "$w" --run "R$r-W$w")
    used=$(( $(cpu_ticks) - before ))
    echo "healthbook, $r result(s), window $w: $line"
    echo "  server CPU: $(python3 -c "print(round($used * 1000 / $(getconf CLK_TCK) / ${line%% *}, 2))") ms per message"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
