#!/usr/bin/env bash
# Patient/$match latency over a large demo province (target: p99 < 20 ms at 100,000
# patients), beside a baseline measured in the same run on the same server: a plain
# identifier search, GET /fhir/Patient?identifier=<cccd system>|<number>.
#
# Kinds of $match request, each sent REQUESTS times over one keep-alive connection, one
# at a time, as a reception desk would (a receptionist token of facility 11001):
#   certain   the card's data: CCCD, name in capitals, birth date, gender
#   probable  name without diacritics, birth date, gender (no identifier)
#   typo      a name with one letter changed, birth date, gender
# and the baseline search for the same patients' CCCD numbers.
#
# Usage: bench/match.sh            (after `make build`)
#   PATIENTS=100000  size of the demo province (`healthbook demo --patients`)
#   DATA=dir         reuse (or keep) the demo data folder there instead of a temporary one;
#                    building 100,000 patients takes minutes, so keep it between runs
#   REQUESTS=1000    requests per kind
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
PATIENTS=${PATIENTS:-100000}
REQUESTS=${REQUESTS:-1000}
WORK=$(mktemp -d /tmp/hb-match.XXXXXX)
DATA=${DATA:-$WORK/data}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "# healthbook $($BIN version)"

if [[ ! -f "$DATA/healthbook.db" ]]; then
  t0=$(date +%s.%N)
  $BIN demo --data "$DATA" --patients "$PATIENTS" >"$WORK/demo.log" 2>&1
  t1=$(date +%s.%N)
  echo "demo province: $PATIENTS patients built in $(python3 -c "print(round($t1-$t0,1))") s ($(tail -1 "$WORK/demo.log"))"
else
  echo "demo province: reusing $DATA"
fi

PORT=$(free_port)
HEALTHBOOK_LOG_LEVEL=warn HEALTHBOOK_SERVER_ACCESS_LOG=false \
  $BIN serve --data "$DATA" --listen "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
PIDS+=($!)
URL="http://127.0.0.1:$PORT"
wait_http "$URL/health"
OPERATOR=$($BIN token issue --data "$DATA" --scope 'system/*.cruds' --ttl 2h)
DESK=$($BIN token issue --data "$DATA" --scope 'user/*.cruds' --role receptionist --facility 11001 --ttl 2h)

python3 - "$URL" "$OPERATOR" "$DESK" "$REQUESTS" <<'PY'
import http.client, json, random, sys, time, unicodedata, urllib.parse

url, operator, desk, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
CCCD = "https://fhir.healthbook.vn/sid/cccd"
conn = http.client.HTTPConnection(host, port, timeout=60)

def call(method, path, token, body=None):
    h = {"Authorization": "Bearer " + token, "Accept": "application/fhir+json"}
    if body is not None:
        h["Content-Type"] = "application/fhir+json"
        body = json.dumps(body).encode()
    t0 = time.perf_counter()
    conn.request(method, "/fhir/" + path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    dt = (time.perf_counter() - t0) * 1000
    if r.status != 200:
        sys.exit(f"{method} {path} -> {r.status}: {data[:300]!r}")
    return dt, json.loads(data)

# A sample of patients from across the store.
_, first = call("GET", "Patient?_summary=count", operator)
total = first["total"]
rng = random.Random(7)
sample = []
for off in rng.sample(range(total), min(n, total)):
    _, b = call("GET", f"Patient?_count=1&_offset={off}", operator)
    sample.append(b["entry"][0]["resource"])

def fold(s):
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")

def query(p, kind):
    name = p["name"][0]
    family, given = name["family"], name.get("given", [])
    q = {"resourceType": "Patient", "birthDate": p["birthDate"], "gender": p["gender"]}
    if kind == "certain":
        q["identifier"] = [i for i in p["identifier"] if i["system"] == CCCD]
        q["name"] = [{"family": family.upper(), "given": [g.upper() for g in given]}]
    elif kind == "probable":
        q["name"] = [{"family": fold(family), "given": [fold(g) for g in given]}]
    else:
        g = list(given[-1])
        g[-1] = "x" if g[-1] != "x" else "y"
        q["name"] = [{"family": family, "given": given[:-1] + ["".join(g)]}]
    return {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": q},
                                                        {"name": "count", "valueInteger": 5}]}

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

results = {}
for kind in ("certain", "probable", "typo"):
    lat, hits = [], 0
    for p in sample:
        dt, b = call("POST", "Patient/$match", desk, query(p, kind))
        lat.append(dt)
        hits += any(e["resource"]["id"] == p["id"] for e in b.get("entry", []))
    results[kind] = (lat, hits)
lat = []
for p in sample:
    cccd = next(i["value"] for i in p["identifier"] if i["system"] == CCCD)
    dt, _ = call("GET", f"Patient?identifier={urllib.parse.quote(CCCD + '|' + cccd)}", desk)
    lat.append(dt)
results["baseline"] = (lat, len(sample))

print(f"patients in the store: {total}; requests per kind: {len(sample)}; one connection, sequential")
for kind, (lat, hits) in results.items():
    label = "GET Patient?identifier= (baseline)" if kind == "baseline" else f"$match {kind}"
    print(f"{label:36s} p50 {pct(lat,50):6.2f} ms  p90 {pct(lat,90):6.2f} ms  "
          f"p99 {pct(lat,99):6.2f} ms  max {max(lat):7.2f} ms  found {hits}/{len(lat)}")
base99 = pct(results["baseline"][0], 99)
worst = max(pct(results[k][0], 99) for k in ("certain", "probable", "typo"))
print(f"$match p99 (worst kind) {worst:.2f} ms vs baseline p99 {base99:.2f} ms: ratio "
      f"{worst / base99:.2f}; target p99 < 20 ms: {'met' if worst < 20 else 'MISSED'}")
PY
