"""Named queries (_query) defined as data: the built-in Vietnamese worklists and a
deployment's own OperationDefinitions (kind = query) in <data>/named-queries/, listed in the
CapabilityStatement; a malformed definition keeps the server from starting, naming the file
and the reason (search/named_query.h, docs/implementation/search.md "Named queries")."""

import json
import os
import shutil
import tempfile
import unittest
from urllib.parse import quote

from harness import FhirTestCase, Server

BASE = "https://fhir.healthbook.vn/sid/"

# Patients of a commune (xã), by family name: the commune health station's register.
BY_COMMUNE = {
    "resourceType": "OperationDefinition", "id": "nguoi-benh-theo-xa",
    "url": "urn:test:OperationDefinition/nguoi-benh-theo-xa", "name": "NguoiBenhTheoXa",
    "status": "active", "kind": "query", "code": "nguoi-benh-theo-xa",
    "resource": ["Patient"], "system": False, "type": True, "instance": False,
    "extension": [{"url": "http://healthbook.vn/fhir/StructureDefinition/named-query-criteria",
                   "valueString": "commune={{xa}}&active:not=false&_sort=family"}],
    "parameter": [{"name": "xa", "use": "in", "min": 1, "max": "*", "type": "string",
                   "searchType": "token", "documentation": "Mã xã (5 chữ số)"}],
}


# By family name, inside a _filter string, with the result parameters the register shows.
BY_FAMILY = dict(
    BY_COMMUNE, id="theo-ho", url="urn:test:OperationDefinition/theo-ho", name="TheoHo",
    code="theo-ho",
    extension=[dict(BY_COMMUNE["extension"][0],
                    valueString='_filter=family co "{{ho}}"&_elements=name&_total=none'
                                '&_sort=family')],
    parameter=[dict(BY_COMMUNE["parameter"][0], name="ho", max="1", searchType="string")])

# How many patients a commune has.
COUNT_BY_COMMUNE = dict(
    BY_COMMUNE, id="dem-theo-xa", url="urn:test:OperationDefinition/dem-theo-xa",
    name="DemTheoXa", code="dem-theo-xa",
    extension=[dict(BY_COMMUNE["extension"][0], valueString="commune={{xa}}&_summary=count")])


def patient(pid, family, commune):
    return {
        "resourceType": "Patient", "id": pid, "name": [{"family": family, "given": ["Văn"]}],
        "address": [{"text": "Điện Biên", "extension": [{
            "url": BASE + "extension/address-admin-units",
            "extension": [{"url": "commune", "valueCoding": {"system": BASE + "admin-unit",
                                                              "code": commune}}]}]}],
    }


def ids(bundle):
    return [e["resource"]["id"] for e in bundle.get("entry", [])]


class NamedQueriesTest(FhirTestCase):

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="hb-it-nq-")
        self.addCleanup(shutil.rmtree, self.data, True)

    def write(self, name, definition):
        folder = os.path.join(self.data, "named-queries")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            json.dump(definition, f, ensure_ascii=False)

    def test_deployment_query_runs_and_is_listed(self):
        self.write("theo-xa.json", BY_COMMUNE)
        with Server(self.data) as s:
            c = s.client()
            self.put_all(c, patient("p1", "Quàng", "03127"), patient("p2", "Lò", "03127"),
                         patient("p3", "Cà", "03130"))
            strict = {"Prefer": "handling=strict"}
            r = c.get("Patient?_query=nguoi-benh-theo-xa&xa=03127", headers=strict)
            self.assertStatus(r, 200)
            self.assertEqual(ids(r.json), ["p2", "p1"])  # the query's _sort=family
            self.assertIn("_query=nguoi-benh-theo-xa", r.json["link"][0]["url"])
            r = c.get("Patient?_query=nguoi-benh-theo-xa&xa=03127&xa=03130&_sort=-family")
            self.assertEqual(ids(r.json), ["p1", "p2", "p3"])  # repeated values ORed; own _sort
            r = c.get("Patient?_query=nguoi-benh-theo-xa&xa=03127&name=lo")
            self.assertEqual(ids(r.json), ["p2"])  # ANDed with ordinary parameters
            self.assertOutcome(c.get("Patient?_query=nguoi-benh-theo-xa"), 400,
                               mentions=["'xa' is required"])
            # Listed with the built-in ones as operations of their types.
            meta = c.get("metadata").json
            ops = {(res["type"], o["name"]): o["definition"]
                   for res in meta["rest"][0]["resource"] for o in res.get("operation", [])}
            self.assertEqual(ops[("Patient", "nguoi-benh-theo-xa")],
                             "urn:test:OperationDefinition/nguoi-benh-theo-xa")
            self.assertIn(("Encounter", "noi-tru-hien-tai"), ops)
            self.assertIn(("Observation", "ket-qua-bat-thuong"), ops)

    def test_result_parameters_and_filter_values(self):
        self.write("theo-ho.json", BY_FAMILY)
        self.write("dem-theo-xa.json", COUNT_BY_COMMUNE)
        with Server(self.data) as s:
            c = s.client()
            self.put_all(c, patient("p1", "Quàng", "03127"), patient("p2", "Lò", "03127"),
                         patient("p3", "Lò Thị", "03130"))
            # The query's _elements and _total apply.
            r = c.get("Patient?_query=theo-ho&ho=" + quote("Lò"))
            self.assertStatus(r, 200)
            self.assertEqual(ids(r.json), ["p2", "p3"])
            self.assertNotIn("total", r.json, "the query's _total=none is ignored")
            first = r.json["entry"][0]["resource"]
            self.assertIn("name", first)
            self.assertNotIn("address", first, "the query's _elements=name is ignored")
            self.assertIn("SUBSETTED", [t.get("code") for t in first["meta"]["tag"]])
            # The request's own values win.
            r = c.get("Patient?_query=theo-ho&ho=" + quote("Lò") + "&_elements=address&_total=accurate")
            self.assertEqual(r.json["total"], 2)
            first = r.json["entry"][0]["resource"]
            self.assertIn("address", first)
            self.assertNotIn("name", first)
            # _summary=count from the query: the total only.
            r = c.get("Patient?_query=dem-theo-xa&xa=03127")
            self.assertStatus(r, 200)
            self.assertEqual(r.json["total"], 2)
            self.assertEqual(r.json.get("entry", []), [])
            r = c.get("Patient?_query=dem-theo-xa&xa=03127&_summary=false")
            self.assertEqual(sorted(ids(r.json)), ["p1", "p2"])
            # A value cannot close the _filter string and widen the search.
            r = c.get("Patient?_query=theo-ho&ho=" + quote('x" or family co "Quàng'))
            self.assertStatus(r, 200)
            self.assertEqual(ids(r.json), [])
            r = c.get("Patient?_query=theo-ho&ho=" + quote('Lò" or family co "Quàng\\'))
            self.assertStatus(r, 200)
            self.assertEqual(ids(r.json), [])

    def test_bad_definition_is_refused_with_its_reason(self):
        crit = BY_COMMUNE["extension"][0]
        cases = [
            (dict(BY_COMMUNE, kind="operation"), "kind must be query"),
            (dict(BY_COMMUNE, resource=["Nonsense"]), "not a resource type"),
            (dict(BY_COMMUNE, extension=[dict(crit, valueString="commune={{thon}}")]),
             "not a declared parameter"),
            (dict(BY_COMMUNE, extension=[dict(crit, valueString="nonsense={{xa}}")]),
             "not a search parameter of Patient"),
            (dict(BY_COMMUNE, extension=[]), "named-query-criteria"),
            (dict(BY_COMMUNE, extension=[dict(crit, valueString="_filter=commune eq {{xa}}")]),
             "must be inside a double-quoted string"),
            (dict(BY_COMMUNE, code="noi-tru-hien-tai", resource=["Encounter"],
                  extension=[dict(crit, valueString="location={{xa}}")],
                  parameter=[dict(BY_COMMUNE["parameter"][0], searchType="reference")]),
             "defined twice"),
        ]
        for definition, reason in cases:
            with self.subTest(reason):
                self.write("bad.json", definition)
                self.assertDataFolderRefused(self.data, reason)


if __name__ == "__main__":
    unittest.main()
