"""Crash durability: a write acknowledged to the client survives `kill -9` of the server.

Eight writer threads create, update and POST transaction bundles while the server is
killed with SIGKILL at a random moment; after a restart on the same data folder every
acknowledged version must read back (vread) with the content that was sent. Three rounds,
each also re-checking the acknowledgements of the rounds before."""

import http.client
import random
import sys
import threading
import time
import unittest
import uuid

from harness import FhirTestCase, Server, etag_version, parse_location, status_code

WRITERS = 8
ROUNDS = 3
MAX_WRITES_PER_THREAD = 20000  # bound on each loop; the kill normally ends it much sooner


def content(res):
    res = dict(res)
    res.pop("id", None)
    res.pop("meta", None)
    return res


class Ack:
    __slots__ = ("rtype", "rid", "version", "body")

    def __init__(self, rtype, rid, version, body):
        self.rtype, self.rid, self.version, self.body = rtype, rid, version, body


class Writer(threading.Thread):

    def __init__(self, server, n, stop):
        super().__init__(daemon=True)
        self.client = server.client(timeout=15)
        self.n, self.stop = n, stop
        self.acks, self.unexpected = [], []
        self.rng = random.Random(n)
        self.tag = uuid.uuid4().hex[:8]

    def patient(self, i, **extra):
        return {"resourceType": "Patient",
                "identifier": [{"system": "urn:hb-crash", "value": f"{self.tag}-{self.n}-{i}"}],
                "name": [{"family": f"Writer{self.n}", "given": [f"n{i}", "Thị"]}],
                "birthDate": f"19{self.rng.randint(10, 99)}-0{self.rng.randint(1, 9)}-1{self.n}",
                **extra}

    def run(self):
        try:
            for i in range(MAX_WRITES_PER_THREAD):
                if self.stop.is_set():
                    return
                kind = i % 10
                if kind == 7 and self.acks:
                    self.update(i)
                elif kind == 9:
                    self.transaction(i)
                else:
                    self.create(i)
        except (OSError, http.client.HTTPException):
            return  # the server was killed under us: unacknowledged writes do not count
        finally:
            self.client.close()

    def create(self, i):
        body = self.patient(i)
        r = self.client.post("Patient", body, headers={"Prefer": "return=minimal"})
        if r.status != 201:
            self.unexpected.append(r.describe(300))
            return
        loc = parse_location(r.header("Location"))
        self.acks.append(Ack("Patient", loc[1], loc[2], body))

    def update(self, i):
        prev = self.rng.choice([a for a in self.acks if a.rtype == "Patient"])
        body = dict(self.patient(i, gender="female"), id=prev.rid)
        r = self.client.put(f"Patient/{prev.rid}", body, headers={"Prefer": "return=minimal"})
        if r.status != 200:
            self.unexpected.append(r.describe(300))
            return
        self.acks.append(Ack("Patient", prev.rid, etag_version(r.header("ETag")), body))

    def transaction(self, i):
        pat = f"urn:uuid:{uuid.uuid4()}"
        p = self.patient(i)
        o = {"resourceType": "Observation", "status": "final",
             "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
             "valueQuantity": {"value": 5.25, "unit": "mmol/L"}, "subject": {"reference": pat}}
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": pat, "resource": p, "request": {"method": "POST", "url": "Patient"}},
            {"resource": o, "request": {"method": "POST", "url": "Observation"}}]}
        r = self.client.post("/fhir", bundle)
        if r.status != 200:
            self.unexpected.append(r.describe(300))
            return
        entries = r.json["entry"]
        locs = [parse_location(e["response"]["location"]) for e in entries]
        if [status_code(e["response"]["status"]) for e in entries] != [201, 201] or None in locs:
            self.unexpected.append(r.describe(300))
            return
        o = dict(o, subject={"reference": f"Patient/{locs[0][1]}"})
        self.acks.append(Ack("Patient", locs[0][1], locs[0][2], p))
        self.acks.append(Ack("Observation", locs[1][1], locs[1][2], o))


class CrashDurabilityTest(FhirTestCase):

    def test_acknowledged_writes_survive_kill_9(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        acks = []
        for round_no in range(1, ROUNDS + 1):
            stop = threading.Event()
            writers = [Writer(server, n, stop) for n in range(WRITERS)]
            for w in writers:
                w.start()
            time.sleep(random.uniform(1.5, 3.0))
            server.kill()  # SIGKILL, mid-load
            stop.set()
            for w in writers:
                w.join(30)
                self.assertFalse(w.is_alive(), "a writer thread hung after the kill")
            unexpected = [u for w in writers for u in w.unexpected]
            self.assertEqual(unexpected, [], f"round {round_no}: writes refused under load")
            new = [a for w in writers for a in w.acks]
            self.assertGreater(len(new), WRITERS, f"round {round_no}: too few writes to test")
            acks += new
            print(f"\n  round {round_no}: {len(new)} writes acknowledged before kill -9 "
                  f"({len(acks)} in all)", end="", file=sys.stderr, flush=True)

            server.restart()
            self.check(server, acks, round_no)
        server.stop()

    def check(self, server, acks, round_no):
        c = server.client()
        lost, wrong = [], []
        latest = {}
        for a in acks:
            r = c.get(f"{a.rtype}/{a.rid}/_history/{a.version}")
            if r.status != 200:
                lost.append(f"{a.rtype}/{a.rid}/_history/{a.version} -> {r.status}")
                continue
            if content(r.json) != content(a.body):
                wrong.append(f"{a.rtype}/{a.rid}/_history/{a.version}: {content(r.json)} "
                             f"!= {content(a.body)}")
            key = (a.rtype, a.rid)
            latest[key] = max(latest.get(key, 0), int(a.version))
        for (rtype, rid), version in latest.items():
            r = c.get(f"{rtype}/{rid}")
            if r.status != 200 or int(r.json["meta"]["versionId"]) < version:
                lost.append(f"{rtype}/{rid}: current is {r.status} "
                            f"{r.json.get('meta') if r.json else ''}, acknowledged v{version}")
        c.close()
        self.assertEqual(lost[:20], [], f"round {round_no}: {len(lost)} of {len(acks)} "
                         f"acknowledged writes lost after kill -9\n{server.log_tail(10)}")
        self.assertEqual(wrong[:5], [], f"round {round_no}: {len(wrong)} changed after kill -9")


if __name__ == "__main__":
    unittest.main()
