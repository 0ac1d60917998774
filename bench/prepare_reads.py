#!/usr/bin/env python3
"""Picks N resources from a running healthbook, writes their exact served bytes
as static files for nginx (ROOT/fhir/<Type>/<id>) and the list of paths for wrk.

usage: TOKEN=<bearer token> prepare_reads.py BASE_URL ROOT N PATHS_OUT
"""
import json
import os
import sys
import urllib.request


def main():
    base, root, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    auth = {"Authorization": "Bearer " + os.environ["TOKEN"]}
    paths = []
    url = base + "/fhir/_history?_count=1000"
    while url and len(paths) < n:
        with urllib.request.urlopen(urllib.request.Request(url, headers=auth)) as r:
            page = json.load(r)
        for e in page.get("entry", []):
            if "resource" in e:
                res = e["resource"]
                paths.append("/fhir/%s/%s" % (res["resourceType"], res["id"]))
        url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
    paths = sorted(set(paths))[:n]
    for p in paths:
        with urllib.request.urlopen(urllib.request.Request(base + p, headers=auth)) as r:
            body = r.read()
        target = os.path.join(root, p.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(body)
    with open(out, "w") as f:
        f.write("\n".join(paths) + "\n")
    print(len(paths))


if __name__ == "__main__":
    main()
