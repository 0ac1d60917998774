#!/usr/bin/env python3
"""How cost grows with the population (issue 5): for each store and each population size,
a synthetic province (`healthbook synth`) is imported (`healthbook import`) and served, and
this measures

  ingest      resources/s of `healthbook import`
  size        bytes of store per resource (SQLite: the database files after a checkpoint;
              PostgreSQL: pg_database_size)
  read        GET Patient/{id} and GET Observation/{id}
              (every latency twice over the same requests: as the import left the page cache,
              then warm; the chart plots the warm pass)
  identifier  GET Patient?identifier=<cccd system>|<number>
  chain       GET Observation?encounter.patient.identifier=<cccd system>|<number> (two levels)
  everything  GET Patient/{id}/$everything
  export      system $export, resources/s from kick-off to the complete manifest

Latencies are p50 and p99 over REQUESTS requests each, one keep-alive connection, one
request at a time, each about a different patient. Growth is reported as the ratio to the
smallest size measured in the same run (the baseline), and bench/growth.svg charts it.

Usage: python3 bench/growth.py [--sizes 1000,10000,100000] [--stores sqlite,postgresql]
                               [--requests 300] [--work DIR] [--keep] [--consume]
                               [--add EARLIER.json]
Needs a built build/healthbook (BIN= to use another) and, for PostgreSQL, Debian's
postgresql-15 (the cluster is a throw-away one under the work folder, tests/integration/
pg_cluster.py, with the integration tests' settings: fsync and synchronous_commit off).
Without --keep each store's data and each size's synthetic files are deleted once measured,
so that only the largest size needs the disk; --add joins an earlier run's points.
"""
import argparse
import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import pg_cluster  # noqa: E402
BIN = os.environ.get("BIN", os.path.join(ROOT, "build", "healthbook"))
CCCD = "https://fhir.healthbook.vn/sid/cccd"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, accept=(0,), **kw):
    t0 = time.monotonic()
    p = subprocess.run([BIN, *args], capture_output=True, text=True, **kw)
    if p.returncode not in accept:
        raise SystemExit(f"healthbook {' '.join(args)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return p, time.monotonic() - t0


def count_lines(folder):
    n = 0
    for name in os.listdir(folder):
        if name.endswith(".ndjson"):
            with open(os.path.join(folder, name), "rb") as f:
                n += sum(1 for _ in f)
    return n


def sample_patients(folder, k, seed=7):
    """k random living patients of the synthetic province: (id, cccd)."""
    out = []
    with open(os.path.join(folder, "Patient.ndjson"), encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            cccd = next((i["value"] for i in p.get("identifier", []) if i.get("system") == CCCD), None)
            if cccd and not p.get("deceasedDateTime") and not p.get("deceasedBoolean"):
                out.append((p["id"], cccd))
    random.Random(seed).shuffle(out)
    return out[:k]


def sample_ids(folder, rtype, k, seed=11):
    path = os.path.join(folder, rtype + ".ndjson")
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            i = line.find('"id":"')
            if i >= 0:
                ids.append(line[i + 6:line.index('"', i + 6)])
    random.Random(seed).shuffle(ids)
    return ids[:k]


class Server:
    def __init__(self, data, store=None):
        self.port = free_port()
        args = [BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{self.port}"]
        if store:
            args += ["--store", store]
        self.log = open(os.path.join(data, "serve.log"), "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start: see " + self.log.name)
        self.token = run("token", "issue", "--data", data, "--scope", "system/*.*")[0].stdout.strip()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def get(self, path, headers=None):
        h = {"Authorization": "Bearer " + self.token, "Accept": "application/fhir+json"}
        h.update(headers or {})
        self.conn.request("GET", path, headers=h)
        r = self.conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()

    def stop(self):
        self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)
        self.log.close()


def latency(server, paths, check):
    ms = []
    for path in paths:
        t0 = time.perf_counter()
        status, _, body = server.get(path)
        ms.append((time.perf_counter() - t0) * 1000)
        if status != 200 or not check(body):
            raise SystemExit(f"GET {path}: {status} {body[:300]!r}")
    ms.sort()
    return {"p50": statistics.median(ms), "p99": ms[min(len(ms) - 1, math.ceil(0.99 * len(ms)) - 1)]}


def latencies(server, patients, observations, requests):
    ok = lambda body: body.startswith(b"{")  # noqa: E731
    has_entry = lambda body: b'"entry"' in body  # noqa: E731
    return {
        "read_patient": latency(server, [f"/fhir/Patient/{p}" for p, _ in patients], ok),
        "read_observation": latency(server, [f"/fhir/Observation/{o}" for o in observations], ok),
        "identifier": latency(
            server, [f"/fhir/Patient?identifier={CCCD}|{c}" for _, c in patients], has_entry),
        "chain": latency(
            server, [f"/fhir/Observation?encounter.patient.identifier={CCCD}|{c}&_count=50"
                     for _, c in patients], ok),
        "everything": latency(
            server, [f"/fhir/Patient/{p}/$everything?_count=1000"
                     for p, _ in patients[:max(20, requests // 5)]], has_entry),
    }


def export_rate(server):
    t0 = time.monotonic()
    status, headers, body = server.get("/fhir/$export", {"Prefer": "respond-async"})
    if status != 202:
        raise SystemExit(f"$export kick-off: {status} {body[:300]!r}")
    poll = headers["Content-Location"].split("://", 1)[1].split("/", 1)[1]
    while True:
        status, _, body = server.get("/" + poll)
        if status == 200:
            break
        if status != 202:
            raise SystemExit(f"$export status: {status} {body[:300]!r}")
        time.sleep(0.05)
    seconds = time.monotonic() - t0
    manifest = json.loads(body)
    total = sum(o.get("count", 0) for o in manifest["output"])
    server.get("/" + poll)  # keep the connection busy-free
    return total, seconds


def store_size_sqlite(data):
    return sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data)
               if f.startswith("healthbook.db"))


# --consume imports these first, in this order (what the rest refers to), then the others
# largest first, so that the file still on disk when the store is at its largest is a small
# one.
CONSUME_FIRST = ["Organization", "Location", "Practitioner", "PractitionerRole", "Patient",
                 "Coverage", "EpisodeOfCare", "Encounter"]


def import_consuming(args, synth_dir):
    """`healthbook import` one type file at a time, deleting each once it is stored, so that
    the synthetic files and the store need the disk together only for what is left to load.
    A file's references to types not yet loaded are reported as dangling by that file's
    import (exit status 1, "N dangling references"); that is accepted here when no line was
    bad, since the files that follow store what they name. Returns the seconds summed."""
    names = sorted(n[:-7] for n in os.listdir(synth_dir) if n.endswith(".ndjson"))
    rest = sorted((t for t in names if t not in CONSUME_FIRST),
                  key=lambda t: -os.path.getsize(os.path.join(synth_dir, t + ".ndjson")))
    order = [t for t in CONSUME_FIRST if t in names] + rest
    seconds = 0.0
    for t in order:
        path = os.path.join(synth_dir, t + ".ndjson")
        p, s = run(*args, path, accept=(0, 1))
        seconds += s
        summary = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
        if " 0 bad lines" not in summary:
            raise SystemExit(f"healthbook import {path}: bad lines\n{summary}\n{p.stderr[-3000:]}")
        print(f"  {t}: {summary}", flush=True)
        os.remove(path)
    return seconds


def measure(store_kind, size, synth_dir, work, requests, cluster, keep, consume=False):
    data = os.path.join(work, f"{store_kind}-{size}")
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    store = None
    if store_kind == "postgresql":
        store = cluster.new_database(f"growth_{size}")
    args = ["import", "--data", data] + (["--store", store] if store else [])
    # What the measurements need from the synthetic files, read before --consume deletes them.
    resources = count_lines(synth_dir)
    patients = sample_patients(synth_dir, requests)
    observations = sample_ids(synth_dir, "Observation", requests)
    load = os.getloadavg()[0]
    if consume:
        seconds = import_consuming(args, synth_dir)
    else:
        _, seconds = run(*args, synth_dir)
    result = {"store": store_kind, "people": size, "resources": resources,
              "ingest_per_s": resources / seconds, "ingest_s": seconds,
              "load_before_import": load, "load_after_import": os.getloadavg()[0]}
    if consume:
        result["import"] = "one type file at a time (--consume)"
    server = Server(data, store)
    try:
        # Two passes over the same requests: the first as the import left the page cache (a
        # store larger than memory reads from disk), the second warm.
        result.update(latencies(server, patients, observations, requests))
        result["warm"] = latencies(server, patients, observations, requests)
        total, seconds = export_rate(server)
        result["export_resources"] = total
        result["export_per_s"] = total / seconds
        if store_kind == "postgresql":
            result["bytes"] = cluster.database_size(store)
    finally:
        server.stop()
    if store_kind == "sqlite":
        result["bytes"] = store_size_sqlite(data)
    result["bytes_per_resource"] = result["bytes"] / resources
    if not keep:  # the next size needs the disk
        shutil.rmtree(data, ignore_errors=True)
        if store:
            cluster.psql("postgres", 'DROP DATABASE "%s"' % pg_cluster.database_of(store))
    return result


# --------------------------------------------------------------------------- chart
LATENCIES = [("read_patient", "read Patient"), ("identifier", "identifier search"),
             ("chain", "two-level chain"), ("everything", "$everything")]


def svg_chart(results, path):
    """Four panels (ingest/s, bytes per resource, p99 latencies, export/s) against people,
    log-scaled people axis; one line per store (latencies: per store and request)."""
    stores = sorted({r["store"] for r in results})
    sizes = sorted({r["people"] for r in results})
    colours = {"sqlite": "#1f77b4", "postgresql": "#d62728"}
    dashes = ["", "6 3", "2 2", "8 3 2 3"]
    W, H, pad = 420, 260, 62
    panels = [
        ("Ingest (resources/s)", lambda r: [("", r["ingest_per_s"])], False),
        ("Store size (bytes/resource)", lambda r: [("", r["bytes_per_resource"])], False),
        ("p99 latency, warm cache (ms, log scale)",
         lambda r: [(label, r.get("warm", r)[k]["p99"]) for k, label in LATENCIES], True),
        ("$export (resources/s)", lambda r: [("", r["export_per_s"])], False),
    ]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{2 * H + 30}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="8" y="16" font-size="13" font-weight="bold">healthbook growth: cost against '
           f'population ({", ".join(stores)})</text>']
    lx = lambda v: math.log10(v)  # noqa: E731
    xmin, xmax = lx(sizes[0]), lx(sizes[-1]) if len(sizes) > 1 else lx(sizes[0]) + 1
    for i, (title, values, logy) in enumerate(panels):
        ox, oy = (i % 2) * W, 30 + (i // 2) * H
        series = {}
        for r in results:
            for label, v in values(r):
                series.setdefault((r["store"], label), []).append((r["people"], v))
        allv = [v for s in series.values() for _, v in s if v > 0]
        ymin = min(allv) if logy else 0
        ymax = max(allv) if allv else 1
        if logy:
            ymin, ymax = math.log10(ymin) - 0.1, math.log10(ymax) + 0.1
        else:
            ymax *= 1.15
        fx = lambda x: ox + pad + (lx(x) - xmin) / ((xmax - xmin) or 1) * (W - 2 * pad)  # noqa: E731
        fy = lambda y: oy + H - pad - ((math.log10(y) if logy else y) - ymin) / ((ymax - ymin) or 1) * (H - 2 * pad)  # noqa: E731
        out.append(f'<text x="{ox + pad}" y="{oy + 18}" font-weight="bold">{title}</text>')
        out.append(f'<line x1="{ox + pad}" y1="{oy + H - pad}" x2="{ox + W - pad}" y2="{oy + H - pad}" stroke="#444"/>')
        out.append(f'<line x1="{ox + pad}" y1="{oy + pad}" x2="{ox + pad}" y2="{oy + H - pad}" stroke="#444"/>')
        for s in sizes:
            out.append(f'<text x="{fx(s):.1f}" y="{oy + H - pad + 14}" text-anchor="middle">{s:,}</text>')
        for k in range(5):
            yv = ymin + (ymax - ymin) * k / 4
            label = 10 ** yv if logy else yv
            y = oy + H - pad - k / 4 * (H - 2 * pad)
            out.append(f'<text x="{ox + pad - 4}" y="{y + 4:.1f}" text-anchor="end">{label:,.3g}</text>')
            out.append(f'<line x1="{ox + pad}" y1="{y:.1f}" x2="{ox + W - pad}" y2="{y:.1f}" stroke="#ddd"/>')
        labels = sorted({label for _, label in series})
        for (store, label), pts in sorted(series.items()):
            pts.sort()
            d = " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in pts if y > 0)
            dash = dashes[labels.index(label) % len(dashes)]
            out.append(f'<polyline fill="none" stroke="{colours.get(store, "#2ca02c")}" stroke-width="2" '
                       f'stroke-dasharray="{dash}" points="{d}"/>')
        legend_y = oy + pad + 4
        for j, (store, label) in enumerate(sorted(series)):
            dash = dashes[labels.index(label) % len(dashes)]
            y = legend_y + j * 13
            out.append(f'<line x1="{ox + W - pad - 150}" y1="{y}" x2="{ox + W - pad - 130}" y2="{y}" '
                       f'stroke="{colours.get(store, "#2ca02c")}" stroke-width="2" stroke-dasharray="{dash}"/>')
            out.append(f'<text x="{ox + W - pad - 126}" y="{y + 4}">{store}{" " + label if label else ""}</text>')
    out.append(f'<text x="{W}" y="{2 * H + 24}" text-anchor="middle">people (log scale)</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def table(results):
    base = {}
    for r in results:
        base.setdefault(r["store"], r)
    lines = ["| store | people | resources | ingest/s | bytes/res | read p50/p99 ms | identifier p50/p99 | "
             "chain p50/p99 | $everything p50/p99 | $export/s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    f = lambda m: f'{m["p50"]:.2f} / {m["p99"]:.2f}'  # noqa: E731
    for r in results:
        lines.append(f'| {r["store"]} | {r["people"]:,} | {r["resources"]:,} | {r["ingest_per_s"]:,.0f} | '
                     f'{r["bytes_per_resource"]:,.0f} | {f(r["read_patient"])} | {f(r["identifier"])} | '
                     f'{f(r["chain"])} | {f(r["everything"])} | {r["export_per_s"]:,.0f} |')
        if "warm" in r:
            w = r["warm"]
            lines.append(f'| {r["store"]} | {r["people"]:,} (warm) | | | | {f(w["read_patient"])} | '
                         f'{f(w["identifier"])} | {f(w["chain"])} | {f(w["everything"])} | |')
    lines.append("")
    lines.append("Growth against the smallest size of the same store (warm p99 ratio where measured; "
                 "people ratio in brackets):")
    for r in results:
        b = base[r["store"]]
        if r is b:
            continue
        ratios = ", ".join(f'{label} {r.get("warm", r)[k]["p99"] / b.get("warm", b)[k]["p99"]:.2f}'
                           for k, label in LATENCIES)
        lines.append(f'- {r["store"]} {r["people"]:,} ({r["people"] / b["people"]:.0f}x people): {ratios}; '
                     f'ingest/s {r["ingest_per_s"] / b["ingest_per_s"]:.2f}, export/s '
                     f'{r["export_per_s"] / b["export_per_s"]:.2f}')
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--stores", default="sqlite,postgresql")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--work", default=None, help="work folder (kept; synthetic files reused with --keep)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work folder, each size's synthetic files and each store's data "
                         "(without it each is deleted once measured, so that the largest size alone "
                         "needs the disk)")
    ap.add_argument("--consume", action="store_true",
                    help="import one type file at a time and delete each once stored (for a "
                         "size whose synthetic files and store do not fit the disk together; "
                         "one store per run, since the files are gone after it)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "growth"))
    ap.add_argument("--add", action="append", default=[],
                    help="a growth .json of an earlier run whose points join this run's table and "
                         "chart (repeatable; a point measured again here replaces it)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    stores = a.stores.split(",")
    if a.consume and (a.keep or len(stores) > 1):
        ap.error("--consume deletes the synthetic files: one store, without --keep")
    work = a.work or tempfile.mkdtemp(prefix="hb-growth-")
    os.makedirs(work, exist_ok=True)
    # The PostgreSQL cluster under it runs as the `postgres` user when we are root: it must be
    # able to reach its folder (mkdtemp makes 0700 folders).
    os.chmod(work, 0o755)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"# machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
          f"{cpu}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    cluster = None
    if "postgresql" in stores:
        cluster = pg_cluster.Cluster(os.path.join(work, "pg"))
        cluster.start()
    results = []
    try:
        for size in sizes:
            synth_dir = os.path.join(work, f"synth-{size}")
            if not os.path.exists(os.path.join(synth_dir, "Patient.ndjson")):
                os.makedirs(synth_dir, exist_ok=True)
                _, seconds = run("synth", "--people", str(size), "--seed", str(a.seed), "--out", synth_dir)
                n = count_lines(synth_dir)
                print(f"synth {size:,} people: {n:,} resources ({n / size:.0f} per person) in {seconds:.1f} s, "
                      f"{n / seconds:,.0f} resources/s", flush=True)
            for store in stores:
                r = measure(store, size, synth_dir, work, a.requests, cluster, a.keep, a.consume)
                results.append(r)
                print(json.dumps(r), flush=True)
            if not a.keep:
                shutil.rmtree(synth_dir, ignore_errors=True)
    finally:
        if cluster:
            cluster.stop()
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)
    measured = {(r["store"], r["people"]) for r in results}
    for path in a.add:
        with open(path) as f:
            results += [r for r in json.load(f) if (r["store"], r["people"]) not in measured]
    order = stores + sorted({r["store"] for r in results} - set(stores))
    results.sort(key=lambda r: (order.index(r["store"]), r["people"]))
    with open(a.out + ".json", "w") as f:
        json.dump(results, f, indent=1)
    svg_chart(results, a.out + ".svg")
    print(table(results))


if __name__ == "__main__":
    main()
