"""Search benchmarks on a running healthbook (issue 4's speed targets), each beside the same
response bytes served by nginx and measured with the same client (one keep-alive
connection, sequential requests: latency, not throughput).

Usage: search_bench.py URL TOKEN WWW_DIR NGINX_URL   (bench/search.sh sets it all up)
Prints one line per figure.
"""

import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

from bench_stats import pct

URL, TOKEN, WWW, NGINX = sys.argv[1:5]
CCCD = "https://fhir.healthbook.vn/sid/cccd"
FACILITY = "https://fhir.healthbook.vn/sid/facility"


class Conn:
    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.c = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.headers = {"Authorization": "Bearer " + token} if token else {}

    def get(self, path):
        self.c.request("GET", path, headers=self.headers)
        r = self.c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"GET {path}: {r.status} {body[:300]!r}")
        return body

    def post(self, path, doc):
        h = dict(self.headers, **{"Content-Type": "application/fhir+json"})
        self.c.request("POST", path, body=json.dumps(doc).encode(), headers=h)
        r = self.c.getresponse()
        body = r.read()
        if r.status not in (200, 201):
            raise RuntimeError(f"POST {path}: {r.status} {body[:300]!r}")
        return json.loads(body)


def timed(conn, paths, rounds):
    """Latencies in ms of GETting `paths` in turn, `rounds` requests (after 5 warm-ups)."""
    for p in paths[:5]:
        conn.get(p)
    out = []
    for i in range(rounds):
        p = paths[i % len(paths)]
        t0 = time.perf_counter()
        conn.get(p)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def mirror(conn, paths, name):
    """Saves the server's answers for `paths` as static files; returns the nginx paths."""
    out = []
    for i, p in enumerate(paths):
        f = f"/{name}-{i}.json"
        with open(WWW + f, "wb") as fh:
            fh.write(conn.get(p))
        out.append(f)
    return out


def compare(label, hb, paths, rounds, target_ms=None, name="q"):
    ngx_paths = mirror(hb, paths, name)
    ours = timed(hb, paths, rounds)
    base = timed(Conn(NGINX), ngx_paths, rounds)
    p50, p99, b50, b99 = pct(ours, 50), pct(ours, 99), pct(base, 50), pct(base, 99)
    target = f"; target p99 < {target_ms} ms" if target_ms else ""
    print(f"{label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms over {rounds} requests "
          f"(nginx, same bytes: p50 {b50:.2f} ms, p99 {b99:.2f} ms; p99 ratio "
          f"{p99 / b99:.1f}){target}")


def main():
    hb = Conn(URL, TOKEN)
    patients = json.loads(hb.get("/fhir/Patient?_count=500&_elements=identifier"))["entry"]
    cccds = [i["value"] for e in patients for i in e["resource"].get("identifier", [])
             if i.get("system") == CCCD]
    total_obs = json.loads(hb.get("/fhir/Observation?_summary=count"))["total"]
    print(f"# data: {len(cccds)} sampled patients, {total_obs} Observations")

    # A patient with 1,000 resources for $everything.
    entries = [{"fullUrl": "urn:uuid:big", "resource": {
        "resourceType": "Patient", "name": [{"family": "Lò", "given": ["Văn", "Lớn"]}],
        "identifier": [{"system": CCCD, "value": "011099999999"}]},
        "request": {"method": "PUT", "url": "Patient?identifier=" + CCCD + "|011099999999"}}]
    for i in range(999):
        entries.append({"resource": {
            "resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
            "subject": {"reference": "urn:uuid:big"},
            "effectiveDateTime": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "valueQuantity": {"value": 60 + i % 40, "unit": "/min",
                              "system": "http://unitsofmeasure.org", "code": "/min"}},
            "request": {"method": "POST", "url": "Observation"}})
    hb.post("/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": entries})
    big = json.loads(hb.get("/fhir/Patient?identifier=" + CCCD + "|011099999999"))
    big_id = big["entry"][0]["resource"]["id"]

    compare("token search (Patient?identifier=CCCD, 500 distinct)", hb,
            [f"/fhir/Patient?identifier={CCCD}|{c}" for c in cccds], 2000, 2, "tok")
    compare("custom token search (Patient?cccd=, 500 distinct)", hb,
            [f"/fhir/Patient?cccd={c}" for c in cccds], 2000, 2, "cccd")
    compare("$everything, a patient with 1,000 resources (one page)", hb,
            [f"/fhir/Patient/{big_id}/$everything?_count=1000"], 100, 30, "every")
    compare("chain, one level (Observation?subject.identifier=CCCD)", hb,
            [f"/fhir/Observation?subject.identifier={CCCD}|{c}" for c in cccds[:100]], 500, 50,
            "chain1")
    compare("chain, two levels (Encounter?subject.organization.identifier=..., first page)", hb,
            [f"/fhir/Encounter?subject.organization.identifier={FACILITY}|11001&_count=20"], 50,
            50, "chain2")
    compare("_has (Patient?_has:Observation:patient:code=8867-4, first page)", hb,
            ["/fhir/Patient?_has:Observation:patient:code=8867-4&_count=20"], 50, 50, "has")

    # Full text: the sampled patients' names without diacritics, over every string of every
    # Patient (first page, with its total). Strict handling: a build without _content says
    # so instead of ignoring the parameter.
    names = []
    for e in patients[:100]:
        got = json.loads(hb.get(f"/fhir/Patient?_id={e['resource']['id']}&_elements=name"))
        n = (got["entry"][0]["resource"].get("name") or [{}])[0]
        words = [n.get("family", "")] + n.get("given", [])
        names.append(urllib.parse.quote(" ".join(w for w in words if w)))
    strict = Conn(URL, TOKEN)
    strict.headers["Prefer"] = "handling=strict"
    try:
        compare("full text (Patient?_content=family given, 100 distinct, first page)", strict,
                [f"/fhir/Patient?_content={n}&_count=20" for n in names], 200, None, "fts")
    except RuntimeError as err:
        print(f"full text: not supported by this build ({str(err)[:120]})")

    # Counting: matches counted per second by _summary=count.
    for q in ("Observation?_summary=count", "Observation?status=final&_summary=count"):
        n = json.loads(hb.get("/fhir/" + q))["total"]
        lat = timed(hb, ["/fhir/" + q], 20)
        rate = n / (statistics.median(lat) / 1000)
        print(f"count ({q}): {n} matches in {statistics.median(lat):.1f} ms median = "
              f"{rate / 1e6:.2f} M matches/s (target >= 2 M/s)")

    # Download: every Observation, pages of 1,000, following next links (with the total on
    # each page, as a client gets by default). Only the requests are timed (reading the next
    # link out of each page is the client's work); the second pass is measured.
    # One pass first, so that both sides serve from memory (the data set fits in RAM).
    path = "/fhir/Observation?_count=1000"
    while path:
        b = json.loads(hb.get(path))
        nxt = [l["url"] for l in b.get("link", []) if l["relation"] == "next"]
        path = urllib.parse.urlsplit(nxt[0])._replace(scheme="", netloc="").geturl() if nxt else None
    got, nbytes, secs, path = 0, 0, 0.0, "/fhir/Observation?_count=1000"
    pages = []
    while path and got < 100000:
        t0 = time.perf_counter()
        body = hb.get(path)
        secs += time.perf_counter() - t0
        nbytes += len(body)
        b = json.loads(body)
        got += sum(1 for e in b.get("entry", []) if e["search"]["mode"] == "match")
        pages.append(path)
        nxt = [l["url"] for l in b.get("link", []) if l["relation"] == "next"]
        path = urllib.parse.urlsplit(nxt[0])._replace(scheme="", netloc="").geturl() if nxt else None
    ngx_pages = mirror(hb, pages, "page")
    ngx = Conn(NGINX)
    for p in ngx_pages:
        ngx.get(p)
    t1 = time.perf_counter()
    for p in ngx_pages:
        ngx.get(p)
    nsecs = time.perf_counter() - t1
    print(f"download: {got} Observations in {secs:.2f} s = {got / secs:.0f} resources/s "
          f"({nbytes / secs / 1e6:.0f} MB/s; nginx, same bytes: {got / nsecs:.0f} resources/s; "
          f"ratio {nsecs / secs:.2f}; target >= 50,000/s)")


main()
