"""Bulk data export (FHIR Bulk Data Access IG v2): $export at system, Patient and Group
level with the async pattern (202 + Content-Location, polling with X-Progress, a manifest of
NDJSON files served by the server, DELETE to cancel), _type, _since and _typeFilter; only
backend services may export, and a job is its client's alone."""

import json
import time
import urllib.parse

from harness import ServerTestCase, run_cli

ASYNC = {"Prefer": "respond-async"}


def patient(pid, gender):
    return {"resourceType": "Patient", "id": pid, "gender": gender,
            "name": [{"family": "Lò", "given": ["Văn", pid]}]}


def observation(oid, pid, code):
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "subject": {"reference": "Patient/" + pid}}


class ExportTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        entries = []
        resources = [patient("p1", "male"), patient("p2", "female"), patient("p3", "female"),
                     {"resourceType": "Practitioner", "id": "d1", "name": [{"family": "Quàng"}]},
                     {"resourceType": "Group", "id": "g1", "type": "person", "actual": True,
                      "member": [{"entity": {"reference": "Patient/p2"}},
                                 {"entity": {"reference": "Patient/p3"}}]}]
        for i in range(30):
            resources.append(observation(f"o{i}", f"p{1 + i % 3}", "8867-4" if i % 2 else "2339-0"))
        for r in resources:
            entries.append({"resource": r, "request": {"method": "PUT",
                                                       "url": f"{r['resourceType']}/{r['id']}"}})
        r = cls.c.post("", {"resourceType": "Bundle", "type": "transaction", "entry": entries})
        assert r.status == 200, r.describe()

    def export(self, path, client=None, headers=ASYNC):
        c = client or self.c
        r = c.get(path, headers=headers)
        self.assertStatus(r, 202)
        location = r.header("Content-Location")
        self.assertIn("/bulkstatus/", location)
        return location

    def wait(self, location, client=None):
        c = client or self.c
        for _ in range(200):
            r = c.get(location)
            if r.status == 202:
                self.assertTrue(r.header("X-Progress"), "a running export reports progress")
                time.sleep(0.05)
                continue
            self.assertStatus(r, 200)
            return r.json
        self.fail("the export did not finish")

    def files(self, manifest):
        out = {}
        for f in manifest["output"]:
            r = self.c.get(f["url"])
            self.assertStatus(r, 200)
            self.assertEqual(r.header("Content-Type").split(";")[0], "application/fhir+ndjson")
            lines = [json.loads(line) for line in r.body.decode().splitlines()]
            self.assertEqual(len(lines), f["count"])
            out[f["type"]] = sorted(x["id"] for x in lines)
        return out

    def test_system_export_round_trips_every_resource(self):
        manifest = self.wait(self.export("$export"))
        self.assertTrue(manifest["requiresAccessToken"])
        self.assertIn("$export", manifest["request"])
        files = self.files(manifest)
        self.assertEqual(files["Patient"], ["p1", "p2", "p3"])
        self.assertEqual(len(files["Observation"]), 30)
        self.assertEqual(files["Practitioner"], ["d1"])
        # Byte for byte what a read returns.
        url = [f["url"] for f in manifest["output"] if f["type"] == "Patient"][0]
        first = json.loads(self.c.get(url).body.decode().splitlines()[0])
        self.assertEqual(first, self.c.get("Patient/" + first["id"]).json)

    def test_patient_and_group_levels(self):
        files = self.files(self.wait(self.export("Patient/$export")))
        self.assertNotIn("Practitioner", files)  # in no patient's compartment
        self.assertEqual(files["Group"], ["g1"])  # Group.member is a compartment link (R4)
        self.assertEqual(len(files["Observation"]), 30)
        files = self.files(self.wait(self.export("Group/g1/$export")))
        self.assertEqual(files["Patient"], ["p2", "p3"])
        self.assertEqual(len(files["Observation"]), 20)
        r = self.c.get("Group/nope/$export", headers=ASYNC)
        self.assertStatus(r, 202)  # accepted; the job then fails, and says so
        final = None
        for _ in range(100):
            final = self.c.get(r.header("Content-Location"))
            if final.status != 202:
                break
            time.sleep(0.05)
        self.assertOutcome(final, 500, mentions=["Group/nope"])

    def test_patient_parameter(self):
        """Bulk Data v2's `patient` (POST Parameters): only those patients' compartments; one
        the server does not have is reported in the manifest's error file."""
        body = {"resourceType": "Parameters", "parameter": [
            {"name": "_type", "valueString": "Patient,Observation"},
            {"name": "patient", "valueReference": {"reference": "Patient/p1"}},
            {"name": "patient", "valueReference": {"reference": "Patient/ghost"}}]}
        r = self.c.post("Patient/$export", body, headers=ASYNC)
        self.assertStatus(r, 202)
        manifest = self.wait(r.header("Content-Location"))
        files = self.files(manifest)
        self.assertEqual(files["Patient"], ["p1"])
        self.assertEqual(len(files["Observation"]), 10)
        self.assertEqual([e["type"] for e in manifest["error"]], ["OperationOutcome"])
        outcome = json.loads(self.c.get(manifest["error"][0]["url"]).body.decode())
        self.assertEqual(outcome["resourceType"], "OperationOutcome")
        self.assertIn("Patient/ghost", outcome["issue"][0]["diagnostics"])
        # A Group's export keeps to the members among them.
        p3_url = self.c.get("Patient?_id=p3").json["entry"][0]["fullUrl"]  # absolute
        self.assertTrue(p3_url.startswith("http") and p3_url.endswith("/fhir/Patient/p3"), p3_url)
        body["parameter"][1:] = [{"name": "patient", "valueReference": {"reference": "Patient/p1"}},
                                 {"name": "patient", "valueReference": {"reference": p3_url}}]
        r = self.c.post("Group/g1/$export", body, headers=ASYNC)
        self.assertStatus(r, 202)
        files = self.files(self.wait(r.header("Content-Location")))
        self.assertEqual(files["Patient"], ["p3"])
        self.assertEqual(len(files["Observation"]), 10)
        # Not at system level, and only references to Patients.
        self.assertOutcome(self.c.post("$export", body, headers=ASYNC), 400, mentions=["patient"])
        body["parameter"][1] = {"name": "patient", "valueReference": {"reference": "Group/g1"}}
        self.assertOutcome(self.c.post("Patient/$export", body, headers=ASYNC), 400,
                           mentions=["Group/g1"])

    def test_type_since_and_type_filter(self):
        files = self.files(self.wait(self.export("$export?_type=Patient,Practitioner")))
        self.assertEqual(sorted(files), ["Patient", "Practitioner"])
        future = "2999-01-01T00:00:00Z"
        manifest = self.wait(self.export("$export?_since=" + future))
        self.assertEqual(manifest["output"], [])
        flt = urllib.parse.quote("Observation?code=8867-4", safe="")
        files = self.files(self.wait(self.export(
            "$export?_type=Observation,Patient&_typeFilter=" + flt)))
        self.assertEqual(len(files["Observation"]), 15)
        self.assertEqual(len(files["Patient"]), 3)
        flt2 = urllib.parse.quote("Patient?gender=female", safe="")
        files = self.files(self.wait(self.export(
            "$export?_type=Patient&_typeFilter=" + flt2 + "&_typeFilter=" +
            urllib.parse.quote("Patient?_id=p1,p2", safe=""))))
        self.assertEqual(files["Patient"], ["p1", "p2", "p3"])  # filters are ORed, no repeats

    def test_bad_requests(self):
        self.assertOutcome(self.c.get("$export"), 400, mentions=["respond-async"])
        self.assertOutcome(self.c.get("$export?_type=Nonsense", headers=ASYNC), 400,
                           mentions=["Nonsense"])
        self.assertOutcome(self.c.get("$export?_outputFormat=text/csv", headers=ASYNC), 400,
                           mentions=["_outputFormat"])
        self.assertOutcome(self.c.get("$export?_since=yesterday", headers=ASYNC), 400,
                           mentions=["_since"])
        self.assertOutcome(self.c.get("$export?_typeFilter=Observation%3Fnope%3D1", headers=ASYNC),
                           400, mentions=["nope"])
        self.assertOutcome(self.c.get("Patient/p1/$export", headers=ASYNC), 404)

    def test_only_backend_services_and_only_their_own_jobs(self):
        doctor = self.server.client(token=self.server.mint_token(
            "user/*.rs", "--role", "doctor", "--facility", "11001"))
        self.assertOutcome(doctor.get("$export", headers=ASYNC), 403, mentions=["backend"])
        location = self.export("$export?_type=Patient")
        self.wait(location)
        p = run_cli("user", "add", "--data", self.server.data_dir, "--name", "ops2",
                    "--role", "system")
        self.assertEqual(p.returncode, 0, p.stderr)
        other = self.server.client(token=self.server.mint_token("system/*.rs", "--user", "ops2"))
        self.assertOutcome(other.get(location), 404)
        manifest = self.wait(location)
        self.assertOutcome(other.get(manifest["output"][0]["url"]), 404)
        no_token = self.server.client(token="")
        self.assertStatus(no_token.get(location), 401)

    def test_delete_cancels_and_removes(self):
        location = self.export("$export")
        manifest = self.wait(location)
        url = manifest["output"][0]["url"]
        self.assertStatus(self.c.get(url), 200)
        self.assertStatus(self.c.request("DELETE", location), 202)
        self.assertStatus(self.c.get(location), 404)
        self.assertStatus(self.c.get(url), 404)


if __name__ == "__main__":
    import unittest
    unittest.main()
