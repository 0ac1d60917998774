"""GET Patient/{id}/$chart latency (one keep-alive connection, sequential requests) for the
40 patients with the most encounters among the demo province's, each read 5 times, beside
$everything of the same patients. Usage: chart_bench.py URL TOKEN PATIENTS (bench/chart.sh)."""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

URL, TOKEN, PATIENTS = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlsplit(URL)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
HEADERS = {"Authorization": "Bearer " + TOKEN}


def get(path):
    conn.request("GET", path, headers=HEADERS)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise RuntimeError(f"GET {path}: {r.status} {body[:300]!r}")
    return body


# The patients with the longest records (encounters counted per patient).
sizes = []
for i in range(1, PATIENTS + 1, max(1, PATIENTS // 400)):
    pid = f"pat-{i:06d}"
    b = json.loads(get(f"/fhir/Encounter?subject=Patient/{pid}&_summary=count"))
    sizes.append((b.get("total", 0), pid))
sizes.sort(reverse=True)
chosen = [pid for _, pid in sizes[:40]]


def measure(fmt):
    times = []
    for pid in chosen:
        get(fmt.format(pid))  # warm the cache once, as a chart reopened during a visit
        for _ in range(5):
            t0 = time.perf_counter()
            get(fmt.format(pid))
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)], times[-1]


sample = json.loads(get(f"/fhir/Patient/{chosen[0]}/$chart"))
names = [p["name"] for p in sample["parameter"] if p["name"] != "withheld"]
withheld = next(p["valueInteger"] for p in sample["parameter"] if p["name"] == "withheld")
print(f"# {chosen[0]}'s chart: {len(get(f'/fhir/Patient/{chosen[0]}/$chart'))} bytes, "
      + ", ".join(f"{n} {names.count(n)}" for n in sorted(set(names)))
      + f"; withheld by the access policy: {withheld}")
chart = measure("/fhir/Patient/{}/$chart")
everything = measure("/fhir/Patient/{}/$everything?_count=1000")
print(f"chart: median {chart[0]:.1f} ms, p95 {chart[1]:.1f} ms, max {chart[2]:.1f} ms "
      f"({len(chosen)} patients with {sizes[0][0]}..{sizes[len(chosen) - 1][0]} encounters)")
print(f"chart baseline: $everything of the same patients median {everything[0]:.1f} ms, "
      f"p95 {everything[1]:.1f} ms; ratio {chart[0] / everything[0]:.2f}")
