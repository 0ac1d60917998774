#!/usr/bin/env python3
"""`healthbook import` into PostgreSQL, with the CPU each side spent (issue 5).

For each run and each binary given (alternating, so that the builds share the machine's
conditions), a fresh database in one throw-away cluster (tests/integration/pg_cluster.py:
the integration tests' settings, fsync and synchronous_commit off) receives the NDJSON
folder through `BIN import --store URL DIR`, and this prints the wall time, resources/s,
the PostgreSQL server's CPU seconds (the postmaster and all its children, from /proc:
the import's backend, the pool's, autovacuum, the final ANALYZE), the importer's CPU
seconds, and the load average before and after. CPU per resource is the figure that
holds when other work shares the cores; the wall rate is the machine's share at the time.

Usage: python3 bench/import_cpu.py [--runs 2] NDJSON_DIR BIN [BIN...]
  e.g. build/healthbook synth --people 1000 --seed 1 --out /tmp/pop1000
       python3 bench/import_cpu.py /tmp/pop1000 /tmp/healthbook-before build/healthbook
Linux only (/proc); Debian's postgresql-15 as for the integration tests.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import pg_cluster  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from growth import count_lines  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(cluster):
    """CPU seconds of the cluster's postmaster and its children, live and reaped."""
    with open(os.path.join(cluster.data, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) != postmaster and int(fields[1]) != postmaster:
            continue
        # utime, stime, and for the postmaster cutime/cstime: its children already gone
        total += sum(int(v) for v in fields[11:15])
    return total / TICK


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("folder")
    ap.add_argument("bins", nargs="+")
    args = ap.parse_args()
    cluster = pg_cluster.Cluster().start()
    try:
        lines = count_lines(args.folder)
        print(f"{lines} resources in {args.folder}", flush=True)
        for run in range(1, args.runs + 1):
            for binary in args.bins:
                url = cluster.new_database()
                load0 = os.getloadavg()[0]
                cpu0 = server_cpu(cluster)
                own0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.monotonic()
                p = subprocess.run([binary, "import", "--store", url, args.folder],
                                   capture_output=True, text=True)
                wall = time.monotonic() - t0
                own1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                time.sleep(1.5)  # the import's backends exit and are reaped
                server = server_cpu(cluster) - cpu0
                client = (own1.ru_utime - own0.ru_utime) + (own1.ru_stime - own0.ru_stime)
                summary = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr[-300:]
                print(f"{binary} run {run}: exit {p.returncode}, {wall:.1f} s, {lines / wall:,.0f}/s, "
                      f"server CPU {server:.1f} s ({server / lines * 1e6:.0f} us/resource), "
                      f"importer CPU {client:.1f} s ({client / lines * 1e6:.0f} us/resource), "
                      f"load {load0:.1f}/{os.getloadavg()[0]:.1f} | {summary}", flush=True)
                cluster.psql("postgres", f'DROP DATABASE "{pg_cluster.database_of(url)}"')
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
