#!/usr/bin/env python3
"""Measures how long `healthbook serve` takes from exec to its first answered
/health on an existing store, median of RUNS runs; prints milliseconds.

usage: startup.py BINARY DATA_DIR PORT [RUNS]
"""
import http.client
import statistics
import subprocess
import sys
import time


def once(binary, data, port):
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:%d" % port],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t0 + 30
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    return (time.monotonic() - t0) * 1000
            except OSError:
                time.sleep(0.002)
        raise SystemExit("server did not start within 30 s")
    finally:
        p.terminate()
        p.wait(10)


def main():
    binary, data, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    print("%.1f" % statistics.median(once(binary, data, port) for _ in range(runs)))


if __name__ == "__main__":
    main()
