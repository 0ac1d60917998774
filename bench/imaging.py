#!/usr/bin/env python3
"""Imaging: how soon a study stored into Orthanc is an ImagingStudy in healthbook.

Issue 10's target: visible within 2 s of the study becoming stable in Orthanc. A real Orthanc
(tests/integration/orthanc.py, StableAge 1 s) and `healthbook serve` configured to it (change
feed polled every POLL_MS, default 200 as in the tests). For each of STUDIES studies (default
20), one after another: a new patient (by CCCD) and an imaging order (by accession number),
two CT images and one MR image (pydicom's test files, edited with dcmodify) sent by DCMTK's
storescu; then Orthanc's change feed and healthbook's ImagingStudy search are polled every
20 ms. Latency: from the first poll that sees the study's StableStudy change to the first
that finds the ImagingStudy, linked to the patient and with its 3 instances.

Baseline in the same run: the same two polls' own round trip (one Orthanc /changes request
and one healthbook search, each poll), i.e. the resolution of the measurement.

Usage: python3 bench/imaging.py   (after `make build` and `scripts/install-deps.sh test`)
Environment: HB_BINARY (default build/healthbook), STUDIES, POLL_MS.
"""

import contextlib
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
os.environ.setdefault("HB_BINARY", os.path.join(ROOT, "build", "healthbook"))

import harness  # noqa: E402
import orthanc  # noqa: E402
from bench_stats import pct  # noqa: E402  (bench/, beside this file)

PYDICOM_DATA = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
CCCD = "https://fhir.healthbook.vn/sid/cccd"
ACCESSION = "https://fhir.healthbook.vn/sid/accession"
DCMTK_ENV = dict(os.environ, TCP_NODELAY="1")
STUDIES = int(os.environ.get("STUDIES", "20"))
POLL_MS = int(os.environ.get("POLL_MS", "200"))
TARGET_S = 2.0


def run(*args):
    subprocess.run(list(args), check=True, capture_output=True, env=DCMTK_ENV, timeout=60)


def main():
    why = orthanc.available()
    for tool in ("storescu", "dcmodify"):
        if not why and not shutil.which(tool):
            why = f"DCMTK's {tool} is not installed"
    if why:
        sys.exit(f"imaging bench: {why} (scripts/install-deps.sh test)")
    with contextlib.ExitStack() as cleanup:
        tmp = tempfile.mkdtemp(prefix="hb-imaging-bench-")
        cleanup.callback(shutil.rmtree, tmp, True)
        pacs = orthanc.Orthanc(stable_age_s=1)
        cleanup.callback(pacs.stop)
        pacs.start()
        os.environ.update({
            "HEALTHBOOK_IMAGING_ORTHANC_URL": pacs.url,
            "HEALTHBOOK_IMAGING_USERNAME": pacs.username,
            "HEALTHBOOK_IMAGING_PASSWORD": pacs.password,
            "HEALTHBOOK_IMAGING_WORKLIST_DIR": pacs.worklist_dir,
            "HEALTHBOOK_IMAGING_POLL_MS": str(POLL_MS),
        })
        server = harness.Server(data_dir=os.path.join(tmp, "data"))
        cleanup.callback(server.cleanup)
        server.start()
        cleanup.callback(stop_quietly, server)
        measure(server, pacs, tmp)


def stop_quietly(server):
    """Stops healthbook; a non-zero exit is reported, not raised over the first error."""
    try:
        server.stop()
    except AssertionError as e:
        print(f"# {e}", file=sys.stderr)


def measure(server, pacs, tmp):
    c = server.client()
    print(f"# machine: {os.cpu_count()} cores; load average before: "
          f"{' '.join(open('/proc/loadavg').read().split()[:3])}")
    print(f"# Orthanc StableAge 1 s, healthbook poll {POLL_MS} ms, {STUDIES} studies of 3 images")
    latencies, poll_round_trips = [], []
    for n in range(STUDIES):
        cccd = "0011" + str(secrets.randbelow(10**8)).zfill(8)
        accession = "ACC" + secrets.token_hex(4).upper()
        r = c.post("Patient", {"resourceType": "Patient",
                               "identifier": [{"system": CCCD, "value": cccd}],
                               "name": [{"family": "Lò", "given": ["Văn", f"Thử {n}"]}],
                               "gender": "male", "birthDate": "1980-01-01"})
        pid = r.json["id"]
        c.post("ServiceRequest", {
            "resourceType": "ServiceRequest", "status": "active", "intent": "order",
            "identifier": [{"system": ACCESSION, "value": accession}],
            "code": {"text": "CT ngực"}, "subject": {"reference": f"Patient/{pid}"}})
        uid = f"1.2.826.0.1.3680043.10.1234.{secrets.randbelow(10**9)}"
        files = []
        for i, (src, new_sop) in enumerate((("CT_small.dcm", False), ("CT_small.dcm", True),
                                           ("MR_small.dcm", False))):
            path = os.path.join(tmp, f"{n}-{i}.dcm")
            shutil.copy(os.path.join(PYDICOM_DATA, src), path)
            args = ["dcmodify", "-nb", "-i", f"(0010,0020)={cccd}", "-i",
                    f"(0020,000d)={uid}", "-i", f"(0008,0050)={accession}"]
            run(*(args + (["-gin"] if new_sop else []) + [path]))
            files.append(path)
        since = pacs.get_json("/changes?last")["Last"]
        run("storescu", "-aec", pacs.aet, "127.0.0.1", str(pacs.dicom_port), *files)
        query = "ImagingStudy?identifier=" + urllib.parse.quote(
            f"urn:dicom:uid|urn:oid:{uid}", safe="")
        t_stable = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            changes = pacs.get_json(f"/changes?since={since}&limit=1000")["Changes"]
            if t_stable is None and any(ch["ChangeType"] == "StableStudy" for ch in changes):
                t_stable = t0
            found = c.get(query).json.get("entry", [])
            poll_round_trips.append(time.monotonic() - t0)
            if found:
                study = found[0]["resource"]
                if (study["subject"]["reference"] == f"Patient/{pid}"
                        and study.get("numberOfInstances") == 3):
                    if t_stable is None:
                        sys.exit("the ImagingStudy came before Orthanc said the study was stable")
                    latencies.append(time.monotonic() - t_stable)
                    break
            time.sleep(0.02)
        else:
            sys.exit(f"study {n}: no ImagingStudy within 60 s\n{server.log_tail()}")
    ms = [x * 1000 for x in latencies]
    base = statistics.median(poll_round_trips) * 1000
    print(f"stable in Orthanc -> ImagingStudy in healthbook: p50 {pct(ms, 50):.0f} ms, "
          f"p95 {pct(ms, 95):.0f} ms, max {max(ms):.0f} ms over {len(ms)} studies "
          f"(target {TARGET_S * 1000:.0f} ms: max/target {max(ms) / (TARGET_S * 1000):.2f})")
    print(f"baseline: one poll of both (Orthanc /changes + healthbook search) p50 {base:.1f} ms; "
          f"latency p50 / poll interval {pct(ms, 50) / POLL_MS:.2f}")
    print(f"# load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
