"""Server CPU time per search request (issue 4): steadier than latency on a shared machine.

Usage: search_cpu.py ROUNDS BIN DATA [BIN DATA ...]
Starts each build (BIN) on its data folder (DATA: a demo province, `healthbook demo`; give
each build its own copy, a newer build migrates the folder) in turn, ROUNDS times, and
prints for each query the latency p50/p99 of one client on one keep-alive connection and
the server process's CPU time (user + system, /proc) per request, with the load average.
"""

import http.client
import os
import socket
import subprocess
import sys
import time

QUERIES = [
    ("_has page + total", "/fhir/Patient?_has:Observation:patient:code=8867-4&_count=20", 100),
    ("count status=final", "/fhir/Observation?status=final&_summary=count", 100),
    ("page of 1,000 + total", "/fhir/Observation?_count=1000&_offset=20000", 30),
]


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(binary, data):
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    try:
        token = subprocess.check_output([binary, "token", "issue", "--data", data, "--scope",
                                         "system/*.cruds", "--ttl", "1h"]).decode().strip()
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port)
                conn.request("GET", "/health")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        headers = {"Authorization": "Bearer " + token}

        def get(path):
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise RuntimeError(f"GET {path}: {r.status} {body[:200]!r}")

        out = []
        for label, path, n in QUERIES:
            for _ in range(10):
                get(path)
            c0 = cpu_seconds(server.pid)
            lat = []
            for _ in range(n):
                t0 = time.perf_counter()
                get(path)
                lat.append((time.perf_counter() - t0) * 1000)
            cpu = (cpu_seconds(server.pid) - c0) / n * 1000
            lat.sort()
            out.append(f"{label}: p50 {lat[n // 2]:.1f} ms, p99 {lat[min(n - 1, n * 99 // 100)]:.1f}"
                       f" ms, server CPU {cpu:.1f} ms/request")
        return out
    finally:
        server.terminate()
        server.wait()


def main():
    rounds = int(sys.argv[1])
    pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
    for _ in range(rounds):
        for binary, data in pairs:
            lines = run(binary, data)
            load = " ".join(open("/proc/loadavg").read().split()[:3])
            print(f"{binary} (load {load}): " + "; ".join(lines), flush=True)


main()
