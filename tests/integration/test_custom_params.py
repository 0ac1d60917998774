"""Search parameters defined as data: the built-in Vietnamese ones (cccd, cmnd, bhyt,
ethnicity, commune on Patient) and a deployment's own SearchParameter files in
<data>/search-parameters/, made effective for stored data by `healthbook reindex`."""

import json
import re
import os
import shutil
import tempfile
import unittest

from harness import FhirTestCase, Server, run_cli

BASE = "https://fhir.healthbook.vn/sid/"


def patient(pid, cccd, family, ethnic="01", commune="03127", occupation=None):
    p = {
        "resourceType": "Patient", "id": pid,
        "extension": [{"url": BASE + "extension/ethnicity",
                       "valueCoding": {"system": BASE + "ethnic-group", "code": ethnic}}],
        "identifier": [{"system": BASE + "cccd", "value": cccd},
                       {"system": BASE + "bhyt-card", "value": "DN4110" + cccd[-9:]}],
        "name": [{"family": family, "given": ["Văn", "A"]}],
        "address": [{"text": "Điện Biên", "extension": [{
            "url": BASE + "extension/address-admin-units",
            "extension": [{"url": "commune", "valueCoding": {"system": BASE + "admin-unit",
                                                              "code": commune}}]}]}],
    }
    if occupation:
        p["extension"].append({"url": "urn:test:occupation", "valueString": occupation})
    return p


OCCUPATION = {
    "resourceType": "SearchParameter", "id": "patient-occupation",
    "url": "urn:test:SearchParameter/patient-occupation", "name": "Occupation",
    "status": "active", "description": "a deployment's own parameter", "code": "occupation",
    "base": ["Patient"], "type": "string",
    "expression": "Patient.extension.where(url='urn:test:occupation').value",
}


def ids(bundle):
    return sorted(e["resource"]["id"] for e in bundle.get("entry", []))


class CustomSearchParametersTest(FhirTestCase):

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="hb-it-sp-")
        self.addCleanup(shutil.rmtree, self.data, True)

    def load(self, server, *patients):
        c = server.client()
        self.put_all(c, *patients)
        return c

    def test_builtin_vietnamese_parameters(self):
        with Server(self.data) as s:
            c = self.load(s, patient("p1", "011090000001", "Lò", ethnic="08"),
                          patient("p2", "011090000002", "Quàng", commune="03130"))
            r = c.get("Patient?cccd=011090000001")
            self.assertStatus(r, 200)
            self.assertEqual(ids(r.json), ["p1"])
            self.assertEqual(ids(c.get("Patient?cccd=" + BASE + "cccd|011090000002").json), ["p2"])
            self.assertEqual(ids(c.get("Patient?bhyt=DN4110090000002").json), ["p2"])
            self.assertEqual(ids(c.get("Patient?ethnicity=08").json), ["p1"])
            self.assertEqual(ids(c.get("Patient?commune=03130").json), ["p2"])
            self.assertEqual(ids(c.get("Patient?cccd:missing=false&_count=10").json), ["p1", "p2"])
            # The capability statement lists them with their definitions.
            meta = c.get("metadata").json
            params = {p["name"]: p for res in meta["rest"][0]["resource"]
                      if res["type"] == "Patient" for p in res["searchParam"]}
            self.assertEqual(params["cccd"]["definition"], BASE + "SearchParameter/patient-cccd")

    def test_deployment_parameter_and_reindex(self):
        with Server(self.data) as s:
            self.load(s, patient("p1", "011090000001", "Lò", occupation="Giáo viên"),
                      patient("p2", "011090000002", "Quàng", occupation="Nông dân"))
            # Unknown before it is defined: strict handling names it.
            r = s.client().get("Patient?occupation=giao", headers={"Prefer": "handling=strict"})
            self.assertOutcome(r, 400, mentions=["occupation"])
        os.makedirs(os.path.join(self.data, "search-parameters"))
        with open(os.path.join(self.data, "search-parameters", "occupation.json"), "w",
                  encoding="utf-8") as f:
            json.dump(OCCUPATION, f, ensure_ascii=False)
        p = run_cli("reindex", "--data", self.data)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        # One line per type (the server also seeds catalogues: CodeSystem, Medication, ...),
        # then the total.
        counts = dict(line.split() for line in p.stdout.splitlines()
                      if len(line.split()) == 2 and line.split()[1].isdigit())
        self.assertEqual(counts.get("Patient"), "2", p.stdout)
        total = re.search(r"reindexed (\d+) resources", p.stdout)
        self.assertIsNotNone(total, p.stdout)
        self.assertEqual(int(total.group(1)), sum(int(n) for n in counts.values()), p.stdout)
        with Server(self.data) as s:
            c = s.client()
            # Folded like every string parameter: "giao vien" finds "Giáo viên".
            self.assertEqual(ids(c.get("Patient?occupation=giao%20vien").json), ["p1"])
            self.assertEqual(ids(c.get("Patient?occupation=nong").json), ["p2"])
            # New writes are indexed at once.
            self.load(s, patient("p3", "011090000003", "Lường", occupation="Giáo sư"))
            self.assertEqual(ids(c.get("Patient?occupation=giao").json), ["p1", "p3"])
            # The built-in ones are unaffected.
            self.assertEqual(ids(c.get("Patient?cccd=011090000003").json), ["p3"])

    def test_bad_definition_is_refused_with_its_reason(self):
        os.makedirs(os.path.join(self.data, "search-parameters"))
        cases = [
            (dict(OCCUPATION, code="gender"), "already an R4 search parameter"),
            (dict(OCCUPATION, expression="Patient.extension.where("), "expression"),
            (dict(OCCUPATION, type="composite"), "not supported"),
            (dict(OCCUPATION, base=["Nonsense"]), "not a resource type"),
            (dict(OCCUPATION, status="retired"), "status"),
        ]
        path = os.path.join(self.data, "search-parameters", "bad.json")
        for definition, reason in cases:
            with self.subTest(reason):
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(definition, f)
                self.assertDataFolderRefused(self.data, reason)

    def test_reindex_of_one_type_and_unknown_type(self):
        with Server(self.data) as s:
            self.load(s, patient("p1", "011090000001", "Lò"))
        p = run_cli("reindex", "--data", self.data, "--type", "Patient")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("reindexed 1 resources", p.stdout)
        p = run_cli("reindex", "--data", self.data, "--type", "Nonsense")
        self.assertEqual(p.returncode, 1)
        self.assertIn("Nonsense", p.stderr)


if __name__ == "__main__":
    unittest.main()
